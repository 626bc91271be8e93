// The Claimable Cloud in the credential helpers: redact (the claim URL per the claim-link
// policy), toDotenv (three keys), saveCredentials and readSavedCloud (/node), with fake clouds
// in fresh temporary folders. The emulator end to end is in cloud-tool and cloud-cli tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import dotenv from 'dotenv';
import { redact, toDotenv, REDACTED } from 'cloudinary-agent-account';
import { saveCredentials, readSavedCloud, writeFallback, SaveCredentialsError } from 'cloudinary-agent-account/node';
import { fakeAccount } from './harness.mjs';
import { assertNoSecret } from './secrets.mjs';

const SECRET = 'FAKE-cloud-secret-0001';
const TOKEN = 'FAKEclaimTOKENnotREAL42';
const CLAIM = `https://console.example.com/claim?token=${TOKEN}`;

/** A createCloud result: the flat shape, every credential at the top level. */
export function fakeCloud(extra = {}) {
  return {
    account_id: 'acc0000000001',
    email: 'cloud-c1@cloud.cloudinary.invalid',
    cloud_name: 'c1',
    api_key: '987654321098765',
    api_secret: SECRET,
    api_environment_variable: `CLOUDINARY_URL=cloudinary://987654321098765:${SECRET}@c1`,
    claimed: false,
    expires_at: '2026-08-19T16:13:09Z',
    delivery_ips: ['203.0.113.7'],
    claim_url: CLAIM,
    guidance: `Give the person ${CLAIM} before it expires.`,
    ...extra,
  };
}

const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'agent-cloud-')));

test('redact keeps scheme, host and path of the claim URL, replaces its query and fragment, and finds the token anywhere', () => {
  const cloud = fakeCloud({ notes: { deep: [`token ${TOKEN}`, `cut ${TOKEN.slice(2, 12)}`] } });
  const r = redact(cloud);
  assert.equal(r.claim_url, `https://console.example.com/claim?token=${REDACTED}`);
  assert.equal(r.api_secret, REDACTED);
  assert.equal(r.api_environment_variable, `CLOUDINARY_URL=cloudinary://987654321098765:${REDACTED}@c1`);
  assert.equal(r.guidance, `Give the person https://console.example.com/claim?token=${REDACTED} before it expires.`);
  assert.equal(r.notes.deep[0], `token ${REDACTED}`);
  assert.equal(r.notes.deep[1], REDACTED, 'a piece of the token: the whole string goes');
  assert.deepEqual([r.cloud_name, r.api_key, r.expires_at, r.delivery_ips], ['c1', '987654321098765', '2026-08-19T16:13:09Z', ['203.0.113.7']]);
  assertNoSecret(r, TOKEN, 'redact(cloud): the token');
  assertNoSecret(r, SECRET, 'redact(cloud): the secret');
  assert.equal(cloud.claim_url, CLAIM, 'the original is not changed');

  // Any query and fragment go; a value that is not an http(s) URL goes whole.
  const odd = (claim_url) => redact(fakeCloud({ claim_url, guidance: '' })).claim_url;
  assert.equal(odd(`https://h.example/c/x?a=1&token=${TOKEN}#frag-${TOKEN}`), `https://h.example/c/x?token=${REDACTED}`);
  assert.equal(odd(`https://user:${TOKEN}@h.example/claim`), `https://h.example/claim?token=${REDACTED}`);
  assert.equal(odd(`javascript:alert('${TOKEN}')`), REDACTED);
  assert.equal(odd(`not a url ${TOKEN}`), REDACTED);
  assert.equal(odd(42), REDACTED);
  // An account is not a cloud: no claim_url appears.
  assert.equal('claim_url' in redact(fakeAccount()), false);
});

