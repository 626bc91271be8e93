// The create_cloudinary_cloud tool of `/tool`: its input schema against the Rust verdicts
// (ajv), its description, annotations and outputSchema, and execute against the emulator:
// every result validated against outputSchema, none holding the secret or the claim token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, realpathSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import dotenv from 'dotenv';
import { validateCloudRequest } from 'cloudinary-agent-account';
import {
  createCloudTool, createAccountTool, cloudInputSchema, cloudOutputSchema, outputSchema, cloudAnnotations,
  toAnthropicTool, toOpenAITool, cloudAdviceFor, cloudState,
} from 'cloudinary-agent-account/tool';
import { startEmulator, startServer, request } from './harness.mjs';
import { assertNoSecret } from './secrets.mjs';

let emu;
let privateEmu;
before(async () => {
  [emu, privateEmu] = await Promise.all([
    startEmulator(['--rate-limit', 'off', '--daily-cap', 'off', '--cloud-daily-cap', 'off']),
    startEmulator(['--caller-not-public']),
  ]);
});
after(async () => { await Promise.all([emu.stop(), privateEmu.stop()]); });

function ajv() {
  const a = new Ajv2020({ strict: true, allErrors: true });
  (addFormats.default || addFormats)(a);
  return a;
}
const checkResult = ajv().compile(cloudOutputSchema);
/** Fails unless the result validates against the tool's outputSchema. */
function valid(result) {
  assert.ok(checkResult(result), `outputSchema: ${JSON.stringify(checkResult.errors)}`);
  return result;
}
function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-cloud-tool-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}
/** The secret and the claim token saved in an env file. */
function savedSecrets(file) {
  const env = dotenv.parse(readFileSync(file, 'utf8'));
  return { secret: /:([^:@]+)@/.exec(env.CLOUDINARY_URL)[1], token: new URL(env.CLOUDINARY_CLOUD_CLAIM_URL).searchParams.get('token') };
}

test('the input schema gives the client\'s verdict (validateCloudRequest, the Rust rules) on every body listed', () => {
  const validate = ajv().compile(cloudInputSchema);
  const bodies = [
    {}, { email: 'jane@example.com' }, { delivery_ips: [] }, { delivery_ips: ['203.0.113.7'] },
    { delivery_ips: ['2001:db8::7', '203.0.113.7', 'requester_ip'] }, { delivery_ips: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] },
    { delivery_ips: ['10.0.0.0/8'] }, { delivery_ips: ['cloudinary.com'] }, { delivery_ips: ['203.0.113.7', '203.0.113.7'] },
    { delivery_ips: '203.0.113.7' }, { delivery_ips: [7] }, { email: 'nope' }, { email: null }, { agent_framework: 'x' },
    { agent_framework: 'langchain', agent_llm_model: 'gpt-5', agent_goal: 'Host the shop images', sdk_framework: 'nextjs' },
    { agent_goal: 'g'.repeat(301) }, { agent_goal: 'g'.repeat(300) }, { unknown_key: 1 }, { agent_framework: 'a\u202eb' },
  ];
  for (const body of bodies) {
    assert.equal(validate(body), validateCloudRequest(body).length === 0, JSON.stringify(body).slice(0, 80));
  }
  assert.deepEqual(Object.keys(cloudInputSchema.properties), ['delivery_ips', 'email', 'agent_framework', 'agent_llm_model', 'agent_goal', 'sdk_framework']);
  assert.equal(cloudInputSchema.required, undefined, 'every field optional');
  assert.equal(createCloudTool.inputSchema, cloudInputSchema);
});

