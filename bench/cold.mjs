// One cold start, in a fresh Node process: import the client, then one validateRequest.
// Prints the milliseconds from before the import to after that first call.
//   node cold.mjs wasm|plain|plainpkg   (plainpkg: plain-client.mjs installed as a package)
const t0 = performance.now();
const which = process.argv[2];
const mod = which === 'plain' ? await import('./plain-client.mjs')
  : which === 'plainpkg' ? await import('plain-js-client') : await import('cloudinary-agent-account');
const t1 = performance.now();
const issues = mod.validateRequest({ email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' });
const t2 = performance.now();
if (issues.length !== 0) throw new Error('cold.mjs: a valid request was refused');
process.stdout.write(JSON.stringify({ import: t1 - t0, first: t2 - t1, total: t2 - t0 }) + '\n');
