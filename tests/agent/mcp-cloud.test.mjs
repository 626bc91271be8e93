// create_cloudinary_cloud over MCP: the SDK's Client over stdio and Streamable HTTP, with form
// and URL-mode elicitation, one of them, or none. The form's consent before anything is sent;
// the claim page offered to the person through URL mode (the one channel for the full link),
// never in a result; check_cloudinary_account_activation on a cloud: working, claimed, expired.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import dotenv from 'dotenv';
import { cloudOutputSchema } from 'cloudinary-agent-account/tool';
import { withConsent, CHECK_OUTPUT_SCHEMA } from 'cloudinary-agent-account-mcp';
import { startEmulator } from '../support/index.mjs';
import { assertNoSecret } from './secrets.mjs';
import { openClient } from './mcp-serve.mjs';

let emu;
let shortLived;
before(async () => {
  [emu, shortLived] = await Promise.all([
    startEmulator(['--rate-limit', 'off', '--daily-cap', 'off', '--cloud-daily-cap', 'off']),
    // Clouds that expire 2 s after creation, for the check past the expiry.
    startEmulator(['--rate-limit', 'off', '--daily-cap', 'off', '--cloud-daily-cap', 'off', '--cloud-lifetime', '2']),
  ]);
});
after(async () => { await Promise.all([emu.stop(), shortLived.stop()]); });

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-cloud-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

const saved = (dir) => dotenv.parse(readFileSync(join(dir, '.env'), 'utf8'));
const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));

const open = (kind, dir, { base = emu.url, ...rest } = {}) => openClient(kind, dir, { base, ...rest });

async function callCloud(c, args = {}) {
  const { tools } = await c.client.listTools();
  const tool = tools.find((t) => t.name === 'create_cloudinary_cloud');
  const validate = ajv.compile(tool.outputSchema);
  const r = await c.client.callTool({ name: tool.name, arguments: args });
  assert.ok(validate(r.structuredContent), `${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.structuredContent)}`);
  assert.equal(r.isError, r.structuredContent.ok === false);
  return r;
}

const accept = (p) => (p.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: { agree: true } });

test('tools/list: create_cloudinary_cloud with the tool\'s outputSchema plus consent and claimPage', async () => {
  const c = await open('stdio', gitRepo());
  try {
    const { tools } = await c.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['create_cloudinary_account', 'create_cloudinary_cloud', 'check_cloudinary_account_activation', 'connect_cloudinary_mcp']);
    const cloud = tools[1];
    assert.deepEqual(cloud.outputSchema, JSON.parse(JSON.stringify(withConsent(cloudOutputSchema, { claimPage: true }))));
    assert.equal(cloud.annotations.readOnlyHint, false);
  } finally {
    await c.close();
  }
});

for (const kind of ['stdio', 'http']) {
  test(`${kind}: form and URL mode accepted: created after consent; the claim page goes to the person only; nextSteps hands off`, async () => {
    const dir = gitRepo();
    const c = await open(kind, dir, { modes: ['form', 'url'], answer: accept });
    let r;
    try {
      r = await callCloud(c);
    } finally {
      await c.close();
    }
    const v = r.structuredContent;
    assert.equal(v.ok, true, r.content[0].text);
    assert.deepEqual(v.consent, { via: 'form', action: 'accept', agreed: true, emailCorrected: false });
    assert.deepEqual(v.claimPage, { offered: true, action: 'accept' });
    assert.match(v.nextSteps, /connect_cloudinary_mcp/);
    const [form, page] = c.asked;
    assert.equal(form.mode, 'form');
    assert.deepEqual(form.requestedSchema.required, ['agree']);
    assert.match(form.message, /24 hours/);
    assert.match(form.message, /claim/);
    assert.equal(page.mode, 'url');
    const env = saved(dir);
    assert.equal(page.url, env.CLOUDINARY_CLOUD_CLAIM_URL);
    assert.ok(page.elicitationId);
    // Only the URL-mode request holds the claim token; the results and everything else do not.
    const token = new URL(env.CLOUDINARY_CLOUD_CLAIM_URL).searchParams.get('token');
    const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(env.CLOUDINARY_URL)[1];
    const others = c.received.filter((m) => !(m.method === 'elicitation/create' && m.params.mode === 'url'));
    assertNoSecret(others, token, `${kind}: messages other than the claim page's`);
    assertNoSecret(c.received, secret, `${kind}: the messages`);
    assertNoSecret(r, token, `${kind}: the result`);
    assertNoSecret(c.output(), secret, `${kind}: stderr`);
    assertNoSecret(c.output(), token, `${kind}: stderr`);
  });

  test(`${kind}: the form declined: no cloud, no env file`, async () => {
    const dir = gitRepo();
    const c = await open(kind, dir, { modes: ['form', 'url'], answer: () => ({ action: 'decline' }) });
    try {
      const r = await callCloud(c);
      assert.equal(r.structuredContent.error.code, 'declined');
      assert.match(r.structuredContent.advice, /do not call create_cloudinary_cloud again unless the person asks/);
      assert.equal(c.asked.length, 1);
    } finally {
      await c.close();
    }
    assert.equal(existsSync(join(dir, '.env')), false);
  });
}

