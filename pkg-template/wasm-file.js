// The `wasm-file` condition (esbuild, Bun's bundler): everything, the Markdown renderer included.
import wasmFile from './guidance/guidance_bg.wasm';
import init, { renderGuidance, renderGuidanceText } from './guidance/guidance.js';

export * from './wasm-file-core.js';

await init({ module_or_path: new URL(wasmFile, import.meta.url) });

export { renderGuidance, renderGuidanceText };
