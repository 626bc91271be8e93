// Node.js `import`, and server bundles (Next.js, webpack, Vite SSR): the wasm files are
// located with `new URL('./…', import.meta.url)`, which webpack, Turbopack and Vite trace and
// emit next to their output (a `__dirname` join is not followed). scripts/build-pkg.sh bundles
// this file and what it imports into one ESM file, the ESM glue included (node/core.mjs: the
// glue as built, its unused fetch-based init made untraceable): no CommonJS wrappers to
// evaluate, and Node's import of CommonJS (parsing each file for its export names) cost more
// than the rest of a cold start (BENCHMARKS.md). node/once.js shares the instance with node.cjs.
import { createRequire } from 'node:module';
import * as core from './node/core.mjs';
import { nodeApi } from './node/instance.js';
import { once } from './node/once.js';

// Not `import … from 'node:fs'`: Node's ESM wrapper of node:fs loads all of Node's streams
// (~3 ms) for a module that only reads two files. `process.getBuiltinModule` is Node >=
// 20.16; createRequire before that. (No top-level await: `require()` of an ESM graph, e.g.
// of `/tool`, refuses one.)
const { readFileSync } = process.getBuiltinModule?.('node:fs') ?? createRequire(import.meta.url)('node:fs');

export const { createAccount, validateRequest, isValidRequest, AgentAccountError, renderGuidance,
  checkActivation, waitForActivation, redact, toDotenv, REDACTED } = once(() => {
  core.initSync({ module: readFileSync(new URL('./core/cloudinary_agent_account_bg.wasm', import.meta.url)) });
  return nodeApi(core, () => {
    // The renderer's glue, CommonJS, is bundled in a wrapper evaluated on this first call only.
    const guidance = require('./node/guidance.cjs');
    guidance.initSync({ module: readFileSync(new URL('./guidance/guidance_bg.wasm', import.meta.url)) });
    return guidance;
  });
});
