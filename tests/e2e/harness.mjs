// Starts what the browser tests need (the emulator, the page server, Chromium) on 127.0.0.1,
// ports chosen at run time, and stops them afterwards. Nothing here prints secrets.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Child processes still running, stopped on exit or on a signal (e.g. `timeout`). */
const running = new Set();
function killAll() {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Spawns a server and waits for its first stdout line, `listening on http://HOST:PORT[/]`.
 * @returns {Promise<{ url: string, stop: () => Promise<void>, log: () => string }>}
 */
export function startServer(name, command, args, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stderr = '';
    let stdout = '';
    let done = false;
    const fail = (why) => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`${name}: ${why}\n--- its stderr ---\n${stderr.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail('did not announce its address within 20 s'), 20_000);
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      if (done) return;
      stdout += d;
      const line = stdout.split('\n', 1)[0];
      if (!stdout.includes('\n')) return;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\/?$/.exec(line.trim());
      if (!m) return fail(`unexpected first line: ${line.slice(0, 200)}`);
      done = true;
      clearTimeout(timer);
      resolvePromise({
        url: m[1],
        log: () => stderr,
        stop: () => stopChild(child),
      });
    });
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (done && !child.stopping) {
        // Died while the tests still needed it: say so, or every later failure is a mystery.
        console.error(`# ${name} exited unexpectedly (${signal || `code ${code}`}); its stderr ends:\n${stderr.slice(-2000)}`);
      }
      fail(`exited early (${signal || code})`);
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.stopping = true;
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export function closedPort() {
  return new Promise((done, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => done(port));
    });
  });
}

/** The emulator, the page server and Chromium, started together. */
export async function startAll() {
  const emulatorBin = process.env.EMULATOR || join(ROOT, 'target', 'release', 'agent-account-emulator');
  if (!existsSync(emulatorBin)) {
    throw new Error(`no emulator at ${emulatorBin}: run \`cargo build --release -p agent-account-emulator\` (or set EMULATOR)`);
  }
  if (!existsSync(join(ROOT, 'pkg', 'browser.js'))) {
    throw new Error('pkg/ is not built: run `make pkg` (scripts/build-pkg.sh)');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = [];
  try {
    // The tests create a dozen accounts in a minute from one IP: no rate limit, no daily cap
    // (the 429 test injects its answer instead).
    const emulator = await startServer('emulator', emulatorBin, [
      '--listen', '127.0.0.1:0', '--test-controls', '--rate-limit', 'off', '--daily-cap', 'off',
    ], { RUST_LOG: 'warn' });
    stack.push(emulator);
    const page = await startServer('page server', process.execPath, [join(ROOT, 'www', 'serve.mjs')], {
      PORT: '0',
      EMULATOR_URL: emulator.url,
    });
    stack.push(page);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    return {
      emulatorUrl: emulator.url,
      pageUrl: `${page.url}/`,
      browser,
      emulatorLog: emulator.log,
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
export async function setFault(env, spec) {
  const res = await fetch(`${env.emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (!res.ok) throw new Error(`installing a fault failed: HTTP ${res.status} ${await res.text()}`);
}

export async function clearFaults(env) {
  await fetch(`${env.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
}

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
