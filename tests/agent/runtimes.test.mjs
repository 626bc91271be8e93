// redact, toDotenv, checkActivation and createAccountTool.execute in Chromium (Node runs them
// in the other test files; Deno and workerd in tests/runtimes/runtimes.test.mjs), against the
// emulator.
import { test, before, after } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from './agent-smoke.mjs';
import { startEmulator, startStaticServer, launchChromium, CONSUMER } from '../support/index.mjs';

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

test('Chromium', async () => {
  // The installed packages and this folder over HTTP, with an import map naming the package's
  // browser entries.
  const page = `<!doctype html><script type="importmap">${JSON.stringify({ imports: {
    'cloudinary-agent-account': '/node_modules/cloudinary-agent-account/browser.js',
    'cloudinary-agent-account/tool': '/node_modules/cloudinary-agent-account/tool.js',
  } })}</script><script type="module">import { run } from '/test/agent-smoke.mjs'; window.smoke = run;</script>`;
  const server = await startStaticServer({
    '/node_modules/': join(CONSUMER, 'node_modules'),
    '/test/': fileURLToPath(new URL('./', import.meta.url)),
  }, { '/': page });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}/`);
    await tab.waitForFunction(() => typeof window.smoke === 'function', null, { timeout: 20000 });
    const report = await tab.evaluate((base) => window.smoke(base), emu.url);
    check(report);
    console.log('chromium: ok', JSON.stringify(report));
  } finally {
    await browser.close();
    await server.stop();
  }
});
