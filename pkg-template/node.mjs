// Node.js `import`, and server bundles (Next.js, webpack, Vite SSR): the wasm files are
// located with `new URL('./…', import.meta.url)`, which those bundlers trace (a `__dirname`
// join is not). scripts/build-pkg.sh bundles this file with all it imports, the ESM glues
// included, into one file; node/once.js shares the instance with node.cjs (BENCHMARKS.md,
// "Node entries: one bundled file each").
import * as core from './node/core.mjs';
import * as rules from './node/rules.mjs';
import { nodeApi } from './node/instance.js';
import { once } from './node/once.js';

// fs through `process.getBuiltinModule` (Node >= 20.16, package.json `engines`): importing
// `node:fs` (~3 ms) or `node:module` (~1 ms) costs every cold start, and a top-level await breaks
// `require()` of `/tool` (BENCHMARKS.md, "No node:module import").
const fs = process.getBuiltinModule?.('node:fs');
if (fs === undefined) {
  throw new Error('cloudinary-agent-account needs Node.js 20.16 or later (process.getBuiltinModule)');
}
const { readFileSync } = fs;

// The rules wasm, read at import with one open and one read of the size the build writes
// here, cheaper than a process's first readFileSync (BENCHMARKS.md, "The rules wasm read in
// one open and read"). A file of any other size (a bundler rewrote it, say) is read whole.
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

// The names: expose.js API and EXTRAS, written in by scripts/build-pkg.sh.
export const {} = once(() => {
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
