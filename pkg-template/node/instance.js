// The public API of a Node.js entry. node.mjs (the ESM glues) and node.cjs (their CommonJS
// copies) each locate the wasm files their own way, then build the API here, inside
// node/once.js's start: whichever runs first, a process has one instance and one
// AgentAccountError class.
//
// Three wasm modules, each instantiated when first needed: the rules (validateRequest alone,
// no imports: src/wasm/packed.rs) at import; the client (createAccount, the activation
// check) on the first of those calls; the renderer on the first renderGuidance. An import
// that only validates compiles 23 KB and no import wrapper instead of the client's 63 KB and
// 13 (BENCHMARKS.md, "Cold start, fourth pass").
import { expose } from '../expose.js';
import { redact, toDotenv, REDACTED } from '../credentials.js';

/** The API over the initialised `rules` glue and the client glue `core` (its error class and
 * request packer, exported beside it, are used at once; `loadCore()` instantiates it and
 * returns it), and the renderer's glue that `loadGuidance()` returns initialised (its wasm
 * is 2.3x the client's); with the credential helpers. */
export function nodeApi(rules, core, loadCore, loadGuidance) {
  const { AgentAccountError, packedEntries } = core;
  let client;
  let guidance;
  // A failure to load the client (its wasm file missing, say) rejects the call that needed it.
  const later = (name) => function (a, b) {
    try {
      return (client ??= expose(loadCore()))[name](a, b);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  // The same names and lengths as the functions expose() gives.
  const named = (name) => Object.defineProperty(later(name), 'name', { value: name });
  /** Every issue of `input` as a request (empty when valid); never throws. */
  function validateRequest(input) {
    const issues = rules.__validatePacked(packedEntries(input));
    return issues === '' ? [] : JSON.parse(issues);
  }
  /** Whether `input` is a valid request; never throws. */
  function isValidRequest(input) {
    return rules.__validatePacked(packedEntries(input)) === '';
  }
  /** Renders guidance Markdown to safe HTML; its glue and wasm are loaded on first use. */
  function renderGuidance(markdown) {
    guidance ??= loadGuidance();
    return guidance.renderGuidance(markdown);
  }
  return {
    createAccount: named('createAccount'),
    validateRequest,
    isValidRequest,
    AgentAccountError,
    checkActivation: named('checkActivation'),
    waitForActivation: named('waitForActivation'),
    renderGuidance,
    redact,
    toDotenv,
    REDACTED,
  };
}
