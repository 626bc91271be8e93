// Vercel / Next.js edge runtime (`edge-light` condition): the wasm is imported as a compiled
// WebAssembly.Module with the `?module` suffix, the only form that runtime accepts (it does
// not compile bytes at run time, so the browser entry's fetch cannot work there). The async
// init, not initSync: Next's sandbox hands over a Module from another realm, which initSync's
// `instanceof WebAssembly.Module` rejects, while WebAssembly.instantiate accepts it.
import wasm from './core/cloudinary_agent_account_bg.wasm?module';
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

await init({ module_or_path: wasm });

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest, isValidRequest };
// The activation check, and the pure credential helpers.
export const { checkActivation, waitForActivation } = makeActivation({
  request: __activationRequest,
  classify: __classifyPing,
  backoff: __activationBackoff,
  AgentAccountError,
});
export { redact, toDotenv, REDACTED } from './credentials.js';
