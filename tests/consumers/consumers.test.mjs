// The consumer matrix: each app under build/consumers/<tool> (copied from tests/consumers/ and
// installed by scripts/test-consumers.sh) is built with the real tool, then run against the
// emulator; its smoke report (tests/runtimes/smoke.mjs) must show createAccount,
// validateRequest and renderGuidance working, and its tool report (tool-smoke.mjs) `/tool`
// over the same core, with `/node` where the app runs in Node or Bun. Pages run in Chromium, served from 127.0.0.1:0.
// Prints, per consumer: tool version, works, bytes shipped (wasm and JS, gzip).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startEmulator, startStaticServer, launchChromium, closedPort } from '../support/index.mjs';

const exec = promisify(execFile);
const DIR = resolve(process.env.CONSUMERS_DIR || 'build/consumers');
const app = (tool, ...p) => join(DIR, tool, ...p);
const bin = (tool, name) => app(tool, 'node_modules', '.bin', name);

const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: '1' };
const builds = new Map();
let emu;
let browser;
const matrix = [];

before(async () => {
  startBuilds();
  emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close().catch(() => {});
  await emu?.stop();
  const kb = (n) => (n === undefined ? '-' : `${(n / 1024).toFixed(1)} KB`);
  const lines = [
    '| consumer | tool | works | wasm (gzip) | JS (gzip) |',
    '|---|---|---|---|---|',
    ...matrix.map((m) => `| ${m.consumer} | ${m.version} | ${m.works ? 'yes' : `NO: ${m.why}`} | ${kb(m.wasm)} | ${kb(m.js)} |`),
  ];
  writeFileSync(join(DIR, 'matrix.md'), `${lines.join('\n')}\n`);
  console.log(`\nconsumer matrix (also in ${join(DIR, 'matrix.md')}):\n${lines.join('\n')}`);
});

/** Exactly what tests/runtimes/smoke.mjs's check() asks, without loading the package here. */
function check(report) {
  assert.ok(report && !report.failed, `the app failed: ${report && report.failed}`);
  assert.equal(report.validIssues, 0, 'validateRequest: a valid request has no issues');
  assert.deepEqual(report.invalidCodes, ['invalid_email'], 'validateRequest: a bad e-mail');
  assert.equal(report.plan, 'free', 'createAccount: the account');
  assert.equal(report.cloudNameLooksRight, true, 'createAccount: the product environment');
  assert.equal(report.errorIsTyped, true, 'a second createAccount rejects with AgentAccountError');
  assert.equal(report.errorCode, 'account_exists');
  assert.ok(report.html.includes('<h1>') && !report.html.includes('<script'), 'renderGuidance');
  // tests/consumers/tool-smoke.mjs: `/tool` beside the main entry, over the same core.
  assert.deepEqual(report.tool, { toolOk: true, credentialsKept: true, toolHasSecret: false, againCode: 'account_exists', oneErrorClass: true }, '/tool');
}

/** The package's own wasm files, by content: an app may ship these, and nothing else. */
const PACKAGE_WASM = new Map(['core/cloudinary_agent_account_bg.wasm', 'guidance/guidance_bg.wasm', 'rules/rules_bg.wasm'].map((f) => {
  const bytes = readFileSync(join(DIR, 'vite', 'node_modules', 'cloudinary-agent-account', f));
  return [createHash('sha256').update(bytes).digest('hex'), f];
}));

/** Every wasm an app emits is one of the package's, so importing `/tool` added no second core. */
function checkWasm(files) {
  for (const f of files.filter((x) => x.endsWith('.wasm'))) {
    const hash = createHash('sha256').update(readFileSync(f)).digest('hex');
    assert.ok(PACKAGE_WASM.has(hash), `${f} is not one of the package's wasm files`);
  }
}

/** Runs `fn`, recording the consumer's row in the matrix whether it passes or not. */
async function row(consumer, version, files, fn) {
  const entry = { consumer, version, works: false, why: '' };
  matrix.push(entry);
  try {
    await fn();
    checkWasm(files());
    entry.works = true;
  } catch (e) {
    entry.why = String(e.message).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ').slice(0, 160);
    throw e;
  } finally {
    Object.assign(entry, sizes(files()));
  }
}

/** Every file under `dir` (recursively) whose name matches `re`. */
function walk(dir, re, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, re, out);
    else if (re.test(name)) out.push(p);
  }
  return out;
}

/** Gzip sizes of the wasm and JS files given; a file emitted twice (same bytes) counts once. */
function sizes(files) {
  const total = (re) => {
    const seen = new Map();
    for (const f of files.filter((x) => re.test(x))) {
      const bytes = readFileSync(f);
      seen.set(createHash('sha256').update(bytes).digest('hex'), gzipSync(bytes, { level: 9 }).length);
    }
    return seen.size ? [...seen.values()].reduce((a, b) => a + b, 0) : undefined;
  };
  return { wasm: total(/\.wasm$/), js: total(/\.(m?js|cjs)$/) };
}

/**
 * Starts every app's build at once (Next's takes longest; the small ones fit beside it), each
 * settling to null or its error; the tests await their own.
 */
