// Deno: `deno run deno.mjs SMOKE BASE_URL`, from the consumer project, where SMOKE is a smoke
// script next to this one (smokes.mjs) exporting run(baseUrl) and check(report). Bare names
// resolve through the consumer's node_modules with Deno's own "deno" export condition.
const [smoke, baseUrl] = Deno.args;
const { run, check } = await import(new URL(smoke, import.meta.url).href);

const report = await run(baseUrl);
check(report);
console.log('deno: ok', JSON.stringify(report));
