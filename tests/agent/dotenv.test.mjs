// Issue 20, §1: toDotenv as every .env loader reads it. Generated hostile accounts (a fixed
// seed, a bounded count) go through toDotenv; each output must read back through `dotenv`,
// `dotenv-expand`, Node's `util.parseEnv`, bash `set -a; . file` and python-dotenv as exactly
// one variable, CLOUDINARY_URL, holding the account's URL, or toDotenv must refuse the account
// with a DotenvError naming the field and the rule (never the value). A sample also goes
// through createAccount from a local server: the Rust core accepts exactly the credentials
// toDotenv accepts (src/activation.rs `Credentials::checked`, credentials.js `CREDENTIAL_RULES`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import dotenv from 'dotenv';
import { expand } from 'dotenv-expand';
import { toDotenv, createAccount } from 'cloudinary-agent-account';
import { startServer, fakeAccount, request, ROOT } from '../support/index.mjs';

/** How many accounts are generated (the report quotes it). */
export const CASES = 3000;
const SEED = 20;

// mulberry32: small, seeded, the same sequence on every machine.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What loaders and shells treat specially, and what terminals do.
const HOSTILE = [
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000', '\u001b', '\u007f', '\u009b',
  '\u202e', '\u2066', '\u200b', '\ufeff', '$', '${HOME}', '$(touch pwned)', '`touch pwned`', '\\', '\\n', '"', "'",
  '#', ' ', '\t', '=', ':', '@', '/', '?', '%', '!', ';', '&', '|', '<', '>', '*', '~', 'é', '😀',
  '\nNODE_OPTIONS=--require=./evil.js #', '\u2028NODE_OPTIONS=--require=./evil.js #', 'export EVIL=1',
  'EVIL=1', '\\u2028', '${EVIL:-x}', '\ud800',
];
const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

function generate(r) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const word = (min, max, alphabet = WORD) => {
    let s = '';
    const n = min + Math.floor(r() * (max - min + 1));
    for (let i = 0; i < n; i += 1) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  // A field: valid most of the time, else valid text with hostile pieces put in.
  const field = (valid) => {
    if (r() < 0.8) return valid();
    let s = valid();
    for (let i = Math.floor(r() * 3); i >= 0; i -= 1) {
      const at = Math.floor(r() * (s.length + 1));
      s = s.slice(0, at) + pick(HOSTILE) + s.slice(at);
    }
    return s;
  };
  const cloud = field(() => word(1, 1, 'abcdefghijklmnopqrstuvwxyz0123456789') + word(0, 20));
  const key = field(() => word(1, 20, '0123456789'));
  const secret = field(() => `FAKE-${word(11, 40)}`);
  const email = r() < 0.5 ? `jane@example.com` : field(() => `${word(1, 10)}@example.com`);
  const env = { external_id: 'e', cloud_name: cloud, api_key: key, api_secret: secret };
  const u = r();
  if (u < 0.6) env.api_environment_variable = `CLOUDINARY_URL=cloudinary://${key}:${secret}@${cloud}`;
  else if (u < 0.7) env.api_environment_variable = `cloudinary://${key}:${secret}@${cloud}`;
  else if (u < 0.85) env.api_environment_variable = field(() => `CLOUDINARY_URL=cloudinary://${key}:${secret}@${cloud}`);
  const account = fakeAccount({ email, product_environments: [env] });
  return { account, url: `cloudinary://${key}:${secret}@${cloud}` };
}

/** A Python that has python-dotenv: PYTHON, or build/venv (made by make setup), or python3. */
function python() {
  for (const p of [process.env.PYTHON, join(ROOT, 'build/venv/bin/python'), 'python3']) {
    if (p && spawnSync(p, ['-c', 'import dotenv'], { stdio: 'ignore' }).status === 0) return p;
  }
  throw new Error('no Python with python-dotenv: pip install -r tests/python/requirements.txt (or set PYTHON)');
}

