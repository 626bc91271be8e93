// Types of `cloudinary-agent-account/tool`.
import type { AgentAccount, AgentAccountRequest, ClaimableCloud, CloudRequest, ErrorCode, ValidationIssue } from './core/cloudinary_agent_account.js';
/** The main entry's error class: the tool's calls share the app's one wasm instance. */
export { AgentAccountError } from './core/cloudinary_agent_account.js';

/** The request's JSON Schema (2020-12 compatible, no `$ref`), generated from the Rust rules. */
export interface RequestJsonSchema {
  /** Plain JSON: the SDKs take JSON Schema as an open record. */
  [keyword: string]: unknown;
  type: 'object';
  properties: Record<'email' | 'agent_framework' | 'agent_llm_model' | 'agent_goal' | 'sdk_framework', {
    type: 'string' | ['string', 'null'];
    description: string;
    minLength: number;
    maxLength: number;
    pattern: string;
    format?: 'email';
  }>;
  required: Array<'email' | 'agent_framework' | 'agent_llm_model' | 'agent_goal'>;
  additionalProperties: false;
}

/** The Claimable Cloud request's JSON Schema (every field optional), generated from the Rust rules. */
export interface CloudRequestJsonSchema {
  [keyword: string]: unknown;
  type: 'object';
  properties: Record<'delivery_ips' | 'email' | 'agent_framework' | 'agent_llm_model' | 'agent_goal' | 'sdk_framework', Record<string, unknown>>;
  additionalProperties: false;
}

/** The JSON Schema of {@link ToolResult} (no `$ref`; root `type: 'object'`, as MCP's `outputSchema` needs). */
export interface ResultJsonSchema {
  [keyword: string]: unknown;
  type: 'object';
  properties: Record<string, unknown>;
}

/** MCP tool annotations (the same for both tools but the title). */
export interface ToolAnnotations {
  title: string;
  readOnlyHint: false;
  destructiveHint: false;
  idempotentHint: false;
  openWorldHint: true;
}

