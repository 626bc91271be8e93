// Empties the bodies of the functions a wasm keeps in its function table only, where nothing
// can reach them: js-sys's JSPI task waker (`futures::jspi::task_waker::raw_*`, listed in a
// `RawWakerVTable` in memory; wasm-bindgen deletes the task-poll export that led to it, and
// the package spawns no future) and wasm-bindgen's closure `invoke` shims of js-sys's
// closure-taking imports (listed by their descriptors, which wasm-bindgen runs and deletes;
// the package hands no Rust closure to JS). The linker put them in the table, so wasm-opt
// keeps them and what they call. Each body becomes `unreachable` (the table's slots stay, so
// no index moves) and wasm-opt then merges them into one (BENCHMARKS.md, "Table-only shims
// emptied"). The build fails if such a function is called directly, or if the function
// table is exported (JS could then call any slot).
//   node scripts/wasm-table-shims.mjs file_bg.wasm   (rewrites it in place; needs its names)
import binaryen from 'binaryen';
import { readFileSync, writeFileSync } from 'node:fs';

const SHIMS = /^(js_sys\[[0-9a-f]+\]::futures::jspi::task_waker::raw_|wasm_bindgen\[[0-9a-f]+\]::convert::closures::_::invoke::)/;
const [file] = process.argv.slice(2);
const fail = (why) => { console.error(`wasm-table-shims: ${file}: ${why}`); process.exit(1); };

const m = binaryen.readBinary(readFileSync(file));
// The features build-pkg.sh gives wasm-opt, no more: the module's own section would otherwise
// say what binaryen enables, and more features (all) measured 0.35 KB larger gzipped.
const F = binaryen.Features;
m.setFeatures(F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
for (let i = 0; i < m.getNumExports(); i++) {
  const e = binaryen.getExportInfo(m.getExportByIndex(i));
  if (e.kind !== binaryen.ExternalTable) continue;
  if (binaryen.getTableInfo(m.getTable(e.value)).type === binaryen.funcref) fail(`its function table is exported (${e.name})`);
}
const shims = [];
for (let i = 0; i < m.getNumFunctions(); i++) {
  const f = m.getFunctionByIndex(i);
  const info = binaryen.getFunctionInfo(f);
  if (!info.module && SHIMS.test(info.name)) shims.push([f, info.name]);
}
// A direct call would make a shim reachable: read the calls from the text form.
const calls = new Set();
for (const [, quoted, plain] of m.emitText().matchAll(/\(call \$(?:"((?:[^"\\]|\\.)*)"|([^\s)]+))/g)) {
  calls.add(quoted ?? plain);
}
for (const [f, name] of shims) {
  const quoted = JSON.stringify(name).slice(1, -1);
  if (calls.has(name) || calls.has(quoted)) fail(`${name} is called directly`);
  binaryen._BinaryenFunctionSetBody(f, m.unreachable());
}
writeFileSync(file, m.emitBinary());
