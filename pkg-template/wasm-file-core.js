// Bundlers that do not follow `new URL(…, import.meta.url)` (esbuild, Bun's bundler), opted in
// with the `wasm-file` condition and their `file` loader for `.wasm`: the import is the URL of
// the emitted file, relative to the bundle (ESM output) or to the page (IIFE, no import.meta).
import wasmFile from './core/cloudinary_agent_account_bg.wasm';
import init, {
  createAccount,
  validateRequest,
  __agentAccountErrorClass,
} from './core/cloudinary_agent_account.js';

await init({ module_or_path: import.meta.url ? new URL(wasmFile, import.meta.url) : wasmFile });

export const AgentAccountError = __agentAccountErrorClass();
export { createAccount, validateRequest };
