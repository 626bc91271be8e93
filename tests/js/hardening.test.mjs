// The holes of the security review (issue 9, client points), each shown closed through the
// installed package against scripted local servers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, validateRequest, isValidRequest, AgentAccountError } from 'cloudinary-agent-account';
import { startServer, request, fakeAccount, rejection } from '../support/index.mjs';

const unhandled = [];
process.on('unhandledRejection', (reason) => { unhandled.push(reason); });
const warnings = [];
process.on('warning', (w) => { warnings.push(w.name); });

const ENDPOINT = '/v1_1/provisioning/agents/accounts';

async function accountServer(delayMs = 0) {
  return startServer((_q, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fakeAccount()));
    }, delayMs);
  });
}

// 1. Redirects are refused, never followed.
for (const status of [301, 302, 303, 307, 308]) {
  test(`a ${status} redirect is unexpected_response and nothing reaches the second host`, async () => {
    const second = await accountServer();
    const first = await startServer((_q, res) => {
      res.writeHead(status, { location: `${second.url}${ENDPOINT}` });
      res.end();
    });
    try {
      const e = await rejection(createAccount(request(), { baseUrl: first.url, maxRetries: 3 }));
      assert.ok(e instanceof AgentAccountError);
      assert.equal(e.code, 'unexpected_response');
      assert.match(e.message, /redirect/);
      assert.equal(first.requests.length, 1);
      assert.equal(second.requests.length, 0, 'the second host received nothing');
    } finally { await first.stop(); await second.stop(); }
  });
}

// 2. Durations beyond what a timer can hold are clamped, not fired at once.
test('timeoutMs: 2**31 does not time out at once', async () => {
  const srv = await accountServer(300);
  try {
    const account = await createAccount(request(), { baseUrl: srv.url, timeoutMs: 2 ** 31 });
    assert.equal(account.plan_name, 'free');
    const again = await createAccount(request(), { baseUrl: srv.url, timeoutMs: 1e300, maxRetryDelayMs: 2 ** 40 });
    assert.equal(again.plan_name, 'free');
  } finally { await srv.stop(); }
});

test('maxRetryDelayMs and timeoutMs past 2**31: a huge Retry-After is refused, not a timeout', async () => {
  const srv = await startServer((_q, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2147484' });
    res.end('{"error":{"category":"rate_limit","code":"ip_rate_limit_exceeded","message":"Rate limit exceeded"}}');
  });
  try {
    const t0 = Date.now();
    const e = await rejection(createAccount(request(), { baseUrl: srv.url, maxRetries: 1, timeoutMs: 2 ** 32, maxRetryDelayMs: 2 ** 32 }));
    assert.equal(e.code, 'rate_limited');
    assert.equal(srv.requests.length, 1);
    assert.ok(Date.now() - t0 < 5000);
  } finally { await srv.stop(); }
  assert.ok(!warnings.includes('TimeoutOverflowWarning'), 'no timer overflowed');
});

// 3. Hostile objects: a typed error, never a raw throw, and the instance stays sound.
const thrower = () => { throw new TypeError('hostile'); };
function hostiles() {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  return {
    'ownKeys throws': new Proxy({}, { ownKeys: thrower }),
    'get throws': new Proxy({ email: 'a@b.co' }, { get: thrower }),
    'getOwnPropertyDescriptor throws': new Proxy({ email: 'a@b.co' }, { getOwnPropertyDescriptor: thrower }),
    'a revoked proxy': revoked.proxy,
    'a throwing getter': Object.defineProperty({}, 'email', { enumerable: true, get: thrower }),
  };
}

for (const [what, value] of Object.entries(hostiles())) {
  test(`hostile request (${what}): rejected invalid_input / returned as an issue, never thrown`, async () => {
    const p = createAccount(value, { baseUrl: 'http://127.0.0.1:9' });
    assert.ok(p instanceof Promise, 'createAccount returned a promise');
    const e = await rejection(p);
    assert.ok(e instanceof AgentAccountError, `${e && e.name}`);
    assert.equal(e.code, 'invalid_input');
    assert.ok(e.issues.some((i) => i.code === 'unreadable'), JSON.stringify(e.issues));
    assert.match(e.message, /could not be read/);
    const issues = validateRequest(value);
    assert.ok(issues.some((i) => i.code === 'unreadable'));
    assert.equal(isValidRequest(value), false);
  });
  test(`hostile options (${what}): rejected invalid_input naming options`, async () => {
    const e = await rejection(createAccount(request(), value));
    assert.ok(e instanceof AgentAccountError);
    assert.equal(e.code, 'invalid_input');
    assert.ok(e.issues.some((i) => i.code === 'unreadable' && i.field.startsWith('options')), JSON.stringify(e.issues));
  });
}

test('a signal that passes instanceof but throws is invalid_input', async () => {
  const signal = new Proxy(new AbortController().signal, { get: thrower });
  const e = await rejection(createAccount(request(), { baseUrl: 'http://127.0.0.1:9', signal }));
  assert.equal(e.code, 'invalid_input');
  assert.deepEqual(e.issues.map((i) => [i.field, i.code]), [['options.signal', 'unreadable']]);
});

