// Makes the rules wasm (feature `rules`: validateRequest alone) a module without imports.
// V8 compiles a wrapper per import signature at every start, and any import at all costs
// about 1 ms more of a cold start (BENCHMARKS.md, "Node cold start: a rules wasm without
// imports"). That module never holds a JS value, yet wasm-bindgen gives it two imports of
// its own:
// - `__wbindgen_init_externref_table`, which fills the slots of a JS-value table the module
//   never reads: here a function that does nothing;
// - `__wbindgen_throw`, reached only by an allocation failure: here a trap (the JS caller
//   gets a RuntimeError instead of an Error; the instance is unusable after either).
// Any other import fails the build: this module must not grow one unnoticed.
//   node scripts/wasm-no-imports.mjs file.wasm   (rewrites it in place)
import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';

const file = process.argv[2];
const mod = binaryen.readBinary(readFileSync(file));
// What Rust's wasm32 target emits by default (build-pkg.sh gives wasm-opt the same list).
const F = binaryen.Features;
mod.setFeatures(F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
const imported = [];
for (let i = 0; i < mod.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
  if (info.module) imported.push(info);
}
for (const f of imported) {
  let body;
  if (f.base === '__wbindgen_init_externref_table') body = mod.nop();
  else if (/^__wbg___wbindgen_throw_[0-9a-f]+$/.test(f.base)) body = mod.unreachable();
  else {
    console.error(`wasm-no-imports: ${file} imports ${f.module} ${f.base}, which it must not`);
    process.exit(1);
  }
  mod.removeFunction(f.name);
  mod.addFunction(f.name, f.params, f.results, [], body);
}
if (!mod.validate()) {
  console.error(`wasm-no-imports: ${file} is not valid once its imports are replaced`);
  process.exit(1);
}
writeFileSync(file, mod.emitBinary());
mod.dispose();
