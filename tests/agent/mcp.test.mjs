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
import { startEmulator, request } from './harness.mjs';
import { assertNoSecret, verify } from './secrets.mjs';

const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));

let emu;
before(async () => { emu = await startEmulator(['--rate-limit', 'off', '--daily-cap', 'off']); });
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
