// Compiles under `tsc --strict --noEmit` against the installed package: the public surface
// is precise enough to use without casts, and has no `any`.
import {
  createAccount,
  validateRequest,
  isValidRequest,
  renderGuidance,
  AgentAccountError,
  type AgentAccount,
  type AgentAccountRequest,
  type CreateAccountOptions,
  type ErrorCode,
  type ValidationIssue,
  type ResponseInfo,
} from 'cloudinary-agent-account';

const request: AgentAccountRequest = {
  email: 'jane@example.com',
  agent_framework: 'langchain',
  agent_llm_model: 'claude-opus-4-8',
  agent_goal: 'Host product images',
  sdk_framework: 'nodejs',
};

const issues: ValidationIssue[] = validateRequest(request);
for (const i of issues) {
  const field: string = i.field;
  const code: 'missing' | 'wrong_type' | 'too_short' | 'too_long' | 'control_character' | 'invalid_email' | 'unknown_field' | 'not_an_object'
    | 'invisible_character' | 'unreadable' | 'taken' | 'disposable' | 'invalid' | 'other'
    | 'invalid_ip' | 'duplicate' = i.code;
  console.log(field, code, i.message.toUpperCase());
}

// validateRequest checks untrusted input: anything compiles, and the guard narrows it.
const untrusted: unknown = JSON.parse('{"email":"x"}');
const fromForm: ValidationIssue[] = validateRequest({ email: 'x' });
console.log(fromForm.length, validateRequest(untrusted).length, validateRequest(42).length);
if (isValidRequest(untrusted)) {
  const narrowed: AgentAccountRequest = untrusted;
  void createAccount(narrowed);
}

const options: CreateAccountOptions = {
  baseUrl: 'http://127.0.0.1:8787',
  timeoutMs: 10_000,
  maxRetries: 2,
  signal: AbortSignal.timeout(5_000),
  onResponse: (info: ResponseInfo) => console.log(info.status, info.requestId, info.rateLimit?.remaining),
};

async function main(): Promise<void> {
  try {
    const account: AgentAccount = await createAccount(request, options);
    const env = account.product_environments[0];
    const cloud: string | undefined = env?.cloud_name;
    console.log(account.plan_name, cloud, renderGuidance(account.guidance).length);
  } catch (e: unknown) {
    if (e instanceof AgentAccountError) {
      const code: ErrorCode = e.code;
      const wait: number | undefined = e.retryAfterMs;
      const status: number | undefined = e.status;
      console.log(code, wait, status, e.requestId, e.issues.length, e.message);
      const lost: boolean = e.mayHaveCreatedAccount;
      console.log(lost);
      switch (e.code) {
        case 'rate_limited':
        case 'account_exists':
        case 'registration_disabled':
        case 'region_blocked':
          break;
        default:
          break;
      }
    }
  }
}
void main();

// The Claimable Cloud: every field optional, the seven fields typed, the new error code in
// the union.
import {
  createCloud,
  validateCloudRequest,
  isValidCloudRequest,
  type CloudRequest,
  type ClaimableCloud,
} from 'cloudinary-agent-account';

async function cloudMain(): Promise<void> {
  const req: CloudRequest = { delivery_ips: ['requester_ip', '203.0.113.7'], agent_framework: 'langchain' };
  console.log(validateCloudRequest(req).length, validateCloudRequest(untrusted).length);
  if (isValidCloudRequest(untrusted)) {
    const narrowed: CloudRequest = untrusted;
    void createCloud(narrowed);
  }
  try {
    const cloud: ClaimableCloud = await createCloud(req, options);
    const claim: string = cloud.claim_url;
    const ips: string[] = cloud.delivery_ips;
    const parts: string[] = [cloud.cloud_name, cloud.api_key, cloud.api_secret, cloud.api_environment_variable, cloud.expires_at];
    const maybe: string | undefined = cloud.account_id;
    console.log(claim.length, ips.length, parts.length, maybe);
    await createCloud();
  } catch (e: unknown) {
    if (e instanceof AgentAccountError && e.code === 'delivery_ips_not_public') {
      console.log(e.message);
    }
  }
}
void cloudMain();
