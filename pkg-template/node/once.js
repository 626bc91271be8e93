// The package's one instance per process. node.mjs and node.cjs are each bundled into one file
// (scripts/build-pkg.sh), so each holds its own copy of this file; the first to load starts
// the client and leaves the result on globalThis, under a key naming this version; the other
// takes it: `import` and `require` in one process share one instance and one
// AgentAccountError class. (Another version of the package in the same process keeps its own.)
const key = Symbol.for('cloudinary-agent-account@0.0.0-filled-by-build');

/** Returns this version's API in this process, calling `start()` the first time only. */
export function once(start) {
  let api = globalThis[key];
  if (api === undefined) {
    api = start();
    // Not enumerable, writable nor configurable: nothing can swap the instance afterwards.
    // Reflect's returns false on a frozen global (SES lockdown) instead of throwing: this
    // copy then keeps its own instance.
    Reflect.defineProperty(globalThis, key, { value: api });
  }
  return api;
}
