// Browsers, Deno and bundlers: everything, the Markdown renderer included.
import init, { renderGuidance, renderGuidanceText } from './guidance/guidance.js';

export * from './browser-core.js';

await init();

export { renderGuidance, renderGuidanceText };