test('20,000 hostile calls leave the instance sound: a normal createAccount then succeeds', async () => {
  const srv = await accountServer();
  try {
    const values = Object.values(hostiles());
    const pending = [];
    for (let i = 0; i < 20000; i++) {
      const v = values[i % values.length];
      if (i % 2) {
        assert.ok(validateRequest(v).length > 0);
      } else {
        pending.push(createAccount(i % 4 ? request() : v, i % 4 ? v : undefined).then(
          () => { throw new Error('a hostile call resolved'); },
          (e) => { if (!(e instanceof AgentAccountError) || e.code !== 'invalid_input') throw e; },
        ));
      }
    }
    await Promise.all(pending);
    const account = await createAccount(request(), { baseUrl: srv.url });
    assert.equal(account.plan_name, 'free');
    assert.deepEqual(validateRequest(request()), []);
  } finally { await srv.stop(); }
});

// 4. baseUrl is parsed as a URL once.
test('baseUrl: https anywhere, http only on loopback; no credentials, query or fragment', async () => {
  const srv = await accountServer();
  const port = new URL(srv.url).port;
  try {
    const refused = [
      [`${srv.url}?x=1`, /query/],
      [`${srv.url}#f`, /fragment/],
      [`${srv.url}/?x=1`, /query/],
      ['http://example.com', /https:/],
      ['http://10.0.0.1', /https:/],
      ['http://127.0.0.1.example.com', /https:/],
      ['ftp://127.0.0.1', /https:/],
      ['javascript:alert(1)', /https:/],
      ['not a url', /not a valid/],
      [`http://user:FAKEpassword0@127.0.0.1:${port}`, /credentials/],
      [`https://:FAKEpassword0@api.example.com`, /credentials/],
    ];
    for (const [baseUrl, why] of refused) {
      const e = await rejection(createAccount(request(), { baseUrl }));
      assert.equal(e.code, 'invalid_input', baseUrl);
      assert.match(e.message, why);
      assert.ok(!e.message.includes('FAKEpassword0') && !JSON.stringify(e).includes('FAKEpassword0'), 'the password is not repeated');
    }
    assert.equal(srv.requests.length, 0);
    // Case-insensitive scheme and host; a path prefix joined once, with or without a slash.
    for (const [baseUrl, path] of [
      [`HTTP://127.0.0.1:${port}`, ENDPOINT],
      [`http://127.0.0.1:${port}/`, ENDPOINT],
      [`http://127.0.0.1:${port}/prefix`, `/prefix${ENDPOINT}`],
      [`http://127.0.0.1:${port}/prefix/`, `/prefix${ENDPOINT}`],
      [`  http://127.0.0.1:${port}/a/b//  `, `/a/b${ENDPOINT}`],
    ]) {
      const before = srv.requests.length;
      await createAccount(request(), { baseUrl });
      assert.equal(srv.requests[before].url, path, baseUrl);
    }
  } finally { await srv.stop(); }
});

// The JS driver (client.js): what it must keep of the flow the wasm used to run.
test('a throwing onResponse does not turn a created account into a failure', async () => {
  const srv = await accountServer();
  try {
    let calls = 0;
    const account = await createAccount(request(), { baseUrl: srv.url, onResponse: () => { calls++; throw new Error('callback bug'); } });
    assert.equal(account.plan_name, 'free');
    assert.equal(calls, 1);
  } finally { await srv.stop(); }
});

test('inputs are read at call time; the caller\'s signal keeps no listener after the call', async () => {
  const srv = await accountServer();
  try {
    const { getEventListeners } = await import('node:events');
    const controller = new AbortController();
    const options = { baseUrl: srv.url, signal: controller.signal };
    const req = request();
    const email = req.email;
    const pending = createAccount(req, options);
    options.baseUrl = 'http://127.0.0.1:9'; // changed after the call: not seen
    req.email = 'changed@example.com';
    assert.equal((await pending).plan_name, 'free');
    assert.equal(JSON.parse(srv.requests[0].body).email, email);
    for (let i = 0; i < 5; i++) await createAccount(request(), { baseUrl: srv.url, signal: controller.signal });
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'every listener was removed');
  } finally { await srv.stop(); }
});

test('a signal that passes instanceof but throws on addEventListener: the call still completes', async () => {
  const srv = await accountServer();
  try {
    const real = new AbortController().signal;
    const signal = new Proxy(real, {
      get(t, k) {
        if (k === 'addEventListener' || k === 'removeEventListener') throw new TypeError('hostile');
        const v = t[k];
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const account = await createAccount(request(), { baseUrl: srv.url, signal });
    assert.equal(account.plan_name, 'free');
  } finally { await srv.stop(); }
});

test('a 4xx whose body breaks: network, and the account was not created', async () => {
  const srv = await startServer((_q, res) => {
    res.writeHead(400, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"error":');
    setTimeout(() => res.socket.destroy(), 20);
  });
  try {
    const e = await rejection(createAccount(request(), { baseUrl: srv.url }));
    assert.equal(e.code, 'network');
    assert.equal(e.mayHaveCreatedAccount, false);
  } finally { await srv.stop(); }
});

// 7. Invisible and direction-changing characters.
test('invisible and direction-changing characters are refused in every field', () => {
  for (const c of ['\u202e', '\u2066', '\u200b', '\u2028', '\u2029', '\u200f', '\u061c']) {
    for (const field of ['email', 'agent_framework', 'agent_llm_model', 'agent_goal', 'sdk_framework']) {
      const value = field === 'email' ? `ja${c}ne@example.com` : `ab${c}cd`;
      const issues = validateRequest(request({ [field]: value }));
      assert.deepEqual(issues.map((i) => [i.field, i.code]), [[field, 'invisible_character']], `U+${c.codePointAt(0).toString(16)} in ${field}`);
    }
  }
});

after(() => {
  assert.deepEqual(unhandled.map((r) => (r && r.name) || typeof r), []);
});
