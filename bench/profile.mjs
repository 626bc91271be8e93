// CPU profile of N createAccount calls (or validateRequest calls with `validate`), for
// BENCHMARKS.md's findings; run inside build/bench/consumer (scripts/bench-client.sh sets it
// up):  node --cpu-prof --cpu-prof-dir=prof profile.mjs [create|validate|plain] [N]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, dirname } from 'node:path';
import * as wasm from 'cloudinary-agent-account';
import * as plain from './plain-client.mjs';

const what = process.argv[2] || 'create';
const N = Number(process.argv[3] || 10000);
const request = { email: 'jane@example.com', agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host product images' };
if (what === 'validate') {
  const bad = { ...request, email: 'not-an-address', sdkFramework: 'x' };
  for (let i = 0; i < N; i++) { wasm.validateRequest(request); wasm.validateRequest(bad); }
} else {
  const here = dirname(new URL(import.meta.url).pathname);
  const server = spawn(process.execPath, [join(here, 'server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await once(server.stdout, 'data');
  const baseUrl = String(line).trim();
  const client = what === 'plain' ? plain : wasm;
  for (let i = 0; i < N; i++) await client.createAccount(request, { baseUrl });
  server.stdin.end();
}
