// Nothing package-specific: webpack 5 follows the glue's `new URL('…wasm', import.meta.url)`
// and emits the wasm as an asset by itself.
export default {
  entry: './main.mjs',
  output: { path: new URL('./dist', import.meta.url).pathname, clean: true },
  performance: { hints: false },
  stats: 'errors-warnings',
};