/** Every variable a file defines through bash `set -a; . file`, for each file (one bash). */
function bashRead(dir, files) {
  const script = 'for f in "$@"; do ( set -a; . "./$f" >/dev/null 2>&1; env -0 ); printf "\\1\\0"; done';
  const out = execFileSync('bash', ['--noprofile', '--norc', '-c', script, 'bash', ...files], {
    cwd: dir, env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1 << 28, encoding: 'utf8',
  });
  const records = [];
  let vars = {};
  for (const entry of out.split('\0')) {
    if (entry === '\u0001') { records.push(vars); vars = {}; continue; }
    const eq = entry.indexOf('=');
    if (eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return records;
}

test(`toDotenv of ${CASES} generated hostile accounts reads back as exactly one CLOUDINARY_URL in dotenv, dotenv-expand, util.parseEnv, bash and python-dotenv, or is refused`, () => {
  const r = rng(SEED);
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-dotenv-')));
  writeFileSync(join(dir, 'empty.env'), '');
  const written = [];
  let refused = 0;
  for (let i = 0; i < CASES; i += 1) {
    const { account, url } = generate(r);
    let text;
    try {
      text = toDotenv(account);
    } catch (e) {
      refused += 1;
      assert.equal(e.name, 'DotenvError', `case ${i}: ${e && e.message}`);
      assert.equal(e.code, 'invalid_account');
      assert.ok(['cloud_name', 'api_key', 'api_secret', 'api_environment_variable', 'CLOUDINARY_URL'].includes(e.field), `case ${i}: field ${e.field}`);
      assert.match(e.message, /^[\x20-\x7e]+$/, `case ${i}: the message is printable ASCII`);
      assert.ok(!e.message.includes('FAKE-'), `case ${i}: the message quotes no secret`);
      continue;
    }
    const file = `${i}.env`;
    writeFileSync(join(dir, file), text);
    written.push({ i, file, text, url });
    const want = { CLOUDINARY_URL: url };
    assert.deepEqual({ ...dotenv.parse(text) }, want, `case ${i}: dotenv`);
    assert.deepEqual({ ...expand({ parsed: dotenv.parse(text), processEnv: {} }).parsed }, want, `case ${i}: dotenv-expand`);
    assert.deepEqual({ ...parseEnv(text) }, want, `case ${i}: util.parseEnv`);
    assert.match(text, /^(#[^\n]*\n)*CLOUDINARY_URL=[^\n]*\n$/, `case ${i}: comments, then the one line`);
    assert.match(text, /^[\x20-\x7e\n]*$/, `case ${i}: printable ASCII only`);
  }
  assert.ok(written.length > CASES / 4 && refused > CASES / 4, `both outcomes are exercised (${written.length} written, ${refused} refused)`);

  const [base, ...each] = bashRead(dir, ['empty.env', ...written.map((w) => w.file)]);
  assert.equal(each.length, written.length);
  each.forEach((vars, n) => {
    const added = Object.fromEntries(Object.entries(vars).filter(([k, v]) => k !== '_' && base[k] !== v));
    assert.deepEqual(added, { CLOUDINARY_URL: written[n].url }, `case ${written[n].i}: bash`);
  });

  const py = spawnSync(python(), ['-c', [
    'import json, sys',
    'from dotenv import dotenv_values',
    'print(json.dumps([dotenv_values(f) for f in sys.stdin.read().split("\\n") if f]))',
  ].join('\n')], { cwd: dir, input: written.map((w) => w.file).join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(py.status, 0, py.stderr);
  JSON.parse(py.stdout).forEach((vars, n) => {
    assert.deepEqual(vars, { CLOUDINARY_URL: written[n].url }, `case ${written[n].i}: python-dotenv`);
  });
  assert.ok(!existsSync(join(dir, 'pwned')), 'no command ran');
  assert.deepEqual(readdirSync(dir).filter((f) => !f.endsWith('.env')), [], 'nothing but the files was created');
  console.log(`dotenv property test: ${CASES} accounts, ${written.length} written and read back by 5 loaders, ${refused} refused`);
});

test('the Rust core accepts exactly the credentials toDotenv accepts (300 generated answers through createAccount)', async () => {
  const r = rng(SEED + 1);
  let body = '';
  const server = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  try {
    let both = 0;
    for (let i = 0; i < 300; i += 1) {
      const { account, url } = generate(r);
      // The core also requires api_environment_variable (a shape rule, not an alphabet).
      account.product_environments[0].api_environment_variable ??= `CLOUDINARY_URL=${url}`;
      account.email = 'jane@example.com'; // the e-mail rules differ: the core refuses, toDotenv escapes
      let js = true;
      try { toDotenv(account); } catch { js = false; }
      body = JSON.stringify(account);
      let rust = true;
      try {
        await createAccount(request(), { baseUrl: server.url });
      } catch (e) {
        assert.equal(e.code, 'unexpected_response', `case ${i}`);
        rust = false;
      }
      assert.equal(rust, js, `case ${i}: the core ${rust ? 'accepts' : 'refuses'} what toDotenv ${js ? 'accepts' : 'refuses'}`);
      if (js) both += 1;
    }
    assert.ok(both > 50 && both < 250, `both outcomes are exercised (${both} accepted)`);
  } finally {
    await server.stop();
  }
});
