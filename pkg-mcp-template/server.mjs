#!/usr/bin/env node
// cloudinary-agent-account-mcp: an MCP server over stdio (and Streamable HTTP, http.mjs) whose
// tools create a Cloudinary account, check it, and hand the agent over to Cloudinary's own MCP
// servers (`connect_cloudinary_mcp`).
//
// It uses the SDK's low-level `Server` rather than `McpServer.registerTool`, because the
// latter takes Zod schemas only, while our input schema is generated from the Rust rules
// (one source of truth) and must be listed exactly as generated.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { checkActivation, validateRequest, validateCloudRequest } from 'cloudinary-agent-account';
import { readCloudinaryUrl, readSavedCloud } from 'cloudinary-agent-account/node';
import { createAccountTool, createCloudTool, adviceFor, cloudState } from 'cloudinary-agent-account/tool';
import { CONNECT, CONNECT_OUTPUT_SCHEMA, connectTool } from './connect.mjs';
import { askConsent, offerClaimPage, withConsent } from './consent.mjs';

export { withConsent, CONSENT_SCHEMA } from './consent.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Where the credentials go: `CLOUDINARY_AGENT_ENV_FILE`, else `.env` in the working directory. */
export function envFile(env = process.env) {
  return resolve(env.CLOUDINARY_AGENT_ENV_FILE && env.CLOUDINARY_AGENT_ENV_FILE.trim() ? env.CLOUDINARY_AGENT_ENV_FILE : '.env');
}

const baseUrl = () => (process.env.CLOUDINARY_AGENT_BASE_URL || '').trim() || undefined;

const CHECK = {
  name: 'check_cloudinary_account_activation',
  title: 'Check whether the Cloudinary account or cloud works',
  description: 'Reads CLOUDINARY_URL from the env file that create_cloudinary_account or create_cloudinary_cloud wrote and makes one authenticated Admin API ping with it. For an account (kind account): whether the person has verified the e-mail yet: state active (the credentials work), pending (not verified yet: remind them to open the e-mail), disabled (not verified within 24 hours) or unknown. For a Claimable Cloud (kind cloud, the env file holds CLOUDINARY_CLOUD_EXPIRES_AT): working (before its expiry), claimed (still working after it), expired (not claimed in time: disabled) or unknown. Changes nothing; safe to repeat, but wait at least a few seconds between calls. Never returns the secret or the claim link.',
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
    kind: { enum: ['account', 'cloud'], description: 'what the env file holds: an account (create_cloudinary_account) or a Claimable Cloud (create_cloudinary_cloud)' },
    state: {
      enum: ['active', 'pending', 'disabled', 'unknown', 'working', 'claimed', 'expired'],
      description: 'an account: active (verified), pending (not yet), disabled (not verified within 24 hours); a cloud: working (before expiresAt), claimed (working after it), expired (disabled, not claimed); unknown: the ping was refused for another reason',
    },
    expiresAt: { type: 'string', description: 'a cloud: unclaimed, it is disabled at this time' },
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
    nextSteps: { type: 'string', description: 'once the credentials work: where to go from here' },
  },
  required: ['ok', 'advice'],
  additionalProperties: false,
  // `false`: the property must be absent in that branch.
  oneOf: [
    { properties: { ok: { const: true }, kind: { const: 'account' }, state: { enum: ['active', 'pending', 'disabled', 'unknown'] }, status: true, envFile: true, expiresAt: false, error: false }, required: ['ok', 'kind', 'state', 'status', 'envFile'] },
    { properties: { ok: { const: true }, kind: { const: 'cloud' }, state: { enum: ['working', 'claimed', 'expired', 'unknown'] }, status: true, envFile: true, expiresAt: true, error: false }, required: ['ok', 'kind', 'state', 'status', 'envFile', 'expiresAt'] },
    { properties: { ok: { const: false }, error: true, kind: false, state: false, status: false, requestId: false, expiresAt: false, nextSteps: false }, required: ['ok', 'error'] },
  ],
});

