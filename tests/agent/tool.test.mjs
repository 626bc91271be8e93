// §4: the function-calling tool: its schema against the Rust verdicts (ajv), its description
// and annotations, execute against the emulator, and the Vercel AI SDK's generateText with
// its mock model calling it end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, statSync, realpathSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { generateText, jsonSchema, isStepCount } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import {
  createAccountTool, inputSchema, annotations, toAISDKTool, toOpenAITool, toAnthropicTool, adviceFor,
} from 'cloudinary-agent-account/tool';
import { startEmulator, startServer, request, CONSUMER } from '../support/index.mjs';
import { assertNoSecret, secretOf } from './secrets.mjs';

const { vectors, schemaCannotExpress } = JSON.parse(readFileSync(join(CONSUMER, 'vectors.json'), 'utf8'));

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-tool-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

// Where JSON Schema cannot follow the Rust rules (src/schema.rs SCHEMA_CANNOT_EXPRESS): the
// client trims white space before checking, the schema sees the raw string. Each such vector
// is listed here by name, with the schema's (differing) verdict.
const SCHEMA_DIFFERS = new Map([
  ['whitespace around values', false], // trailing line breaks are control characters to the schema
  ['agent_framework only spaces', true], // three characters to the schema, empty once trimmed
  ['agent_framework one char in spaces', true], // three characters to the schema, one once trimmed
  ['email "..@example.com"', false], // ajv-formats' `email` is RFC 5321; WHATWG allows the dots
]);

test('the input schema gives the Rust verdict on every vector of tests/validate.rs, except where listed', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default ? addFormats.default(ajv) : addFormats(ajv);
  const validate = ajv.compile(inputSchema);
  assert.ok(vectors.length > 100, `${vectors.length} vectors`);
  assert.equal(schemaCannotExpress.length, 3);
  const differing = [];
  for (const v of vectors) {
    const verdict = validate(v.body);
    if (verdict !== v.valid) differing.push(v.name);
    if (SCHEMA_DIFFERS.has(v.name)) {
      assert.equal(verdict, SCHEMA_DIFFERS.get(v.name), `${v.name}: the listed difference`);
    } else {
      assert.equal(verdict, v.valid, `${v.name}: ajv says ${verdict}, Rust says ${v.valid}`);
    }
  }
  assert.deepEqual(differing.sort(), [...SCHEMA_DIFFERS.keys()].sort());
});

test('the schema: five fields, the required four, no $ref, 2020-12 keywords only', () => {
  assert.deepEqual(Object.keys(inputSchema.properties), ['email', 'agent_framework', 'agent_llm_model', 'agent_goal', 'sdk_framework']);
  assert.deepEqual(inputSchema.required, ['email', 'agent_framework', 'agent_llm_model', 'agent_goal']);
  assert.equal(inputSchema.additionalProperties, false);
  assert.equal(inputSchema.properties.email.format, 'email');
  assert.equal(inputSchema.properties.agent_goal.maxLength, 300);
  assert.ok(!JSON.stringify(inputSchema).includes('$ref'));
  assert.equal(createAccountTool.inputSchema, inputSchema);
});

test('name, description and annotations say what the call does to the world', () => {
  assert.equal(createAccountTool.name, 'create_cloudinary_account');
  assert.deepEqual({ ...annotations }, {
    title: 'Create a Cloudinary account', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true,
  });
  const d = createAccountTool.description;
  for (const re of [/real Cloudinary account/, /owned by the person/, /e-mails them/, /once per address/, /rate-limited per IP/, /24 hours/, /Never ask the person for the API secret/]) {
    assert.match(d, re);
  }
  assert.deepEqual(toAnthropicTool(createAccountTool), { name: 'create_cloudinary_account', description: d, input_schema: inputSchema });
  assert.equal(toOpenAITool(createAccountTool).function.parameters, inputSchema);
});

test('execute creates, saves to a git-ignored 0600 file, and returns a chat-safe result', async () => {
  const dir = gitRepo();
  const input = request();
  const result = await createAccountTool.execute(input, { baseUrl: emu.url, saveTo: join(dir, '.env') });
  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(result.account.product_environments[0].api_secret, '[REDACTED]');
  assert.equal(result.credentials.savedTo, join(dir, '.env'));
  assert.equal(result.credentials.action, 'created');
  assert.equal(result.credentials.ignoredByGit, true);
  assert.match(result.nextSteps, new RegExp(`open the e-mail Cloudinary sent to ${input.email.replace(/[.+]/g, '\\$&')}`));
  assert.match(result.nextSteps, /set a password/);
  assert.ok(Date.parse(result.verifyBy) > Date.now() + 23 * 3600e3);
  assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);
  const saved = readFileSync(join(dir, '.env'), 'utf8');
  const secret = /cloudinary:\/\/\d+:([^@]+)@/.exec(saved)[1];
  assertNoSecret(result, secret, 'the tool result');
});

