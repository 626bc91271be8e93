// §1: redact() and toDotenv(), from the installed package (ESM and CommonJS entries).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { redact, toDotenv, REDACTED } from 'cloudinary-agent-account';
import * as core from 'cloudinary-agent-account/core';
import { fakeAccount } from '../support/index.mjs';
import { assertNoSecret } from './secrets.mjs';

const require = createRequire(import.meta.url);
const SECRET = 'FAKE-not-a-secret';
const URL = 'cloudinary://123456789012345:FAKE-not-a-secret@product1';

test('the marker is fixed and every entry exports the same helpers', () => {
  assert.equal(REDACTED, '[REDACTED]');
  assert.equal(core.redact, redact);
  const cjs = require('cloudinary-agent-account');
  assert.equal(cjs.REDACTED, REDACTED);
  assert.equal(typeof cjs.redact, 'function');
  assert.equal(typeof cjs.toDotenv, 'function');
});

test('redact replaces api_secret and the secret inside api_environment_variable, and keeps the rest', () => {
  const account = fakeAccount({ future_field: { nested: [1, 'two'] } });
  const r = redact(account);
  const env = r.product_environments[0];
  assert.equal(env.api_secret, REDACTED);
  assert.equal(env.api_environment_variable, `CLOUDINARY_URL=cloudinary://123456789012345:${REDACTED}@product1`);
  assert.equal(env.api_key, '123456789012345');
  assert.equal(env.cloud_name, 'product1');
  assert.deepEqual(r.future_field, { nested: [1, 'two'] });
  assert.equal(r.guidance, account.guidance);
  assert.equal(account.product_environments[0].api_secret, SECRET, 'the original is not changed');
  assertNoSecret(r, SECRET, 'redact(account)');
});

test('redact scans every string, unknown fields and guidance included, for the secret and the URL', () => {
  const account = fakeAccount({
    guidance: `Your URL is ${URL} and your secret is ${SECRET}.`,
    extra: { deep: [{ note: `CLOUDINARY_URL=${URL}` }], [`key-${SECRET}`]: 1 },
    cut: `half of it: ${SECRET.slice(0, 9)}`,
  });
  const r = redact(account);
  assert.equal(r.guidance, `Your URL is cloudinary://123456789012345:${REDACTED}@product1 and your secret is ${REDACTED}.`);
  assert.equal(r.extra.deep[0].note, `CLOUDINARY_URL=cloudinary://123456789012345:${REDACTED}@product1`);
  assert.equal(r.cut, REDACTED, 'a string holding a piece of the secret is replaced whole');
  assertNoSecret(r, SECRET, 'redact(account) with the secret in other fields');
  // A secret found only inside a URL (no api_secret field) is found too.
  const flat = redact({ note: `use ${URL}`, other: SECRET });
  assertNoSecret(flat, SECRET, 'redact(flat object)');
});

test('redact refuses what is not an object', () => {
  assert.throws(() => redact('x'), TypeError);
  assert.throws(() => redact(null), TypeError);
});

test('toDotenv writes one CLOUDINARY_URL line, never doubled, with a comment naming the e-mail', () => {
  const text = toDotenv(fakeAccount());
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.at(-1), `CLOUDINARY_URL=${URL}`);
  assert.ok(!text.includes('CLOUDINARY_URL=CLOUDINARY_URL='));
  const comments = lines.filter((l) => l.startsWith('#')).join(' ');
  assert.match(comments, /jane@example\.com/);
  assert.match(comments, /version control/);
  assert.ok(text.endsWith('\n'));
  // The bare URL (no prefix) and a doubled prefix give the same line.
  for (const v of [URL, `CLOUDINARY_URL=CLOUDINARY_URL=${URL}`]) {
    const a = fakeAccount();
    a.product_environments[0].api_environment_variable = v;
    assert.equal(toDotenv(a).trimEnd().split('\n').at(-1), `CLOUDINARY_URL=${URL}`);
  }
});

test('toDotenv writes the URL unquoted and refuses any other alphabet with a DotenvError naming the field and rule', () => {
  const a = fakeAccount();
  for (const [v, field] of [
    ['CLOUDINARY_URL=cloudinary://1:FAKE-s#e c$ret-00000@c', 'api_environment_variable'],
    ["CLOUDINARY_URL=cloudinary://1:FAKE-it's-0000000000@c", 'api_environment_variable'],
    ['CLOUDINARY_URL=cloudinary://1:FAKE-not-a-secret@c\nB=b', 'api_environment_variable'],
  ]) {
    a.product_environments[0].api_environment_variable = v;
    assert.throws(() => toDotenv(a), (e) => e.name === 'DotenvError' && e.code === 'invalid_account' && e.field === field && !e.message.includes('FAKE'));
  }
  const b = fakeAccount();
  delete b.product_environments[0].api_environment_variable;
  for (const [k, v] of [['cloud_name', 'product1$(id)'], ['api_key', '12a'], ['api_secret', "FAKE-it's-0000000000"], ['api_secret', 'FAKE-short']]) {
    const c = structuredClone(b);
    c.product_environments[0][k] = v;
    assert.throws(() => toDotenv(c), (e) => e.name === 'DotenvError' && e.field === k && typeof e.rule === 'string');
  }
  // An e-mail with a line break (of any loader) cannot inject a line into the file.
  for (const br of ['\n', '\r', '\u2028', '\u2029', '\u0085']) {
    const text = toDotenv(fakeAccount({ email: `x@example.com${br}EVIL=1` }));
    assert.equal(text.split('\n').length, 4);
    assert.ok(!/[\r\u2028\u2029\u0085]/.test(text));
    assert.ok(!text.split('\n').some((l) => l.startsWith('EVIL')));
  }
});

test('placeholders in the guidance (`<api_key>:<api_secret>`) are not taken for secrets', () => {
  const account = fakeAccount({ guidance: 'It has the form `CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@product1`; run `curl -u <api_key>:<api_secret>`.' });
  const r = redact(account);
  assert.equal(r.guidance, account.guidance);
  assert.equal(r.product_environments[0].api_secret, REDACTED);
  assert.deepEqual(Object.keys(r.product_environments[0]), Object.keys(account.product_environments[0]));
});