test('form only: an optional e-mail given in the form pre-fills the claim; no URL mode, so the page is not offered', async () => {
  const dir = gitRepo();
  const c = await open('stdio', dir, { modes: ['form'], answer: () => ({ action: 'accept', content: { email: 'jane@example.com', agree: true } }) });
  try {
    const r = await callCloud(c);
    assert.equal(r.structuredContent.ok, true, r.content[0].text);
    assert.equal(r.structuredContent.consent.emailCorrected, true);
    assert.deepEqual(r.structuredContent.claimPage, { offered: false });
    assert.equal(c.asked.length, 1);
  } finally {
    await c.close();
  }
});

test('no elicitation: created on the host\'s approval; the check says working, then (2 s clouds) expired or claimed', async () => {
  const vCheck = ajv.compile(CHECK_OUTPUT_SCHEMA);
  const dirs = [gitRepo(), gitRepo()];
  const checks = [];
  for (const dir of dirs) {
    const c = await open('stdio', dir, { base: shortLived.url });
    try {
      const r = await callCloud(c);
      assert.deepEqual(r.structuredContent.consent, { via: 'host' });
      assert.deepEqual(r.structuredContent.claimPage, { offered: false });
      const now = await c.client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
      assert.ok(vCheck(now.structuredContent), ajv.errorsText(vCheck.errors));
      assert.equal(now.structuredContent.kind, 'cloud');
      assert.equal(now.structuredContent.state, 'working');
      assert.equal(now.structuredContent.expiresAt, saved(dir).CLOUDINARY_CLOUD_EXPIRES_AT);
      assert.match(now.structuredContent.nextSteps, /connect_cloudinary_mcp/);
      checks.push(now);
    } finally {
      await c.close();
    }
  }
  // The person claims the second: the claim form, then the confirmation e-mail's link.
  const link = saved(dirs[1]).CLOUDINARY_CLOUD_CLAIM_URL;
  const form = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=claimer-mcp%40example.com&terms=accepted' });
  assert.equal(form.status, 200);
  const mail = (await (await fetch(`${shortLived.url}/_emulator/outbox?to=claimer-mcp%40example.com`)).json()).pop();
  assert.equal((await fetch(mail.verify_url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status, 200);
  const wait = Date.parse(saved(dirs[0]).CLOUDINARY_CLOUD_EXPIRES_AT) - Date.now() + 1200;
  await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  for (const [dir, state] of [[dirs[0], 'expired'], [dirs[1], 'claimed']]) {
    const c = await open('stdio', dir, { base: shortLived.url });
    try {
      const r = await c.client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
      assert.ok(vCheck(r.structuredContent), ajv.errorsText(vCheck.errors));
      assert.equal(r.structuredContent.state, state, r.content[0].text);
      assert.equal(Boolean(r.structuredContent.nextSteps), state === 'claimed');
      checks.push(r);
    } finally {
      await c.close();
    }
  }
  for (const dir of dirs) {
    const env = saved(dir);
    assertNoSecret(checks, new URL(env.CLOUDINARY_CLOUD_CLAIM_URL).searchParams.get('token'), 'the check results');
    assertNoSecret(checks, /cloudinary:\/\/\d+:([^@\s]+)@/.exec(env.CLOUDINARY_URL)[1], 'the check results');
  }
});