test('name, annotations and both descriptions tell a model which tool to use', () => {
  assert.equal(createCloudTool.name, 'create_cloudinary_cloud');
  assert.deepEqual({ ...cloudAnnotations }, {
    title: 'Create a Claimable Cloudinary cloud', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true,
  });
  assert.equal(createCloudTool.annotations, cloudAnnotations);
  const which = /Which one: create_cloudinary_cloud to start work now .*create_cloudinary_account when the person wants a permanent account under their own e-mail/;
  assert.match(createCloudTool.description, which);
  assert.match(createAccountTool.description, which);
  for (const re of [/work at once/, /24 hours/, /claim link/, /only way to keep it/, /never invent/, /rate-limited per IP/]) {
    assert.match(createCloudTool.description, re);
  }
  assert.deepEqual(toAnthropicTool(createCloudTool), { name: 'create_cloudinary_cloud', description: createCloudTool.description, input_schema: cloudInputSchema });
  assert.equal(toOpenAITool(createCloudTool).function.parameters, cloudInputSchema);
  assert.equal(createCloudTool.outputSchema, cloudOutputSchema);
  ajv().compile(outputSchema); // the account tool's schema still compiles after sharing its parts
});

test('execute creates, saves the three keys to a git-ignored file, and answers with the claim as headline, chat-safe', async () => {
  const dir = gitRepo();
  const file = join(dir, '.env');
  const result = valid(await createCloudTool.execute({ delivery_ips: ['203.0.113.7'], agent_goal: 'Host the shop images' }, { baseUrl: emu.url, saveTo: file }));
  assert.equal(result.ok, true, JSON.stringify(result.error));
  const { secret, token } = savedSecrets(file);
  assertNoSecret(result, secret, 'the tool result: secret');
  assertNoSecret(result, token, 'the tool result: claim token');
  assert.match(result.nextSteps, /^Give the person the claim link before \d{4}-\d\d-\d\d \d\d:\d\d UTC: it is the only way to keep the cloud/);
  assert.match(result.nextSteps, new RegExp(`saved in ${file.replace(/[.]/g, '\\.')} as CLOUDINARY_CLOUD_CLAIM_URL`));
  assert.match(result.nextSteps, /npx cloudinary-agent-account claim/);
  assert.match(result.nextSteps, /x-cld-error: ACL deny/);
  assert.match(result.nextSteps, /uploads still work/);
  assert.match(result.claimLink, /CLOUDINARY_CLOUD_CLAIM_URL in /);
  assert.equal(result.cloud.claim_url, `${emu.url}/claim?token=[REDACTED]`);
  assert.equal(result.cloud.api_secret, '[REDACTED]');
  assert.ok(result.deliveryIps.includes('203.0.113.7'));
  assert.equal(result.expiresAt, dotenv.parse(readFileSync(file, 'utf8')).CLOUDINARY_CLOUD_EXPIRES_AT);
  assert.ok(Date.parse(result.expiresAt) > Date.now() + 23 * 3600e3);
  assert.equal(result.credentials.ignoredByGit, true);

  // The credentials work at once (the ping), unlike an account's.
  const url = new URL(dotenv.parse(readFileSync(file, 'utf8')).CLOUDINARY_URL);
  const ping = await fetch(`${emu.url}/v1_1/${url.hostname}/ping`, { headers: { authorization: `Basic ${btoa(`${url.username}:${decodeURIComponent(url.password)}`)}` } });
  assert.equal(ping.status, 200);

  // A second call into the same file: refused before sending.
  const again = valid(await createCloudTool.execute({}, { baseUrl: emu.url, saveTo: file }));
  assert.equal(again.error.code, 'credentials_exist');
  assert.match(again.advice, /a new cloud could not be stored/);
});

