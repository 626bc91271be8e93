// Cloudflare Workers: everything, the Markdown renderer included.
import wasm from './guidance/guidance_bg.wasm';
import { initSync, renderGuidance, renderGuidanceText } from './guidance/guidance.js';

export * from './workerd-core.js';

initSync({ module: wasm });

export { renderGuidance, renderGuidanceText };
