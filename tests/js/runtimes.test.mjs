// The same smoke script (tests/runtimes/smoke.mjs) in Deno and in a Cloudflare Worker
// (workerd through Miniflare), each importing the installed package by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './harness.mjs';

const run = promisify(execFile);
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const consumer = fileURLToPath(new URL('..', import.meta.url));

let emu;
before(async () => { emu = await startEmulator(['--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

test('Deno runs the package unchanged', async () => {
  const { stdout } = await run('deno', ['run', '--quiet', '--allow-read', '--allow-net=127.0.0.1', here('./deno.mjs'), emu.url],
    { cwd: consumer, timeout: 60000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  assert.match(stdout, /^deno: ok/m);
});

test('Cloudflare Workers (workerd) runs the package unchanged', async () => {
  const { stdout } = await run(process.execPath, [here('./workerd.mjs'), emu.url], { cwd: consumer, timeout: 60000 });
  assert.match(stdout, /^workerd: ok/m);
});
