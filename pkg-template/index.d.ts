// Types of the package's main entry: the core, plus the Markdown renderer.
export * from './core.js';
export { renderGuidance } from './guidance/guidance.js';
