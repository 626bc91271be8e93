// Browsers, Deno and bundlers: createAccount and validateRequest, without the Markdown
// renderer (its wasm is a separate, larger file). The wasm is fetched next to this file.
import init, {
  createAccount,
  validateRequest,
  __agentAccountErrorClass,
  checkActivation,
  waitForActivation,
} from './core/cloudinary_agent_account.js';

await init();

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest };
// Issue 7 (agent surfaces): the activation check, and the pure credential helpers.
export { checkActivation, waitForActivation };
export { redact, toDotenv, REDACTED } from './credentials.js';
