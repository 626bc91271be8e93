// One script, run unchanged in Deno, a Cloudflare Worker (workerd) and Chromium: both tools'
// execute against the emulator (credentials handed over through onAccount / onCloud),
// redact, toDotenv and checkActivation, each imported from the installed package by name.
import { redact, toDotenv, checkActivation, REDACTED } from 'cloudinary-agent-account';
import { createAccountTool, createCloudTool } from 'cloudinary-agent-account/tool';

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
  let cloud;
  const cloudResult = await createCloudTool.execute({ agent_goal: 'Check the agent surfaces in another runtime' }, { baseUrl, onCloud: (c) => { cloud = c; } });
  const token = cloud && new URL(cloud.claim_url).searchParams.get('token');
  const cloudText = JSON.stringify(cloudResult) + JSON.stringify(redact(cloud || {}));
  return {
    toolOk: result.ok,
    toolHasSecret: JSON.stringify(result).includes(secret),
    redacted: safe.product_environments[0].api_secret === REDACTED && !JSON.stringify(safe).includes(secret),
    dotenvLine: dotenv.trimEnd().split('\n').at(-1) === `CLOUDINARY_URL=cloudinary://${account.product_environments[0].api_key}:${secret}@${account.product_environments[0].cloud_name}`,
    activation: activation.state,
    saveToCode: saveTo.error && saveTo.error.code,
    cloudOk: cloudResult.ok,
    cloudHasSecret: Boolean(cloud) && (cloudText.includes(cloud.api_secret) || cloudText.includes(token)),
    cloudDotenvKeys: Boolean(cloud) && toDotenv(cloud).split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]).join(','),
    cloudActivation: cloud ? (await checkActivation(cloud, { baseUrl })).state : 'none',
  };
}

export function check(report) {
  const want = {
    toolOk: true, toolHasSecret: false, redacted: true, dotenvLine: true, activation: 'pending', saveToCode: 'save_unsupported',
    cloudOk: true, cloudHasSecret: false, cloudDotenvKeys: 'CLOUDINARY_URL,CLOUDINARY_CLOUD_CLAIM_URL,CLOUDINARY_CLOUD_EXPIRES_AT', cloudActivation: 'active',
  };
  for (const [k, v] of Object.entries(want)) {
    if (report[k] !== v) throw new Error(`${k}: got ${JSON.stringify(report[k])}, want ${JSON.stringify(v)}`);
  }
}
