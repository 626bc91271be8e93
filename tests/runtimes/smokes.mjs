// Both smoke scripts as one (the package's, smoke.mjs, and the agent surfaces',
// tests/agent/agent-smoke.mjs), so Deno and workerd each start once for both.
import * as pkg from './smoke.mjs';
import * as agent from '../agent/agent-smoke.mjs';

export async function run(baseUrl) {
  return { package: await pkg.run(baseUrl), agent: await agent.run(baseUrl) };
}

export function check(report) {
  pkg.check(report.package);
  agent.check(report.agent);
}
