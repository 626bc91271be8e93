// The wasm's allocator (talc, src/lib.rs) frees what each call allocates: once warm, the
// linear memory of each wasm stops growing, across 100,000 validateRequest calls and renders
// of Markdown of many sizes. A leaking (bump) allocator grows it by megabytes and fails here.
// The glue modules are loaded by path (the same files the entry points use), and their
// `initSync` hands back the instance's exports, `memory` among them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = dirname(createRequire(import.meta.url).resolve('cloudinary-agent-account/package.json'));
async function load(dir, name) {
  const glue = await import(pathToFileURL(join(root, dir, `${name}.js`)).href);
  const exports = glue.initSync({ module: readFileSync(join(root, dir, `${name}_bg.wasm`)) });
  return { glue, memoryBytes: () => exports.memory.buffer.byteLength };
}

test('validateRequest: memory stays bounded over 100,000 calls', async () => {
  const { glue, memoryBytes } = await load('core', 'cloudinary_agent_account');
  const valid = { email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' };
  // Issues that allocate: a bad e-mail, a misspelt key ("did you mean"), a missing field.
  const invalid = { email: 'not an e-mail', agent_framwork: 'langchain', agent_goal: 'Host product images' };
  const round = (n) => {
    for (let i = 0; i < n; i++) {
      assert.equal(glue.validateRequest(valid).length, 0);
      assert.ok(glue.validateRequest(invalid).length >= 3);
    }
  };
  round(1_000);
  const warm = memoryBytes();
  round(50_000);
  assert.equal(memoryBytes(), warm, 'the client wasm memory grew across validateRequest calls');
});

test('renderGuidance: memory stays bounded over documents of many sizes', async () => {
  const { glue, memoryBytes } = await load('guidance', 'guidance');
  const block = '# Title &amp; more\n\nSome *text* with [a link](https://example.com "t") and '
    + '![img](https://example.com/i.png), `code`, ~~gone~~.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'
    + '- item\n- [ref][r]\n\n[r]: https://example.com/r\n\n';
  // 1 to 64 blocks (up to ~14 KB): buffers of many sizes allocated, grown and freed.
  const render = (blocks) => assert.match(glue.renderGuidance(block.repeat(blocks)), /noopener/);
  for (let b = 1; b <= 64; b++) render(b);
  const warm = memoryBytes();
  for (let i = 0; i < 1_000; i++) render(1 + ((i * 37) % 64));
  assert.equal(memoryBytes(), warm, 'the renderer wasm memory grew across renderGuidance calls');
});
