// redact, toDotenv, checkActivation and createAccountTool.execute in Deno, workerd and
// Chromium (Node runs them in the other test files), against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { startEmulator } from './harness.mjs';
import { check } from './agent-smoke.mjs';

const run = promisify(execFile);
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const consumer = fileURLToPath(new URL('..', import.meta.url));

let emu;
before(async () => { emu = await startEmulator(['--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

test('Deno', async () => {
  const { stdout } = await run('deno', ['run', '--quiet', '--allow-read', '--allow-net=127.0.0.1', here('./agent-deno.mjs'), emu.url],
    { cwd: consumer, timeout: 60000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  assert.match(stdout, /^deno: ok/m);
});

test('Cloudflare Workers (workerd)', async () => {
  const { stdout } = await run(process.execPath, [here('./agent-workerd.mjs'), emu.url], { cwd: consumer, timeout: 60000 });
  assert.match(stdout, /^workerd: ok/m);
});

test('Chromium', async () => {
  // The consumer folder over HTTP, with an import map naming the package's browser entries.
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const page = `<!doctype html><script type="importmap">${JSON.stringify({ imports: {
    'cloudinary-agent-account': '/node_modules/cloudinary-agent-account/browser.js',
    'cloudinary-agent-account/tool': '/node_modules/cloudinary-agent-account/tool-browser.js',
  } })}</script><script type="module">import { run } from '/test/agent-smoke.mjs'; window.smoke = run;</script>`;
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
    try {
      const body = await readFile(join(consumer, path));
      res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 30000,
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => typeof window.smoke === 'function', null, { timeout: 20000 });
    const report = await tab.evaluate((base) => window.smoke(base), emu.url);
    check(report);
    console.log('chromium: ok', JSON.stringify(report));
  } finally {
    await browser.close();
    server.close();
  }
});
