// The size budgets of the package, gzipped at level 9: the client's wasm (createAccount +
// validation), the Markdown renderer's wasm, and the JS glue of each. Each budget is the
// figure measured when it was last lowered (BENCHMARKS.md) plus a little headroom, so a
// change that makes the package grow fails `make test` and has to say why here.
// Prints every figure either way.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const budgets = [
  // [what, file, budget in bytes gzipped]
  // 31.3 KB since createAccount's fetch moved to client.js (39.7 KB with gloo-net, futures
  // and closure timers in the wasm); 29.7 KB with talc as the allocator (BENCHMARKS.md).
  // 29.7 KB with the options packed like a request, an account's shape asked in one
  // crossing and the headers read only for an error (BENCHMARKS.md, "createAccount
  // latency, fourth pass"). 30.7 KB with each account's values checked before use (issue
  // 20: the e-mail, the credentials' alphabets by activation.rs, api_environment_variable;
  // about 0.7 KB) and the stricter credential and request-id rules (0.3 KB): 29,702 B before.
  ['client wasm', 'pkg/core/cloudinary_agent_account_bg.wasm', 30_750],
  // validateRequest alone, without imports, for the Node entries (src/wasm/packed.rs; 11.3 KB;
  // 10.5 KB with a bump allocator instead of talc, src/bump.rs).
  ['rules wasm (Node validateRequest)', 'pkg/rules/rules_bg.wasm', 10_550],
  // 3.2 / 4.2 KB since the wasm's imports share 13 signatures instead of 19 (agentError,
  // put, append: fewer, smaller import wrappers; BENCHMARKS.md, "... import signatures").
  // +62 B since the wasm returns strings through memory, not as multi-value (V8 compiled a
  // wrapper per multi-value export at every start; BENCHMARKS.md, "Cold start, fourth pass").
  // 3.2 KB with fewer imports (memberKinds, baseCacheGet/Set, __accountHeaders gone).
  ['client glue (ESM)', 'pkg/core/cloudinary_agent_account.js', 3_250],
  ['client glue (CommonJS, Node)', 'pkg/node/core.cjs', 4_280],
  // createAccount's fetch, deadline, abort, capped read and retry sleep: shipped as written
  // (comments included; about 1.2 KB gzipped once a bundler minifies it).
  ['createAccount JS driver', 'pkg/client.js', 2_150],
  // The capped body read and the abortable wait, shared by client.js and activation.js.
  // +128 B for stopping the read once the declared length is in (3% of a createAccount call;
  // BENCHMARKS.md, "createAccount latency, fourth pass").
  ['shared I/O (io.js)', 'pkg/io.js', 1_550],
  // 67.2 KB: talc, and the renderer's own HTML writer instead of pulldown-cmark's (BENCHMARKS.md).
  ['renderer wasm (Markdown, separate entry)', 'pkg/guidance/guidance_bg.wasm', 67_900],
  ['renderer glue (ESM)', 'pkg/guidance/guidance.js', 1_800],
  // What a Node `import` loads besides the wasm: node.mjs, one bundled file (both glues,
  // activation, credentials, the shared-instance wiring); 9.5 KB when it was bundled; 9.3 KB
  // with the ESM glue bundled in directly instead of its CommonJS copy (BENCHMARKS.md, Cold
  // start); then packedEntries and memberKinds (objects.js) and their glue; +170 B for the
  // activation check's bounds (the capped read, clamped timers, hostile options and signals);
  // 10.3 KB with the rules wasm's glue and the wiring that instantiates the client later;
  // 10.6 KB with strings returned through memory (both glues); 11.5 KB with issue 20's
  // credentials.js (redact over the secret's encodings in linear time, the strict .env
  // writer and its DotenvError, terminalSafe) and the ping's request-id check: 10,542 B before.
  ['Node import entry (node.mjs, bundled)', 'pkg/node.mjs', 11_550],
];
let over = 0;
for (const [what, file, budget] of budgets) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const ok = gz <= budget;
  console.log(`size: ${what}: ${raw.length} B, ${gz} B gzipped (budget ${budget} B)${ok ? '' : ' OVER'}`);
  if (!ok) {
    console.error(`size: FAILED: ${file} is ${gz - budget} B over its budget`);
    over++;
  }
}
if (over) process.exit(1);
