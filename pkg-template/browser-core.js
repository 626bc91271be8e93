// Browsers, Deno and bundlers: createAccount and validateRequest, without the Markdown
// renderer (its wasm is a separate, larger file). The wasm is fetched next to this file.
import init, {
  createAccount,
  validateRequest,
  isValidRequest,
  __agentAccountErrorClass,
} from './core/cloudinary_agent_account.js';

await init();

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest, isValidRequest };
