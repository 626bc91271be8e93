// Deno: `deno run agent-deno.mjs BASE_URL` from the consumer project.
import { run, check } from './agent-smoke.mjs';

const report = await run(Deno.args[0]);
check(report);
console.log('deno: ok', JSON.stringify(report));
