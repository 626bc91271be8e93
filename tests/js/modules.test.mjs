// The package loads both ways in Node, as one instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esm from 'cloudinary-agent-account';
import * as esmCore from 'cloudinary-agent-account/core';

const require = createRequire(import.meta.url);

test('import and require give the same functions and error class', () => {
  const cjs = require('cloudinary-agent-account');
  for (const name of ['createAccount', 'validateRequest', 'renderGuidance', 'renderGuidanceText', 'AgentAccountError']) {
    assert.equal(typeof esm[name], 'function', name);
    assert.equal(cjs[name], esm[name], `${name} is one instance`);
  }
  assert.equal(esmCore.createAccount, esm.createAccount);
});

test('require before import, in a fresh process: still one instance, kept per version', () => {
  // node.mjs and node.cjs are bundled apart (scripts/build-pkg.sh); node/once.cjs joins them.
  const { version } = require('cloudinary-agent-account/package.json');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('cloudinary-agent-account');
    const esm = await import('cloudinary-agent-account');
    const kept = globalThis[Symbol.for('cloudinary-agent-account@${version}')];
    process.stdout.write(JSON.stringify([cjs.AgentAccountError === esm.AgentAccountError,
      cjs.validateRequest === esm.validateRequest, kept.createAccount === esm.createAccount]));
  `], { cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [true, true, true]);
});

test('an error from either loader is instanceof the exported class', async () => {
  const cjs = require('cloudinary-agent-account');
  const e = await cjs.createAccount({}).catch((x) => x);
  assert.ok(e instanceof esm.AgentAccountError);
  assert.ok(e instanceof Error);
  assert.equal(Object.prototype.toString.call(e), '[object Error]');
  assert.ok(e.stack.includes('AgentAccountError'));
});

test('renderGuidance renders Markdown safely', () => {
  const html = esm.renderGuidance('## Next\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://cloudinary.com)');
  assert.match(html, /<h2>Next<\/h2>/);
  assert.doesNotMatch(html, /<img|javascript:/);
  assert.match(html, /<a href="https:\/\/cloudinary.com" rel="noopener noreferrer"/);
  assert.throws(() => esm.renderGuidance(42), TypeError);
});

test('renderGuidanceText: terminal text, code verbatim, no escape sequence of the source', () => {
  const md = '## Next\n\nRun `CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@c1` **now** \x1b[2J <b>x</b>';
  assert.equal(esm.renderGuidanceText(md),
    'Next\n----\n\nRun CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@c1 now \ufffd[2J <b>x</b>\n');
  assert.match(esm.renderGuidanceText(md, true), /^\x1b\[1mNext\x1b\[22m\n/);
  assert.throws(() => esm.renderGuidanceText(42), TypeError);
});

test('package.json declares the exports map the issue asks for', () => {
  const pj = require('cloudinary-agent-account/package.json');
  assert.equal(pj.name, 'cloudinary-agent-account');
  // Not `false`: bundlers would then drop the entries' top-level initialisation (issue 11).
  // Exactly the entries that initialise a wasm instance, and each of them exists.
  const entries = new Set();
  for (const sub of [pj.exports['.'], pj.exports['./core']]) {
    for (const [cond, v] of Object.entries(sub)) {
      if (cond === 'types') continue;
      if (typeof v === 'string') entries.add(v);
      else if (cond === 'node') { entries.add(v.import.default); entries.add(v.require.default); }
      else entries.add(v.default);
    }
  }
  assert.deepEqual([...pj.sideEffects].sort(), [...entries].sort());
  const dir = dirname(require.resolve('cloudinary-agent-account/package.json'));
  for (const f of entries) assert.ok(existsSync(join(dir, f)), `${f} is in the package`);
  const root = pj.exports['.'];
  for (const cond of ['types', 'workerd', 'edge-light', 'deno', 'wasm-file', 'browser', 'node', 'import', 'default']) assert.ok(root[cond], cond);
  assert.equal(root['edge-light'].default, './edge-light.js');
  assert.deepEqual(root.node.import, { types: './index.d.ts', default: './node.mjs' });
  assert.deepEqual(root.node.require, { types: './index.d.cts', default: './node.cjs' });
});

test('createAccount and the activation check are set up on their first call: same names and arity, and they reject, never throw', () => {
  // expose.js builds their drivers on first use, not at import (cold start, BENCHMARKS.md):
  // in a fresh process, each is the first call made after the import.
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    const m = await import('cloudinary-agent-account');
    const shape = ['createAccount', 'checkActivation', 'waitForActivation'].map((n) => [m[n].name, m[n].length]);
    const calls = [() => m.createAccount({}), () => m.checkActivation({}), () => m.waitForActivation({})];
    const codes = [];
    for (const call of calls) {
      let p;
      try { p = call(); } catch { codes.push('threw'); continue; }
      const e = await p.then(() => 'resolved', (x) => x);
      codes.push(e instanceof m.AgentAccountError ? e.code : String(e));
    }
    process.stdout.write(JSON.stringify({ shape, codes }));
  `], { cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8' });
  const { shape, codes } = JSON.parse(out);
  assert.deepEqual(shape, [['createAccount', 2], ['checkActivation', 2], ['waitForActivation', 2]]);
  assert.deepEqual(codes, ['invalid_input', 'invalid_input', 'invalid_input']);
});