test('errors resolve to a result with the code and advice; nothing is sent when the env file already has credentials', async () => {
  const dir = gitRepo();
  const bad = await createAccountTool.execute({ ...request(), email: 'nope' }, { baseUrl: emu.url, saveTo: join(dir, '.env') });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'invalid_input');
  assert.equal(bad.error.issues[0].field, 'email');
  assert.match(bad.advice, /Fix the fields/);

  const counting = await startServer((req, res) => { res.writeHead(500); res.end(); });
  try {
    writeFileSync(join(dir, '.env'), 'CLOUDINARY_URL=cloudinary://1:FAKE-existing@c\n');
    const refused = await createAccountTool.execute(request(), { baseUrl: counting.url, saveTo: join(dir, '.env') });
    assert.equal(refused.error.code, 'credentials_exist');
    assert.equal(counting.requests.length, 0, 'nothing was sent');
    const nowhere = await createAccountTool.execute(request(), { baseUrl: counting.url });
    assert.equal(nowhere.error.code, 'no_destination');
    assert.equal(counting.requests.length, 0, 'nothing was sent');
  } finally {
    await counting.stop();
  }

  const input = request();
  let account;
  const first = await createAccountTool.execute(input, { baseUrl: emu.url, onAccount: (a) => { account = a; } });
  assert.equal(first.ok, true);
  assert.equal(first.credentials.savedTo, null);
  assert.equal(typeof secretOf(account), 'string', 'onAccount got the full account');
  assertNoSecret(first, secretOf(account), 'the result');
  const again = await createAccountTool.execute(input, { baseUrl: emu.url, onAccount: () => {} });
  assert.equal(again.ok, false);
  assert.equal(again.error.code, 'account_exists');
  assert.match(again.advice, /Do not retry/);
});

test('§7: a lost answer tells the person to check the inbox and take the key from the Console, not to retry', async () => {
  const advice = adviceFor({ code: 'timeout', mayHaveCreatedAccount: true }, 'jane@example.com');
  assert.match(advice, /Do not retry/);
  assert.match(advice, /inbox of jane@example\.com/);
  assert.match(advice, /Console/);
  assert.doesNotMatch(adviceFor({ code: 'network', mayHaveCreatedAccount: false }), /inbox/);
  // End to end, with the emulator answering 500 (after the client marks 5xx as "may have created").
  await emu.fault({ count: 1, status: 500, body: '{"error":{"message":"boom"}}' });
  const r = await createAccountTool.execute(request(), { baseUrl: emu.url, onAccount: () => {} });
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'server_error');
  if (r.error.mayHaveCreatedAccount) assert.match(r.advice, /check .*inbox/);
});

test('the Vercel AI SDK: generateText with a mock model calls the tool end to end; the model never sees the secret', async () => {
  const dir = gitRepo();
  const input = request();
  const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
  const model = new MockLanguageModelV4({
    doGenerate: [
      { content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'create_cloudinary_account', input: JSON.stringify(input) }], finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [] },
      { content: [{ type: 'text', text: 'Done: check your inbox.' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] },
    ],
  });
  const result = await generateText({
    model,
    tools: { create_cloudinary_account: toAISDKTool(createAccountTool, jsonSchema, { baseUrl: emu.url, saveTo: join(dir, '.env') }) },
    prompt: `Create a Cloudinary account for me, ${input.email}.`,
    stopWhen: isStepCount(3),
  });
  assert.equal(result.text, 'Done: check your inbox.');
  const toolResult = result.steps[0].toolResults[0];
  assert.equal(toolResult.toolName, 'create_cloudinary_account');
  assert.equal(toolResult.output.ok, true, JSON.stringify(toolResult.output.error));
  // The tool schema the model was given is ours.
  const offered = model.doGenerateCalls[0].tools[0];
  assert.equal(offered.name, 'create_cloudinary_account');
  assert.deepEqual(offered.inputSchema, JSON.parse(JSON.stringify(inputSchema)));
  const secret = /cloudinary:\/\/\d+:([^@]+)@/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];
  assertNoSecret(model.doGenerateCalls[1].prompt, secret, 'the prompt of the second step');
  assertNoSecret(result.steps, secret, 'the steps');
});

test('issue 20: a destination that cannot take the credentials sends nothing; a save and fallback that both fail are save_failed, not ok', async () => {
  const { rmSync, mkdirSync, symlinkSync } = await import('node:fs');
  const { fakeAccount } = await import('../support/index.mjs');
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-tool-')));
  const server = await startServer((req, res, body) => {
    // The folder becomes a file while the account is created: the check passed, the save fails.
    rmSync(join(dir, 'sub'), { recursive: true, force: true });
    writeFileSync(join(dir, 'sub'), 'x');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(fakeAccount({ email: JSON.parse(body).email })));
  });
  const home = process.env.HOME;
  try {
    symlinkSync('elsewhere', join(dir, 'link.env'));
    for (const [saveTo, code] of [[join(dir, 'nodir', '.env'), 'not_writable'], [join(dir, 'link.env'), 'symlink'], [dir, 'not_writable']]) {
      const r = await createAccountTool.execute(request(), { baseUrl: server.url, saveTo });
      assert.equal(r.ok, false);
      assert.equal(r.error.code, code, saveTo);
    }
    assert.equal(server.requests.length, 0, 'nothing was sent');
    mkdirSync(join(dir, 'sub'));
    process.env.HOME = join(dir, 'no-home'); // the fallback's last resort fails too
    const r = await createAccountTool.execute(request(), { baseUrl: server.url, saveTo: join(dir, 'sub', '.env') });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'save_failed');
    assert.equal(r.error.mayHaveCreatedAccount, true);
    assert.match(r.advice, /Console/);
    assertNoSecret(r, 'FAKE-not-a-secret', 'the save_failed result');
  } finally {
    process.env.HOME = home;
    await server.stop();
  }
});
