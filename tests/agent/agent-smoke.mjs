// One script, run unchanged in Deno, a Cloudflare Worker (workerd) and Chromium: the tool's
// execute against the emulator (credentials handed over through onAccount), redact, toDotenv
// and checkActivation, each imported from the installed package by name.
import { redact, toDotenv, checkActivation, REDACTED } from 'cloudinary-agent-account';
import { createAccountTool } from 'cloudinary-agent-account/tool';

export async function run(baseUrl) {
  const input = {
    email: `agent-runtime-${Date.now()}-${Math.floor(Math.random() * 1e9)}@example.com`,
    agent_framework: 'langchain',
    agent_llm_model: 'claude-opus-4-8',
    agent_goal: 'Check the agent surfaces in another runtime',
  };
  let account;
  const result = await createAccountTool.execute(input, { baseUrl, onAccount: (a) => { account = a; } });
  const secret = account.product_environments[0].api_secret;
  const safe = redact(account);
  const dotenv = toDotenv(account);
  const activation = await checkActivation(account, { baseUrl });
  const saveTo = await createAccountTool.execute(input, { baseUrl, saveTo: '.env' });
  return {
    toolOk: result.ok,
    toolHasSecret: JSON.stringify(result).includes(secret),
    redacted: safe.product_environments[0].api_secret === REDACTED && !JSON.stringify(safe).includes(secret),
    dotenvLine: dotenv.trimEnd().split('\n').at(-1) === `CLOUDINARY_URL=cloudinary://${account.product_environments[0].api_key}:${secret}@${account.product_environments[0].cloud_name}`,
    activation: activation.state,
    saveToCode: saveTo.error && saveTo.error.code,
  };
}

export function check(report) {
  const want = { toolOk: true, toolHasSecret: false, redacted: true, dotenvLine: true, activation: 'pending', saveToCode: 'save_unsupported' };
  for (const [k, v] of Object.entries(want)) {
    if (report[k] !== v) throw new Error(`${k}: got ${JSON.stringify(report[k])}, want ${JSON.stringify(v)}`);
  }
}
