// Types of the `cloudinary-agent-account/core` entry. They are generated from the Rust
// definitions (wire types by tsify, the rest from src/wasm/mod.rs) into core/*.d.ts.
export {
  createAccount,
  createCloud,
  validateRequest,
  isValidRequest,
  validateCloudRequest,
  isValidCloudRequest,
  AgentAccountError,
} from './core/cloudinary_agent_account.js';
export { checkActivation, waitForActivation } from './activation.js';
export { redact, toDotenv, REDACTED } from './credentials.js';
export type {
  AgentAccountRequest,
  AgentAccount,
  ProductEnvironment,
  CloudRequest,
  ClaimableCloud,
  ValidationIssue,
  IssueCode,
  ErrorCode,
  CreateAccountOptions,
  ResponseInfo,
  RateLimitInfo,
} from './core/cloudinary_agent_account.js';
export type {
  ActivationState,
  ActivationResult,
  ActivationCredentials,
  ActivationCheck,
  CheckActivationOptions,
  WaitForActivationOptions,
} from './activation.js';
