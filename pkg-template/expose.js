// The public API over one wasm instance, the same for every entry point: each entry only
// loads the wasm its runtime's way (browser-core.js, workerd-core.js, edge-light-core.js,
// wasm-file-core.js, node/instance.cjs), then hands the glue module's exports here.
import { makeClient } from './client.js';
import { makeActivation } from './activation.js';

/** createAccount, validateRequest, isValidRequest, AgentAccountError, checkActivation and
 * waitForActivation over the initialised glue's exports. */
export function expose(glue) {
  const AgentAccountError = glue.__agentAccountErrorClass();
  const { createAccount } = makeClient(glue);
  // The activation check: its rules in the wasm, its fetch in JS (activation.js).
  const { checkActivation, waitForActivation } = makeActivation({
    request: glue.__activationRequest,
    classify: glue.__classifyPing,
    backoff: glue.__activationBackoff,
    baseUrl: glue.__activationBaseUrl,
    AgentAccountError,
  });
  return {
    createAccount,
    validateRequest: glue.validateRequest,
    isValidRequest: glue.isValidRequest,
    AgentAccountError,
    checkActivation,
    waitForActivation,
  };
}
