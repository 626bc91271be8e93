// The hand-off: connect_cloudinary_mcp gives, for each client, the remote servers (OAuth: only
// URLs) and the local server started by `with-env`, which names the env file, never the secret;
// `with-env` hands CLOUDINARY_URL to the command it runs and says nothing of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, request } from '../support/index.mjs';
import { assertNoSecret } from './secrets.mjs';

const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));
const REMOTE = {
  'cloudinary-asset-management': 'https://asset-management.mcp.cloudinary.com/mcp',
  'cloudinary-environment-config': 'https://environment-config.mcp.cloudinary.com/mcp',
  'cloudinary-structured-metadata': 'https://structured-metadata.mcp.cloudinary.com/mcp',
};

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-connect-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

async function connect(cwd, name = 'agent-test') {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StdioClientTransport({
    command: BIN, args: [], cwd, stderr: 'pipe',
    env: { PATH: process.env.PATH, CLOUDINARY_AGENT_BASE_URL: emu.url },
  }));
  return client;
}

test('connect_cloudinary_mcp: each client\'s shape, remote URLs only, the local server by env file path; valid, no secret', async () => {
  const dir = gitRepo();
  const client = await connect(dir);
  const results = [];
  try {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'connect_cloudinary_mcp');
    assert.ok(tool);
    assert.equal(tool.annotations.readOnlyHint, true);
    const validate = addFormats(new Ajv({ strict: true })).compile(tool.outputSchema);
    const created = await client.callTool({ name: 'create_cloudinary_account', arguments: request() });
    assert.equal(created.structuredContent.ok, true);
    const envFile = join(dir, '.env');
    for (const [asked, key, withType] of [['claude-code', 'claude-code', true], ['cursor', 'cursor', false], ['vscode', 'vscode', true], ['auto', 'other', false]]) {
      const r = await client.callTool({ name: 'connect_cloudinary_mcp', arguments: { client: asked } });
      results.push(r);
      const v = r.structuredContent;
      assert.ok(validate(v), JSON.stringify(validate.errors));
      assert.equal(r.isError, false);
      assert.equal(v.client, key);
      assert.equal(v.envFile, envFile);
      for (const [name, url] of Object.entries(REMOTE)) {
        assert.deepEqual(v.remote[name], withType ? { type: 'http', url } : { url });
      }
      const local = v.local['cloudinary-asset-management-local'];
      assert.equal(local.command, 'npx');
      assert.deepEqual(local.args, ['-y', 'cloudinary-agent-account-mcp', 'with-env', envFile, '--', 'npx', '-y', '--package', '@cloudinary/asset-management-mcp', '--', 'mcp', 'start']);
      assert.equal('type' in local, withType);
    }
    const odd = await client.callTool({ name: 'connect_cloudinary_mcp', arguments: { client: 'emacs' } });
    assert.equal(odd.structuredContent.client, 'other', 'an unknown client gets the generic shape');
  } finally {
    await client.close();
  }
  const url = /CLOUDINARY_URL=(\S+)/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];
  const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(url)[1];
  assertNoSecret(results, secret, 'the connect results');
  assert.ok(!JSON.stringify(results).includes('cloudinary://'));
});

test('auto: the connected client\'s own name picks the shape', async () => {
  for (const [name, kind] of [['claude-code', 'claude-code'], ['Visual Studio Code', 'vscode'], ['cursor-vscode', 'cursor']]) {
    const client = await connect(gitRepo(), name);
    try {
      const r = await client.callTool({ name: 'connect_cloudinary_mcp', arguments: {} });
      assert.equal(r.structuredContent.client, kind, name);
    } finally {
      await client.close();
    }
  }
});

test('with-env runs the command with CLOUDINARY_URL from the env file, forwards its exit status, prints nothing of the secret', async () => {
  const dir = gitRepo();
  const client = await connect(dir);
  try {
    const r = await client.callTool({ name: 'create_cloudinary_account', arguments: request() });
    assert.equal(r.structuredContent.ok, true);
  } finally {
    await client.close();
  }
  const url = /CLOUDINARY_URL=(\S+)/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];
  const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(url)[1];
  const probe = `process.stdout.write(process.env.CLOUDINARY_URL === ${JSON.stringify(url)} ? 'same' : 'different'); process.exit(3)`;
  const ran = spawnSync(BIN, ['with-env', join(dir, '.env'), '--', process.execPath, '-e', probe], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(ran.stdout, 'same');
  assert.equal(ran.status, 3);
  assertNoSecret(ran.stderr, secret, 'with-env stderr');
  const none = spawnSync(BIN, ['with-env', join(dir, 'missing.env'), '--', process.execPath, '-e', ''], { encoding: 'utf8' });
  assert.equal(none.status, 1);
  assert.match(none.stderr, /holds no CLOUDINARY_URL|cannot read/);
  const usage = spawnSync(BIN, ['with-env', '--', 'x'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
});
