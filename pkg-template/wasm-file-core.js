// Bundlers that do not follow `new URL(…, import.meta.url)` (esbuild, Bun's bundler), opted in
// with the `wasm-file` condition and their `file` loader for `.wasm`: the import is the URL of
// the emitted file, relative to the bundle (or absolute, with esbuild's --public-path). The
// output must be ESM, as for every entry here (top-level await).
import wasmFile from './core/cloudinary_agent_account_bg.wasm';
import init, * as glue from './core/cloudinary_agent_account.js';
import { expose } from './expose.js';

await init({ module_or_path: new URL(wasmFile, import.meta.url) });

// The names: expose.js API, written in by scripts/build-pkg.sh.
export const {} = expose(glue);
// The pure credential helpers.
export { redact, toDotenv, REDACTED } from './credentials.js';
