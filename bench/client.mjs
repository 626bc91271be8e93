// Benchmark of the client (not a test): the installed package against a hand-written
// plain-JavaScript client of the same rules and flow (plain-client.mjs) and against a raw
// `fetch`, in one run, every figure as a ratio. Run by scripts/bench-client.sh from a fresh
// project where `npm pack` of pkg/ is installed, so it measures what users get.
//   node client.mjs            (env: BENCH_CALLS=2000 BENCH_COLD=21)
// Bounded: a fixed number of calls and processes; loopback only.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import os from 'node:os';
import * as wasm from 'cloudinary-agent-account';
import * as plain from './plain-client.mjs';

const CALLS = Number(process.env.BENCH_CALLS || 2000);
const COLD = Number(process.env.BENCH_COLD || 21);
const here = dirname(new URL(import.meta.url).pathname);
const pkgDir = dirname(createRequire(import.meta.url).resolve('cloudinary-agent-account/package.json'));
const rows = []; // the summary table: [figure, package, plain JS, raw fetch, package/plain, package/raw]

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const x = (a, b) => `${(a / b).toFixed(2)}×`;

console.log(`client benchmark: Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), ${os.platform()} ${os.release()}`);

// --- sizes -------------------------------------------------------------------------------
// A file an older build does not have (BENCH_PKG) counts 0.
const size = (f) => { if (!existsSync(f)) return { raw: 0, gz: 0 }; const b = readFileSync(f); return { raw: b.length, gz: gzipSync(b, { level: 9 }).length }; };
const sum = (files) => files.map((f) => size(join(pkgDir, f))).reduce((a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz }), { raw: 0, gz: 0 });
function snippet() {
  const dir = join(pkgDir, 'core', 'snippets');
  const found = existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.js')) : [];
  return found.length ? join('core', 'snippets', String(found[0])) : 'client.js';
}
const entries = {
  'client wasm': ['core/cloudinary_agent_account_bg.wasm'],
  'renderer wasm': ['guidance/guidance_bg.wasm'],
  // validateRequest alone, no imports: what a Node import compiles (the client's on first use).
  'rules wasm (Node import)': ['rules/rules_bg.wasm'],
  'client glue, browser (browser-core.js + core/*.js)': ['browser-core.js', 'core/cloudinary_agent_account.js'],
  // Each Node entry is one bundled file (glue, activation, credentials, renderer glue).
  'all JS a Node `import` loads (node.mjs)': ['node.mjs'],
  'all JS a Node `require` loads (node.cjs)': ['node.cjs'],
  // createAccount's fetch in JS, the public API over an instance, the snippet Rust builds
  // its objects with: shipped JS too, counted apart so the glue stays comparable.
  'JS driver (client.js + expose.js + core/snippets/objects.js)': ['client.js', 'expose.js', snippet()],
  'renderer glue (guidance/guidance.js)': ['guidance/guidance.js'],
};
console.log('\nsizes (gzip -9)');
const sizes = {};
for (const [name, files] of Object.entries(entries)) {
  sizes[name] = sum(files);
  console.log(`  ${name.padEnd(58)} ${String(sizes[name].raw).padStart(7)} B  ${String(sizes[name].gz).padStart(6)} B gz`);
}
const plainSize = size(join(here, 'plain-client.mjs'));
let plainMin = null;
const esbuild = process.env.ESBUILD;
if (esbuild && existsSync(esbuild)) {
  const min = execFileSync(esbuild, [join(here, 'plain-client.mjs'), '--minify', '--format=esm', '--log-level=error']);
  plainMin = { raw: min.length, gz: gzipSync(min, { level: 9 }).length };
}
console.log(`  ${'plain-JS client (plain-client.mjs)'.padEnd(58)} ${String(plainSize.raw).padStart(7)} B  ${String(plainSize.gz).padStart(6)} B gz${plainMin ? `  (minified: ${plainMin.raw} B, ${plainMin.gz} B gz)` : ''}`);
const core = sizes['client wasm'];
const glue = sizes['client glue, browser (browser-core.js + core/*.js)'];
const driver = sizes['JS driver (client.js + expose.js + core/snippets/objects.js)'];
const plainRef = plainMin ?? plainSize;
rows.push(['client wasm + browser glue + JS driver, gzip -9', `${kb(core.gz)} + ${kb(glue.gz)} + ${kb(driver.gz)}`, kb(plainRef.gz) + (plainMin ? ' (minified)' : ''), '0', x(core.gz + glue.gz + driver.gz, plainRef.gz), '']);
rows.push(['renderer wasm, gzip -9', kb(sizes['renderer wasm'].gz), '', '', '', '']);
rows.push(['rules wasm (what a Node import compiles), gzip -9', kb(sizes['rules wasm (Node import)'].gz), '', '', '', '']);

