// Consent through MCP elicitation (2025-11-25): before a creating tool sends anything, the
// person confirms (or corrects) the e-mail address and agrees, in a form their client shows
// them. A client that declares no elicitation gets the tool as it was: its own tool approval
// is the consent. The form never asks for a secret.
import { randomUUID } from 'node:crypto';
import { ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';

/** How long the person has to answer the form (the SDK's default, 60 s, is too short to read it). */
export const CONSENT_TIMEOUT_MS = 10 * 60 * 1000;

/** The error codes of this layer, beside the tools' own. */
export const CONSENT_CODES = Object.freeze({
  declined: 'declined',
  failed: 'consent_failed',
});

/** What a result says about consent (MCP `outputSchema`, added to each creating tool's). */
export const CONSENT_SCHEMA = Object.freeze({
  type: 'object',
  description: 'how the person agreed, or did not, before anything was sent',
  properties: {
    via: { enum: ['form', 'host'], description: 'form: the person answered this server\'s elicitation form; host: the client has no elicitation, so its own tool approval was the consent' },
    action: { enum: ['accept', 'decline', 'cancel'], description: 'the person\'s answer to the form' },
    agreed: { type: 'boolean' },
    emailCorrected: { type: 'boolean', description: 'the person changed the address the tool was called with' },
  },
  required: ['via'],
  additionalProperties: false,
});

/** What a cloud result says about the claim page offered to the person (URL-mode elicitation). */
export const CLAIM_PAGE_SCHEMA = Object.freeze({
  type: 'object',
  description: 'whether the claim page was offered to the person directly (the full link never comes to you)',
  properties: {
    offered: { type: 'boolean', description: 'false: the client has no URL-mode elicitation; the person gets the link from the env file' },
    action: { enum: ['accept', 'decline', 'cancel'], description: 'accept: the person chose to open the page' },
    answered: { type: 'boolean', description: 'false: the offer could not be shown or was not answered' },
  },
  required: ['offered'],
  additionalProperties: false,
});

/**
 * `schema` (a tool's outputSchema) with what the MCP layer adds: `consent`, and `claimPage`
 * for a tool that offers one.
 */
export function withConsent(schema, { claimPage = false } = {}) {
  return Object.freeze({ ...schema, properties: { ...schema.properties, consent: CONSENT_SCHEMA, ...(claimPage ? { claimPage: CLAIM_PAGE_SCHEMA } : {}) } });
}

/** An error result in the creating tools' shape (nothing was sent, so nothing was created). */
export function failure(code, message, advice, issues) {
  return { ok: false, error: { code, message, ...(issues && issues.length ? { issues } : {}), mayHaveCreatedAccount: false }, advice };
}

/**
 * The form for one creating tool: the e-mail field (required or not, pre-filled with what the
 * model sent) and the agreement, whose wording says what will happen.
 */
function form(entry, email, envFile, args) {
  return {
    mode: 'form',
    message: entry.consent.message(email, envFile, args),
    requestedSchema: {
      type: 'object',
      properties: {
        email: {
          type: 'string',
          format: 'email',
          title: 'Your e-mail address',
          description: entry.consent.emailDescription,
          ...(email ? { default: email } : {}),
        },
        agree: { type: 'boolean', title: entry.consent.agreeTitle, description: entry.consent.agreeDescription, default: false },
      },
      required: entry.consent.emailRequired ? ['email', 'agree'] : ['agree'],
    },
  };
}

/**
 * Asks the person, when the client can show a form. Resolves to `{ input, consent }` to go
 * ahead with (the e-mail as the person confirmed it), or to `{ result }`: the declined, failed
 * or invalid answer, nothing having been sent.
 * @param {{ tool: { name: string }, validate: (input: unknown) => Array<{ field: string, code: string, message: string }>, consent: object }} entry
 * @param {Record<string, unknown>} args what the model sent (already valid by entry.validate)
 * @param {{ capabilities: any, sendRequest: Function, signal?: AbortSignal, envFile: string }} ctx
 */
export async function askConsent(entry, args, { capabilities, sendRequest, signal, envFile }) {
  if (!(capabilities && capabilities.elicitation && capabilities.elicitation.form)) {
    return { input: args, consent: { via: 'host' } };
  }
  const sent = typeof args.email === 'string' ? args.email : '';
  let answer;
  try {
    // The request goes out related to this tool call (over Streamable HTTP, on its stream).
    answer = await sendRequest({ method: 'elicitation/create', params: form(entry, sent, envFile, args) }, ElicitResultSchema, { signal, timeout: CONSENT_TIMEOUT_MS });
  } catch (e) {
    const result = failure(CONSENT_CODES.failed, `the confirmation form was not answered: ${String(e && e.message || e)}`,
      `Nothing was sent. Ask the person in the chat whether they still want this; call ${entry.tool.name} again only if they say so.`);
    return { result: { ...result, consent: { via: 'form' } } };
  }
  const content = answer.content || {};
  const agreed = answer.action === 'accept' && content.agree === true;
  if (!agreed) {
    const what = answer.action === 'cancel' ? 'dismissed the confirmation form' : answer.action === 'decline' ? 'declined in the confirmation form' : 'did not tick the agreement in the confirmation form';
    const result = failure(CONSENT_CODES.declined, `the person ${what}; nothing was sent`,
      `Nothing was sent and nothing was created. The person chose not to go ahead: do not call ${entry.tool.name} again unless the person asks for it again in the chat.`);
    return { result: { ...result, consent: { via: 'form', action: answer.action, agreed: false } } };
  }
  const input = { ...args };
  const typed = content.email;
  if (typed === undefined || typed === '') delete input.email;
  else input.email = typed;
  const consent = { via: 'form', action: 'accept', agreed: true, emailCorrected: (input.email ?? '') !== sent };
  // The person's correction passes the same rules as the model's input did.
  const issues = entry.validate(input);
  if (issues.length) {
    const result = failure('invalid_input', `the answer in the confirmation form is invalid: ${issues.map((i) => i.message).join('; ')}`,
      `Nothing was sent. Tell the person what was wrong with the ${issues.map((i) => i.field).join(', ')} they entered and ask for it in the chat; call ${entry.tool.name} again with it.`,
      issues.map((i) => ({ field: i.field, code: i.code, message: i.message })));
    return { result: { ...result, consent } };
  }
  return { input, consent };
}

/**
 * Offers the new cloud's claim page to the person through URL-mode elicitation, when the client
 * declares it: the one channel where the full claim link may go (to the person, never to the
 * model; the client shows the page's address and opens it only if they accept).
 * @param {{ cloud_name: string, claim_url: string, expires_at: string }} cloud the full cloud
 * @param {{ capabilities: any, sendRequest: Function, signal?: AbortSignal, envFile: string | null }} ctx
 * @returns {Promise<{ offered: boolean, action?: string, answered?: boolean }>}
 */
export async function offerClaimPage(cloud, { capabilities, sendRequest, signal, envFile }) {
  if (!(capabilities && capabilities.elicitation && capabilities.elicitation.url)) return { offered: false };
  if (!/^https?:\/\//i.test(String(cloud.claim_url))) return { offered: false };
  const kept = envFile ? ` The link is also kept in ${envFile} (CLOUDINARY_CLOUD_CLAIM_URL).` : '';
  const params = {
    mode: 'url',
    elicitationId: randomUUID(),
    url: cloud.claim_url,
    message: `Claim your new Cloudinary cloud ${cloud.cloud_name}: open this page before ${cloud.expires_at}, enter your e-mail address and confirm. Unclaimed, the cloud is disabled then, with its assets.${kept}`,
  };
  try {
    const answer = await sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema, { signal, timeout: CONSENT_TIMEOUT_MS });
    return { offered: true, action: answer.action };
  } catch {
    // Its message could quote the request, link included: only the fact goes to the model.
    return { offered: true, answered: false };
  }
}
