// The package in Deno and in a Cloudflare Worker (workerd through Miniflare): one run of each
// for both smoke scripts (smokes.mjs), each importing the installed package by name (through
// tests/node_modules, scripts/consumer.sh) against the emulator. Chromium runs agent-smoke.mjs
// in tests/agent/runtimes.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startEmulator, CONSUMER } from '../support/index.mjs';

const run = promisify(execFile);
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const SMOKE = './smokes.mjs';

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

test('Deno runs the smoke scripts on the package unchanged', async () => {
  const { stdout } = await run('deno', ['run', '--quiet', '--allow-read', '--allow-net=127.0.0.1', here('./deno.mjs'), SMOKE, emu.url],
    { cwd: CONSUMER, timeout: 60000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  assert.match(stdout, /^deno: ok/m);
});

test('Cloudflare Workers (workerd) runs the smoke scripts on the package unchanged', async () => {
  const { stdout } = await run(process.execPath, [here('./workerd.mjs'), SMOKE, emu.url], { cwd: CONSUMER, timeout: 60000 });
  assert.match(stdout, /^workerd: ok/m);
});
