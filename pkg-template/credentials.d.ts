// Types of the pure credential helpers (credentials.js), exported from every entry.
import type { AgentAccount } from './core/cloudinary_agent_account.js';

/** What replaces a secret in the copy {@link redact} returns: `"[REDACTED]"`. */
export declare const REDACTED: '[REDACTED]';

/**
 * A deep copy that is safe to print, log or hand to a model: every `api_secret`, and the
 * secret inside every `CLOUDINARY_URL` (in `api_environment_variable` or any other string,
 * unknown fields included), is replaced by {@link REDACTED}; everything else is kept.
 */
export declare function redact<T extends object = AgentAccount>(account: T): T;

/**
 * `.env` text for the account: a comment naming its e-mail and saying the file must stay out
 * of version control, then `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD` (quoted when needed).
 */
export declare function toDotenv(account: AgentAccount | { email?: string; product_environments: Array<{ cloud_name: string; api_key: string; api_secret: string; api_environment_variable?: string }> }): string;
