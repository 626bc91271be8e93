// Vercel / Next.js edge runtime (`edge-light` condition): the wasm is imported as a compiled
// WebAssembly.Module with the `?module` suffix, the only form that runtime accepts (it does
// not compile bytes at run time, so the browser entry's fetch cannot work there). The async
// init, not initSync: Next's sandbox hands over a Module from another realm, which initSync's
// `instanceof WebAssembly.Module` rejects, while WebAssembly.instantiate accepts it.
import wasm from './core/cloudinary_agent_account_bg.wasm?module';
import init, * as glue from './core/cloudinary_agent_account.js';
import { expose } from './expose.js';

await init({ module_or_path: wasm });

// The names: expose.js API, written in by scripts/build-pkg.sh.
export const {} = expose(glue);
// The pure credential helpers.
export { redact, toDotenv, REDACTED } from './credentials.js';
