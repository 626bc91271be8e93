// Typed results: both MCP tools declare an outputSchema, and every structuredContent they
// give (each success and error path) validates against it with ajv; `content` is one short
// human line; neither holds the secret. The SDK's Client validates too (it would throw).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createAccountTool, outputSchema } from 'cloudinary-agent-account/tool';
import { CHECK_OUTPUT_SCHEMA } from 'cloudinary-agent-account-mcp';
import { startEmulator, startServer, request } from '../support/index.mjs';
import { assertNoSecret, verify } from './secrets.mjs';

const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

// Strict ajv: an unknown keyword or format in our schemas fails the compile.
const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));
function validator(schema) {
  const v = ajv.compile(schema);
  return (value, where) => assert.ok(v(value), `${where}: ${ajv.errorsText(v.errors)} in ${JSON.stringify(value)}`);
}
const seen = { create: new Set(), check: new Set() };

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-typed-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

async function connect(cwd, env = {}) {
  const transport = new StdioClientTransport({
    command: BIN, args: [], cwd, stderr: 'pipe',
    env: { PATH: process.env.PATH, CLOUDINARY_AGENT_BASE_URL: emu.url, ...env },
  });
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** Checks one result: schema, isError agrees with ok, a short non-JSON line in content. */
function checkResult(r, validate, kind) {
  validate(r.structuredContent, kind);
  assert.equal(r.isError, r.structuredContent.ok === false);
  assert.equal(r.content.length, 1);
  const text = r.content[0].text;
  assert.ok(text.length < 1200 && !text.includes('\n') && !text.startsWith('{'), `${kind}: content is not a short line: ${text}`);
  seen[kind].add(r.structuredContent.ok ? `ok:${r.structuredContent.state || 'created'}` : r.structuredContent.error.code);
}

test('tools/list: each tool declares its outputSchema, the ones the results are built beside', async () => {
  const client = await connect(gitRepo());
  try {
    const { tools } = await client.listTools();
    const [create, check] = tools;
    assert.deepEqual(create.outputSchema, JSON.parse(JSON.stringify(outputSchema)));
    assert.deepEqual(create.outputSchema, JSON.parse(JSON.stringify(createAccountTool.outputSchema)));
    assert.deepEqual(check.outputSchema, JSON.parse(JSON.stringify(CHECK_OUTPUT_SCHEMA)));
    for (const t of tools) assert.equal(t.outputSchema.type, 'object');
  } finally {
    await client.close();
  }
});

test('every create and check result over MCP validates against its outputSchema; none holds the secret', async () => {
  const dir = gitRepo();
  const client = await connect(dir);
  const results = [];
  try {
    const { tools } = await client.listTools();
    const vCreate = validator(tools[0].outputSchema);
    const vCheck = validator(tools[1].outputSchema);
    const call = async (name, args, kind, v) => {
      const r = await client.callTool({ name, arguments: args });
      checkResult(r, v, kind);
      results.push(r);
      return r;
    };
    await call('check_cloudinary_account_activation', {}, 'check', vCheck); // no_credentials
    await call('create_cloudinary_account', { email: 'x' }, 'create', vCreate); // invalid_input with issues
    await emu.fault({ count: 1, status: 429, headers: { 'Retry-After': '3600' }, body: '{"error":{"message":"Rate limit exceeded"}}' });
    await call('create_cloudinary_account', request(), 'create', vCreate); // rate_limited, retryAfterMs
    await emu.fault({ count: 1, status: 500, body: '{"error":{"message":"General error"}}' });
    const lost = await call('create_cloudinary_account', request(), 'create', vCreate); // mayHaveCreatedAccount
    assert.equal(lost.structuredContent.error.mayHaveCreatedAccount, true);
    const input = request();
    const created = await call('create_cloudinary_account', input, 'create', vCreate);
    assert.equal(created.structuredContent.ok, true);
    await call('create_cloudinary_account', request(), 'create', vCreate); // credentials_exist
    await call('check_cloudinary_account_activation', {}, 'check', vCheck); // pending
    await verify(emu, input.email);
    await call('check_cloudinary_account_activation', {}, 'check', vCheck); // active

    // The same address from another folder: account_exists from the server.
    const other = await connect(gitRepo());
    try {
      const r = await other.callTool({ name: 'create_cloudinary_account', arguments: { ...request(), email: input.email } });
      checkResult(r, vCreate, 'create');
      results.push(r);
    } finally {
      await other.close();
    }
    const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];
    assertNoSecret(results, secret, 'the MCP results (content and structuredContent)');
  } finally {
    await client.close();
  }
  for (const c of ['invalid_input', 'rate_limited', 'ok:created', 'credentials_exist', 'account_exists']) assert.ok(seen.create.has(c), `no ${c} result seen`);
  for (const c of ['no_credentials', 'ok:pending', 'ok:active']) assert.ok(seen.check.has(c), `no ${c} check result seen`);
});

