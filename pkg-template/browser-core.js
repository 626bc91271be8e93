// Browsers, Deno and bundlers: createAccount and validateRequest, without the Markdown
// renderer (its wasm is a separate, larger file). The wasm is fetched next to this file.
import init, * as glue from './core/cloudinary_agent_account.js';
import { expose } from './expose.js';

await init();

// The names: expose.js API, written in by scripts/build-pkg.sh.
export const {} = expose(glue);
// The pure credential helpers.
export { redact, toDotenv, REDACTED } from './credentials.js';
