// The installed package (`npm pack` of pkg/, installed into a fresh project) against the
// emulator and, where needed, a local server that misbehaves on purpose.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { createAccount, validateRequest, AgentAccountError } from 'cloudinary-agent-account';
import { startEmulator, startServer, denyFile, request, fakeAccount, rejection } from '../support/index.mjs';

// Every unhandled rejection of this file's run, observed here rather than trusted to the runner:
// the last test fails if any happened.
const unhandled = [];
process.on('unhandledRejection', (reason) => { unhandled.push(reason); });

let emu;
before(async () => {
  emu = await startEmulator([
    '--test-controls',
    '--rate-limit', 'off',
    '--daily-cap', 'off',
    '--deny-file', denyFile('domain blocked.example.com\n'),
  ]);
});
after(async () => { await emu.stop(); });

const opts = (extra = {}) => ({ baseUrl: emu.url, ...extra });

test('success: typed account, trimmed input, unknown fields kept, request id surfaced', async () => {
  const seen = [];
  const req = request({ agent_goal: '  Host the images of a shop\n', sdk_framework: 'nodejs' });
  const account = await createAccount(req, opts({ onResponse: (i) => seen.push(i) }));
  assert.equal(account.email, req.email);
  assert.equal(account.plan_name, 'free');
  assert.match(account.external_id, /^[0-9a-f]{32}$/);
  assert.equal(account.product_environments.length, 1);
  const env = account.product_environments[0];
  assert.match(env.api_key, /^\d{15}$/);
  assert.ok(typeof env.api_secret === 'string' && env.api_secret.length >= 16, 'api_secret is a string');
  assert.ok(env.api_environment_variable.startsWith(`CLOUDINARY_URL=cloudinary://${env.api_key}:`), 'CLOUDINARY_URL line');
  assert.match(account.guidance, /npm install cloudinary/);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].status, 200);
  assert.ok(seen[0].requestId, 'X-Request-Id surfaced to onResponse');
});

test('the wire request: JSON POST, no Authorization, sdk_framework omitted when unset', async () => {
  const srv = await startServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(fakeAccount({ future_field: { nested: true } })));
  });
  try {
    const account = await createAccount(request({ sdk_framework: undefined }), { baseUrl: srv.url + '/' });
    assert.deepEqual(account.future_field, { nested: true });
    const [r] = srv.requests;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/v1_1/provisioning/agents/accounts');
    assert.match(r.headers['content-type'], /^application\/json/);
    assert.equal(r.headers.authorization, undefined);
    const body = JSON.parse(r.body);
    assert.deepEqual(Object.keys(body).sort(), ['agent_framework', 'agent_goal', 'agent_llm_model', 'email']);
  } finally { await srv.stop(); }
});

test('invalid_input: nothing is sent, every issue is named', async () => {
  const srv = await startServer((_q, res) => res.end());
  try {
    const e = await rejection(createAccount({ email: 'nope', agentGoal: 'x', agent_framework: 7 }, { baseUrl: srv.url }));
    assert.ok(e instanceof AgentAccountError && e instanceof Error);
    assert.equal(e.name, 'AgentAccountError');
    assert.equal(e.code, 'invalid_input');
    const byField = Object.fromEntries(e.issues.map((i) => [i.field, i.code]));
    assert.deepEqual(byField, {
      agentGoal: 'unknown_field', email: 'invalid_email', agent_framework: 'wrong_type',
      agent_llm_model: 'missing', agent_goal: 'missing',
    });
    assert.match(e.message, /did you mean `agent_goal`\?/);
    assert.equal(srv.requests.length, 0);
  } finally { await srv.stop(); }
});

test('validateRequest mirrors the rules synchronously', () => {
  assert.deepEqual(validateRequest(request()), []);
  const issues = validateRequest(request({ sdk_framework: 'x', email: 'a@localhost' }));
  assert.deepEqual(issues.map((i) => [i.field, i.code]), [['email', 'invalid_email'], ['sdk_framework', 'too_short']]);
  assert.match(issues[1].message, /sdk_framework must be 2-100 characters/);
});

test('account_exists: a second account for the same address (any case)', async () => {
  const req = request();
  await createAccount(req, opts());
  const e = await rejection(createAccount({ ...req, email: req.email.toUpperCase() }, opts()));
  assert.equal(e.code, 'account_exists');
  assert.equal(e.status, 400);
  assert.ok(e.requestId);
  assert.equal(e.mayHaveCreatedAccount, false);
  // The emulator's own code, or the real service's Rails hash read back into an issue.
  if (e.issues.length) assert.deepEqual(e.issues.map((i) => [i.field, i.code]), [['email', 'taken']]);
});

