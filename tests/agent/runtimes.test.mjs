// redact, toDotenv, checkActivation and createAccountTool.execute in Deno, workerd and
// Chromium (Node runs them in the other test files), against the emulator.
import { test } from 'node:test';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { check } from './agent-smoke.mjs';
import { runtimeTests } from './runtime-tests.mjs';

const consumer = fileURLToPath(new URL('..', import.meta.url));

// Deno and workerd: the harness of tests/runtimes/, shared with test-js.
const emulatorUrl = runtimeTests('./agent-smoke.mjs');

test('Chromium', async () => {
  // The consumer folder over HTTP, with an import map naming the package's browser entries.
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const page = `<!doctype html><script type="importmap">${JSON.stringify({ imports: {
    'cloudinary-agent-account': '/node_modules/cloudinary-agent-account/browser.js',
    'cloudinary-agent-account/tool': '/node_modules/cloudinary-agent-account/tool.js',
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
    const report = await tab.evaluate((base) => window.smoke(base), emulatorUrl());
    check(report);
    console.log('chromium: ok', JSON.stringify(report));
  } finally {
    await browser.close();
    server.close();
  }
});
