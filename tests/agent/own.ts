// Type checks of the package's own declarations (tsc --strict, skipLibCheck off, no
// third-party types loaded), as a consumer of every subpath uses them.
import { createAccountTool, createCloudTool, type ToolResult, type CloudToolResult } from 'cloudinary-agent-account/tool';
import { saveCredentials, checkDestination, readSavedCloud, type SaveCredentialsResult } from 'cloudinary-agent-account/node';
import {
  checkActivation, waitForActivation, redact, toDotenv, REDACTED, renderGuidanceText,
  type AgentAccount, type ActivationResult, type ClaimableCloud,
} from 'cloudinary-agent-account';

async function use(account: AgentAccount): Promise<void> {
  const r: ToolResult = await createAccountTool.execute(
    { email: 'jane@example.com', agent_framework: 'x1', agent_llm_model: 'm1', agent_goal: 'g1' },
    { saveTo: '.env', signal: AbortSignal.timeout(1000) },
  );
  if (r.ok) {
    const where: string | null = r.credentials.savedTo;
    void where;
  } else {
    const lost: boolean = r.error.mayHaveCreatedAccount;
    void lost;
  }
  const saved: SaveCredentialsResult = await saveCredentials(account, { path: '.env', force: false });
  const action: 'created' | 'updated' | 'unchanged' = saved.action;
  const dest: { path: string; cloudinaryUrl: string | null } = await checkDestination('.env');
  void dest;
  const state: ActivationResult = await checkActivation(account, { timeoutMs: 1000 });
  await waitForActivation({ cloud_name: 'c', api_key: 'k', api_secret: 's' }, {
    intervalMs: 5000,
    onCheck: (c) => { const next: number | undefined = c.nextCheckInMs; void [c.attempt, next]; },
  });
  const guidance: string = renderGuidanceText(account.guidance, true) + renderGuidanceText(account.guidance);
  const safe: AgentAccount = redact(account);
  const text: string = toDotenv(account);
  const marker: '[REDACTED]' = REDACTED;
  void [action, state, safe, text, marker, guidance];
}

async function useCloud(cloud: ClaimableCloud): Promise<void> {
  const r: CloudToolResult = await createCloudTool.execute(
    { delivery_ips: ['203.0.113.7'], agent_goal: 'g1' },
    { saveTo: '.env', onCloud: (c: ClaimableCloud) => { const link: string = c.claim_url; void link; } },
  );
  if (r.ok) {
    const headline: string = r.nextSteps;
    const ips: string[] = r.deliveryIps;
    const claim: string = r.cloud.claim_url;
    void [headline, ips, claim, r.expiresAt, r.claimLink];
  } else {
    const code: string = r.error.code;
    void [code, r.error.serverCode, r.cloud];
  }
  const saved: SaveCredentialsResult = await saveCredentials(cloud);
  const back: { cloudinaryUrl: string | null; claimUrl: string | null; expiresAt: string | null } = await readSavedCloud('.env');
  const safe: ClaimableCloud = redact(cloud);
  const text: string = toDotenv(cloud);
  void [saved, back, safe, text];
}

void [use, useCloud];
