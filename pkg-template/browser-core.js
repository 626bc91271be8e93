// Browsers, Deno and bundlers: createAccount and validateRequest, without the Markdown
// renderer (its wasm is a separate, larger file). The wasm is fetched next to this file.
import init, {
  createAccount,
  validateRequest,
  isValidRequest,
  __agentAccountErrorClass,
  __activationRequest,
  __classifyPing,
  __activationBackoff,
} from './core/cloudinary_agent_account.js';
import { makeActivation } from './activation.js';

await init();

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest, isValidRequest };
// Issue 7 (agent surfaces): the activation check, and the pure credential helpers.
export const { checkActivation, waitForActivation } = makeActivation({
  request: __activationRequest,
  classify: __classifyPing,
  backoff: __activationBackoff,
  AgentAccountError,
});
export { redact, toDotenv, REDACTED } from './credentials.js';
