// Cloudflare Workers: bundles agent-worker.mjs as wrangler does (esbuild, the "workerd"
// condition, .wasm kept as module imports), runs it in workerd via Miniflare.
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from './agent-smoke.mjs';

const baseUrl = process.argv[2];
const out = mkdtempSync(join(tmpdir(), 'agent-worker-'));
await build({
  entryPoints: [new URL('./agent-worker.mjs', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  loader: { '.wasm': 'copy' },
  outdir: out,
  logLevel: 'error',
});
const mf = new Miniflare({
  modules: true,
  scriptPath: join(out, 'agent-worker.js'),
  modulesRoot: out,
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2025-01-01',
});
try {
  const res = await mf.dispatchFetch(`http://worker.local/?base=${encodeURIComponent(baseUrl)}`);
  const report = await res.json();
  if (report.failed) throw new Error(report.failed);
  check(report);
  console.log('workerd: ok', JSON.stringify(report));
} finally {
  await mf.dispose();
}