test('onCloud hands the full cloud to the program; the result still holds neither the secret nor the token', async () => {
  let full;
  const r = valid(await createCloudTool.execute({}, { baseUrl: emu.url, onCloud: (c) => { full = c; } }));
  assert.equal(r.ok, true);
  assert.match(full.claim_url, /\?token=[^[]/, 'the program got the full link');
  assertNoSecret(r, full.api_secret, 'the result: secret');
  assertNoSecret(r, new URL(full.claim_url).searchParams.get('token'), 'the result: token');
  assert.match(r.nextSteps, /The program received the full link \(onCloud\)/);
  const nowhere = valid(await createCloudTool.execute({}, { baseUrl: emu.url }));
  assert.equal(nowhere.error.code, 'no_destination');
});

test('errors: invalid input names the entry, a private caller is delivery_ips_not_public, each with advice and valid against outputSchema', async () => {
  const server = await startServer((req, res) => { res.writeHead(500); res.end(); });
  try {
    const bad = valid(await createCloudTool.execute({ delivery_ips: ['10.0.0.0/8'] }, { baseUrl: server.url, onCloud() {} }));
    assert.equal(bad.error.code, 'invalid_input');
    assert.match(bad.error.issues[0].field, /^delivery_ips/);
    assert.equal(server.requests.length, 0, 'nothing was sent');
  } finally {
    await server.stop();
  }
  const dir = gitRepo();
  const np = valid(await createCloudTool.execute({}, { baseUrl: privateEmu.url, saveTo: join(dir, '.env') }));
  assert.equal(np.ok, false);
  assert.equal(np.error.code, 'delivery_ips_not_public');
  assert.match(np.advice, /private address \(a VPN, proxy or gateway\)/);
  assert.match(np.advice, /create_cloudinary_account/);
  assert.equal(cloudAdviceFor({ code: 'rate_limited', serverCode: 'global_rate_limit_exceeded' }).includes('Cloudinary as a whole'), true);
  assert.match(cloudAdviceFor({ code: 'timeout', mayHaveCreatedAccount: true }), /disabled by itself within 24 hours/);
});

test('a save and fallback that both fail: save_failed with the cloud redacted, valid against outputSchema', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-cloud-tool-')));
  const FAKE = { cloud_name: 'c9', api_key: '1234567', api_secret: 'FAKE-cloud-secret-9999', api_environment_variable: 'CLOUDINARY_URL=cloudinary://1234567:FAKE-cloud-secret-9999@c9', claimed: false, expires_at: '2026-08-19T16:13:09Z', delivery_ips: ['203.0.113.7'], claim_url: 'https://console.example.com/claim?token=FAKEtokenNINEnine9', email: 'cloud-c9@cloud.cloudinary.invalid', account_id: 'a9', guidance: 'claim it' };
  const server = await startServer((req, res) => {
    rmSync(join(dir, 'sub'), { recursive: true, force: true });
    writeFileSync(join(dir, 'sub'), 'x');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(FAKE));
  });
  const home = process.env.HOME;
  try {
    mkdirSync(join(dir, 'sub'));
    process.env.HOME = join(dir, 'no-home');
    const r = valid(await createCloudTool.execute({}, { baseUrl: server.url, saveTo: join(dir, 'sub', '.env') }));
    assert.equal(r.error.code, 'save_failed');
    assert.equal(r.error.mayHaveCreatedAccount, true);
    assert.equal(r.cloud.claim_url, 'https://console.example.com/claim?token=[REDACTED]');
    assert.match(r.advice, /The cloud was created, but its credentials and claim link could not be stored/);
    assertNoSecret(r, FAKE.api_secret, 'save_failed: secret');
    assertNoSecret(r, 'FAKEtokenNINEnine9', 'save_failed: token');
  } finally {
    process.env.HOME = home;
    await server.stop();
  }
});

test('the account tool\'s results validate against its outputSchema too (the shared parts)', async () => {
  const check = ajv().compile(outputSchema);
  const ok = await createAccountTool.execute(request(), { baseUrl: emu.url, onAccount() {} });
  assert.ok(check(ok), JSON.stringify(check.errors));
  const bad = await createAccountTool.execute({ ...request(), email: 'x' }, { baseUrl: emu.url, onAccount() {} });
  assert.ok(check(bad), JSON.stringify(check.errors));
});

test('cloudState: a working ping before the expiry is working, after it claimed; a failing one after it expired', () => {
  const at = '2026-08-19T16:13:09Z';
  const before = Date.parse(at) - 1000;
  const after = Date.parse(at) + 1000;
  assert.equal(cloudState('active', at, before), 'working');
  assert.equal(cloudState('active', at, after), 'claimed');
  for (const s of ['pending', 'disabled', 'unknown']) {
    assert.equal(cloudState(s, at, after), 'expired');
    assert.equal(cloudState(s, at, before), 'unknown');
  }
  assert.equal(cloudState('active', 'not a time', after), 'working', 'no expiry known: never claimed nor expired');
});
