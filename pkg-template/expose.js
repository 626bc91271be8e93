// The public API over one wasm instance, the same for every entry point: each entry only
// loads the wasm its runtime's way (browser-core.js, workerd-core.js, edge-light-core.js,
// wasm-file-core.js, node/instance.js), then hands the glue module's exports here.
import { makeClient } from './client.js';
import { makeActivation } from './activation.js';

// The one list of the API every entry exports, in order: what `expose` returns. The entries'
// `export const { ... }` are written from it by scripts/build-pkg.sh, and
// tests/js/exports.test.mjs checks each entry and the .d.ts files against it, so a new
// function is one edit here (and its declaration).
export const API = ['createAccount', 'createCloud', 'validateRequest', 'isValidRequest',
  'validateCloudRequest', 'isValidCloudRequest', 'AgentAccountError', 'checkActivation',
  'waitForActivation'];
// What the full entries (and Node's, which are both) export beside it: the renderer and the
// pure credential helpers.
export const EXTRAS = ['renderGuidance', 'renderGuidanceText', 'redact', 'toDotenv', 'REDACTED'];

/** createAccount, createCloud, validateRequest, isValidRequest, validateCloudRequest,
 * isValidCloudRequest, AgentAccountError, checkActivation and waitForActivation over the
 * glue's exports. `glue` is initialised, or (the Node entries)
 * `instantiate()` initialises it on the first createAccount or activation check; their glue
 * exports the error class beside it, usable before that. */
export function expose(glue, instantiate) {
  const AgentAccountError = glue.AgentAccountError ?? glue.__agentAccountErrorClass();
  // createAccount's and the activation check's set-up (calls into the wasm, closures) is done
  // on their first call, not at import: a cold start that only validates skips it
  // (BENCHMARKS.md, "Set-up on first call, not at import"). Same functions, names and
  // lengths; no extra promise. A failure there (the wasm file missing, say) rejects the call
  // that needed it.
  let client;
  let activation;
  const ready = (build) => {
    instantiate?.();
    return build();
  };
  const clientOf = () => client ??= ready(() => makeClient(glue));
  const activationOf = () => activation ??= ready(() => makeActivation({
    request: glue.__activationRequest,
    options: glue.__activationOptions,
    classify: glue.__classifyPing,
    backoff: glue.__activationBackoff,
    AgentAccountError,
  }));
  return {
    createAccount: function createAccount(request, options) {
      try {
        return clientOf().createAccount(request, options);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    createCloud: function createCloud(request, options) {
      try {
        return clientOf().createCloud(request, options);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    validateRequest: glue.validateRequest,
    isValidRequest: glue.isValidRequest,
    validateCloudRequest: glue.validateCloudRequest,
    isValidCloudRequest: glue.isValidCloudRequest,
    AgentAccountError,
    // The activation check: its rules in the wasm, its fetch in JS (activation.js).
    checkActivation: function checkActivation(account, options) {
      try {
        return activationOf().checkActivation(account, options);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    waitForActivation: function waitForActivation(account, options) {
      try {
        return activationOf().waitForActivation(account, options);
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}
