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
    // The same public API as every ESM entry (expose.js), over this instance.
    const credentials = require('./credentials.cjs');
    api = Object.assign(require('./expose.cjs').expose(core), {
      renderGuidance,
      redact: credentials.redact,
      toDotenv: credentials.toDotenv,
      REDACTED: credentials.REDACTED,
    });
  }
  return api;
};