function startBuilds() {
  for (const tool of ['next', 'vite', 'webpack', 'esbuild', 'bun']) {
    const env = { ...process.env, ...(tool === 'next' ? NEXT_ENV : {}) };
    builds.set(tool, exec('npm', ['run', 'build'], { cwd: app(tool), timeout: 240_000, env, maxBuffer: 1 << 24 })
      .then(() => null, (e) => new Error(`${tool} build failed:\n${e.stdout}\n${e.stderr}`)));
  }
}

async function build(tool) {
  const error = await builds.get(tool);
  if (error) throw error;
}

/** Opens the built page in Chromium, waits for its report; fails on any page error. */
async function runPage(root) {
  const site = await startStaticServer({ '/': root });
  const context = await browser.newContext();
  const errors = [];
  try {
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    // Each wasm fetched once and found: a second core (the main entry and `/tool` each with
    // its own loader) fetches the client's wasm twice, or from where no bundler put it.
    const wasm = [];
    page.on('response', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(`${new URL(r.url()).pathname} ${r.status()}`); });
    await page.goto(`${site.url}/index.html?base=${encodeURIComponent(emu.url)}`);
    const text = await page.waitForFunction(() => document.getElementById('report')?.textContent, null, { timeout: 30_000 })
      .then((h) => h.jsonValue())
      .catch((e) => { throw new Error(`no report: ${errors.join('; ') || e.message}`); });
    assert.deepEqual(errors, [], 'page errors');
    assert.ok(wasm.every((w) => w.endsWith(' 200')), `wasm fetches: ${wasm.join(', ')}`);
    assert.equal(new Set(wasm).size, wasm.length, `a wasm fetched twice: ${wasm.join(', ')}`);
    assert.ok(wasm.length <= 2, `wasm fetches (a page needs the client's and the renderer's): ${wasm.join(', ')}`);
    return JSON.parse(text);
  } finally {
    await context.close();
    await site.stop();
  }
}

const version = (tool, pkg = tool) => {
  try {
    return `${pkg} ${JSON.parse(readFileSync(app(tool, 'node_modules', pkg, 'package.json'), 'utf8')).version}`;
  } catch {
    return `${pkg} (not installed)`;
  }
};

test('Vite: production build, page in Chromium', async () => {
  await row('Vite', version('vite'), () => walk(app('vite', 'dist'), /\.(wasm|js)$/), async () => {
    await build('vite');
    check(await runPage(app('vite', 'dist')));
  });
});

test('webpack 5: production build, page in Chromium', async () => {
  await row('webpack', version('webpack'), () => walk(app('webpack', 'dist'), /\.(wasm|js)$/), async () => {
    await build('webpack');
    check(await runPage(app('webpack', 'dist')));
  });
});

test('esbuild: browser bundle (--conditions=wasm-file --loader:.wasm=file), page in Chromium', async () => {
  await row('esbuild', version('esbuild'), () => walk(app('esbuild', 'dist'), /\.(wasm|js)$/), async () => {
    await build('esbuild');
    check(await runPage(app('esbuild', 'dist')));
  });
});

test('Next.js: next build, next start, a Node-runtime route and an edge-runtime route', async () => {
  // Server-side only: nothing of the package reaches the browser. Its JS shares chunks with
  // Next's own server code, so only the wasm is counted.
  const files = () => walk(app('next', '.next', 'server'), /\.wasm$/);
  await row('Next.js (node + edge routes)', version('next'), files, async () => {
    await build('next');
    const port = await closedPort(); // `next start` needs a number
    const child = spawn(bin('next', 'next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: app('next'), env: { ...process.env, ...NEXT_ENV }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    try {
      await new Promise((done, reject) => {
        const timer = setTimeout(() => reject(new Error(`next start did not get ready: ${log}`)), 30_000);
        child.stdout.on('data', () => { if (/Ready/.test(log)) { clearTimeout(timer); done(); } });
        child.on('exit', (c) => { clearTimeout(timer); reject(new Error(`next start exited ${c}: ${log}`)); });
      });
      for (const route of ['node', 'edge']) {
        const res = await fetch(`http://127.0.0.1:${port}/api/${route}?base=${encodeURIComponent(emu.url)}`);
        const body = await res.text();
        let report;
        try { report = JSON.parse(body); } catch { throw new Error(`/api/${route}: ${res.status} ${body.slice(0, 300)}\n${log}`); }
        assert.ok(!report.failed, `/api/${route}: ${report.failed}`);
        check(report);
      }
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});

async function runBun(args) {
  try {
    const { stdout } = await exec(bin('bun', 'bun'), args, { cwd: app('bun'), timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop());
  } catch (e) {
    throw new Error(`bun ${args.join(' ')}: ${e.stderr || e.message}`);
  }
}

test('Bun: bun main.mjs (runtime)', async () => {
  await row('Bun (runtime)', version('bun'), () => [], async () => {
    check(await runBun(['main.mjs', emu.url]));
  });
});

test('Bun: bun build output, run', async () => {
  const files = () => walk(app('bun', 'dist'), /\.(wasm|js)$/);
  await row('Bun (bun build)', version('bun'), files, async () => {
    await build('bun');
    check(await runBun(['dist/main.js', emu.url]));
  });
});
