// §3: checkActivation and waitForActivation against the emulator's Admin API ping, and against
// local servers for what the emulator cannot do (redirects, silence, counting requests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkActivation, waitForActivation, createAccount, AgentAccountError } from 'cloudinary-agent-account';
import { startEmulator, startServer, request, rejection } from '../support/index.mjs';
import { assertNoSecret, secretOf, verify } from './secrets.mjs';

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

const newAccount = () => createAccount(request(), { baseUrl: emu.url });

test('pending before the e-mail is verified, active after; the three input forms agree', async () => {
  const account = await newAccount();
  const env = account.product_environments[0];
  const pending = await checkActivation(account, { baseUrl: emu.url });
  assert.equal(pending.state, 'pending');
  assert.equal(pending.status, 401);
  assert.equal(typeof pending.requestId, 'string');
  await verify(emu, account.email);
  for (const creds of [account, { cloud_name: env.cloud_name, api_key: env.api_key, api_secret: env.api_secret }, env.api_environment_variable]) {
    const r = await checkActivation(creds, { baseUrl: emu.url });
    assert.equal(r.state, 'active');
    assert.equal(r.status, 200);
    assertNoSecret(r, env.api_secret, 'the result');
  }
});

test('disabled once 24 hours pass unverified; waitForActivation then rejects with account_disabled', async () => {
  const e2 = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']);
  try {
    const account = await createAccount(request(), { baseUrl: e2.url });
    const res = await fetch(`${e2.url}/_emulator/clock/advance?seconds=${25 * 3600}`, { method: 'POST' });
    assert.ok(res.ok);
    assert.equal((await checkActivation(account, { baseUrl: e2.url })).state, 'disabled');
    const e = await rejection(waitForActivation(account, { baseUrl: e2.url, intervalMs: 50 }));
    assert.ok(e instanceof AgentAccountError);
    assert.equal(e.code, 'account_disabled');
    assert.equal(e.status, 403);
    assertNoSecret(`${e.message} ${String(e)} ${JSON.stringify(e)}`, secretOf(account), 'the error');
  } finally {
    await e2.stop();
  }
});

test('a wrong secret is unknown, not pending', async () => {
  const account = await newAccount();
  const env = account.product_environments[0];
  const r = await checkActivation({ ...env, api_secret: 'FAKE-wrong-secret' }, { baseUrl: emu.url });
  assert.equal(r.state, 'unknown');
  assert.equal(r.status, 401);
});

test('waitForActivation polls (never faster than intervalMs) until the person verifies', async () => {
  const account = await newAccount();
  const checks = [];
  const started = Date.now();
  const waiting = waitForActivation(account, {
    baseUrl: emu.url,
    intervalMs: 200,
    onCheck: (c) => { checks.push({ ...c, at: Date.now() }); if (c.attempt === 2) verify(emu, account.email); },
  });
  const r = await waiting;
  assert.equal(r.state, 'active');
  assert.ok(checks.length >= 3, `${checks.length} checks`);
  assert.deepEqual(checks.slice(0, 2).map((c) => c.state), ['pending', 'pending']);
  assert.equal(checks.at(-1).state, 'active');
  for (let i = 1; i < checks.length; i += 1) {
    assert.ok(checks[i].at - checks[i - 1].at >= 190, `check ${i + 1} came ${checks[i].at - checks[i - 1].at} ms after the previous one`);
  }
  assert.ok(Date.now() - started >= 400);
  // nextCheckInMs: the pause before the next ping (the back-off, from 200 ms); none after the last.
  for (const c of checks.slice(0, -1)) assert.ok(c.nextCheckInMs >= 200, `check ${c.attempt}: nextCheckInMs ${c.nextCheckInMs}`);
  assert.equal(checks.at(-1).nextCheckInMs, undefined);
  assertNoSecret(checks, secretOf(account), 'the onCheck arguments');
});

test('waitForActivation rejects on timeout and on abort', async () => {
  const account = await newAccount();
  const t = await rejection(waitForActivation(account, { baseUrl: emu.url, intervalMs: 50, timeoutMs: 300 }));
  assert.equal(t.code, 'timeout');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const a = await rejection(waitForActivation(account, { baseUrl: emu.url, intervalMs: 50, signal: controller.signal }));
  assert.equal(a.code, 'aborted');
  assertNoSecret(`${t.message} ${a.message}`, secretOf(account), 'the errors');
});

test('the secret goes only into the Authorization header; a redirect is not followed', async () => {
  const elsewhere = await startServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); });
  const server = await startServer((req, res) => { res.writeHead(302, { location: `${elsewhere.url}/v1_1/c1/ping` }); res.end(); });
  try {
    const creds = { cloud_name: 'c1', api_key: '111', api_secret: 'FAKE-secret-value' };
    const r = await checkActivation(creds, { baseUrl: server.url });
    assert.equal(r.state, 'unknown');
    assert.equal(r.status, 302);
    assert.equal(elsewhere.requests.length, 0, 'the redirect was not followed');
    const [req] = server.requests;
    assert.equal(req.method, 'GET');
    assert.equal(req.url, '/v1_1/c1/ping');
    assert.equal(req.headers.authorization, `Basic ${Buffer.from('111:FAKE-secret-value').toString('base64')}`);
  } finally {
    await server.stop();
    await elsewhere.stop();
  }
});

