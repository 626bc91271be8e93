// Browsers, Deno and bundlers: createAccount and validateRequest, without the Markdown
// renderer (its wasm is a separate, larger file). The wasm is fetched next to this file.
import init, * as glue from './core/cloudinary_agent_account.js';
import { expose } from './expose.js';

await init();

export const { createAccount, createCloud, validateRequest, isValidRequest, validateCloudRequest,
  isValidCloudRequest, AgentAccountError, checkActivation, waitForActivation } = expose(glue);
// The pure credential helpers.
export { redact, toDotenv, REDACTED } from './credentials.js';
