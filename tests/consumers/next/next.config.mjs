// Nothing package-specific. The root is pinned to this app, which is built inside a larger
// checkout with its own lock file.
const root = import.meta.dirname;
export default { turbopack: { root }, outputFileTracingRoot: root };
