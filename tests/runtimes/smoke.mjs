// One script, run unchanged in Deno and inside a Cloudflare Worker (workerd): it imports the
// installed package by name and exercises validation, rendering, an account and a cloud
// creation against the emulator and a typed error. It exports `run(baseUrl)` returning a report.
import {
  createAccount, createCloud, validateRequest, validateCloudRequest, renderGuidance, AgentAccountError,
} from 'cloudinary-agent-account';

export async function run(baseUrl) {
  const report = {};
  const request = {
    email: `runtime-${Date.now()}-${Math.floor(Math.random() * 1e9)}@example.com`,
    agent_framework: 'langchain',
    agent_llm_model: 'claude-opus-4-8',
    agent_goal: 'Check the package in another runtime',
  };
  report.validIssues = validateRequest(request).length;
  report.invalidCodes = validateRequest({ ...request, email: 'nope' }).map((i) => i.code);
  report.html = renderGuidance('# Hi <script>x</script>');
  const account = await createAccount(request, { baseUrl });
  report.plan = account.plan_name;
  report.cloudNameLooksRight = typeof account.product_environments[0].cloud_name === 'string';
  report.cloudIssues = validateCloudRequest({ delivery_ips: ['10.0.0.0/8'] }).map((i) => i.code);
  const cloud = await createCloud({ delivery_ips: ['requester_ip'] }, { baseUrl });
  report.cloudClaimable = typeof cloud.claim_url === 'string' && cloud.api_environment_variable.startsWith('CLOUDINARY_URL=');
  try {
    await createAccount(request, { baseUrl });
  } catch (e) {
    report.errorIsTyped = e instanceof AgentAccountError && e instanceof Error;
    report.errorCode = e.code;
  }
  return report;
}

export function check(report) {
  const want = {
    validIssues: 0,
    invalidCodes: ['invalid_email'],
    plan: 'free',
    cloudNameLooksRight: true,
    cloudIssues: ['invalid_ip'],
    cloudClaimable: true,
    errorIsTyped: true,
    errorCode: 'account_exists',
  };
  for (const [k, v] of Object.entries(want)) {
    if (JSON.stringify(report[k]) !== JSON.stringify(v)) throw new Error(`${k}: got ${JSON.stringify(report[k])}, want ${JSON.stringify(v)}`);
  }
  if (!report.html.includes('<h1>') || report.html.includes('<script')) throw new Error(`html: ${report.html}`);
}
