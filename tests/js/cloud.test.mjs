// createCloud, validateCloudRequest and isValidCloudRequest of the installed package, against
// the emulator and, for answers the emulator never gives (the older shape, the codes it does
// not send, a 429 to retry), a local stub server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createCloud, validateCloudRequest, isValidCloudRequest, createAccount, AgentAccountError,
} from 'cloudinary-agent-account';
import { startEmulator, startServer, rejection } from '../support/index.mjs';

const FAKE_SECRET = 'FAKE-cloud-secret-0000000';
const FAKE_TOKEN = 'FAKE-claim-token-0000';

/** A flat cloud answer with fake credentials. */
function flatCloud(extra = {}) {
  return {
    account_id: '0aaaaa1bbbbb2ccccc3ddddd4eeeee5f',
    email: 'cloud-x@cloud.cloudinary.invalid',
    cloud_name: 'cloud1',
    api_key: '123456789012345',
    api_secret: FAKE_SECRET,
    api_environment_variable: `CLOUDINARY_URL=cloudinary://123456789012345:${FAKE_SECRET}@cloud1`,
    claimed: false,
    expires_at: '2026-08-19T16:13:09Z',
    delivery_ips: ['203.0.113.7'],
    claim_url: `https://console.cloudinary.com/claim?token=${FAKE_TOKEN}`,
    guidance: 'Claim it.',
    ...extra,
  };
}

