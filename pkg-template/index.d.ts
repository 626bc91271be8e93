// Types of the package's main entry: the core, plus the Markdown renderer.
export * from './core.js';
export { renderGuidance, renderGuidanceText } from './guidance/guidance.js';
