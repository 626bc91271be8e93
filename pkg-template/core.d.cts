// Types of the `cloudinary-agent-account/core` entry for CommonJS consumers (`require`):
// the same generated declarations, copied as .d.cts next to the CommonJS glue.
export { createAccount, validateRequest, AgentAccountError } from './node/core.cjs';
export type {
  AgentAccountRequest,
  AgentAccount,
  ProductEnvironment,
  ValidationIssue,
  IssueCode,
  ErrorCode,
  CreateAccountOptions,
  ResponseInfo,
  RateLimitInfo,
} from './node/core.cjs';
