// Node.js `import`, and server bundles (Next.js, webpack, Vite SSR): the wasm files are
// located with `new URL('./…', import.meta.url)`, which webpack, Turbopack and Vite trace and
// emit next to their output (a `__dirname` join is not followed). scripts/build-pkg.sh bundles
// this file and what it imports into one ESM file: Node's import of CommonJS (parsing each
// file for its export names) cost more than the rest of a cold start (BENCHMARKS.md).
// node/once.cjs shares the instance with node.cjs.
import { createRequire } from 'node:module';
import instance from './node/instance.cjs';
import { once } from './node/once.cjs';

// Not `import … from 'node:fs'`: Node's ESM wrapper of node:fs loads all of Node's streams
// (~3 ms) for a module that only reads two files. `process.getBuiltinModule` is Node >=
// 20.16; createRequire before that. (No top-level await: `require()` of an ESM graph, e.g.
// of `/tool`, refuses one.)
const { readFileSync } = process.getBuiltinModule?.('node:fs') ?? createRequire(import.meta.url)('node:fs');

export const { createAccount, validateRequest, isValidRequest, AgentAccountError, renderGuidance,
  checkActivation, waitForActivation, redact, toDotenv, REDACTED } = once(() => instance.start(
  () => readFileSync(new URL('./core/cloudinary_agent_account_bg.wasm', import.meta.url)),
  () => readFileSync(new URL('./guidance/guidance_bg.wasm', import.meta.url)),
));
