// The hand-off: `connect_cloudinary_mcp` gives the configuration for Cloudinary's own MCP
// servers, for the client in use. The remote ones sign in with OAuth (no secret in the
// configuration); the local one (`@cloudinary/asset-management-mcp`, which reads CLOUDINARY_URL
// from its environment) is started by our `with-env` command, which reads the env file the
// credentials were saved to, so the secret is never written into a client's configuration.
import { resolve } from 'node:path';

/** Cloudinary's remote MCP servers (Streamable HTTP, OAuth by default). */
export const REMOTE_SERVERS = Object.freeze([
  { name: 'cloudinary-asset-management', url: 'https://asset-management.mcp.cloudinary.com/mcp', does: 'upload, search, transform and manage assets' },
  { name: 'cloudinary-environment-config', url: 'https://environment-config.mcp.cloudinary.com/mcp', does: 'upload presets, transformations, settings' },
  { name: 'cloudinary-structured-metadata', url: 'https://structured-metadata.mcp.cloudinary.com/mcp', does: 'structured metadata fields and values' },
]);

/** The local server's package and how it is started. */
export const LOCAL_PACKAGE = '@cloudinary/asset-management-mcp';
const LOCAL_START = ['npx', '-y', '--package', LOCAL_PACKAGE, '--', 'mcp', 'start'];

const KINDS = ['claude-code', 'cursor', 'vscode', 'other'];

/**
 * Which client config shape: the argument when it names one, else the connected client's own
 * name (`clientInfo.name`); `other` when neither says.
 */
export function clientKind(asked, clientName) {
  if (KINDS.includes(asked)) return asked;
  const n = String(clientName || '').toLowerCase();
  if (n.includes('claude-code') || n.includes('claude code')) return 'claude-code';
  if (n.includes('cursor')) return 'cursor';
  if (n.includes('visual studio code') || n.includes('vscode')) return 'vscode';
  return 'other';
}

/** One entry in the client's own shape (`type` where that client names it). */
function remoteEntry(kind, url) {
  if (kind === 'cursor' || kind === 'other') return { url };
  return { type: 'http', url };
}

function stdioEntry(kind, command, args) {
  return kind === 'cursor' || kind === 'other' ? { command, args } : { type: 'stdio', command, args };
}

const FILES = {
  'claude-code': '.mcp.json (or ~/.claude.json), under "mcpServers"',
  cursor: '.cursor/mcp.json (or ~/.cursor/mcp.json), under "mcpServers"',
  vscode: '.vscode/mcp.json (or the user profile\'s mcp.json), under "servers"',
  other: 'your client\'s MCP configuration, under its servers key',
};

export const CONNECT = {
  name: 'connect_cloudinary_mcp',
  title: 'Connect to Cloudinary\'s own MCP servers',
  description: 'Once the credentials work (the person has verified the account, or a Claimable Cloud was created), gives the configuration for Cloudinary\'s own MCP servers (asset management, environment config, structured metadata), for the client in use: the remote servers sign in with OAuth in the browser (no secret in the configuration, the recommended way); the local @cloudinary/asset-management-mcp server reads CLOUDINARY_URL from the env file the credentials were saved to. Show the configuration to the person or add it where they agree. Changes nothing.',
  inputSchema: {
    type: 'object',
    properties: {
      client: { enum: ['auto', 'claude-code', 'cursor', 'vscode', 'other'], description: 'the configuration shape; auto (default): the connected client\'s' },
    },
    additionalProperties: false,
  },
  annotations: { title: 'Connect to Cloudinary\'s own MCP servers', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

const entryShape = { type: 'object', properties: { type: { enum: ['http', 'stdio'] }, url: { type: 'string' }, command: { type: 'string' }, args: { type: 'array', items: { type: 'string' } } }, additionalProperties: false };

/** The JSON Schema of every result of connectTool (MCP `outputSchema`). */
export const CONNECT_OUTPUT_SCHEMA = Object.freeze({
  type: 'object',
  properties: {
    ok: { const: true },
    client: { enum: ['claude-code', 'cursor', 'vscode', 'other'] },
    file: { type: 'string', description: 'where the configuration goes' },
    remote: {
      type: 'object',
      description: 'Cloudinary\'s remote servers, OAuth: paste under the servers key',
      additionalProperties: entryShape,
    },
    local: {
      type: 'object',
      description: 'the local asset-management server, reading the env file',
      additionalProperties: entryShape,
    },
    envFile: { type: 'string' },
    advice: { type: 'string' },
  },
  required: ['ok', 'client', 'file', 'remote', 'local', 'envFile', 'advice'],
  additionalProperties: false,
});

/**
 * The configuration for one client. `envFile` is the env file the credentials were saved to;
 * its path (never its content) goes into the local entry.
 */
export function connectTool(asked, clientName, envFile) {
  const kind = clientKind(asked, clientName);
  const remote = {};
  for (const s of REMOTE_SERVERS) remote[s.name] = remoteEntry(kind, s.url);
  const file = resolve(envFile);
  const local = {
    'cloudinary-asset-management-local': stdioEntry(kind, 'npx', ['-y', 'cloudinary-agent-account-mcp', 'with-env', file, '--', ...LOCAL_START]),
  };
  return {
    ok: true,
    client: kind,
    file: FILES[kind],
    remote,
    local,
    envFile: file,
    advice: `Prefer the remote servers: the person signs in to Cloudinary in the browser (OAuth) and picks the product environment; nothing secret is stored in the configuration. Use the local server only for a headless agent: it takes CLOUDINARY_URL from ${file} when it starts. Either way, add the entries to ${FILES[kind]} only with the person's agreement, and never copy the API secret into a configuration file or the chat.`,
  };
}
