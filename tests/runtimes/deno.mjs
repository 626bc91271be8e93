// Deno: `deno run deno.mjs BASE_URL`, from the consumer project (bare names resolve through
// its node_modules with Deno's own "deno" export condition).
import { run, check } from './smoke.mjs';

const report = await run(Deno.args[0]);
check(report);
console.log('deno: ok', JSON.stringify({ plan: report.plan, errorCode: report.errorCode }));
