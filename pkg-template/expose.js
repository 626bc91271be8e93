// The public API over one wasm instance, the same for every entry point: each entry only
// loads the wasm its runtime's way (browser-core.js, workerd-core.js, edge-light-core.js,
// wasm-file-core.js, node/instance.js), then hands the glue module's exports here.
import { makeClient } from './client.js';
import { makeActivation } from './activation.js';

/** createAccount, validateRequest, isValidRequest, AgentAccountError, checkActivation and
 * waitForActivation over the initialised glue's exports. */
export function expose(glue) {
  const AgentAccountError = glue.__agentAccountErrorClass();
  // createAccount's and the activation check's set-up (calls into the wasm, closures) is done
  // on their first call, not at import: a cold start that only validates skips it
  // (BENCHMARKS.md, Cold start). Same functions, names and lengths; no extra promise.
  let client;
  let activation;
  const activationOf = () => activation ??= makeActivation({
    request: glue.__activationRequest,
    classify: glue.__classifyPing,
    backoff: glue.__activationBackoff,
    baseUrl: glue.__activationBaseUrl,
    AgentAccountError,
  });
  return {
    createAccount: function createAccount(request, options) {
      return (client ??= makeClient(glue)).createAccount(request, options);
    },
    validateRequest: glue.validateRequest,
    isValidRequest: glue.isValidRequest,
    AgentAccountError,
    // The activation check: its rules in the wasm, its fetch in JS (activation.js).
    checkActivation: function checkActivation(account, options) {
      return activationOf().checkActivation(account, options);
    },
    waitForActivation: function waitForActivation(account, options) {
      return activationOf().waitForActivation(account, options);
    },
  };
}
