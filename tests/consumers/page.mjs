// The browser consumers' entry (Vite, webpack, esbuild): runs the smoke scripts (the main entry,
// then `/tool` beside it) against the emulator named by `?base=` and shows their report as JSON
// in #report for the test to read.
// `/tool` first: an app must not depend on its import order, and a tool that brought its own
// loader would initialise the core before the main entry did.
import { runTool } from './tool-smoke.mjs';
import { run } from './smoke.mjs';

const out = document.getElementById('report');
const base = new URLSearchParams(location.search).get('base');
(async () => ({ ...(await run(base)), tool: await runTool(base) }))().then(
  (report) => { out.textContent = JSON.stringify(report); },
  (e) => { out.textContent = JSON.stringify({ failed: String((e && e.stack) || e) }); },
);
