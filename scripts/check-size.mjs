// The size budget of the client's wasm (createAccount + validation), gzipped at level 9.
// Fails `make test` when exceeded; prints the figures either way.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 45 * 1000;
const files = {
  core: 'pkg/core/cloudinary_agent_account_bg.wasm',
  guidance: 'pkg/guidance/guidance_bg.wasm',
};
const size = (f) => {
  const raw = readFileSync(f);
  return { raw: raw.length, gz: gzipSync(raw, { level: 9 }).length };
};
const core = size(files.core);
const guidance = size(files.guidance);
console.log(`size: core wasm ${core.raw} B, ${core.gz} B gzipped (budget ${BUDGET} B gzipped)`);
console.log(`size: guidance wasm (Markdown renderer, separate entry) ${guidance.raw} B, ${guidance.gz} B gzipped`);
if (core.gz > BUDGET) {
  console.error(`size: FAILED: the core wasm is ${core.gz - BUDGET} B over budget`);
  process.exit(1);
}
