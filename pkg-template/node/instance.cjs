'use strict';
// The package's one instance in a Node.js process. node.cjs (`require`) and node.mjs (`import`)
// each locate the wasm files their own way and call start(); whichever runs first
// initialises, so a process that loads the package both ways still has one instance and one
// AgentAccountError class. (Each entry is bundled with its own copy of this file; they meet
// in node/once.cjs.)
const core = require('./core.cjs');

let api;
let readGuidanceWasm;
let guidance;

/** Renders guidance Markdown to safe HTML; its glue and wasm are loaded on first use. */
function renderGuidance(markdown) {
  if (guidance === undefined) {
    const glue = require('./guidance.cjs');
    glue.initSync({ module: readGuidanceWasm() });
    guidance = glue;
  }
  return guidance.renderGuidance(markdown);
}

/** Initialises the client from `readCore()` once; returns the public API. */
exports.start = function start(readCore, readGuidance) {
  if (api === undefined) {
    core.initSync({ module: readCore() });
    readGuidanceWasm = readGuidance;
    api = {
      createAccount: core.createAccount,
      validateRequest: core.validateRequest,
      isValidRequest: core.isValidRequest,
      AgentAccountError: core.__agentAccountErrorClass(),
      renderGuidance,
    };
    // The activation check (its rules in the wasm, its fetch in JS) and the pure credential
    // helpers, built on this same instance.
    const activation = require('./activation.cjs').makeActivation({
      request: core.__activationRequest,
      classify: core.__classifyPing,
      backoff: core.__activationBackoff,
      AgentAccountError: api.AgentAccountError,
    });
    const credentials = require('./credentials.cjs');
    Object.assign(api, {
      checkActivation: activation.checkActivation,
      waitForActivation: activation.waitForActivation,
      redact: credentials.redact,
      toDotenv: credentials.toDotenv,
      REDACTED: credentials.REDACTED,
    });
  }
  return api;
};
