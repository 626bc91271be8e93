// §8: the examples of the package README, as installed, run against the emulator: the JS
// ones with `fetch` to https://api.cloudinary.com redirected to it, the shell one with
// CLOUDINARY_AGENT_BASE_URL, the MCP configuration through the SDK's own client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, CONSUMER } from '../support/index.mjs';
import { assertNoSecret } from './secrets.mjs';

const readme = readFileSync(join(CONSUMER, 'node_modules/cloudinary-agent-account/README.md'), 'utf8');

/** The fenced blocks whose first line is `// example: NAME` or `# example: NAME`. */
function examples() {
  const out = {};
  for (const m of readme.matchAll(/```(\w+)\n((?:\/\/|#) example: (\w+)\n[\s\S]*?)```/g)) out[m[3]] = m[2];
  return out;
}

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

/** A fresh git work tree inside the consumer project (so its node_modules resolve). */
function project(name) {
  const dir = join(CONSUMER, `readme-${name}-${Date.now()}`);
  mkdirSync(dir);
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

// Loaded with --import before an example: sends the default base URL to the emulator.
const REDIRECT = `const real = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input.url;
  const to = url.replace('https://api.cloudinary.com', process.env.EMULATOR_URL);
  return real(typeof input === 'string' ? to : new Request(to, input), init);
};
`;

function runJs(name) {
  const dir = project(name);
  writeFileSync(join(dir, 'redirect.mjs'), REDIRECT);
  writeFileSync(join(dir, 'example.mjs'), examples()[name]);
  const r = spawnSync(process.execPath, ['--import', './redirect.mjs', 'example.mjs'], { cwd: dir, env: { ...process.env, EMULATOR_URL: emu.url }, encoding: 'utf8', timeout: 60000 });
  return { dir, ...r };
}

/** Runs a shell example in a fresh project, with the CLI pointed at the emulator. */
function runSh(name) {
  const dir = project(name.replace('_', '-'));
  const r = spawnSync('bash', ['-c', examples()[name]], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CLOUDINARY_AGENT_BASE_URL: emu.url, npm_config_offline: 'true' },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { dir, ...r };
}

const secretIn = (dir) => /cloudinary:\/\/\d+:([^@\s]+)@/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];

test('the README has the library, tool, cli and cloud examples', () => {
  assert.deepEqual(Object.keys(examples()).sort(), ['cli', 'cli_cloud', 'cloud', 'library', 'tool']);
});

test('README example: cloud', () => {
  const r = runJs('cloud');
  assert.equal(r.status, 0, r.stderr);
  const [first, claim, expires] = r.stdout.trim().split('\n');
  assert.equal(first, `created ${join(r.dir, '.env')}`);
  assert.equal(claim, `${emu.url}/claim?token=[REDACTED]`);
  assert.ok(Date.parse(expires) > Date.now());
  const saved = readFileSync(join(r.dir, '.env'), 'utf8');
  assert.match(saved, /^CLOUDINARY_CLOUD_CLAIM_URL=/m);
  assertNoSecret(r.stdout, secretIn(r.dir), 'the example output');
  assertNoSecret(r.stdout, new URL(/^CLOUDINARY_CLOUD_CLAIM_URL=(.*)$/m.exec(saved)[1]).searchParams.get('token'), 'the example output: claim token');
});

test('README example: cli_cloud', () => {
  const { dir, ...r } = runSh('cli_cloud');
  assert.equal(r.status, 0, `status says working: ${r.stderr}`);
  assert.match(r.stdout, /^STATUS=created$/m);
  assert.match(r.stdout, /^STATE=claimable$/m);
  assert.match(r.stdout, /^STATE=working$/m);
  const saved = readFileSync(join(dir, '.env'), 'utf8');
  assertNoSecret(r.stdout + r.stderr, secretIn(dir), 'the example output');
  assertNoSecret(r.stdout + r.stderr, new URL(/^CLOUDINARY_CLOUD_CLAIM_URL=(.*)$/m.exec(saved)[1]).searchParams.get('token'), 'the example output: claim token');
});

test('README example: library', () => {
  const r = runJs('library');
  assert.equal(r.status, 0, r.stderr);
  const [first, json, state] = r.stdout.trim().split('\n');
  assert.equal(first, `created ${join(r.dir, '.env')} true`);
  assert.equal(JSON.parse(json).product_environments[0].api_secret, '[REDACTED]');
  assert.equal(state, 'pending');
  assertNoSecret(r.stdout, secretIn(r.dir), 'the example output');
});

test('README example: tool', () => {
  const r = runJs('tool');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^true Tell the person: open the e-mail Cloudinary sent to sam@example\.com/);
  assertNoSecret(r.stdout, secretIn(r.dir), 'the example output');
});

test('README example: cli', () => {
  const { dir, ...r } = runSh('cli');
  assert.equal(r.status, 10, `status says pending: ${r.stderr}`);
  assert.match(r.stdout, /^STATUS=created$/m);
  assert.match(r.stdout, /^STATE=pending$/m);
  assert.ok(existsSync(join(dir, '.env')));
  assertNoSecret(r.stdout, secretIn(dir), 'the example output');
});

test('README example: the MCP configuration starts the server', async () => {
  const m = /```json\n(\{ "mcpServers"[\s\S]*?)```/.exec(readme);
  const config = Object.values(JSON.parse(m[1]).mcpServers)[0];
  assert.deepEqual(config, { command: 'npx', args: ['-y', 'cloudinary-agent-account-mcp'] });
  const transport = new StdioClientTransport({
    ...config,
    cwd: project('mcp'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_offline: 'true', CLOUDINARY_AGENT_BASE_URL: emu.url },
  });
  const client = new Client({ name: 'readme', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['create_cloudinary_account', 'create_cloudinary_cloud', 'check_cloudinary_account_activation', 'connect_cloudinary_mcp']);
  } finally {
    await client.close();
  }
});
