// Cloudflare Workers (workerd, wrangler): a `.wasm` import is a compiled WebAssembly.Module.
import wasm from './core/cloudinary_agent_account_bg.wasm';
import {
  initSync,
  createAccount,
  validateRequest,
  isValidRequest,
  __agentAccountErrorClass,
  __activationRequest,
  __classifyPing,
  __activationBackoff,
} from './core/cloudinary_agent_account.js';
import { makeActivation } from './activation.js';

initSync({ module: wasm });

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