test('baseUrl: the same rules as createAccount (https, http on loopback only; no credentials, query or fragment)', async () => {
  const server = await startServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); });
  const port = new URL(server.url).port;
  const creds = { cloud_name: 'c1', api_key: '111', api_secret: 'FAKE-secret-value' };
  try {
    for (const [baseUrl, why] of [
      ['http://example.com', /https:/],
      ['ftp://127.0.0.1', /https:/],
      [`http://user:FAKEpassword0@127.0.0.1:${port}`, /credentials/],
      [`${server.url}?x=1`, /query/],
      [`${server.url}#f`, /fragment/],
      ['not a url', /not a valid/],
    ]) {
      for (const call of [checkActivation, waitForActivation]) {
        const e = await rejection(call(creds, { baseUrl }));
        assert.equal(e.code, 'invalid_input', baseUrl);
        assert.deepEqual(e.issues.map((i) => [i.field, i.code]), [['options.baseUrl', 'invalid']], baseUrl);
        assert.match(e.message, why);
        assert.ok(!JSON.stringify({ ...e, message: e.message }).includes('FAKEpassword0'), 'the password is not repeated');
      }
    }
    const wrong = await rejection(checkActivation(creds, { baseUrl: 7 }));
    assert.deepEqual(wrong.issues.map((i) => [i.field, i.code]), [['options.baseUrl', 'wrong_type']]);
    assert.equal(server.requests.length, 0, 'nothing was sent');
    // Scheme and host in any case; a path prefix joined once.
    const r = await checkActivation(creds, { baseUrl: `  HTTP://127.0.0.1:${port}/prefix//  ` });
    assert.equal(r.state, 'active');
    assert.equal(server.requests[0].url, '/prefix/v1_1/c1/ping');
  } finally {
    await server.stop();
  }
});

test('no answer rejects with network or timeout; bad credentials with invalid_input naming the field', async () => {
  const creds = { cloud_name: 'c1', api_key: '111', api_secret: 'FAKE-secret-value' };
  const closed = await startServer(() => {});
  const url = closed.url;
  await closed.stop();
  const n = await rejection(checkActivation(creds, { baseUrl: url }));
  assert.equal(n.code, 'network');
  const silent = await startServer(() => {});
  try {
    const t = await rejection(checkActivation(creds, { baseUrl: silent.url, timeoutMs: 200 }));
    assert.equal(t.code, 'timeout');
    assertNoSecret(`${n.message} ${t.message}`, creds.api_secret, 'the errors');
  } finally {
    await silent.stop();
  }
  const bad = await rejection(checkActivation({ cloud_name: '../x', api_key: '1', api_secret: 'FAKE-secret-value' }));
  assert.equal(bad.code, 'invalid_input');
  assert.equal(bad.issues[0].field, 'cloud_name');
  const opt = await rejection(checkActivation(creds, { intervalMs: 5 }));
  assert.equal(opt.code, 'invalid_input');
  assert.equal(opt.issues[0].field, 'options.intervalMs');
});

test('the bounds of createAccount: a ping answer is read up to 1 MiB, a long timeoutMs does not fire at once', async () => {
  const creds = { cloud_name: 'c1', api_key: '111', api_secret: 'FAKE-secret-value' };
  // A JSON answer over the cap (sent in chunks, no Content-Length) is not read whole: "ok"
  // past 1 MiB is not taken as an answer.
  const pad = 'x'.repeat(64 * 1024);
  const huge = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"pad":"');
    for (let i = 0; i < 32; i++) res.write(pad);
    res.end('","status":"ok"}');
  });
  // A small answer, 300 ms late.
  const late = await startServer((req, res) => {
    setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); }, 300);
  });
  try {
    const r = await checkActivation(creds, { baseUrl: huge.url });
    assert.equal(r.state, 'unknown');
    assert.equal(r.status, 200);
    // 2^31 ms overflows a timer, which then fires at once: clamped, it waits for the answer.
    const warnings = [];
    const onWarning = (w) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      assert.equal((await checkActivation(creds, { baseUrl: late.url, timeoutMs: 2 ** 31 })).state, 'active');
      assert.equal((await waitForActivation(creds, { baseUrl: late.url, timeoutMs: 2 ** 40, intervalMs: 2 ** 33 })).state, 'active');
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, [], 'no TimeoutOverflowWarning');
  } finally {
    await huge.stop();
    await late.stop();
  }
});

test('hostile options and signals are invalid_input or ignored, never a raw throw', async () => {
  const creds = { cloud_name: 'c1', api_key: '111', api_secret: 'FAKE-secret-value' };
  const server = await startServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); });
  try {
    const throwing = new Proxy({}, { ownKeys() { throw new Error('no'); } });
    for (const call of [checkActivation, waitForActivation]) {
      const e = await rejection(call(creds, throwing));
      assert.ok(e instanceof AgentAccountError);
      assert.deepEqual(e.issues.map((i) => [i.field, i.code]), [['options', 'unreadable']]);
    }
    const revoked = Proxy.revocable(new AbortController().signal, {});
    revoked.revoke();
    const r = await rejection(checkActivation(creds, { baseUrl: server.url, signal: revoked.proxy }));
    assert.deepEqual(r.issues.map((i) => [i.field, i.code]), [['options.signal', 'wrong_type']]);
    // An AbortSignal whose listeners cannot be set: only the deadline bounds the ping.
    const signal = new Proxy(new AbortController().signal, {
      get(target, key) {
        if (key === 'addEventListener' || key === 'removeEventListener') throw new Error('no listeners');
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    assert.equal((await checkActivation(creds, { baseUrl: server.url, signal })).state, 'active');
    assert.equal((await waitForActivation(creds, { baseUrl: server.url, signal })).state, 'active');
  } finally {
    await server.stop();
  }
});
