// Consent through elicitation: the SDK's Client, over stdio and over Streamable HTTP, declares
// elicitation and answers the creating tool's form (accept, accept with a corrected address,
// accept without agreeing, decline, cancel, an invalid correction), or declares nothing. Where
// the person did not agree, nothing reaches the emulator (no e-mail in its outbox, no env file);
// every result validates against the tool's outputSchema; no secret in any message or on stderr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startEmulator, request } from '../support/index.mjs';
import { assertNoSecret } from './secrets.mjs';
import { openClient } from './mcp-serve.mjs';

let emu;
before(async () => { emu = await startEmulator(['--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-consent-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

const outbox = async (email) => (await (await fetch(`${emu.url}/_emulator/outbox?to=${encodeURIComponent(email)}`)).json()).filter((m) => m.to === email);

/** A client over `kind` in `dir`; `answer` answers each form (none declared when undefined). */
const open = (kind, dir, answer) => openClient(kind, dir, { base: emu.url, modes: answer ? ['form'] : [], answer });

const ajv = addFormats(new Ajv({ strict: true, allErrors: true }));

/** One case: calls the tool with `input` answered by `answer`; checks the result's schema. */
async function call(kind, answer, input = request()) {
  const dir = gitRepo();
  const c = await open(kind, dir, answer);
  try {
    const { tools } = await c.client.listTools();
    const tool = tools.find((t) => t.name === 'create_cloudinary_account');
    const validate = ajv.compile(tool.outputSchema);
    const r = await c.client.callTool({ name: tool.name, arguments: input });
    assert.ok(validate(r.structuredContent), `${ajv.errorsText(validate.errors)} in ${JSON.stringify(r.structuredContent)}`);
    assert.equal(r.isError, r.structuredContent.ok === false);
    return { r: r.structuredContent, text: r.content[0].text, dir, input, asked: c.asked, received: c.received, stderr: c.output() };
  } finally {
    await c.close();
  }
}

/** Nothing was sent: no e-mail to either address, no env file. */
async function nothingSent(res, ...emails) {
  for (const e of emails) assert.deepEqual(await outbox(e), [], `an e-mail went to ${e}`);
  assert.equal(existsSync(join(res.dir, '.env')), false);
}

for (const kind of ['stdio', 'http']) {
  test(`${kind}: accept, with the address as sent: created, the form asked for no secret, nextSteps hands off`, async () => {
    const res = await call(kind, (p) => ({ action: 'accept', content: { email: p.requestedSchema.properties.email.default, agree: true } }));
    assert.equal(res.r.ok, true, res.text);
    assert.deepEqual(res.r.consent, { via: 'form', action: 'accept', agreed: true, emailCorrected: false });
    assert.equal(res.asked.length, 1);
    const [form] = res.asked;
    assert.equal(form.mode, 'form');
    assert.deepEqual(Object.keys(form.requestedSchema.properties).sort(), ['agree', 'email']);
    assert.equal(form.requestedSchema.properties.email.format, 'email');
    assert.equal(form.requestedSchema.properties.email.default, res.input.email);
    assert.deepEqual(form.requestedSchema.required, ['email', 'agree']);
    assert.match(form.message, /in your name/);
    assert.match(form.message, /verify/);
    assert.ok(form.message.includes(join(res.dir, '.env')));
    assert.equal((await outbox(res.input.email)).length, 1);
    assert.match(res.r.nextSteps, /connect_cloudinary_mcp/);
    const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(readFileSync(join(res.dir, '.env'), 'utf8'))[1];
    assertNoSecret(res.received, secret, `${kind}: the messages the client received`);
    assertNoSecret(res.asked, secret, `${kind}: the elicitation`);
    assertNoSecret(res.stderr, secret, `${kind}: the server's stderr`);
  });

  test(`${kind}: accept with a corrected address: the account is for the corrected one`, async () => {
    const corrected = request().email;
    const res = await call(kind, () => ({ action: 'accept', content: { email: corrected, agree: true } }));
    assert.equal(res.r.ok, true, res.text);
    assert.equal(res.r.account.email, corrected);
    assert.equal(res.r.consent.emailCorrected, true);
    assert.equal((await outbox(corrected)).length, 1);
    assert.deepEqual(await outbox(res.input.email), []);
  });

  for (const [what, answer, action] of [
    ['decline', () => ({ action: 'decline' }), 'decline'],
    ['cancel', () => ({ action: 'cancel' }), 'cancel'],
    ['accept without agreeing', (p) => ({ action: 'accept', content: { email: p.requestedSchema.properties.email.default, agree: false } }), 'accept'],
  ]) {
    test(`${kind}: ${what}: nothing is sent, and the result says not to call again unless asked`, async () => {
      const res = await call(kind, answer);
      assert.equal(res.r.ok, false);
      assert.equal(res.r.error.code, 'declined');
      assert.equal(res.r.error.mayHaveCreatedAccount, false);
      assert.deepEqual(res.r.consent, { via: 'form', action, agreed: false });
      assert.match(res.r.advice, /do not call create_cloudinary_account again unless the person asks/);
      assert.match(res.text, /declined/);
      await nothingSent(res, res.input.email);
    });
  }

  test(`${kind}: an invalid correction is refused by the same rules, naming the field; nothing is sent`, async () => {
    const res = await call(kind, () => ({ action: 'accept', content: { email: 'not-an-address', agree: true } }));
    assert.equal(res.r.ok, false);
    assert.equal(res.r.error.code, 'invalid_input');
    assert.deepEqual(res.r.error.issues.map((i) => i.field), ['email']);
    assert.match(res.r.error.message, /confirmation form/);
    await nothingSent(res, res.input.email);
  });

  test(`${kind}: no elicitation capability: works as before (the host's approval is the consent)`, async () => {
    const res = await call(kind, undefined);
    assert.equal(res.r.ok, true, res.text);
    assert.deepEqual(res.r.consent, { via: 'host' });
    assert.equal((await outbox(res.input.email)).length, 1);
  });
}

test('a 2025-06-18 client, which declares `elicitation: {}` (form only), is asked too', async () => {
  const dir = gitRepo();
  const input = request();
  const c = await openClient('stdio', dir, { base: emu.url, elicitation: {}, answer: (p) => ({ action: 'accept', content: { email: p.requestedSchema.properties.email.default, agree: true } }) });
  try {
    const r = (await c.client.callTool({ name: 'create_cloudinary_account', arguments: input })).structuredContent;
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(c.asked.length, 1);
    assert.equal(r.consent.via, 'form');
    assert.equal((await outbox(input.email)).length, 1);
  } finally {
    await c.close();
  }
});

test('a call that would not send (invalid input) is refused without asking the person', async () => {
  const res = await call('stdio', () => assert.fail('asked'), { email: 'x' });
  assert.equal(res.r.error.code, 'invalid_input');
  assert.equal(res.asked.length, 0);
  assert.equal(res.r.consent, undefined);
});

test('the instructions say what consent is without elicitation, and where to go once active', async () => {
  const c = await open('stdio', gitRepo());
  try {
    const text = c.client.getInstructions();
    assert.match(text, /elicitation/);
    assert.match(text, /tool approval is the person's consent/);
    assert.match(text, /connect_cloudinary_mcp/);
  } finally {
    await c.close();
  }
});
