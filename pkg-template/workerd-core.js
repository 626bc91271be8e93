// Cloudflare Workers (workerd, wrangler): a `.wasm` import is a compiled WebAssembly.Module.
import wasm from './core/cloudinary_agent_account_bg.wasm';
import {
  initSync,
  createAccount,
  validateRequest,
  __agentAccountErrorClass,
  checkActivation,
  waitForActivation,
} from './core/cloudinary_agent_account.js';

initSync({ module: wasm });

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest };
// Issue 7 (agent surfaces): the activation check, and the pure credential helpers.
export { checkActivation, waitForActivation };
export { redact, toDotenv, REDACTED } from './credentials.js';