// --- cold start --------------------------------------------------------------------------
function coldOnce(which) {
  const out = execFileSync(process.execPath, [join(here, 'cold.mjs'), which], { cwd: here, encoding: 'utf8' });
  return JSON.parse(out);
}
// The plain client also as an installed package (node_modules/plain-js-client, with this
// package's package.json and exports map): Node's resolution of a bare specifier through an
// exports map costs a few ms that a relative import skips (BENCHMARKS.md, "Method").
const plainPkg = join(here, 'node_modules', 'plain-js-client');
mkdirSync(plainPkg, { recursive: true });
writeFileSync(join(plainPkg, 'package.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')), name: 'plain-js-client' }, null, 2));
copyFileSync(join(here, 'plain-client.mjs'), join(plainPkg, 'node.mjs'));
const kinds = ['wasm', 'plain', 'plainpkg'];
const cold = { wasm: [], plain: [], plainpkg: [] };
for (const w of kinds) coldOnce(w); // file cache warm-up
for (let i = 0; i < COLD; i++) {
  for (const w of i % 2 ? [...kinds].reverse() : kinds) cold[w].push(coldOnce(w));
}
const coldMed = (w, k) => median(cold[w].map((r) => r[k]));
console.log(`\ncold start, median of ${COLD} fresh processes each (import; first validateRequest; total), ms`);
for (const w of kinds) {
  console.log(`  ${({ wasm: 'package', plain: 'plain JS', plainpkg: 'plain JS as a package' })[w].padEnd(22)} ${coldMed(w, 'import').toFixed(2)}  ${coldMed(w, 'first').toFixed(2)}  ${coldMed(w, 'total').toFixed(2)}`);
}
rows.push(['cold start: import + first validateRequest', `${coldMed('wasm', 'total').toFixed(1)} ms`, `${coldMed('plain', 'total').toFixed(1)} ms`, '', x(coldMed('wasm', 'total'), coldMed('plain', 'total')), '']);
rows.push(['cold start, both imported as packages', `${coldMed('wasm', 'total').toFixed(1)} ms`, `${coldMed('plainpkg', 'total').toFixed(1)} ms`, '', x(coldMed('wasm', 'total'), coldMed('plainpkg', 'total')), '']);

