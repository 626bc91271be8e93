// The browser consumers' entry (Vite, webpack, esbuild): runs the smoke script against the
// emulator named by `?base=` and shows its report as JSON in #report for the test to read.
import { run } from './smoke.mjs';

const out = document.getElementById('report');
run(new URLSearchParams(location.search).get('base')).then(
  (report) => { out.textContent = JSON.stringify(report); },
  (e) => { out.textContent = JSON.stringify({ failed: String((e && e.stack) || e) }); },
);
