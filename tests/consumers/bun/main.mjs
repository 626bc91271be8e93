// Bun: run directly (`bun main.mjs BASE`) and as `bun build` output; prints the smoke report
// (the main entry, then `/tool` saving through `/node` into a temporary env file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCloudinaryUrl } from 'cloudinary-agent-account/node';
// `/tool` first: an app must not depend on its import order, and a tool that brought its own
// loader would initialise the core before the main entry did.
import { runTool } from './tool-smoke.mjs';
import { run } from './smoke.mjs';

const base = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'bun-tool-'));
try {
  console.log(JSON.stringify({ ...(await run(base)), tool: await runTool(base, { saveTo: join(dir, '.env'), readCloudinaryUrl }) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
