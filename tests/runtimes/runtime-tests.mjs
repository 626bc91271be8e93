// The Deno and Cloudflare Workers (workerd) tests of one smoke script, each importing the
// installed package by name: test-js runs them on smoke.mjs (tests/js/runtimes.test.mjs),
// test-agent on agent-smoke.mjs (tests/agent/runtimes.test.mjs). Both copy this folder's
// scripts next to their own in the consumer project's test/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './harness.mjs';

const run = promisify(execFile);
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const consumer = fileURLToPath(new URL('..', import.meta.url));

/**
 * Defines, in the calling test file, an emulator for its tests and one test per runtime that
 * runs `smoke` (a script next to this one) there. Returns a function giving the emulator's
 * base URL, for the file's further tests.
 * @param {string} smoke
 * @returns {() => string}
 */
export function runtimeTests(smoke) {
  let emu;
  before(async () => { emu = await startEmulator(['--rate-limit', 'off', '--daily-cap', 'off']); });
  after(async () => { await emu.stop(); });

  test(`Deno runs ${smoke} on the package unchanged`, async () => {
    const { stdout } = await run('deno', ['run', '--quiet', '--allow-read', '--allow-net=127.0.0.1', here('./deno.mjs'), smoke, emu.url],
      { cwd: consumer, timeout: 60000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
    assert.match(stdout, /^deno: ok/m);
  });

  test(`Cloudflare Workers (workerd) runs ${smoke} on the package unchanged`, async () => {
    const { stdout } = await run(process.execPath, [here('./workerd.mjs'), smoke, emu.url], { cwd: consumer, timeout: 60000 });
    assert.match(stdout, /^workerd: ok/m);
  });

  return () => emu.url;
}
