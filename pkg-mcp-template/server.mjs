#!/usr/bin/env node
// cloudinary-agent-account-mcp: an MCP server over stdio with two tools,
// `create_cloudinary_account` and `check_cloudinary_account_activation`.
//
// It uses the SDK's low-level `Server` rather than `McpServer.registerTool`, because the
// latter takes Zod schemas only, while our input schema is generated from the Rust rules
// (one source of truth) and must be listed exactly as generated.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { checkActivation } from 'cloudinary-agent-account';
import { readCloudinaryUrl } from 'cloudinary-agent-account/node';
import { createAccountTool, adviceFor } from 'cloudinary-agent-account/tool';
import { CONNECT, CONNECT_OUTPUT_SCHEMA, connectTool } from './connect.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Where the credentials go: `CLOUDINARY_AGENT_ENV_FILE`, else `.env` in the working directory. */
export function envFile(env = process.env) {
  return resolve(env.CLOUDINARY_AGENT_ENV_FILE && env.CLOUDINARY_AGENT_ENV_FILE.trim() ? env.CLOUDINARY_AGENT_ENV_FILE : '.env');
}

const baseUrl = () => (process.env.CLOUDINARY_AGENT_BASE_URL || '').trim() || undefined;

const CHECK = {
  name: 'check_cloudinary_account_activation',
  title: 'Check whether the Cloudinary account is verified',
  description: 'Reads CLOUDINARY_URL from the env file that create_cloudinary_account wrote and makes one authenticated Admin API ping with it, to learn whether the person has verified the e-mail yet: state active (the credentials work), pending (not verified yet: remind them to open the e-mail), disabled (not verified within 24 hours) or unknown. Changes nothing; safe to repeat, but wait at least a few seconds between calls. Never returns the secret.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { title: 'Check Cloudinary account activation', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
};

/**
 * The JSON Schema of every check result (MCP `outputSchema`): checkTool below builds exactly
 * these two shapes, and the package's tests validate each of its paths against it with ajv.
 */
export const CHECK_OUTPUT_SCHEMA = Object.freeze({
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    state: { enum: ['active', 'pending', 'disabled', 'unknown'], description: 'active: verified; pending: not yet; disabled: not verified within 24 hours' },
    status: { type: 'integer', description: "the ping's HTTP status" },
    requestId: { type: 'string' },
    envFile: { type: 'string', description: 'the env file the credentials were read from' },
    error: {
      type: 'object',
      properties: { code: { type: 'string', pattern: '^[a-z][a-z_]*$' }, message: { type: 'string' } },
      required: ['code', 'message'],
      additionalProperties: false,
    },
    advice: { type: 'string', description: 'what to tell the person or do next' },
  },
  required: ['ok', 'advice'],
  additionalProperties: false,
  // `false`: the property must be absent in that branch.
  oneOf: [
    { properties: { ok: { const: true }, state: true, status: true, envFile: true, error: false }, required: ['ok', 'state', 'status', 'envFile'] },
    { properties: { ok: { const: false }, error: true, state: false, status: false, requestId: false }, required: ['ok', 'error'] },
  ],
});

/** One short line for `content` (the typed value is in `structuredContent`). */
export function summary(value) {
  if (value.ok === false) return `Error ${value.error.code}: ${value.error.message}. ${value.advice}`;
  if (value.state) return `Account ${value.state}. ${value.advice}`;
  if (value.nextSteps) return `Account created; credentials saved to ${value.credentials.savedTo}. ${value.nextSteps}`;
  if (value.remote) return `Configuration for ${value.file} is in structuredContent. ${value.advice}`;
  return 'Done.';
}

const STATE_ADVICE = {
  active: 'The person verified the e-mail: the credentials in the env file work.',
  pending: 'The person has not verified yet: ask them to open the e-mail from Cloudinary and set a password (the link lasts 24 hours). Check again later, not in a tight loop.',
  disabled: 'The account was disabled because the e-mail was not verified within 24 hours. The person can ask for a new link from the Cloudinary sign-in page.',
  unknown: 'The ping was refused for another reason: the credentials in the env file may be wrong or stale. Ask the person to compare them with the Console.',
};

function result(value) {
  return {
    content: [{ type: 'text', text: summary(value) }],
    structuredContent: value,
    isError: value.ok === false,
  };
}

async function checkTool(signal) {
  const file = envFile();
  let url;
  try {
    url = await readCloudinaryUrl(file);
  } catch (e) {
    return result({ ok: false, error: { code: 'read_failed', message: e.message }, advice: `Could not read ${file}.` });
  }
  if (url === null) {
    return result({ ok: false, error: { code: 'no_credentials', message: `${file} holds no CLOUDINARY_URL` }, advice: 'Create the account first with create_cloudinary_account, or start the server where the env file is (or set CLOUDINARY_AGENT_ENV_FILE).' });
  }
  try {
    const r = await checkActivation(url, { baseUrl: baseUrl(), signal });
    return result({ ok: true, state: r.state, status: r.status, ...(r.requestId ? { requestId: r.requestId } : {}), envFile: file, advice: STATE_ADVICE[r.state] });
  } catch (e) {
    return result({ ok: false, error: { code: e.code, message: e.message }, advice: adviceFor({ code: e.code }) });
  }
}

/** The server, not yet connected. */
export function createServer() {
  const server = new Server(
    { name: 'cloudinary-agent-account-mcp', version },
    {
      capabilities: { tools: {} },
      instructions: 'Creates a Cloudinary account for the person you work with (only when they ask, with their own e-mail address), saves the credentials to the env file without showing them to you, and checks whether they verified the e-mail. Never ask for or repeat the API secret.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: createAccountTool.name,
        title: createAccountTool.annotations.title,
        description: createAccountTool.description,
        inputSchema: createAccountTool.inputSchema,
        outputSchema: createAccountTool.outputSchema,
        annotations: createAccountTool.annotations,
      },
      { ...CHECK, outputSchema: CHECK_OUTPUT_SCHEMA },
      { ...CONNECT, outputSchema: CONNECT_OUTPUT_SCHEMA },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    if (name === createAccountTool.name) {
      return result(await createAccountTool.execute(args ?? {}, { baseUrl: baseUrl(), saveTo: envFile(), signal: extra && extra.signal }));
    }
    if (name === CHECK.name) return checkTool(extra && extra.signal);
    if (name === CONNECT.name) return result(connectTool(args && args.client, server.getClientVersion()?.name, envFile()));
    return result({ ok: false, error: { code: 'unknown_tool', message: `no tool named ${JSON.stringify(name)}` }, advice: `The tools are ${createAccountTool.name}, ${CHECK.name} and ${CONNECT.name}.` });
  });
  return server;
}

const invoked = process.argv[1] && (await import('node:fs')).realpathSync(process.argv[1]);
const isMain = invoked && invoked === (await import('node:url')).fileURLToPath(import.meta.url);
// Any argument (--http, install, --help) is cli.mjs's; none is the stdio server below.
const status = isMain ? await (await import('./cli.mjs')).runCommand(process.argv.slice(2), { createServer, version }) : false;
if (status !== false) process.exitCode = status;
if (isMain && status === false) {
  await createServer().connect(new StdioServerTransport());
}
