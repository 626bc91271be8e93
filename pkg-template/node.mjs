// Node.js `import`, and server bundles (Next.js, webpack, Vite SSR): the wasm files are
// located with `new URL('./…', import.meta.url)`, which webpack, Turbopack and Vite trace and
// emit next to their output (a `__dirname` join is not followed). scripts/build-pkg.sh bundles
// this file and what it imports into one ESM file, the ESM glues included (node/core.mjs,
// node/rules.mjs: the glues as built, their unused fetch-based init made untraceable; the
// client's also exports its error class and request packer): no CommonJS wrappers to
// evaluate, and Node's import of CommonJS (parsing each file for its export names) cost more
// than the rest of a cold start (BENCHMARKS.md). The client's glue is evaluated at import but
// instantiated on the first call that needs it: evaluating it lazily (esbuild's wrapper of an
// ESM module) measured 0.4 ms slower. node/once.js shares the instance with node.cjs.
import * as core from './node/core.mjs';
import * as rules from './node/rules.mjs';
import { nodeApi } from './node/instance.js';
import { once } from './node/once.js';

// Not `import … from 'node:fs'`: Node's ESM wrapper of node:fs loads all of Node's streams
// (~3 ms) for a module that only reads three files, and importing `node:module` for a
// `createRequire` cost ~1 ms of a cold start (BENCHMARKS.md, "Cold start, fourth pass").
// `process.getBuiltinModule` is Node >= 20.16 (package.json `engines`); before it, ESM has no
// synchronous way to fs without such an import (no top-level await: `require()` of an ESM
// graph, e.g. of `/tool`, refuses one), so an older Node is told what it needs.
const fs = process.getBuiltinModule?.('node:fs');
if (fs === undefined) {
  throw new Error('cloudinary-agent-account needs Node.js 20.16 or later (process.getBuiltinModule)');
}
const { readFileSync } = fs;

// The rules wasm, read at import. Not by readFileSync: its first call in a process costs
// ~0.7 ms (a stat and code run for the first time), against ~0.3 ms for an open and one read
// of the size scripts/build-pkg.sh writes here (BENCHMARKS.md, "Cold start, fourth pass").
// A file of any other size (a bundler that rewrote it, say) is read whole after all.
const RULES_WASM_BYTES = 0; // filled by the build
function readRules(url) {
  const fd = fs.openSync(url, 'r');
  try {
    const bytes = new Uint8Array(RULES_WASM_BYTES + 1);
    const n = fs.readSync(fd, bytes, 0, bytes.length, 0);
    return n === RULES_WASM_BYTES ? bytes.subarray(0, n) : readFileSync(url);
  } finally {
    fs.closeSync(fd);
  }
}

export const { createAccount, validateRequest, isValidRequest, AgentAccountError, renderGuidance,
  renderGuidanceText,
  checkActivation, waitForActivation, redact, toDotenv, REDACTED } = once(() => {
  rules.initSync({ module: readRules(new URL('./rules/rules_bg.wasm', import.meta.url)) });
  return nodeApi(rules, core, () => {
    core.initSync({ module: readFileSync(new URL('./core/cloudinary_agent_account_bg.wasm', import.meta.url)) });
  }, () => {
    // The renderer's glue, CommonJS, is bundled in a wrapper evaluated on this first call only.
    const guidance = require('./node/guidance.cjs');
    guidance.initSync({ module: readFileSync(new URL('./guidance/guidance_bg.wasm', import.meta.url)) });
    return guidance;
  });
});
