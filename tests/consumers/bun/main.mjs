// Bun: run directly (`bun main.mjs BASE`) and as `bun build` output; prints the smoke report.
import { run } from './smoke.mjs';

console.log(JSON.stringify(await run(process.argv[2])));