/** A stub answering each request with the next of `answers` ([status, body, headers?]). */
async function stub(...answers) {
  let i = 0;
  return startServer((_q, res) => {
    const [status, body, headers = {}] = answers[Math.min(i++, answers.length - 1)];
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

const error = (code, message, category = 'user_error') =>
  ({ error: { category, ...(code ? { code } : {}), message } });

let emu;
before(async () => { emu = await startEmulator(['--cloud-daily-cap', 'off']); });
after(async () => { await emu.stop(); });

test('success against the emulator: the flat shape as sent, credentials that work, the caller\'s address added', async () => {
  const seen = [];
  const cloud = await createCloud({ delivery_ips: ['203.0.113.7'], agent_framework: ' langchain ' },
    { baseUrl: emu.url, onResponse: (i) => seen.push(i) });
  for (const k of ['cloud_name', 'api_key', 'api_secret', 'api_environment_variable', 'claim_url', 'expires_at', 'delivery_ips']) {
    assert.ok(cloud[k] !== undefined, `${k} at the top level`);
  }
  assert.equal(cloud.claimed, false);
  assert.ok(cloud.api_environment_variable.startsWith(`CLOUDINARY_URL=cloudinary://${cloud.api_key}:`));
  assert.ok(cloud.delivery_ips.includes('203.0.113.7'));
  assert.ok(cloud.delivery_ips.includes('127.0.0.1'), `the caller's address: ${cloud.delivery_ips}`);
  assert.ok(Date.parse(cloud.expires_at) > Date.now());
  assert.equal(seen[0].status, 200);
  // Works at once: the Admin API ping answers ok.
  const ping = await fetch(`${emu.url}/v1_1/${cloud.cloud_name}/ping`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${cloud.api_key}:${cloud.api_secret}`).toString('base64') },
  });
  assert.deepEqual(await ping.json(), { status: 'ok' });
});

test('no argument at all is a valid request: `{}` is sent', async () => {
  const srv = await stub([200, flatCloud()]);
  try {
    const cloud = await createCloud(undefined, { baseUrl: srv.url });
    assert.equal(cloud.cloud_name, 'cloud1');
    const [r] = srv.requests;
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/v1_1/provisioning/clouds');
    assert.equal(r.body, '{}');
    assert.equal(r.headers.authorization, undefined);
  } finally { await srv.stop(); }
});

test('the older shape: credentials from product_environments[0] and api_access_keys, lifted to the top level, the rest kept', async () => {
  const { cloud_name: _c, api_key: _k, api_secret: _s, api_environment_variable: _v, ...rest } = flatCloud();
  const srv = await stub([200, {
    ...rest,
    product_environments: [{
      cloud_name: 'cloud1',
      api_access_keys: [{ key: '999', secret: 'DISABLED-secret-000000', enabled: false }, { key: '123456789012345', secret: FAKE_SECRET, enabled: true }],
    }],
    future_field: { nested: true },
  }]);
  try {
    const cloud = await createCloud({}, { baseUrl: srv.url });
    assert.equal(cloud.cloud_name, 'cloud1');
    assert.equal(cloud.api_key, '123456789012345');
    assert.equal(cloud.api_secret, FAKE_SECRET);
    assert.equal(cloud.api_environment_variable, `CLOUDINARY_URL=cloudinary://123456789012345:${FAKE_SECRET}@cloud1`);
    assert.deepEqual(cloud.future_field, { nested: true });
    assert.ok(Array.isArray(cloud.product_environments));
  } finally { await srv.stop(); }
});

test('invalid input: nothing is sent, every issue named; validateCloudRequest and isValidCloudRequest agree', async () => {
  const srv = await stub([200, flatCloud()]);
  try {
    const bad = { delivery_ips: ['10.0.0.0/8', 'example.com', '203.0.113.7', '203.0.113.7'], email: 'nope', deliveryIps: [] };
    const e = await rejection(createCloud(bad, { baseUrl: srv.url }));
    assert.ok(e instanceof AgentAccountError);
    assert.equal(e.code, 'invalid_input');
    const byField = Object.fromEntries(e.issues.map((i) => [i.field, i.code]));
    assert.deepEqual(byField, {
      delivery_ips: 'too_long', 'delivery_ips[0]': 'invalid_ip', 'delivery_ips[1]': 'invalid_ip',
      'delivery_ips[3]': 'duplicate', email: 'invalid_email', deliveryIps: 'unknown_field',
    });
    assert.deepEqual(validateCloudRequest(bad), e.issues);
    assert.equal(isValidCloudRequest(bad), false);
    assert.equal(srv.requests.length, 0);
    // An unknown option names createCloud.
    const o = await rejection(createCloud({}, { baseUrl: srv.url, timeout: 5 }));
    assert.match(o.message, /not an option of createCloud; did you mean `timeoutMs`/);
    assert.equal(srv.requests.length, 0);
  } finally { await srv.stop(); }
  assert.deepEqual(validateCloudRequest({}), []);
  assert.equal(isValidCloudRequest({ delivery_ips: ['requester_ip', '2001:db8::7'] }), true);
  assert.equal(isValidCloudRequest(null), false);
  // A huge or hostile array is judged by its length, never read whole.
  const huge = { delivery_ips: new Array(2 ** 31) };
  assert.equal(validateCloudRequest(huge)[0].code, 'too_long');
  const hostile = { delivery_ips: new Proxy([], { get(t, k) { if (k === 'length') throw new Error('trap'); return t[k]; } }) };
  assert.equal(validateCloudRequest(hostile)[0].code, 'unreadable');
});

test('Node\'s rules wasm and the client wasm answer alike, value for value', () => {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('cloudinary-agent-account/package.json'));
  // The client wasm in an instance of its own (initSync on the CommonJS copy of the glue).
  const core = require(join(root, 'node', 'core.cjs'));
  core.initSync({ module: readFileSync(join(root, 'core', 'cloudinary_agent_account_bg.wasm')) });
  const cases = [
    {}, null, [], 'x', { delivery_ips: 'x' }, { delivery_ips: [1, null, ['a']] }, { email: '' },
    { delivery_ips: ['::ffff:203.0.113.7', ' 203.0.113.8 ', '203.0.113.8'] }, { agent_goal: 'x' },
    { delivery_ips: Array(9).fill('203.0.113.7') }, { delivery_ips: Array(8).fill('a') },
  ];
  for (const c of cases) {
    assert.deepEqual(validateCloudRequest(c), core.validateCloudRequest(c), JSON.stringify(c));
    assert.equal(isValidCloudRequest(c), core.isValidCloudRequest(c));
  }
});

test('delivery_ips_not_public: a caller behind a private address (the emulator\'s --caller-not-public)', async () => {
  const nat = await startEmulator(['--caller-not-public']);
  try {
    const e = await rejection(createCloud({}, { baseUrl: nat.url }));
    assert.equal(e.code, 'delivery_ips_not_public');
    assert.equal(e.status, 400);
    assert.equal(e.serverCode, 'delivery_ips_not_public');
    assert.match(e.message, /VPN, proxy or gateway/);
    assert.match(e.message, /retry from a network with a public address/);
    assert.equal(e.mayHaveCreatedAccount, false);
    // A public delivery IP of its own makes it work.
    const cloud = await createCloud({ delivery_ips: ['203.0.113.9'] }, { baseUrl: nat.url });
    assert.deepEqual(cloud.delivery_ips, ['203.0.113.9']);
  } finally { await nat.stop(); }
});

test('registration_disabled and rate_limited from the emulator', async () => {
  const off = await startEmulator(['--test-controls', '--registration-disabled', '--cloud-daily-cap', '1']);
  try {
    const e = await rejection(createCloud({}, { baseUrl: off.url }));
    assert.equal(e.code, 'registration_disabled');
    assert.equal(e.serverCode, 'agent_registration_disabled');
    await fetch(`${off.url}/_emulator/registration`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"enabled":true}' });
    await createCloud({}, { baseUrl: off.url });
    const r = await rejection(createCloud({}, { baseUrl: off.url }));
    assert.equal(r.code, 'rate_limited');
    assert.equal(r.status, 429);
    assert.equal(r.serverCode, 'ip_rate_limit_exceeded');
    assert.match(r.message, /too many cloud creation requests/);
    assert.ok(r.retryAfterMs > 0);
  } finally { await off.stop(); }
});

const errors = [
  [403, error('geo_location_not_permitted', 'Location not permitted'), 'region_blocked', 'geo_location_not_permitted'],
  [403, error(null, 'Location not permitted'), 'region_blocked', undefined],
  [403, error(null, 'Agent account registration is currently unavailable'), 'registration_disabled', undefined],
  [403, error(null, 'Invalid request'), 'blocked', undefined],
  [400, error(null, 'delivery_ips must contain at least one public IP address'), 'delivery_ips_not_public', undefined],
  [400, error('delivery_ips_invalid', 'Invalid delivery IP: not-an-ip'), 'invalid_request', 'delivery_ips_invalid'],
  [400, error('delivery_ips_too_many', 'At most 3 delivery_ips are allowed'), 'invalid_request', 'delivery_ips_too_many'],
  [400, error('delivery_ips_required', 'delivery_ips is required'), 'invalid_request', 'delivery_ips_required'],
  [429, error('global_rate_limit_exceeded', 'Rate limit exceeded', 'rate_limit'), 'rate_limited', 'global_rate_limit_exceeded'],
  [400, error(null, '{"email":["has already been taken"]}'), 'account_exists', undefined],
  [503, '<html>down</html>', 'server_error', undefined],
];
for (const [status, body, code, serverCode] of errors) {
  test(`${code}: ${status} ${JSON.stringify(body).slice(0, 70)}`, async () => {
    const srv = await stub([status, body]);
    try {
      const e = await rejection(createCloud({}, { baseUrl: srv.url, maxRetries: 0 }));
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.equal(e.serverCode, serverCode);
      assert.equal(e.mayHaveCreatedAccount, code === 'server_error');
    } finally { await srv.stop(); }
  });
}

test('retry: a 429 is waited out (Retry-After) and sent again; nothing that may have created a cloud is', async () => {
  const srv = await stub([429, error('ip_rate_limit_exceeded', 'Rate limit exceeded', 'rate_limit'), { 'retry-after': '1' }], [200, flatCloud()]);
  try {
    const statuses = [];
    const t0 = Date.now();
    const cloud = await createCloud({}, { baseUrl: srv.url, maxRetries: 1, onResponse: (i) => statuses.push(i.status) });
    assert.equal(cloud.cloud_name, 'cloud1');
    assert.deepEqual(statuses, [429, 200]);
    assert.ok(Date.now() - t0 >= 900, `waited ${Date.now() - t0} ms`);
  } finally { await srv.stop(); }
  const down = await stub([500, error(null, 'boom')]);
  try {
    const e = await rejection(createCloud({}, { baseUrl: down.url, maxRetries: 3 }));
    assert.equal(e.code, 'server_error');
    assert.match(e.message, /a cloud may exist whose credentials and claim link are lost/);
    assert.equal(down.requests.length, 1);
  } finally { await down.stop(); }
});

test('unexpected_response: an unrecognised 2xx keeps the answer on a hidden body, shown by no message, toString, JSON or inspect', async () => {
  const crafted = flatCloud({ claim_url: 'javascript:alert(1)' });
  const srv = await stub([200, crafted]);
  try {
    const e = await rejection(createCloud({}, { baseUrl: srv.url }));
    assert.equal(e.code, 'unexpected_response');
    assert.match(e.message, /the cloud is malformed: `claim_url` is not an http\(s\) URL/);
    assert.deepEqual(e.body, crafted, 'the credentials are not lost');
    assert.equal(Object.getOwnPropertyDescriptor(e, 'body').enumerable, false);
    for (const shown of [e.message, String(e), JSON.stringify(e), inspect(e, { depth: 5 }), e.stack]) {
      assert.doesNotMatch(shown, new RegExp(`${FAKE_SECRET}|${FAKE_TOKEN}|javascript`), shown);
    }
  } finally { await srv.stop(); }
});

test('a lost answer: a timeout after sending may have created a cloud', async () => {
  const srv = await startServer(() => { /* never answers */ });
  try {
    const e = await rejection(createCloud({}, { baseUrl: srv.url, timeoutMs: 300 }));
    assert.equal(e.code, 'timeout');
    assert.equal(e.mayHaveCreatedAccount, true);
    assert.match(e.message, /a cloud may exist/);
  } finally { await srv.stop(); }
});

test('one instance, one error class: createAccount and createCloud reject with the same AgentAccountError, also through require', async () => {
  const require = createRequire(import.meta.url);
  const cjs = require('cloudinary-agent-account');
  assert.equal(typeof cjs.createCloud, 'function');
  assert.equal(cjs.AgentAccountError, AgentAccountError);
  const a = await rejection(createAccount({}, {}));
  const c = await rejection(cjs.createCloud({ delivery_ips: 'x' }));
  assert.ok(a instanceof AgentAccountError && c instanceof AgentAccountError);
  assert.equal(createCloud.length, 2);
});
