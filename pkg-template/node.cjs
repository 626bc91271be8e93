'use strict';
// Node.js entry (CommonJS, and through node.mjs ESM too: one instance per process, so
// `instanceof AgentAccountError` holds whichever way the package was loaded).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const core = require('./node/core.cjs');

core.initSync({ module: readFileSync(join(__dirname, 'core', 'cloudinary_agent_account_bg.wasm')) });

let guidance;
/** Renders guidance Markdown to safe HTML; its wasm is loaded on first use. */
function renderGuidance(markdown) {
  if (guidance === undefined) {
    const g = require('./node/guidance.cjs');
    g.initSync({ module: readFileSync(join(__dirname, 'guidance', 'guidance_bg.wasm')) });
    guidance = g;
  }
  return guidance.renderGuidance(markdown);
}

exports.createAccount = core.createAccount;
exports.validateRequest = core.validateRequest;
exports.AgentAccountError = core.__agentAccountErrorClass();
exports.renderGuidance = renderGuidance;
// Issue 7 (agent surfaces): the activation check, and the pure credential helpers.
const credentials = require('./node/credentials.cjs');
const activation = require('./node/activation.cjs').makeActivation({
  request: core.__activationRequest,
  classify: core.__classifyPing,
  backoff: core.__activationBackoff,
  AgentAccountError: exports.AgentAccountError,
});
exports.checkActivation = activation.checkActivation;
exports.waitForActivation = activation.waitForActivation;
exports.redact = credentials.redact;
exports.toDotenv = credentials.toDotenv;
exports.REDACTED = credentials.REDACTED;