/** One short line for `content` (the typed value is in `structuredContent`). */
export function summary(value) {
  if (value.ok === false) return `Error ${value.error.code}: ${value.error.message}. ${value.advice}`;
  if (value.state) return `${value.kind === 'cloud' ? 'Cloud' : 'Account'} ${value.state}. ${value.advice}`;
  if (value.cloud) return `Cloud ${value.cloud.cloud_name} created; credentials saved to ${value.credentials.savedTo}. ${value.nextSteps}`;
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

const CLOUD_STATE_ADVICE = {
  working: (at) => `The cloud works. Whether it was claimed cannot be told before ${at}: make sure the person has the claim link (CLOUDINARY_CLOUD_CLAIM_URL in the env file; they run \`npx cloudinary-agent-account claim\` in their terminal to see it) and claims it before then, or it is disabled with its assets.`,
  claimed: () => 'The expiry has passed and the credentials still work: the person claimed the cloud, which is now a permanent free account.',
  expired: (at) => `The cloud was not claimed before ${at} and is disabled, assets included. A new one can be created with create_cloudinary_cloud (or a permanent account with create_cloudinary_account), if the person asks.`,
  unknown: () => STATE_ADVICE.unknown,
};

function result(value) {
  return {
    content: [{ type: 'text', text: summary(value) }],
    structuredContent: value,
    isError: value.ok === false,
  };
}

/** One ping; a disabled account's refusal is a state, not an error. */
async function ping(url, signal) {
  try {
    return await checkActivation(url, { baseUrl: baseUrl(), signal });
  } catch (e) {
    if (e && e.code === 'account_disabled') return { state: 'disabled', status: e.status, requestId: e.requestId };
    throw e;
  }
}

/** Reports on whichever the env file holds: an account (activation) or a cloud (its expiry). */
async function checkTool(signal) {
  const file = envFile();
  let saved;
  try {
    saved = await readSavedCloud(file);
  } catch (e) {
    return result({ ok: false, error: { code: 'read_failed', message: e.message }, advice: `Could not read ${file}.` });
  }
  if (saved.cloudinaryUrl === null) {
    return result({ ok: false, error: { code: 'no_credentials', message: `${file} holds no CLOUDINARY_URL` }, advice: 'Create the account (create_cloudinary_account) or the cloud (create_cloudinary_cloud) first, or start the server where the env file is (or set CLOUDINARY_AGENT_ENV_FILE).' });
  }
  try {
    const r = await ping(saved.cloudinaryUrl, signal);
    const common = { ok: true, status: r.status, ...(r.requestId ? { requestId: r.requestId } : {}), envFile: file };
    if (saved.expiresAt === null) {
      return result({ ...common, kind: 'account', state: r.state, advice: STATE_ADVICE[r.state], ...(r.state === 'active' ? { nextSteps: HAND_OFF } : {}) });
    }
    const state = cloudState(r.state, saved.expiresAt);
    const works = state === 'working' || state === 'claimed';
    return result({ ...common, kind: 'cloud', state, expiresAt: saved.expiresAt, advice: CLOUD_STATE_ADVICE[state](saved.expiresAt), ...(works ? { nextSteps: HAND_OFF } : {}) });
  } catch (e) {
    return result({ ok: false, error: { code: e.code, message: e.message }, advice: adviceFor({ code: e.code }) });
  }
}

/** Where an agent goes once the credentials work: Cloudinary's own MCP servers. */
export const HAND_OFF = `Call ${CONNECT.name}: it gives the configuration for Cloudinary's own MCP servers (the remote ones sign in with OAuth in the browser, so no secret goes into the configuration; a local one reads the env file), which is how to work with Cloudinary from here on.`;

/**
 * The creating tools, one entry each: the tool (`/tool`), the rules its input is checked by
 * before the person is asked, the consent form's wording (consent.mjs) and the hand-off added
 * to its success.
 */
const CREATING = [
  {
    tool: createAccountTool,
    validate: validateRequest,
    consent: {
      emailRequired: true,
      emailDescription: 'The account is in this name; Cloudinary sends the verification link here.',
      agreeTitle: 'Create the account',
      agreeDescription: 'Create a Cloudinary account in my name and send me a verification e-mail',
      message: (email, file) => `An AI agent asks to create a Cloudinary account (free plan) in your name${email ? ` for ${email}` : ''}. Cloudinary will e-mail you a link to verify the address and set a password; the account is disabled if that is not done within 24 hours. The credentials will be saved to ${file} and are never shown to the AI. Confirm or correct the address, then agree.`,
    },
    handOff: (value) => ({ ...value, nextSteps: `${value.nextSteps} Once ${CHECK.name} reports active: ${HAND_OFF}` }),
  },
  {
    tool: createCloudTool,
    validate: validateCloudRequest,
    consent: {
      emailRequired: false,
      emailDescription: 'Optional: it only pre-fills the claim page; nothing is sent to it now.',
      agreeTitle: 'Create the cloud',
      agreeDescription: 'Create a Cloudinary cloud that works now, is disabled after 24 hours unless I claim it, and delivers media only to listed IP addresses until then',
      message: (email, file, args) => `An AI agent asks to create a Cloudinary cloud (free plan) for your project. Its credentials work at once, but it is disabled, with its assets, 24 hours after creation unless you claim it with the link you will be given, and until then it delivers media only to this machine's public IP address${Array.isArray(args.delivery_ips) && args.delivery_ips.length ? ` and ${args.delivery_ips.map(String).join(', ')}` : ''}. The credentials and the claim link will be saved to ${file}; the credentials are never shown to the AI. The e-mail address${email ? ` (${email})` : ''} is optional: it only pre-fills the claim page. Agree to go ahead.`,
    },
    // The cloud exists and works now: the hand-off is for now, not for later.
    handOff: (value) => ({ ...value, nextSteps: `${value.nextSteps} ${HAND_OFF}` }),
    claimPage: true,
  },
];
const creating = new Map(CREATING.map((e) => [e.tool.name, e]));

/** Whether a call would send: valid input and an env file without credentials (else the tool refuses it unasked). */
async function wouldSend(entry, args, file) {
  if (entry.validate(args).length) return false;
  try {
    return (await readCloudinaryUrl(file)) === null;
  } catch {
    return false;
  }
}

/** Longest message read (bytes, newline included): under the SDK's 10 MiB read limit, whose
 * overflow closes the transport and ends the server without a word. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * `input` with every line over `max` bytes taken out: each line is held until its newline
 * (so the SDK never sees part of one), and an oversized one is dropped and reported through
 * `onOversized(id)`, its JSON-RPC id read from its first bytes (`null` when none is there).
 */
export function limitLines(input, onOversized, max = MAX_MESSAGE_BYTES) {
  const out = new PassThrough();
  let held = [];
  let size = 0;
  let dropping = null; // the first bytes of the line being dropped
  input.on('data', (chunk) => {
    for (let at = 0; at < chunk.length;) {
      const nl = chunk.indexOf(10, at);
      const end = nl === -1 ? chunk.length : nl + 1;
      const piece = chunk.subarray(at, end);
      at = end;
      if (dropping === null && size + piece.length > max) {
        dropping = Buffer.concat([...held, piece]).subarray(0, 256).toString('utf8');
        held = [];
        size = 0;
      }
      if (dropping !== null) {
        if (nl !== -1) {
          const m = /"id"\s*:\s*("(?:[^"\\]|\\.){0,100}"|-?\d{1,16})\s*[,}]/.exec(dropping);
          dropping = null;
          onOversized(m ? JSON.parse(m[1]) : null);
        }
        continue;
      }
      held.push(piece);
      size += piece.length;
      if (nl !== -1) {
        out.write(Buffer.concat(held));
        held = [];
        size = 0;
      }
    }
  });
  input.on('end', () => out.end());
  input.on('error', (e) => out.destroy(e));
  return out;
}

