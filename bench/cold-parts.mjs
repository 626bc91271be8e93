// Where a cold start of the client's wasm goes, in a fresh process: Node's own start, loading
// the glue, reading the wasm, compiling it (sync and async), instantiating it. Prints one JSON
// line. (The package's entries load the glue bundled into node.mjs (ESM) and node.cjs;
// node/core.cjs is its CommonJS copy on its own. A Node import compiles the rules wasm,
// rules/rules_bg.wasm, and this one on the first createAccount: BENCHMARKS.md, "Node cold
// start: a rules wasm without imports".)
//   node cold-parts.mjs   (in build/bench/consumer)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const boot = performance.now(); // Node start-up before this module ran
const require = createRequire(import.meta.url);
const dir = dirname(require.resolve('cloudinary-agent-account/package.json'));
let t = performance.now();
const lap = () => { const n = performance.now(); const d = n - t; t = n; return d; };
const glue = require(join(dir, 'node/core.cjs'));
const tGlue = lap();
const bytes = readFileSync(join(dir, 'core/cloudinary_agent_account_bg.wasm'));
const tRead = lap();
const module = new WebAssembly.Module(bytes);
const tCompile = lap();
glue.initSync({ module });
const tInit = lap();
glue.validateRequest({ email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' });
const tFirst = lap();
// On other bytes (an empty custom section appended): V8 caches compiled modules by their
// bytes, so compiling the same bytes again measures a cache hit (~1 ms), not a compile.
const other = new Uint8Array(bytes.length + 4);
other.set(bytes);
other.set([0, 2, 1, 0x78], bytes.length);
t = performance.now();
await WebAssembly.compile(other);
const tAsync = lap();
await WebAssembly.compile(bytes);
const tCached = lap();
console.log(JSON.stringify({ boot, glue: tGlue, read: tRead, compile: tCompile, instantiate: tInit, first: tFirst, compileAsync: tAsync, compileCached: tCached }));