test('check: read_failed, an unknown answer and a network error validate too', async () => {
  const vCheck = validator(CHECK_OUTPUT_SCHEMA);
  const dir = gitRepo();
  mkdirSync(join(dir, 'a-directory.env'));
  const unreadable = await connect(dir, { CLOUDINARY_AGENT_ENV_FILE: 'a-directory.env' });
  try {
    checkResult(await unreadable.callTool({ name: 'check_cloudinary_account_activation', arguments: {} }), vCheck, 'check');
  } finally {
    await unreadable.close();
  }
  assert.ok(seen.check.has('read_failed'));
  writeFileSync(join(dir, '.env'), 'CLOUDINARY_URL=cloudinary://123456789012345:abcdefghijklmnopqrstuvwxyz1@demo\n');
  const srv = await startServer((req, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{}'); });
  const odd = await connect(dir, { CLOUDINARY_AGENT_BASE_URL: srv.url });
  try {
    const r = await odd.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    checkResult(r, vCheck, 'check');
    assert.equal(r.structuredContent.state, 'unknown');
  } finally {
    await odd.close();
    await srv.stop();
  }
  const down = await connect(dir, { CLOUDINARY_AGENT_BASE_URL: srv.url });
  try {
    const r = await down.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    checkResult(r, vCheck, 'check');
    assert.equal(r.structuredContent.error.code, 'network');
  } finally {
    await down.close();
  }
});

test('the tool\'s own paths that MCP does not reach validate against outputSchema too', async () => {
  const v = validator(outputSchema);
  v(await createAccountTool.execute(request(), { baseUrl: emu.url }), 'no_destination');
  // The check before sending refuses an unreadable env file: read_failed.
  const dir = gitRepo();
  writeFileSync(join(dir, 'file'), '');
  v(await createAccountTool.execute(request(), { baseUrl: emu.url, saveTo: join(dir, 'file', '.env') }), 'read_failed');
  // A save that fails after creation (the destination passed the check, then became a link
  // while the account was created; onAccount runs before the save): the fallback next to it,
  // with a warning.
  const late = join(dir, 'late.env');
  const r = await createAccountTool.execute(request(), { baseUrl: emu.url, saveTo: late, onAccount: () => symlinkSync('file', late) });
  v(r, 'save failed');
  assert.equal(r.ok, true);
  assert.ok(r.credentials.warning);
  // And when the fallback fails too (the folder became a file, no home to fall back to):
  // save_failed, with the redacted account.
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  const home = process.env.HOME;
  process.env.HOME = join(dir, 'no-home');
  try {
    const f = await createAccountTool.execute(request(), {
      baseUrl: emu.url, saveTo: join(sub, '.env'), onAccount: () => { rmSync(sub, { recursive: true }); writeFileSync(sub, ''); },
    });
    v(f, 'save_failed');
    assert.equal(f.error.code, 'save_failed');
    assert.ok(f.account);
  } finally {
    process.env.HOME = home;
  }
  let handed;
  v(await createAccountTool.execute(request(), { baseUrl: emu.url, onAccount: (a) => { handed = a; } }), 'onAccount');
  assert.ok(handed);
  // And the schema is no blank cheque: a secret field or a missing piece fails it.
  const check = ajv.compile(outputSchema);
  assert.equal(check({ ...r, api_secret: 'abc' }), false);
  assert.equal(check({ ok: false, advice: 'x' }), false);
  assert.equal(check({ ok: true, error: { code: 'x', message: 'y', mayHaveCreatedAccount: false }, advice: 'z' }), false);
  const checkCheck = ajv.compile(CHECK_OUTPUT_SCHEMA);
  assert.equal(checkCheck({ ok: true, state: 'maybe', status: 200, envFile: '/x', advice: 'y' }), false);
});
