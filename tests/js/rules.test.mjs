// The Node entries validate with the rules wasm (src/wasm/packed.rs, feature `rules`): no
// imports, instantiated at import; the client wasm only on the first call that needs it.
// Its answers are the client wasm's, value for value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { validateRequest, isValidRequest } from 'cloudinary-agent-account';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('cloudinary-agent-account/package.json'));
const here = dirname(fileURLToPath(import.meta.url));

test('the rules wasm has no imports (V8 compiles a wrapper per import signature at every start)', () => {
  const module = new WebAssembly.Module(readFileSync(join(root, 'rules', 'rules_bg.wasm')));
  assert.deepEqual(WebAssembly.Module.imports(module), []);
  assert.ok(WebAssembly.Module.exports(module).some((e) => e.name === '__validatePacked'));
});

// Runs `body` (an ES module's text) in a fresh Node process in this directory; returns what
// it wrote to stdout, parsed.
function fresh(body, args = []) {
  return JSON.parse(execFileSync(process.execPath, [...args, '--input-type=module', '-e', body],
    { cwd: here, encoding: 'utf8' }));
}

// Counts the wasm instances a fresh process makes, by the size of each module's bytes.
const COUNT = `
  const sizes = [];
  const Module = WebAssembly.Module;
  WebAssembly.Module = function (bytes) { sizes.push(bytes.byteLength); return new Module(bytes); };
`;

for (const [loader, load] of [
  ['import', "await import('cloudinary-agent-account')"],
  ['require', "(await import('node:module')).createRequire(import.meta.url)('cloudinary-agent-account')"],
]) {
  test(`${loader}: validateRequest compiles the rules wasm alone; the client on the first createAccount`, () => {
    const rules = readFileSync(join(root, 'rules', 'rules_bg.wasm')).length;
    const client = readFileSync(join(root, 'core', 'cloudinary_agent_account_bg.wasm')).length;
    const seen = fresh(`${COUNT}
      const m = ${load};
      const atImport = [...sizes];
      const issues = m.validateRequest({ email: 'nope' });
      const afterValidate = [...sizes];
      const e = await m.createAccount({}).catch((x) => x);
      process.stdout.write(JSON.stringify({ atImport, afterValidate, issues: issues.length,
        after: sizes, code: e.code, isClass: e instanceof m.AgentAccountError }));
    `);
    assert.deepEqual(seen.atImport, [rules]);
    assert.deepEqual(seen.afterValidate, [rules]);
    assert.equal(seen.issues, 4);
    assert.deepEqual(seen.after, [rules, client]);
    assert.equal(seen.code, 'invalid_input');
    assert.ok(seen.isClass, 'the error is an instance of the exported class');
  });
}

test('a client wasm that cannot be loaded rejects the call that needs it; validation still works', () => {
  // The module compiled for the client is refused (as a missing or damaged file would be).
  const seen = fresh(`
    const Module = WebAssembly.Module;
    let n = 0;
    WebAssembly.Module = function (bytes) { if (++n === 2) throw new Error('damaged'); return new Module(bytes); };
    const m = await import('cloudinary-agent-account');
    let threw = false;
    let p;
    try { p = m.createAccount({ email: 'jane@example.com' }); } catch { threw = true; }
    const why = await p.catch((e) => e.message);
    process.stdout.write(JSON.stringify({ threw, why, valid: m.validateRequest({}).length }));
  `);
  assert.deepEqual(seen, { threw: false, why: 'damaged', valid: 4 });
});

test('import on a Node without process.getBuiltinModule (< 20.16) says what it needs', () => {
  const seen = fresh(`
    delete process.getBuiltinModule;
    const why = await import('cloudinary-agent-account').then(() => 'loaded', (e) => e.message);
    process.stdout.write(JSON.stringify(why));
  `);
  assert.match(seen, /needs Node\.js 20\.16 or later/);
});

// Values of every kind the packer tells apart, hostile ones included.
function corpus() {
  const ok = { email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const values = [
    undefined, null, true, 0, 1n, Symbol('s'), 'text', () => {}, [], [ok], new Date(0), revoked.proxy,
    {}, ok, { ...ok, sdk_framework: null }, { ...ok, sdk_framework: undefined }, { ...ok, sdk_framework: 'x' },
    { ...ok, email: ' \t jane@example.com\r\n' }, { ...ok, email: '\u00a0jane@example.com\u3000' },
    { ...ok, email: 'jane@exa mple.com' }, { ...ok, email: 'jane@-example.com' }, { ...ok, email: '@example.com' },
    { ...ok, email: 'jane@example..com' }, { ...ok, email: 'jané@example.com' }, { ...ok, email: 'jane@example' },
    { ...ok, agent_goal: 'x' }, { ...ok, agent_goal: 'y'.repeat(301) }, { ...ok, agent_goal: 'a\u202Eb' },
    { ...ok, agent_goal: 'a\nb' }, { ...ok, agent_goal: '😀'.repeat(150) }, { ...ok, agent_goal: '\ud800\udc00x' },
    { ...ok, agent_goal: 'lone \ud800 surrogate' }, { ...ok, agent_goal: 42 }, { ...ok, agent_goal: {} },
    { ...ok, agnet_goal: 'typo' }, { ...ok, 'a,b': 'comma', '': 'empty key', '9': 'digit key' },
    { ...ok, ['k\u0000ey']: 'NUL' }, { ...ok, 'emoji_😀': '😀' },
    new Proxy({}, { ownKeys() { throw new Error('trap'); } }),
    { ...ok, get agent_goal() { throw new Error('getter'); } },
    Object.assign(Object.create({ inherited: 1 }), ok),
  ];
  return values;
}

test('validateRequest and isValidRequest answer as the client wasm does, value for value', () => {
  const core = require(join(root, 'node', 'core.cjs'));
  // Its own instance, apart from the package's (initSync on the CommonJS copy of the glue).
  core.initSync({ module: readFileSync(join(root, 'core', 'cloudinary_agent_account_bg.wasm')) });
  for (const [i, v] of corpus().entries()) {
    const expected = core.validateRequest(v);
    assert.deepEqual(validateRequest(v), expected, `value ${i}`);
    assert.equal(isValidRequest(v), expected.length === 0, `value ${i}`);
  }
});

test('the rules wasm\'s memory stays the size of its largest call across 100,000 validations (its bump allocator resets between calls)', () => {
  const got = fresh(`
    const instances = [];
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = function (module, imports) { const i = new Instance(module, imports); instances.push(i); return i; };
    const { validateRequest } = await import('cloudinary-agent-account');
    const rules = instances.find((i) => '__validatePacked' in i.exports);
    const size = () => rules.exports.memory.buffer.byteLength;
    const valid = { email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' };
    // Valid, invalid (issues as JSON), not ASCII (the glue reallocates), long, not objects.
    const inputs = [valid, { ...valid, email: 'nope', sdkFramework: 1 }, { ...valid, agent_goal: 'é😀'.repeat(100) },
      { ...valid, agent_goal: 'x'.repeat(300_000) }, 42, null, [], { ['k'.repeat(5000)]: 'v' }];
    const answers = inputs.map((v) => JSON.stringify(validateRequest(v)));
    const before = size();
    let same = true;
    for (let i = 0; i < 100_000; i++) {
      const k = i % inputs.length;
      if (JSON.stringify(validateRequest(inputs[k])) !== answers[k]) same = false;
    }
    process.stdout.write(JSON.stringify({ before, after: size(), same }));
  `);
  assert.ok(got.same, 'every answer the same as the first time');
  assert.equal(got.after, got.before, `memory grew from ${got.before} to ${got.after} bytes`);
});
