// Vercel / Next.js edge runtime: everything, the Markdown renderer included.
import wasm from './guidance/guidance_bg.wasm?module';
import init, { renderGuidance, renderGuidanceText } from './guidance/guidance.js';

export * from './edge-light-core.js';

await init({ module_or_path: wasm });

export { renderGuidance, renderGuidanceText };
