// The public API of a Node.js entry, over its initialised client glue. node.mjs (the ESM glue)
// and node.cjs (its CommonJS copy) each locate and initialise the wasm their own way, then
// build the API here, inside node/once.js's start: whichever runs first, a process has one
// instance and one AgentAccountError class.
import { expose } from '../expose.js';
import { redact, toDotenv, REDACTED } from '../credentials.js';

/** expose.js's API over `core`, with the credential helpers and renderGuidance, whose glue
 * `loadGuidance()` returns initialised on first use (its wasm is 2.3x the client's). */
export function nodeApi(core, loadGuidance) {
  let guidance;
  /** Renders guidance Markdown to safe HTML; its glue and wasm are loaded on first use. */
  function renderGuidance(markdown) {
    guidance ??= loadGuidance();
    return guidance.renderGuidance(markdown);
  }
  return Object.assign(expose(core), { renderGuidance, redact, toDotenv, REDACTED });
}
