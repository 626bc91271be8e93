// What a wasm would weigh without some functions (not a test; BENCHMARKS.md): the bodies of
// the functions whose names match a regexp become `return 0` (or nothing), their call sites
// stay, then binaryen -Oz; printed beside the same -Oz without the change. Needs a wasm with
// names (wasm-opt -g), e.g.:
//   node bench/wasm-stub.mjs named.wasm 'core\[[0-9a-f]+\]::fmt::|alloc\[[0-9a-f]+\]::fmt::'
import binaryen from 'binaryen';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const [file, re] = process.argv.slice(2);
function weigh(rx) {
  const m = binaryen.readBinary(readFileSync(file));
  m.setFeatures(binaryen.Features.All);
  let n = 0;
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const f = m.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(f);
    if (info.module || !rx || !rx.test(info.name)) continue;
    const r = info.results;
    const body = r === binaryen.none ? m.nop() : r === binaryen.i32 ? m.i32.const(0)
      : r === binaryen.i64 ? m.i64.const(0, 0) : m.unreachable();
    binaryen._BinaryenFunctionSetBody(f, body);
    n++;
  }
  binaryen.setShrinkLevel(2);
  binaryen.setOptimizeLevel(2);
  binaryen.setDebugInfo(false);
  m.optimize();
  const out = m.emitBinary();
  return `${out.length} B, ${gzipSync(out, { level: 9 }).length} B gz (${n} stubbed)`;
}
console.log(`as is:   ${weigh(null)}`);
console.log(`stubbed: ${weigh(new RegExp(re))}`);
