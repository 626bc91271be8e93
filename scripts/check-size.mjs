// The size budgets of the package, gzipped at level 9: the three wasms (client, renderer,
// rules), their glue, the JS driver and the bundled Node entry. Each budget is the figure
// last measured plus a little headroom, so a change that makes the package grow fails
// `make test` and has to say why here. Prints every figure either way.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const budgets = [
  // [what, file, budget in bytes gzipped]
  // createAccount + validation: the 30 KB target, and since each account's values are
  // checked before use 0.95 KB more (BENCHMARKS.md, "Std rebuilt for size", "Crossings per
  // createAccount", "An account's values checked before use"). Both creations, within the
  // 32,000 B issue 21 allows: 38,836 B at first, 35,674 B after `-ocimfs 20`, short import names
  // and no `core::fmt`, **31,364 B** after one driver for both requests' rules, the body written
  // by hand, answers read in one crossing and the table-only shims (BENCHMARKS.md, "The
  // Claimable Cloud in the client wasm", "One driver for both requests' rules", "The request
  // body written by hand", "Answers read in one crossing", "Table-only shims emptied").
  ['client wasm', 'pkg/core/cloudinary_agent_account_bg.wasm', 31_450],
  // validateRequest and validateCloudRequest alone, what a Node import compiles (BENCHMARKS.md,
  // "Node cold start: a rules wasm without imports", "The rules wasm's bump allocator", "The
  // Claimable Cloud in the client wasm"): 13,591 B; one driver for both requests and its issues
  // written by hand ("One driver for both requests' rules", "The request body written by
  // hand"): 11,194 B.
  ['rules wasm (Node validateRequest)', 'pkg/rules/rules_bg.wasm', 11_250],
  // The client's glue, parsed at every start: with the browser entry, the 4 KB target
  // (BENCHMARKS.md, "The glue minified at build time", "Few import signatures", "Short
  // import names"): 2,616 B and 3,390 B; with answers packed in one crossing and fewer
  // imports ("Answers read in one crossing"): 2,431 B and 3,235 B.
  ['client glue (ESM)', 'pkg/core/cloudinary_agent_account.js', 2_500],
  ['client glue (CommonJS, Node)', 'pkg/node/core.cjs', 3_300],
  // createAccount's and createCloud's fetch, deadline, abort, capped read and retry sleep:
  // shipped as written (comments included; about 1.2 KB gzipped once a bundler minifies it).
  ['createAccount/createCloud JS driver', 'pkg/client.js', 2_400],
  // The capped body read and the abortable wait, shared by client.js and activation.js
  // (BENCHMARKS.md, "The body read stops at Content-Length").
  ['shared I/O (io.js)', 'pkg/io.js', 1_550],
  // guidance Markdown -> HTML and -> terminal text, loaded on the first renderGuidance(Text)
  // (BENCHMARKS.md, "The renderer's own HTML writer", "talc for the client and renderer wasms",
  // "The terminal writer").
  // With short import names: 68,621 B and 1,755 B; table-only shims emptied ("Table-only shims
  // emptied"): 68,418 B.
  ['renderer wasm (Markdown, separate entry)', 'pkg/guidance/guidance_bg.wasm', 68_500],
  ['renderer glue (ESM)', 'pkg/guidance/guidance.js', 1_800],
  // All the JS a Node `import` loads besides the wasms, one bundled file; with the strict .env
  // writer, redact over the secret's encodings, terminalSafe and renderGuidanceText's wiring
  // (BENCHMARKS.md, "Node entries: one bundled file each", "An account's values checked
  // before use", "The terminal writer"); the activation check's option rules since read from
  // the wasm (src/options.rs): 11,173 B; redact and toDotenv for a Claimable Cloud
  // (BENCHMARKS.md, "The Claimable Cloud in the credential helpers"): 11,916 B; with short
  // import names (BENCHMARKS.md, "Short import names"): 11,195 B.
  ['Node import entry (node.mjs, bundled)', 'pkg/node.mjs', 11_250],
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