test('account_exists: also as a 409', async () => {
  await emu.fault({ count: 1, status: 409, body: JSON.stringify({ error: { message: 'Email has already been taken' } }) });
  const e = await rejection(createAccount(request(), opts()));
  assert.equal(e.code, 'account_exists');
  assert.equal(e.status, 409);
});

test('disposable_email', async () => {
  const e = await rejection(createAccount(request({ email: 'someone@mailinator.com' }), opts()));
  assert.equal(e.code, 'disposable_email');
  assert.equal(e.status, 400);
});

test('blocked: abuse controls answer 403 with a generic message', async () => {
  const e = await rejection(createAccount(request({ email: 'x@blocked.example.com' }), opts()));
  assert.equal(e.code, 'blocked');
  assert.equal(e.status, 403);
});

test('invalid_request: another 400 from the server keeps its category and code', async () => {
  await emu.fault({ count: 1, status: 400, body: JSON.stringify({ error: { category: 'invalid_parameter', code: 'weird', message: 'Something is off' } }) });
  const e = await rejection(createAccount(request(), opts()));
  assert.equal(e.code, 'invalid_request');
  assert.equal(e.category, 'invalid_parameter');
  assert.equal(e.serverCode, 'weird');
  assert.match(e.message, /Something is off/);
});

test('rate_limited: the per-IP daily cap (the real service\'s 429), with Retry-After and limit headers', async () => {
  const limited = await startEmulator(['--test-controls', '--daily-cap', '2']);
  try {
    const seen = [];
    await createAccount(request(), { baseUrl: limited.url, onResponse: (i) => seen.push(i) });
    await createAccount(request(), { baseUrl: limited.url });
    const e = await rejection(createAccount(request(), { baseUrl: limited.url }));
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.status, 429);
    assert.equal(e.category, 'rate_limit');
    assert.equal(e.serverCode, 'ip_rate_limit_exceeded');
    // A day from the oldest of the two accounts counted.
    assert.ok(e.retryAfterMs > 86_000_000 && e.retryAfterMs <= 86_400_000, `retryAfterMs ${e.retryAfterMs}`);
    assert.equal(e.rateLimit.limit, 2);
    assert.equal(e.rateLimit.remaining, 0);
    assert.equal(seen[0].rateLimit.limit, 2);
    assert.equal(seen[0].rateLimit.remaining, 1);
  } finally { await limited.stop(); }
});

test('rate_limited: 420 too', async () => {
  await emu.fault({ count: 1, status: 420, body: '{"error":{"category":"rate_limit","code":"ip_rate_limit_exceeded","message":"Rate limit exceeded"}}' });
  const e = await rejection(createAccount(request(), opts()));
  assert.equal(e.code, 'rate_limited');
  assert.equal(e.status, 420);
});

// Retry-After values the back-off (1 s, 2 s, 4 s...) never produces, so honouring the header
// and ignoring it cannot be confused.
test('retry: waits Retry-After (seconds) and succeeds', async () => {
  await emu.fault({ count: 1, status: 429, headers: { 'Retry-After': '3' }, body: '{"error":{"category":"rate_limit","message":"Rate limit exceeded"}}' });
  const statuses = [];
  const t0 = Date.now();
  const account = await createAccount(request(), opts({ maxRetries: 2, onResponse: (i) => statuses.push(i.status) }));
  assert.equal(account.plan_name, 'free');
  assert.deepEqual(statuses, [429, 200]);
  assert.ok(Date.now() - t0 >= 2900, `waited ${Date.now() - t0} ms, not the 3 s of Retry-After`);
});

test('retry: Retry-After as an HTTP date', async () => {
  // A whole second at least 3.5 s ahead (HTTP dates have no fractions): the wait is >= 3 s.
  const at = Math.ceil((Date.now() + 3500) / 1000) * 1000;
  await emu.fault({ count: 1, status: 429, headers: { 'Retry-After': new Date(at).toUTCString() }, body: '{"error":{"message":"Rate limit exceeded"}}' });
  const statuses = [];
  const t0 = Date.now();
  await createAccount(request(), opts({ maxRetries: 1, onResponse: (i) => statuses.push(i.status) }));
  assert.deepEqual(statuses, [429, 200]);
  assert.ok(Date.now() >= at - 100, `retried ${at - Date.now()} ms before the HTTP date`);
  assert.ok(Date.now() - t0 >= 2900, `waited ${Date.now() - t0} ms`);
});