/** What the client's model is told about the server as a whole. */
export const INSTRUCTIONS = [
  'Creates a Cloudinary account for the person you work with (only when they ask, with their own e-mail address) or a Claimable Cloud that works at once (the person must claim it with its link within 24 hours), saves the credentials to the env file without showing them to you, and checks whether they work.',
  'Consent: when your client supports elicitation, the creating tool first asks the person in a form to confirm the e-mail address and agree; if they decline, nothing is sent, and you must not call it again unless they ask. Without elicitation, the host\'s own tool approval is the person\'s consent: call it only when they asked.',
  `Once the account is active, or as soon as the cloud exists, use ${CONNECT.name} to move to Cloudinary's own MCP servers (OAuth sign-in, no secret in any configuration).`,
  'Never ask for or repeat the API secret or a claim link\'s token: the person gets the claim link from the env file, their own terminal or the claim page this server offers them.',
].join(' ');

/** The server, not yet connected. */
export function createServer() {
  const server = new Server(
    { name: 'cloudinary-agent-account-mcp', version },
    {
      capabilities: { tools: {} },
      instructions: INSTRUCTIONS,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      ...CREATING.map(({ tool, claimPage }) => ({
        name: tool.name,
        title: tool.annotations.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: withConsent(tool.outputSchema, { claimPage }),
        annotations: tool.annotations,
      })),
      { ...CHECK, outputSchema: CHECK_OUTPUT_SCHEMA },
      { ...CONNECT, outputSchema: CONNECT_OUTPUT_SCHEMA },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const entry = creating.get(name);
    if (entry) return create(entry, args && typeof args === 'object' ? args : {}, extra);
    if (name === CHECK.name) return checkTool(extra && extra.signal);
    if (name === CONNECT.name) return result(connectTool(args && args.client, server.getClientVersion()?.name, envFile()));
    const names = [...creating.keys(), CHECK.name, CONNECT.name];
    return result({ ok: false, error: { code: 'unknown_tool', message: `no tool named ${JSON.stringify(name)}` }, advice: `The tools are ${names.join(', ')}.` });
  });

  /** A creating tool: the person's consent first (when the call would send), then the tool. */
  async function create(entry, args, extra) {
    const saveTo = envFile();
    const signal = extra && extra.signal;
    let input = args;
    let consent;
    if (await wouldSend(entry, args, saveTo)) {
      const asked = await askConsent(entry, args, { capabilities: server.getClientCapabilities(), sendRequest: extra.sendRequest, signal, envFile: saveTo });
      if (asked.result) return result(asked.result);
      ({ input, consent } = asked);
    }
    // The full cloud (claim link included) stays here, for the person's claim page below.
    let full;
    const value = await entry.tool.execute(input, { baseUrl: baseUrl(), saveTo, signal, ...(entry.claimPage ? { onCloud: (c) => { full = c; } } : {}) });
    const out = { ...(value.ok ? entry.handOff(value) : value), ...(consent ? { consent } : {}) };
    if (entry.claimPage && value.ok && full) {
      out.claimPage = await offerClaimPage(full, { capabilities: server.getClientCapabilities(), sendRequest: extra.sendRequest, signal, envFile: value.credentials.savedTo });
    }
    return result(out);
  }
  return server;
}

const invoked = process.argv[1] && (await import('node:fs')).realpathSync(process.argv[1]);
const isMain = invoked && invoked === (await import('node:url')).fileURLToPath(import.meta.url);
// Any argument (--http, install, --help) is cli.mjs's; none is the stdio server below.
const status = isMain ? await (await import('./cli.mjs')).runCommand(process.argv.slice(2), { createServer, version }) : false;
if (status !== false) process.exitCode = status;
if (isMain && status === false) {
  const server = createServer();
  server.onerror = (e) => process.stderr.write(`cloudinary-agent-account-mcp: ${e && e.message}\n`);
  const stdin = limitLines(process.stdin, (id) => {
    process.stderr.write(`cloudinary-agent-account-mcp: refused a message over ${MAX_MESSAGE_BYTES} bytes\n`);
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32600, message: `the message is over ${MAX_MESSAGE_BYTES} bytes; it was not read` } })}\n`);
  });
  await server.connect(new StdioServerTransport(stdin, process.stdout));
}
