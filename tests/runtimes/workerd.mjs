// Cloudflare Workers: bundles worker.mjs the way wrangler does (esbuild, the "workerd"
// export condition, .wasm imports kept as compiled-module imports) with the smoke script
// SMOKE as its `smoke-script`, runs it in workerd via Miniflare, and checks the report with
// SMOKE's check(). Usage: node workerd.mjs SMOKE BASE_URL (from the consumer), where SMOKE is
// a smoke script next to this one (smokes.mjs).
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [smoke, baseUrl] = process.argv.slice(2);
const smokeUrl = new URL(smoke, import.meta.url);
const { check } = await import(smokeUrl.href);
const out = mkdtempSync(join(tmpdir(), 'worker-'));
await build({
  entryPoints: [fileURLToPath(new URL('./worker.mjs', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  alias: { 'smoke-script': fileURLToPath(smokeUrl) },
  loader: { '.wasm': 'copy' },
  outdir: out,
  logLevel: 'error',
});
const mf = new Miniflare({
  modules: true,
  scriptPath: join(out, 'worker.js'),
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
