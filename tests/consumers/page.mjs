// The browser consumers' entry (Vite, webpack, esbuild): runs the smoke scripts (the main entry,
// then `/tool` beside it) against the emulator named by `?base=` and shows their report as JSON
// in #report for the test to read.
import { run } from './smoke.mjs';
import { runTool } from './tool-smoke.mjs';

const out = document.getElementById('report');
const base = new URLSearchParams(location.search).get('base');
(async () => ({ ...(await run(base)), tool: await runTool(base) }))().then(
  (report) => { out.textContent = JSON.stringify(report); },
  (e) => { out.textContent = JSON.stringify({ failed: String((e && e.stack) || e) }); },
);