// --- createAccount latency -----------------------------------------------------------------
const server = spawn(process.execPath, [join(here, 'server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = await once(server.stdout, 'data');
const baseUrl = String(line).trim();
if (!baseUrl.startsWith('http://127.0.0.1:')) throw new Error(`bench server: ${baseUrl}`);
const request = { email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' };
const url = `${baseUrl}/v1_1/provisioning/agents/accounts`;
const fns = {
  package: () => wasm.createAccount(request, { baseUrl }),
  plain: () => plain.createAccount(request, { baseUrl }),
  // The floor: what any client must do (send the JSON, read the JSON), nothing more.
  raw: async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    return res.json();
  },
};
const names = Object.keys(fns);
for (let i = 0; i < 300; i++) for (const n of names) await fns[n](); // warm-up: JIT, keep-alive sockets
/** `CALLS` calls of each client in `group`, interleaved with the order rotated, so that drift
 * (GC, the other process, the machine) hits all alike; the latencies in µs by client. */
async function interleaved(group) {
  const lat = Object.fromEntries(group.map((n) => [n, []]));
  for (let i = 0; i < CALLS; i++) {
    for (let j = 0; j < group.length; j++) {
      const n = group[(i + j) % group.length];
      const t = performance.now();
      await fns[n]();
      lat[n].push((performance.now() - t) * 1000);
    }
  }
  return lat;
}
// Each client against raw fetch in an interleave of its own: between two of its calls runs
// only raw fetch (the runtime's own fetch code, which it shares). In one three-way interleave
// a call often follows the other client's, and what that one evicted from the CPU's caches
// is paid by the next: the same package measured 1.08× to 1.18× raw fetch depending on which
// client shared its interleave (BENCHMARKS.md, "Each client interleaved with raw fetch
// alone"). The three-way figures are printed too.
const pairs = { package: await interleaved(['package', 'raw']), plain: await interleaved(['plain', 'raw']) };
const three = await interleaved(names);
console.log(`\ncreateAccount against one loopback server (another process), ${CALLS} calls each, µs`);
console.log('  each client interleaved with raw fetch alone:');
console.log('  client          p50     p99    mean   p50 / raw fetch');
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const printRow = (label, a, raw) => console.log(`  ${label.padEnd(16)} ${pct(a, 50).toFixed(0).padStart(6)}  ${pct(a, 99).toFixed(0).padStart(6)}  ${mean(a).toFixed(0).padStart(6)}${raw ? `   ${x(pct(a, 50), pct(raw, 50))}` : ''}`);
for (const n of ['package', 'plain']) { printRow(n, pairs[n][n], pairs[n].raw); printRow(`  raw (${n})`, pairs[n].raw); }
console.log('  the three in one interleave:');
for (const n of names) printRow(n, three[n], n === 'raw' ? undefined : three.raw);
const p = (n, q) => pct(pairs[n][n], q);
const r = (n, q) => pct(pairs[n].raw, q);
const rawAll = [...pairs.package.raw, ...pairs.plain.raw];
rows.push(['createAccount p50 (each client interleaved with raw fetch)', `${p('package', 50).toFixed(0)} µs`, `${p('plain', 50).toFixed(0)} µs`, `${pct(rawAll, 50).toFixed(0)} µs`, x(p('package', 50) / r('package', 50), p('plain', 50) / r('plain', 50)), x(p('package', 50), r('package', 50))]);
rows.push(['createAccount p99 (same)', `${p('package', 99).toFixed(0)} µs`, `${p('plain', 99).toFixed(0)} µs`, `${pct(rawAll, 99).toFixed(0)} µs`, x(p('package', 99) / r('package', 99), p('plain', 99) / r('plain', 99)), x(p('package', 99), r('package', 99))]);
rows.push(['plain JS createAccount p50 / raw fetch (same)', '', x(p('plain', 50), r('plain', 50)), '', '', '']);
rows.push(['createAccount p50, the three in one interleave', `${pct(three.package, 50).toFixed(0)} µs`, `${pct(three.plain, 50).toFixed(0)} µs`, `${pct(three.raw, 50).toFixed(0)} µs`, x(pct(three.package, 50), pct(three.plain, 50)), x(pct(three.package, 50), pct(three.raw, 50))]);

// createCloud the same way: its own rules (the request's, and either answer shape) over the
// same driver, interleaved with raw fetch to the clouds' path alone.
const cloudRequest = { delivery_ips: ['203.0.113.7'], agent_framework: 'langchain' };
const cloudUrl = `${baseUrl}/v1_1/provisioning/clouds`;
fns.cloud = () => wasm.createCloud(cloudRequest, { baseUrl });
fns.rawCloud = async () => {
  const res = await fetch(cloudUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cloudRequest) });
  return res.json();
};
for (let i = 0; i < 300; i++) { await fns.cloud(); await fns.rawCloud(); } // warm-up
const clouds = await interleaved(['cloud', 'rawCloud']);
console.log(`\ncreateCloud against the same server, ${CALLS} calls each, interleaved with raw fetch alone, µs`);
printRow('package', clouds.cloud, clouds.rawCloud);
printRow('  raw fetch', clouds.rawCloud);
rows.push(['createCloud p50 (interleaved with raw fetch)', `${pct(clouds.cloud, 50).toFixed(0)} µs`, '', `${pct(clouds.rawCloud, 50).toFixed(0)} µs`, '', x(pct(clouds.cloud, 50), pct(clouds.rawCloud, 50))]);

// Throughput with 32 calls in flight (the old figure, kept for comparison).
async function throughput(fn, concurrency) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next++ < CALLS) await fn(); }));
  return CALLS / ((performance.now() - t0) / 1000);
}
const tp = {};
for (const n of names) tp[n] = await throughput(fns[n], 32);
console.log(`  32 in flight, calls/s: ${names.map((n) => `${n} ${tp[n].toFixed(0)}`).join(', ')}`);
rows.push(['createAccount calls/s, 32 in flight', tp.package.toFixed(0), tp.plain.toFixed(0), tp.raw.toFixed(0), x(tp.package, tp.plain), x(tp.package, tp.raw)]);
server.stdin.end();

// --- validateRequest -----------------------------------------------------------------------
// A valid request and an invalid one (bad e-mail, a misspelt key), alternately.
const bad = { ...request, email: 'not-an-address', sdkFramework: 'x' };
if (wasm.validateRequest(bad).length !== 2 || plain.validateRequest(bad).length !== 2) throw new Error('validateRequest: the invalid request should give two issues');
function rate(fn, ms) {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 500; i++) { fn(request); fn(bad); }
    n += 1000;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}
rate(wasm.validateRequest, 200); rate(plain.validateRequest, 200); // warm-up
const vr = { package: [], plain: [] };
for (let i = 0; i < 7; i++) { vr.package.push(rate(wasm.validateRequest, 150)); vr.plain.push(rate(plain.validateRequest, 150)); }
const vp = median(vr.package); const vq = median(vr.plain);
console.log(`\nvalidateRequest (valid and invalid alternately), median of 7 interleaved rounds: package ${(vp / 1000).toFixed(0)} k/s, plain JS ${(vq / 1000).toFixed(0)} k/s`);
rows.push(['validateRequest calls/s', `${(vp / 1000).toFixed(0)} k`, `${(vq / 1000).toFixed(0)} k`, '', x(vp, vq), '']);

console.log('\n| figure | package | plain JS | raw fetch | package / plain JS | package / raw fetch |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