test('retry: a Retry-After over maxRetryDelayMs is not waited for', async () => {
  await emu.fault({ count: 1, status: 429, headers: { 'Retry-After': '3600' }, body: '{"error":{"message":"Rate limit exceeded"}}' });
  const t0 = Date.now();
  const e = await rejection(createAccount(request(), opts({ maxRetries: 3 })));
  assert.equal(e.code, 'rate_limited');
  assert.equal(e.retryAfterMs, 3600000);
  assert.ok(Date.now() - t0 < 5000);
});

test('retry: never for answers that may have created an account', async () => {
  let calls = 0;
  const srv = await startServer((_q, res) => {
    calls += 1;
    res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '0' });
    res.end('<html><body>Service Unavailable</body></html>');
  });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: srv.url, maxRetries: 5 }));
    assert.equal(e.code, 'server_error');
    assert.equal(e.status, 503);
    assert.match(e.message, /not the documented JSON error/);
    assert.equal(calls, 1);
  } finally { await srv.stop(); }
});

test('server_error: 500 with a JSON body', async () => {
  await emu.fault({ count: 1, status: 500, body: '{"error":{"message":"General error"}}' });
  const e = await rejection(createAccount(request(), opts()));
  assert.equal(e.code, 'server_error');
  assert.match(e.message, /General error/);
});

test('network: connection refused', async () => {
  const srv = await startServer(() => {});
  const url = srv.url;
  await srv.stop();
  const e = await rejection(createAccount(request(), { baseUrl: url }));
  assert.equal(e.code, 'network');
});

test('network: connection reset mid-answer', async () => {
  const srv = await startServer((q) => { q.socket.destroy(); });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: srv.url }));
    assert.equal(e.code, 'network');
  } finally { await srv.stop(); }
});

test('timeout: a slow answer past timeoutMs', async () => {
  await emu.fault({ count: 1, delay_ms: 3000 });
  const t0 = Date.now();
  const e = await rejection(createAccount(request(), opts({ timeoutMs: 300 })));
  assert.equal(e.code, 'timeout');
  assert.ok(Date.now() - t0 < 2500, 'did not wait for the slow answer');
  await emu.clearFaults();
});

test('timeout: a body that never finishes', async () => {
  const srv = await startServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"external_id":');
  });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: srv.url, timeoutMs: 300 }));
    assert.equal(e.code, 'timeout');
  } finally { await srv.stop(); }
});

test('aborted: by the caller\'s signal, before and during the request', async () => {
  const pre = AbortSignal.abort();
  assert.equal((await rejection(createAccount(request(), opts({ signal: pre })))).code, 'aborted');
  await emu.fault({ count: 1, delay_ms: 3000 });
  const c = new AbortController();
  setTimeout(() => c.abort(), 100);
  const e = await rejection(createAccount(request(), opts({ signal: c.signal })));
  assert.equal(e.code, 'aborted');
  await emu.clearFaults();
});

test('aborted: while waiting to retry', async () => {
  await emu.fault({ count: 1, status: 429, headers: { 'Retry-After': '5' }, body: '{"error":{"message":"Rate limit exceeded"}}' });
  const c = new AbortController();
  setTimeout(() => c.abort(), 200);
  const t0 = Date.now();
  const e = await rejection(createAccount(request(), opts({ maxRetries: 1, signal: c.signal })));
  assert.equal(e.code, 'aborted');
  assert.ok(Date.now() - t0 < 3000);
  await emu.clearFaults();
});

