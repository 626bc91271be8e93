// Gives a wasm's hashed import names (wasm-bindgen's `__wbg_<name>_<16 hex digits>` and
// `__wbindgen_generic_<16 digits>`) short ones, `_0`, `_1`..., in the wasm's import section
// and in its glue's import object alike: each such name is ~45 bytes that gzip can hardly
// shrink (the hash), in the wasm and again in the glue (BENCHMARKS.md, "Short import names").
// Each name must appear exactly once in the glue (its key in the import object), or the build
// fails: the glue is then not what this script knows.
//   node scripts/wasm-short-imports.mjs file_bg.wasm glue.js   (rewrites both in place)
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmFile, jsFile] = process.argv.slice(2);
const wasm = readFileSync(wasmFile);
let js = readFileSync(jsFile, 'utf8');
const HASHED = /^(__wbg_\w+_[0-9a-f]{16}|__wbindgen_generic_[0-9]{16})$/;

function leb(buf, at) {
  let value = 0, shift = 0, b;
  do { b = buf[at++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [value, at];
}
function encodeLeb(n) {
  const out = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);
const fail = (why) => { console.error(`wasm-short-imports: ${wasmFile}: ${why}`); process.exit(1); };

const parts = [wasm.subarray(0, 8)];
let at = 8, renamed = 0;
while (at < wasm.length) {
  const id = wasm[at];
  const [len, start] = leb(wasm, at + 1);
  const end = start + len;
  if (id !== 2) { parts.push(wasm.subarray(at, end)); at = end; continue; }
  let [count, p] = leb(wasm, start);
  const entries = [];
  for (let i = 0; i < count; i++) {
    let l;
    [l, p] = leb(wasm, p); const mod = wasm.subarray(p, p + l).toString(); p += l;
    [l, p] = leb(wasm, p); const field = wasm.subarray(p, p + l).toString(); p += l;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) [, p] = leb(wasm, p);                      // function: type index
    else if (kind === 1) { p++; const [f, q] = leb(wasm, p); [, p] = leb(wasm, q); if (f & 1) [, p] = leb(wasm, p); } // table
    else if (kind === 2) { const [f, q] = leb(wasm, p); [, p] = leb(wasm, q); if (f & 1) [, p] = leb(wasm, p); }       // memory
    else if (kind === 3) p += 2;                                // global
    else fail(`import kind ${kind} not known`);
    let short = field;
    if (kind === 0 && HASHED.test(field)) {
      short = `_${(renamed++).toString(36)}`;
      const uses = js.split(field).length - 1;
      if (uses !== 1) fail(`${field} appears ${uses} times in ${jsFile}, not once`);
      if (js.includes(short + ':') || js.includes(short + '(')) fail(`${short} is already in ${jsFile}`);
      js = js.replace(field, short);
    }
    entries.push(Buffer.concat([name(mod), name(short), wasm.subarray(descStart, p)]));
  }
  if (p !== end) fail('import section not read to its end');
  const body = Buffer.concat([encodeLeb(count), ...entries]);
  parts.push(Buffer.from([2]), encodeLeb(body.length), body);
  at = end;
}
writeFileSync(wasmFile, Buffer.concat(parts));
writeFileSync(jsFile, js);