test('toDotenv of a cloud: the three keys of @cloudinary/cloud, each read back as written by dotenv, util.parseEnv and bash', () => {
  const text = toDotenv(fakeCloud());
  const want = {
    CLOUDINARY_URL: `cloudinary://987654321098765:${SECRET}@c1`,
    CLOUDINARY_CLOUD_CLAIM_URL: CLAIM,
    CLOUDINARY_CLOUD_EXPIRES_AT: '2026-08-19T16:13:09Z',
  };
  assert.match(text, /^# Claimable Cloudinary cloud c1, created by cloudinary-agent-account: unclaimed, disabled at 2026-08-19T16:13:09Z/);
  assert.deepEqual({ ...dotenv.parse(text) }, want);
  assert.deepEqual({ ...parseEnv(text) }, want);
  // A claim URL holding `&` (a shell would background the rest) is single-quoted.
  const amp = `https://console.example.com/claim?token=${TOKEN}&x=1`;
  const quoted = toDotenv(fakeCloud({ claim_url: amp }));
  assert.match(quoted, new RegExp(`^CLOUDINARY_CLOUD_CLAIM_URL='${amp.replace(/[?.]/g, '\\$&')}'$`, 'm'));
  assert.equal(dotenv.parse(quoted).CLOUDINARY_CLOUD_CLAIM_URL, amp);
  assert.equal(parseEnv(quoted).CLOUDINARY_CLOUD_CLAIM_URL, amp);
  const dir = tmp();
  writeFileSync(join(dir, 'q.env'), quoted);
  const bash = execFileSync('bash', ['--noprofile', '--norc', '-c', 'set -a; . ./q.env; printf %s "$CLOUDINARY_CLOUD_CLAIM_URL"'], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  assert.equal(bash, amp);
});

test('toDotenv refuses a cloud whose claim URL or expiry could inject a variable, naming the field and the rule, never the value', () => {
  for (const [extra, field] of [
    [{ claim_url: `https://h.example/claim?token=${TOKEN}\nNODE_OPTIONS=--require=./evil.js` }, 'claim_url'],
    [{ claim_url: `https://h.example/claim?token=${TOKEN}'$(touch pwned)'` }, 'claim_url'],
    [{ claim_url: `https://h.example/claim?token=${TOKEN} #x` }, 'claim_url'],
    [{ claim_url: `ftp://h.example/claim?token=${TOKEN}` }, 'claim_url'],
    [{ claim_url: `https://h.example/${'a'.repeat(2100)}` }, 'claim_url'],
    [{ claim_url: null }, 'claim_url'],
    [{ expires_at: '2026-08-19T16:13:09Z\nEVIL=1' }, 'expires_at'],
    [{ expires_at: 'tomorrow' }, 'expires_at'],
    [{ expires_at: undefined, claim_url: CLAIM }, 'expires_at'],
  ]) {
    assert.throws(() => toDotenv(fakeCloud(extra)), (e) => {
      assert.equal(e.name, 'DotenvError');
      assert.equal(e.field, field, JSON.stringify(extra).slice(0, 60));
      assert.match(e.message, /^[\x20-\x7e]+$/);
      assertNoSecret(e.message, TOKEN, 'the message');
      return true;
    });
  }
});

test('saveCredentials writes all three keys (0600); the same cloud again is unchanged; another needs force and replaces all three', async () => {
  const dir = tmp();
  const file = join(dir, '.env');
  writeFileSync(file, 'PORT=3000\n');
  const r1 = await saveCredentials(fakeCloud(), { path: file });
  assert.equal(r1.action, 'updated');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(await readSavedCloud(file), {
    cloudinaryUrl: `cloudinary://987654321098765:${SECRET}@c1`, claimUrl: CLAIM, expiresAt: '2026-08-19T16:13:09Z',
  });
  assert.equal((await saveCredentials(fakeCloud(), { path: file })).action, 'unchanged');
  assertNoSecret(r1, TOKEN, 'the result');

  const other = fakeCloud({
    cloud_name: 'c2', api_environment_variable: `CLOUDINARY_URL=cloudinary://987654321098765:${SECRET}@c2`,
    claim_url: 'https://console.example.com/claim?token=FAKEsecondTOKEN99', expires_at: '2026-08-20T10:00:00Z',
  });
  await assert.rejects(saveCredentials(other, { path: file }), (e) => e instanceof SaveCredentialsError && e.code === 'different_credentials');
  await saveCredentials(other, { path: file, force: true });
  const text = readFileSync(file, 'utf8');
  assert.equal(text.match(/^CLOUDINARY_CLOUD_CLAIM_URL=/gm).length, 1, 'one claim link, the new one');
  assert.equal(dotenv.parse(text).CLOUDINARY_CLOUD_CLAIM_URL, other.claim_url);
  assert.equal(dotenv.parse(text).CLOUDINARY_CLOUD_EXPIRES_AT, other.expires_at);
  assert.equal(dotenv.parse(text).PORT, '3000');
  assert.equal(text.match(/^# Claimable Cloudinary cloud /gm).length, 1, 'the comment is re-written, not repeated');

  // An account saved over a cloud (force) takes its keys away: a claim link of another cloud
  // beside an account's URL would be read as this account's.
  await saveCredentials(fakeAccount(), { path: file, force: true });
  const after = dotenv.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(Object.keys(after).sort(), ['CLOUDINARY_URL', 'PORT']);
});

test('a cloud whose claim link cannot be written is refused before the file is touched; the fallback file holds all three keys', async () => {
  const dir = tmp();
  const file = join(dir, '.env');
  writeFileSync(file, 'A=1\n');
  await assert.rejects(saveCredentials(fakeCloud({ claim_url: `https://h.example/c?t=${TOKEN}\nX=1` }), { path: file }), (e) => {
    assert.equal(e.code, 'invalid_account');
    assert.equal(e.field, 'claim_url');
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), 'A=1\n');
  const fallback = await writeFallback(fakeCloud(), file);
  assert.match(fallback, /\.env\.cloudinary-c1-\d+$/);
  assert.deepEqual(Object.keys(dotenv.parse(readFileSync(fallback, 'utf8'))), ['CLOUDINARY_URL', 'CLOUDINARY_CLOUD_CLAIM_URL', 'CLOUDINARY_CLOUD_EXPIRES_AT']);
  assert.equal(statSync(fallback).mode & 0o777, 0o600);
});