const malformed = [
  ['not JSON', 'text/plain', 'OK', /not JSON/],
  ['an HTML page from a proxy', 'text/html', '<html><body><h1>Welcome to nginx!</h1></body></html>', /not JSON/],
  ['a missing field', 'application/json', JSON.stringify({ ...fakeAccount(), guidance: undefined }), /`guidance` is missing/],
  ['a wrong type', 'application/json', JSON.stringify(fakeAccount({ plan_name: 42 })), /`plan_name` is not a string/],
  ['empty product_environments', 'application/json', JSON.stringify(fakeAccount({ product_environments: [] })), /`product_environments` is empty/],
  ['a secret of the wrong type', 'application/json', JSON.stringify(fakeAccount({ product_environments: [{ ...fakeAccount().product_environments[0], api_secret: 12345 }] })), /api_secret` is not a string/],
];
for (const [what, type, body, want] of malformed) {
  test(`unexpected_response: a 200 with ${what}`, async () => {
    await emu.fault({ count: 1, status: 200, content_type: type, body });
    const e = await rejection(createAccount(request(), opts()));
    assert.equal(e.code, 'unexpected_response');
    assert.equal(e.status, 200);
    assert.match(e.message, want);
    assert.doesNotMatch(e.message, /FAKE-not-a-secret|12345/);
  });
}

test('unexpected_response: a body over 1 MiB (declared and chunked)', async () => {
  const big = JSON.stringify(fakeAccount({ guidance: 'x'.repeat(1024 * 1024) }));
  await emu.fault({ count: 1, status: 200, body: big });
  const e1 = await rejection(createAccount(request(), opts()));
  assert.equal(e1.code, 'unexpected_response');
  assert.match(e1.message, /over the 1048576-byte limit/);
  const srv = await startServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no Content-Length
    res.end(big);
  });
  try {
    const e2 = await rejection(createAccount(request(), { baseUrl: srv.url }));
    assert.equal(e2.code, 'unexpected_response');
  } finally { await srv.stop(); }
});

test('unexpected_response: a gzip body with a small Content-Length that decodes past 1 MiB is cut at the cap', async () => {
  // fetch decodes gzip transparently: the declared (compressed) length does not bound what a
  // single arrayBuffer() would buffer, so the read must count the decoded bytes.
  const big = JSON.stringify(fakeAccount({ guidance: 'x'.repeat(4 * 1024 * 1024) }));
  const packed = gzipSync(big);
  assert.ok(packed.length < 64 * 1024, 'the compressed body is small');
  const srv = await startServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': packed.length });
    res.end(packed);
  });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: srv.url }));
    assert.equal(e.code, 'unexpected_response');
    // The size it names is where the read stopped: past the cap, far short of the 4 MiB.
    const read = Number(/a body of (\d+) bytes, over the 1048576-byte limit/.exec(e.message)?.[1]);
    assert.ok(read > 1024 * 1024 && read < 2 * 1024 * 1024, `stopped after ${read} bytes`);
  } finally { await srv.stop(); }
});

test('a body read to its declared length stops there, unless a content coding made that the coded length', async () => {
  // An account whose gzip is exactly 16 KiB, the size of the first chunk fetch's gunzip hands
  // out: a read that stopped when the decoded bytes reached the declared length would parse
  // a cut body. Noise from a hash chain: the same account on every run.
  const noise = Array.from({ length: 700 }, (_, i) => createHash('sha256').update(String(i)).digest('base64')).join('');
  const gzipOf = (n) => gzipSync(JSON.stringify(fakeAccount({ guidance: noise.slice(0, n) })));
  let lo = 1000;
  let hi = noise.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (gzipOf(mid).length < 16 * 1024) lo = mid + 1; else hi = mid; }
  const packed = gzipOf(lo);
  const body = JSON.stringify(fakeAccount({ guidance: noise.slice(0, lo) }));
  assert.equal(packed.length, 16 * 1024, 'an account whose gzip is exactly 16 KiB');
  const plainBody = Buffer.from(JSON.stringify(fakeAccount()));
  const srv = await startServer((q, res) => {
    if (q.url.includes('plain')) {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': plainBody.length });
      res.end(plainBody);
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': packed.length });
    res.end(packed);
  });
  try {
    const account = await createAccount(request(), { baseUrl: srv.url });
    assert.equal(JSON.stringify(account), body);
    const plain = await createAccount(request(), { baseUrl: `${srv.url}/plain` });
    assert.equal(JSON.stringify(plain), plainBody.toString());
  } finally { await srv.stop(); }
});

test('unexpected_response: an endless body is cut at 1 MiB, not waited for', async () => {
  let sent = 0;
  let closed = false;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const srv = await startServer((q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.on('close', () => { closed = true; });
    const pump = () => {
      // Bounded all the same: at most 256 MiB, then the server gives up.
      while (!closed && sent < 256 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
      res.end();
    };
    pump();
  });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: srv.url, timeoutMs: 10000 }));
    assert.equal(e.code, 'unexpected_response');
    assert.match(e.message, /over the 1048576-byte limit/);
    assert.ok(sent < 64 * 1024 * 1024, `the client stopped reading early (server sent ${sent} bytes)`);
  } finally { await srv.stop(); }
});

test('no unhandled rejections or hangs across all of the above', async () => {
  // Let rejections of the tests above surface (they are reported after a turn of the loop).
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Names only: a rejection's message is not printed (it could carry anything).
  assert.deepEqual(unhandled.map((r) => (r && r.name) || typeof r), []);
});
