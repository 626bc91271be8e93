// The public API of a Node.js entry. node.mjs (the ESM glues) and node.cjs (their CommonJS
// copies) each locate the wasm files their own way, then build the API here, inside
// node/once.js's start: whichever runs first, a process has one instance and one
// AgentAccountError class.
//
// Three wasm modules, each instantiated when first needed: the rules (validateRequest and
// validateCloudRequest alone,
// no imports: src/wasm/packed.rs) at import; the client (createAccount, the activation
// check) on the first of those calls; the renderer on the first renderGuidance(Text). An
// import that only validates then compiles a third of the client's bytes and no import
// wrapper (BENCHMARKS.md, "Node cold start: a rules wasm without imports").
import { expose } from '../expose.js';
import { redact, toDotenv, REDACTED } from '../credentials.js';

/** The API over the initialised `rules` glue and the client glue `core` (its error class and
 * request packer, exported beside it, are used at once; `instantiate()` initialises it, on
 * expose.js's first call that needs it), and the renderer's glue that `loadGuidance()`
 * returns initialised (its wasm is 2.3x the client's); with the credential helpers. */
export function nodeApi(rules, core, instantiate, loadGuidance) {
  const { packedEntries } = core;
  let guidance;
  /** Every issue of `input` as a request (empty when valid); never throws. */
  function validateRequest(input) {
    const issues = rules.__validatePacked(packedEntries(input));
    return issues === '' ? [] : JSON.parse(issues);
  }
  /** Whether `input` is a valid request; never throws. */
  function isValidRequest(input) {
    return rules.__validatePacked(packedEntries(input)) === '';
  }
  /** Every issue of `input` as a cloud request (empty when valid); never throws. */
  function validateCloudRequest(input) {
    const issues = rules.__validateCloudPacked(packedEntries(input));
    return issues === '' ? [] : JSON.parse(issues);
  }
  /** Whether `input` is a valid cloud request; never throws. */
  function isValidCloudRequest(input) {
    return rules.__validateCloudPacked(packedEntries(input)) === '';
  }
  /** Renders guidance Markdown to safe HTML; its glue and wasm are loaded on first use. */
  function renderGuidance(markdown) {
    guidance ??= loadGuidance();
    return guidance.renderGuidance(markdown);
  }
  /** The same Markdown as terminal text (the CLI's), from the same lazily loaded wasm. */
  function renderGuidanceText(markdown, color) {
    guidance ??= loadGuidance();
    return guidance.renderGuidanceText(markdown, color);
  }
  return {
    ...expose(core, instantiate),
    validateRequest,
    isValidRequest,
    validateCloudRequest,
    isValidCloudRequest,
    renderGuidance,
    renderGuidanceText,
    redact,
    toDotenv,
    REDACTED,
  };
}
