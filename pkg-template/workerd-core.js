// Cloudflare Workers (workerd, wrangler): a `.wasm` import is a compiled WebAssembly.Module.
import wasm from './core/cloudinary_agent_account_bg.wasm';
import {
  initSync,
  createAccount,
  validateRequest,
  isValidRequest,
  __agentAccountErrorClass,
} from './core/cloudinary_agent_account.js';

initSync({ module: wasm });

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest, isValidRequest };