/** Options of {@link CreateAccountTool.execute}. */
export interface ExecuteOptions {
  /** Default `https://api.cloudinary.com`. */
  baseUrl?: string;
  /** Node.js: the env file to save the credentials to (see `cloudinary-agent-account/node`). */
  saveTo?: string;
  /** Replace a different `CLOUDINARY_URL` in `saveTo`. */
  force?: boolean;
  /** Receives the full account (secret included), outside the model's context. */
  onAccount?: (account: AgentAccount) => void | Promise<void>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A chat-safe success: no secret anywhere. */
export interface ToolSuccess {
  ok: true;
  /** The account with its secrets replaced by `[REDACTED]`. */
  account: AgentAccount;
  credentials: {
    savedTo: string | null;
    action?: 'created' | 'updated' | 'unchanged';
    ignoredByGit?: boolean | null;
    gitignoreUpdated?: boolean;
    handedTo?: string;
    saveError?: string;
    warning?: string;
  };
  /** ISO time by which the person must verify the e-mail. */
  verifyBy: string;
  /** What to tell the person, in plain words. */
  nextSteps: string;
}

/** Codes only the tool produces: before sending anything (the env file cannot take the
 * credentials: it holds some, is a link, is tracked by git, cannot be written...), or
 * `save_failed`: created, but stored nowhere (then `account` is the redacted copy). */
export type ToolOnlyCode = 'credentials_exist' | 'save_unsupported' | 'no_destination'
  | 'symlink' | 'tracked_by_git' | 'not_writable' | 'unsafe_file' | 'locked' | 'read_failed' | 'save_failed';

/** A chat-safe failure, with advice a model can act on. */
export interface ToolFailure {
  ok: false;
  error: {
    code: ErrorCode | ToolOnlyCode | string;
    message: string;
    issues?: ValidationIssue[];
    status?: number;
    requestId?: string;
    retryAfterMs?: number;
    /** The answer was lost: do not retry; see `advice`. */
    mayHaveCreatedAccount: boolean;
  };
  advice: string;
  /** For `save_failed` only: the account, redacted. */
  account?: AgentAccount;
}

export type ToolResult = ToolSuccess | ToolFailure;

/** Options of {@link CreateCloudTool.execute}. */
export interface CloudExecuteOptions extends Omit<ExecuteOptions, 'onAccount'> {
  /** Receives the full cloud (secret and claim URL included), outside the model's context. */
  onCloud?: (cloud: ClaimableCloud) => void | Promise<void>;
}

/** A chat-safe success of the cloud tool: no secret, no claim token anywhere. */
export interface CloudToolSuccess {
  ok: true;
  /** The cloud with its secret and the claim URL's token replaced by `[REDACTED]`. */
  cloud: ClaimableCloud;
  credentials: ToolSuccess['credentials'];
  /** The headline: give the person the claim link before `expiresAt`, where the full link
   * is, what works now and the IP lock (`x-cld-error: ACL deny`). */
  nextSteps: string;
  /** Where the full claim link is (the env file key, and the command the person runs). */
  claimLink: string;
  /** Unclaimed, the cloud is disabled at this time (ISO 8601). */
  expiresAt: string;
  /** Media is delivered only to these addresses until the cloud is claimed. */
  deliveryIps: string[];
}

/** A chat-safe failure of the cloud tool. */
export interface CloudToolFailure extends Omit<ToolFailure, 'account' | 'error'> {
  error: ToolFailure['error'] & { serverCode?: string };
  /** For `save_failed` only: the cloud, redacted. */
  cloud?: ClaimableCloud;
}

export type CloudToolResult = CloudToolSuccess | CloudToolFailure;

/** The tool definition. */
export interface CreateAccountTool {
  name: 'create_cloudinary_account';
  description: string;
  inputSchema: RequestJsonSchema;
  /** The JSON Schema every result of `execute` validates against (MCP `outputSchema`). */
  outputSchema: ResultJsonSchema;
  annotations: ToolAnnotations;
  /** Validates, creates, saves (`saveTo`) or hands over (`onAccount`); never rejects. */
  execute(input: AgentAccountRequest, options?: ExecuteOptions): Promise<ToolResult>;
}

/** The Claimable Cloud tool definition. */
export interface CreateCloudTool {
  name: 'create_cloudinary_cloud';
  description: string;
  inputSchema: CloudRequestJsonSchema;
  outputSchema: ResultJsonSchema;
  annotations: ToolAnnotations;
  /** Validates, creates, saves (`saveTo`: all three env keys) or hands over (`onCloud`); never rejects. */
  execute(input: CloudRequest, options?: CloudExecuteOptions): Promise<CloudToolResult>;
}

/** Either tool, for the converters below. */
export type AnyTool = CreateAccountTool | CreateCloudTool;

export declare const createAccountTool: CreateAccountTool;
export declare const createCloudTool: CreateCloudTool;
export declare const CLOUD_TOOL_NAME: 'create_cloudinary_cloud';
export declare const cloudDescription: string;
export declare const cloudAnnotations: ToolAnnotations;
export declare const cloudInputSchema: CloudRequestJsonSchema;
export declare const cloudOutputSchema: ResultJsonSchema;
/**
 * A saved cloud's state from one ping (`checkActivation(...).state`) and its saved
 * `expires_at`: `working` (the ping works, before the expiry: claimed or not cannot be told),
 * `claimed` (it still works after the expiry), `expired` (it does not, after the expiry),
 * `unknown` (it does not, before the expiry). What `status` and the MCP check report.
 */
export declare function cloudState(pingState: 'active' | 'pending' | 'disabled' | 'unknown', expiresAt: string, now?: number): 'working' | 'claimed' | 'expired' | 'unknown';
/** Advice in plain words for an error of the cloud tool. */
export declare function cloudAdviceFor(err: { code?: string; serverCode?: string; mayHaveCreatedAccount?: boolean; retryAfterMs?: number }): string;
export declare const TOOL_NAME: 'create_cloudinary_account';
export declare const description: string;
export declare const annotations: ToolAnnotations;
export declare const inputSchema: RequestJsonSchema;
export declare const outputSchema: ResultJsonSchema;
/** Advice in plain words for an error (what `execute` puts in `advice`). */
export declare function adviceFor(err: { code?: string; mayHaveCreatedAccount?: boolean; retryAfterMs?: number }, email?: string): string;

/** OpenAI Chat Completions `tools` entry. */
export declare function toOpenAITool<T extends AnyTool>(tool: T): {
  type: 'function';
  function: { name: string; description: string; parameters: T['inputSchema'] };
};
/** OpenAI Responses API `tools` entry. */
export declare function toOpenAIResponsesTool<T extends AnyTool>(tool: T): {
  type: 'function'; name: string; description: string; parameters: T['inputSchema']; strict: false;
};
/** Anthropic Messages API `tools` entry. */
export declare function toAnthropicTool<T extends AnyTool>(tool: T): {
  name: string; description: string; input_schema: T['inputSchema'];
};
/** A Vercel AI SDK tool: pass the SDK's `jsonSchema` helper. */
export declare function toAISDKTool<S>(
  tool: CreateAccountTool,
  jsonSchema: (schema: RequestJsonSchema) => S,
  options?: ExecuteOptions,
): {
  description: string;
  inputSchema: S;
  /** The input is a model's: `unknown` until `execute` has validated it. */
  execute: (input: unknown, ctx?: { abortSignal?: AbortSignal }) => Promise<ToolResult>;
};
export declare function toAISDKTool<S>(
  tool: CreateCloudTool,
  jsonSchema: (schema: CloudRequestJsonSchema) => S,
  options?: CloudExecuteOptions,
): {
  description: string;
  inputSchema: S;
  execute: (input: unknown, ctx?: { abortSignal?: AbortSignal }) => Promise<CloudToolResult>;
};
