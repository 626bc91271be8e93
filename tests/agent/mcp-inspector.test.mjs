// A second client that is not ours: the MCP Inspector's CLI mode (`mcp-inspector --cli`,
// installed by scripts/test-agent.sh into build/inspector) against the
// installed server, over stdio and over Streamable HTTP: it lists the tools and calls two (the
// read-only hand-off, and a create it refuses before sending). The Inspector validates each
// structuredContent against the tool's outputSchema itself and fails the call when it does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '../support/index.mjs';
import { BIN, serve } from './mcp-serve.mjs';

const INSPECTOR = fileURLToPath(new URL('../../build/inspector/node_modules/.bin/mcp-inspector', import.meta.url));
const run = promisify(execFile);
const TOOLS = ['create_cloudinary_account', 'create_cloudinary_cloud', 'check_cloudinary_account_activation', 'connect_cloudinary_mcp'];
// Shapes of a secret that must never show: a CLOUDINARY_URL with its secret, or the field.
const SECRET_SHAPES = [/cloudinary:\/\/\d+:[^@\s[]+@/, /"api_secret"\s*:\s*"(?!\[REDACTED\])/];

let emu;
before(async () => { emu = await startEmulator(['--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

function dir() {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-inspector-')));
  execFileSync('git', ['init', '-q', d]);
  return d;
}

/**
 * Runs the Inspector's CLI with `args` (HOME in a fresh folder: it keeps a catalog there). It
 * exits 5 when the tool's result has isError, still printing the result.
 */
async function inspector(cwd, args, status = 0) {
  let out;
  try {
    out = { ...(await run(INSPECTOR, ['--cli', ...args], { cwd, timeout: 60000, env: { PATH: process.env.PATH, HOME: cwd } })), code: 0 };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    out = e;
  }
  assert.equal(out.code, status, out.stderr);
  for (const re of SECRET_SHAPES) assert.doesNotMatch(out.stdout + out.stderr, re);
  return JSON.parse(out.stdout);
}

/** The same three checks, whichever transport `target` (the Inspector's own arguments) names. */
async function exercise(cwd, target) {
  const { tools } = await inspector(cwd, [...target, '--method', 'tools/list']);
  assert.deepEqual(tools.map((t) => t.name), TOOLS);
  for (const t of tools) assert.equal(t.outputSchema.type, 'object', t.name);
  const connect = await inspector(cwd, [...target, '--method', 'tools/call', '--tool-name', 'connect_cloudinary_mcp', '--tool-arg', 'client=cursor']);
  assert.equal(connect.isError, false);
  assert.equal(connect.structuredContent.client, 'cursor');
  assert.ok(connect.structuredContent.remote['cloudinary-asset-management'].url.startsWith('https://'));
  const refused = await inspector(cwd, [...target, '--method', 'tools/call', '--tool-name', 'create_cloudinary_account', '--tool-arg', 'email=not-an-address'], 5);
  assert.equal(refused.isError, true);
  assert.equal(refused.structuredContent.error.code, 'invalid_input');
  assert.ok(refused.structuredContent.error.issues.some((i) => i.field === 'email' && i.code === 'invalid_email'));
}

test('MCP Inspector CLI over stdio: lists the tools, calls two, each with a valid structuredContent', async () => {
  const cwd = dir();
  await exercise(cwd, ['-e', `CLOUDINARY_AGENT_BASE_URL=${emu.url}`, '--cwd', cwd, BIN]);
});

test('MCP Inspector CLI over Streamable HTTP: the same', async () => {
  const cwd = dir();
  const srv = await serve(cwd, emu.url);
  try {
    await exercise(cwd, ['--transport', 'http', '--server-url', srv.url]);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
  assert.equal(srv.out.stdout, '');
});
