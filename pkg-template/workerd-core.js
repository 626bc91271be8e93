// Cloudflare Workers (workerd, wrangler): a `.wasm` import is a compiled WebAssembly.Module.
import wasm from './core/cloudinary_agent_account_bg.wasm';
import * as glue from './core/cloudinary_agent_account.js';
import { expose } from './expose.js';

glue.initSync({ module: wasm });

// The names: expose.js API, written in by scripts/build-pkg.sh.
export const {} = expose(glue);
// The pure credential helpers.
export { redact, toDotenv, REDACTED } from './credentials.js';
