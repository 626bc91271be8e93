// Benchmark of the client (not a test): what the package costs over the plain alternative,
// in the same run. Against a local server on 127.0.0.1 that answers a fixed fake account, it
// times N calls of `createAccount` and of a hand-written `fetch` + `JSON.parse` (no
// validation, no typed errors), sequentially and 32 at a time; then `validateRequest`
// against a plain-JS check of the same rules. Bounded: a fixed number of calls.
//   node scripts/bench-client.mjs [N]      (after `make pkg`)
import http from 'node:http';
import { once } from 'node:events';
import { createAccount, validateRequest } from '../pkg/node.mjs';

const N = Number(process.argv[2] || 2000);
const body = JSON.stringify({
  external_id: '0aaaaa1bbbbb2ccccc3ddddd4eeeee5f', email: 'jane@example.com', plan_name: 'free',
  product_environments: [{ external_id: 'abcde1fghij2klmno3pqrst4uvwxy5z', cloud_name: 'product1',
    api_key: '123456789012345', api_secret: 'FAKE-not-a-secret',
    api_environment_variable: 'CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1' }],
  guidance: 'Verify the e-mail. '.repeat(40),
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const request = { email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' };

async function plainFetch() {
  const res = await fetch(`${baseUrl}/v1_1/provisioning/agents/accounts`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
  });
  if (!res.ok) throw new Error(String(res.status));
  return res.json();
}
const viaPackage = () => createAccount(request, { baseUrl });

async function time(fn, concurrency) {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < N) await fn();
  }));
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

console.log(`client benchmark: ${N} calls each, local server on 127.0.0.1, Node ${process.version}`);
console.log('concurrency   plain fetch (calls/s)   createAccount (calls/s)   createAccount/plain');
for (const c of [1, 32]) {
  const plain = await time(plainFetch, c);
  const pkg = await time(viaPackage, c);
  const rate = (ms) => Math.round(N / (ms / 1000));
  console.log(`${String(c).padEnd(14)}${String(rate(plain)).padEnd(24)}${String(rate(pkg)).padEnd(26)}${(rate(pkg) / rate(plain)).toFixed(2)}`);
}
server.close();

// The same rules in plain JS, as someone writing the fetch call themselves might.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
function plainValidate(r) {
  const issues = [];
  const len = (s) => [...s.trim()].length;
  if (typeof r.email !== 'string' || !EMAIL.test(r.email.trim()) || r.email.trim().length > 254) issues.push('email');
  for (const [k, max] of [['agent_framework', 100], ['agent_llm_model', 100], ['agent_goal', 300]]) {
    if (typeof r[k] !== 'string' || len(r[k]) < 2 || len(r[k]) > max) issues.push(k);
  }
  return issues;
}
const M = N * 50;
const bad = { ...request, email: 'not-an-address', sdkFramework: 'x' };
for (const [name, fn] of [['plain JS', plainValidate], ['validateRequest', validateRequest]]) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < M; i++) { fn(request); fn(bad); }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${name.padEnd(16)} ${Math.round((2 * M) / (ms / 1000))} validations/s (${((ms * 1000) / (2 * M)).toFixed(2)} µs each)`);
}
