// Starts what the browser tests need (the emulator, the page server, Chromium) on 127.0.0.1,
// ports chosen at run time, and stops them afterwards. Nothing here prints secrets.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, closedPort, launchChromium, startEmulator, startProcess } from '../support/index.mjs';

export { ROOT, closedPort };
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');

/** Starts everything before a file's tests and stops it after them: the object returned is
 * what {@link startAll} gives, filled in once the tests run. */
export function useEnv() {
  const env = /** @type {Awaited<ReturnType<typeof startAll>>} */ ({});
  before(async () => {
    Object.assign(env, await startAll());
  });
  after(async () => {
    await env.stop?.();
  });
  return env;
}

/** The emulator, the page server and Chromium, started together. */
export async function startAll() {
  if (!existsSync(join(ROOT, 'pkg', 'browser.js'))) {
    throw new Error('pkg/ is not built: run `make pkg` (scripts/build-pkg.sh)');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = [];
  try {
    // The tests create a dozen accounts in a minute from one IP: no rate limit, no daily cap
    // (the 429 test injects its answer instead).
    const emulator = await startEmulator(
      ['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off'],
      { env: { RUST_LOG: 'warn' } },
    );
    stack.push(emulator);
    const page = await startProcess('page server', process.execPath, [join(ROOT, 'www', 'serve.mjs')], {
      env: { PORT: '0', EMULATOR_URL: emulator.url },
    });
    stack.push(page);
    const browser = await launchChromium();
    return {
      emulatorUrl: emulator.url,
      pageUrl: `${page.url}/`,
      browser,
      emulatorLog: emulator.log,
      fault: emulator.fault,
      clearFaults: emulator.clearFaults,
      async stop() {
        await browser.close().catch(() => {});
        await page.stop();
        await emulator.stop();
      },
    };
  } catch (e) {
    for (const s of stack.reverse()) await s.stop();
    throw e;
  }
}

/**
 * A fresh browser context and page, with everything a test must not see recorded:
 * dialogs (dismissed), console errors, uncaught exceptions, and any request that leaves
 * 127.0.0.1 (aborted).
 */
export async function openPage(env, { width = 1280, height = 900 } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  const problems = { dialogs: [], consoleErrors: [], pageErrors: [], offsite: [] };
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    problems.offsite.push(url.origin);
    return route.abort();
  });
  context.on('page', (page) => watch(page, problems));
  const page = await context.newPage();
  return { context, page, problems };
}

/** {@link openPage} for test `t`: the context is closed, and any fault left cleared, when it ends. */
export async function openPageFor(t, env, size) {
  const opened = await openPage(env, size);
  t.after(async () => {
    await opened.context.close().catch(() => {});
    await clearFaults(env);
  });
  return opened;
}

/** Nothing bad happened in the browser: no dialog, no script error, nothing left 127.0.0.1. */
export function assertClean(problems) {
  assert.deepEqual(problems.dialogs, [], 'a dialog opened');
  assert.deepEqual(problems.pageErrors, [], 'an exception escaped');
  assert.deepEqual(problems.consoleErrors, [], 'the console shows errors');
  assert.deepEqual(problems.offsite, [], 'the page tried to reach beyond 127.0.0.1');
}

function watch(page, problems) {
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e.message)));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every HTTP error answer to fetch() as a console error. Those answers are
    // expected here (401 while verification is pending, the error tests' 4xx/5xx, a refused
    // connection), so only they are set aside: script errors and CSP violations still count.
    if (msg.text().startsWith('Failed to load resource')) return;
    problems.consoleErrors.push(msg.text());
  });
}

/** Loads the page and waits until the package is loaded and the form shown. */
export async function gotoForm(page, env) {
  await page.goto(env.pageUrl);
  try {
    await page.locator('#signup').waitFor({ state: 'visible', timeout: 15_000 });
  } catch (e) {
    const loading = await page.locator('#loading').textContent().catch(() => '(gone)');
    throw new Error(`the form did not appear; the page says: ${loading}\n${e.message}`);
  }
}

/** Installs a fault in the emulator for the next `count` account requests. */
export const setFault = (env, spec) => env.fault(spec);

export const clearFaults = (env) => env.clearFaults();

let counter = 0;
/** A new e-mail address for each account a test creates. */
export function uniqueEmail(tag) {
  counter += 1;
  return `e2e-${tag}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

export const VALID = {
  agent_framework: 'langchain',
  agent_llm_model: 'claude-opus-4-8',
  agent_goal: 'Host and transform the product images of a small web shop',
  sdk_framework: 'nodejs',
};

/** Fills the request fields (by their wire names). */
export async function fillForm(page, values) {
  for (const [name, value] of Object.entries(values)) {
    await page.locator(`[name="${name}"]`).fill(value);
  }
}
