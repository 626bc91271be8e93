// Types of the package's main entry for CommonJS consumers (`require`).
export * from './core.cjs';
export { renderGuidance } from './node/guidance.cjs';
