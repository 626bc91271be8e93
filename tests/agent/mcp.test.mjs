// §6: the MCP package as installed, driven by the SDK's own Client over StdioClientTransport
// (the server is spawned through its bin, in a fresh git repository, pointed at the emulator).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, realpathSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { inputSchema } from 'cloudinary-agent-account/tool';
import { startEmulator, request } from '../support/index.mjs';
import { assertNoSecret, verify } from './secrets.mjs';

const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

async function connect(cwd, env = {}) {
  const transport = new StdioClientTransport({
    command: BIN,
    args: [],
    cwd,
    env: { PATH: process.env.PATH, CLOUDINARY_AGENT_BASE_URL: emu.url, ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

test('tools/list: both tools with the generated schema and the annotations', async () => {
  const client = await connect(gitRepo());
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['create_cloudinary_account', 'check_cloudinary_account_activation', 'connect_cloudinary_mcp']);
    const [create, check] = tools;
    assert.deepEqual(create.inputSchema, JSON.parse(JSON.stringify(inputSchema)));
    assert.deepEqual(create.annotations, { title: 'Create a Cloudinary account', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
    assert.match(create.description, /real Cloudinary account/);
    assert.equal(check.annotations.readOnlyHint, true);
    assert.equal(check.annotations.idempotentHint, true);
    assert.equal(check.annotations.destructiveHint, false);
  } finally {
    await client.close();
  }
});

test('create saves to .env in the server folder, check reports pending then active; no result holds the secret', async () => {
  const dir = gitRepo();
  const client = await connect(dir);
  try {
    const input = request();
    const created = await client.callTool({ name: 'create_cloudinary_account', arguments: input });
    assert.equal(created.isError, false, created.content[0].text);
    assert.equal(created.structuredContent.ok, true);
    assert.equal(created.structuredContent.credentials.savedTo, join(dir, '.env'));
    assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '/.env\n');
    const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];
    assertNoSecret(created, secret, 'the create result');

    const pending = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(pending.structuredContent.state, 'pending');
    await verify(emu, input.email);
    const active = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(active.structuredContent.state, 'active');
    assertNoSecret([pending, active], secret, 'the check results');

    // A second creation: refused before sending, as an error result with advice.
    const again = await client.callTool({ name: 'create_cloudinary_account', arguments: request() });
    assert.equal(again.isError, true);
    assert.equal(again.structuredContent.error.code, 'credentials_exist');
    const bad = await client.callTool({ name: 'create_cloudinary_account', arguments: { email: 'x' } });
    assert.equal(bad.structuredContent.error.code, 'invalid_input');
  } finally {
    await client.close();
  }
});

test('CLOUDINARY_AGENT_ENV_FILE overrides the env file', async () => {
  const dir = gitRepo();
  const client = await connect(dir, { CLOUDINARY_AGENT_ENV_FILE: 'config/../cloudinary.env' });
  try {
    const none = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(none.structuredContent.error.code, 'no_credentials');
    const created = await client.callTool({ name: 'create_cloudinary_account', arguments: request() });
    assert.equal(created.structuredContent.credentials.savedTo, join(dir, 'cloudinary.env'));
    assert.ok(!existsSync(join(dir, '.env')));
  } finally {
    await client.close();
  }
});

// Issue 20: parallel creations, oversized messages.
test('8 concurrent create calls with different e-mails: one account created and saved, 7 refused before sending', async () => {
  const dir = gitRepo();
  const client = await connect(dir);
  try {
    const inputs = Array.from({ length: 8 }, () => request());
    const results = await Promise.all(inputs.map((arguments_) => client.callTool({ name: 'create_cloudinary_account', arguments: arguments_ })));
    const ok = results.filter((r) => r.structuredContent.ok);
    assert.equal(ok.length, 1, 'exactly one creation');
    assert.equal(ok[0].structuredContent.credentials.action, 'created');
    for (const r of results.filter((x) => !x.structuredContent.ok)) {
      assert.equal(r.structuredContent.error.code, 'credentials_exist');
      assert.equal(r.structuredContent.error.mayHaveCreatedAccount, false);
    }
    const text = readFileSync(join(dir, '.env'), 'utf8');
    assert.equal(text.match(/^CLOUDINARY_URL=/gm).length, 1);
    const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(text)[1];
    assertNoSecret(results, secret, 'the results');
    // The emulator sent one verification e-mail: one account, no secret lost.
    let mails = 0;
    for (const i of inputs) {
      const list = await (await fetch(`${emu.url}/_emulator/outbox?to=${encodeURIComponent(i.email)}`)).json();
      mails += list.filter((m) => m.to === i.email).length;
    }
    assert.equal(mails, 1);
  } finally {
    await client.close();
  }
});

test('a message over the read limit gets an error answer and a line on stderr; the server keeps serving', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(BIN, [], { cwd: gitRepo(), env: { PATH: process.env.PATH }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = async (n) => {
    for (let i = 0; i < 200 && stdout.split('\n').filter(Boolean).length < n; i += 1) await new Promise((r) => setTimeout(r, 50));
    return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  };
  try {
    const big = 'x'.repeat(11 * 1024 * 1024);
    child.stdin.write(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_cloudinary_account","arguments":{"email":"${big}"}}}\n`);
    const [answer] = await lines(1);
    assert.equal(answer.id, 7);
    assert.equal(answer.error.code, -32600);
    assert.match(stderr, /refused a message over \d+ bytes/);
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`);
    const [, init] = await lines(2);
    assert.equal(init.id, 8);
    assert.ok(init.result.serverInfo, 'still serving');
  } finally {
    child.kill();
  }
});
