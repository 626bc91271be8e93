// The real service's answers (Cloudinary's agent documentation; ../shared/API-FACTS.md), sent
// by a scripted local server through the installed package: what the client makes of each
// shape, including shapes the emulator never sends. Also the lost-answer flag and the
// scrubbing of credentials a server echoes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';
import * as esm from 'cloudinary-agent-account';
import * as core from 'cloudinary-agent-account/core';
import { createAccount } from 'cloudinary-agent-account';
import { startServer, request, rejection } from '../support/index.mjs';

const FAKE = 'FAKEsecretNotReal0000';

const unhandled = [];
process.on('unhandledRejection', (reason) => { unhandled.push(reason); });

/** A scripted server answering every request with `status`, `body` (object or text), `headers`. */
async function answering(status, body, headers = {}) {
  return startServer((_q, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

async function errorFrom(status, body, headers) {
  const srv = await answering(status, body, headers);
  try {
    return await rejection(createAccount(request(), { baseUrl: srv.url }));
  } finally { await srv.stop(); }
}

const pairs = (e) => e.issues.map((i) => [i.field, i.code]);

test('the real duplicate: a Rails hash as a JSON string in message', async () => {
  const e = await errorFrom(400, { error: { category: 'user_error', message: '{"email":["has already been taken"]}' } });
  assert.ok(e instanceof esm.AgentAccountError);
  assert.equal(e.code, 'account_exists');
  assert.equal(e.status, 400);
  assert.equal(e.category, 'user_error');
  assert.equal(e.serverCode, undefined);
  assert.deepEqual(pairs(e), [['email', 'taken']]);
  assert.match(e.message, /email has already been taken/);
  assert.doesNotMatch(e.message, /[{[]/, 'the message names fields in words, not JSON');
  assert.equal(e.mayHaveCreatedAccount, false);
});

test('the same hash as an object in message', async () => {
  const e = await errorFrom(400, { error: { category: 'user_error', message: { email: ['has already been taken'] } } });
  assert.equal(e.code, 'account_exists');
  assert.deepEqual(pairs(e), [['email', 'taken']]);
});

test('validation 400s in the Rails form become issues per field', async () => {
  const hash = {
    agent_goal: ['is too long (maximum is 300 characters)'],
    email: ['is invalid'],
    agent_framework: ["can't be blank"],
    sdk_framework: ['is something new'],
  };
  const e = await errorFrom(400, { error: { category: 'user_error', message: JSON.stringify(hash) } });
  assert.equal(e.code, 'invalid_request');
  assert.deepEqual(pairs(e), [
    ['agent_goal', 'too_long'], ['email', 'invalid_email'], ['agent_framework', 'missing'], ['sdk_framework', 'other'],
  ]);
  assert.match(e.message, /agent_goal is too long \(maximum is 300 characters\)/);
  assert.match(e.message, /sdk_framework is something new/);
});

test('a disposable domain in the Rails form is disposable_email', async () => {
  const e = await errorFrom(400, { error: { category: 'user_error', message: '{"email":["is a disposable email address"]}' } });
  assert.equal(e.code, 'disposable_email');
  assert.deepEqual(pairs(e), [['email', 'disposable']]);
});

test('the three real 403s and the 429', async () => {
  const disabled = await errorFrom(403, { error: { category: 'user_error', code: 'agent_registration_disabled', message: 'Agent registration is disabled' } });
  assert.equal(disabled.code, 'registration_disabled');
  assert.equal(disabled.serverCode, 'agent_registration_disabled');
  const region = await errorFrom(403, { error: { category: 'user_error', code: 'geo_location_not_permitted', message: 'Not permitted' } });
  assert.equal(region.code, 'region_blocked');
  const generic = await errorFrom(403, { error: { category: 'user_error', message: 'Invalid request' } });
  assert.equal(generic.code, 'blocked');
  assert.match(generic.message, /Invalid request/);
  const limited = await errorFrom(429, { error: { category: 'rate_limit', code: 'ip_rate_limit_exceeded', message: 'Rate limit exceeded' } }, { 'retry-after': '7' });
  assert.equal(limited.code, 'rate_limited');
  assert.equal(limited.retryAfterMs, 7000);
  for (const e of [disabled, region, generic, limited]) assert.equal(e.mayHaveCreatedAccount, false, e.code);
});

test('odd shapes: no throw, a typed error, nothing leaked', async () => {
  const shapes = [
    { error: { category: 'user_error', message: 42 } },
    { error: { category: 'user_error', message: [FAKE] } },
    { error: { category: 'user_error', message: null } },
    { error: { category: 'user_error', message: { nested: { deeper: FAKE } } } },
    { error: { category: 'user_error' } },
    { error: { message: 'no category' } },
    { error: 'a bare string' },
    { error: '{"email":["has already been taken"]}' },
    { error: 12 },
    { error: [FAKE] },
    { error: { category: 'user_error', message: 'x', details: FAKE } },
    { error: { category: 'user_error', message: 'x', details: { api_secret: FAKE, list: [FAKE] } } },
    { error: { category: 'user_error', message: 'x', details: null } },
    { error: { category: 'user_error', message: 'x', issues: FAKE } },
    { error: { category: 'user_error', message: '{not json' } },
    { error: { category: 'user_error', message: { api_secret: [FAKE] } } },
    [FAKE],
    FAKE,
    null,
  ];
  const srv = await startServer((q, res) => {
    const i = Number(new URL(q.url, 'http://x').pathname.split('/')[1]);
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify(shapes[i]));
  });
  try {
    for (let i = 0; i < shapes.length; i++) {
      const e = await rejection(createAccount(request(), { baseUrl: `${srv.url}/${i}` }));
      assert.ok(e instanceof esm.AgentAccountError, `shape ${i}`);
      assert.ok(['invalid_request', 'account_exists'].includes(e.code), `shape ${i}: ${e.code}`);
      for (const view of [e.message, String(e), JSON.stringify(e), inspect(e, { depth: 5 })]) {
        assert.ok(!view.includes(FAKE), `shape ${i}: a value of the body leaked`);
      }
    }
  } finally { await srv.stop(); }
});

test('credentials a server echoes never reach message, toString, JSON.stringify or util.inspect', async () => {
  const url = `cloudinary://123456789012345:${FAKE}@product1`;
  const bodies = [
    { error: { category: 'user_error', message: `Invalid CLOUDINARY_URL=${url}` } },
    { error: { category: 'user_error', message: `api_secret=${FAKE}` } },
    { error: { category: `x api_secret: ${FAKE}`, code: url, message: `{"email":["is invalid, see ${url}"]}` } },
    { error: { category: 'user_error', message: `{"api_secret":["${FAKE}"]}` } },
    { error: { category: 'user_error', message: `${'x'.repeat(290)}${url}` } },
  ];
  for (const status of [400, 403, 429, 500]) {
    for (const body of bodies) {
      const e = await errorFrom(status, body, {
        'x-request-id': `req token=${FAKE}`,
        'x-featureratelimit-reset': `api_secret=${FAKE}`,
      });
      for (const view of [e.message, e.toString(), JSON.stringify(e), inspect(e, { depth: 5 })]) {
        assert.ok(!view.includes(FAKE), `HTTP ${status}: a secret the server echoed leaked`);
      }
      assert.ok(`${e.message} ${JSON.stringify(e)}`.includes('[redacted]'));
    }
  }
});

test('mayHaveCreatedAccount: true once the request was sent and its answer lost', async () => {
  // 5xx
  const e5 = await errorFrom(503, '<html>busy</html>');
  assert.equal(e5.code, 'server_error');
  assert.equal(e5.mayHaveCreatedAccount, true);
  // No answer before the deadline.
  const silent = await startServer(() => {});
  try {
    const e = await rejection(createAccount(request(), { baseUrl: silent.url, timeoutMs: 300 }));
    assert.equal(e.code, 'timeout');
    assert.equal(e.mayHaveCreatedAccount, true);
    assert.equal(silent.requests.length, 1, 'the request had reached the server');
  } finally { await silent.stop(); }
  // The connection reset after the server read the request.
  const reset = await startServer((q) => { q.socket.destroy(); });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: reset.url }));
    assert.equal(e.code, 'network');
    assert.equal(e.mayHaveCreatedAccount, true);
  } finally { await reset.stop(); }
  // A 200 whose body never ends.
  const cut = await startServer((_q, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"a":'); });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: cut.url, timeoutMs: 300 }));
    assert.equal(e.mayHaveCreatedAccount, true);
  } finally { await cut.stop(); }
});

test('mayHaveCreatedAccount: false when nothing was sent or the server refused', async () => {
  const srv = await answering(400, { error: { category: 'user_error', message: 'Invalid request' } });
  try {
    const invalid = await rejection(createAccount({ email: 'x' }, { baseUrl: srv.url }));
    assert.equal(invalid.code, 'invalid_input');
    assert.equal(invalid.mayHaveCreatedAccount, false);
    const aborted = await rejection(createAccount(request(), { baseUrl: srv.url, signal: AbortSignal.abort() }));
    assert.equal(aborted.code, 'aborted');
    assert.equal(aborted.mayHaveCreatedAccount, false);
    assert.equal(srv.requests.length, 0);
    const refused = await rejection(createAccount(request(), { baseUrl: srv.url }));
    assert.equal(refused.code, 'invalid_request');
    assert.equal(refused.mayHaveCreatedAccount, false);
  } finally { await srv.stop(); }
});

test('isValidRequest is exported by every loader, one instance', () => {
  const cjs = createRequire(import.meta.url)('cloudinary-agent-account');
  assert.equal(typeof esm.isValidRequest, 'function');
  assert.equal(cjs.isValidRequest, esm.isValidRequest);
  assert.equal(core.isValidRequest, esm.isValidRequest);
  assert.equal(esm.isValidRequest(request()), true);
  assert.equal(esm.isValidRequest({ email: 'x' }), false);
  assert.equal(esm.isValidRequest(null), false);
});

after(() => {
  // Names only: a rejection's message is not printed.
  assert.deepEqual(unhandled.map((r) => (r && r.name) || typeof r), []);
});
