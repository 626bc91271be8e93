// Types of the pure credential helpers (credentials.js), exported from every entry.
import type { AgentAccount, ClaimableCloud } from './core/cloudinary_agent_account.js';

/** What replaces a secret in the copy {@link redact} returns: `"[REDACTED]"`. */
export declare const REDACTED: '[REDACTED]';

/**
 * A deep copy that is safe to print, log or hand to a model: every `api_secret`, and the
 * secret inside every `CLOUDINARY_URL` (in `api_environment_variable` or any other string,
 * unknown fields included), is replaced by {@link REDACTED}; everything else is kept. For a
 * Claimable Cloud (an object with `claim_url` or `expires_at`), `claim_url` keeps its scheme,
 * host and path with `?token=[REDACTED]` for its query and fragment (`[REDACTED]` whole when
 * it is not an http(s) URL), and the token is replaced wherever else it occurs.
 */
export declare function redact<T extends object = AgentAccount>(account: T): T;

/**
 * `.env` text for the account: a comment naming its e-mail and saying the file must stay out
 * of version control, then `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD`, unquoted; for a
 * Claimable Cloud also `CLOUDINARY_CLOUD_CLAIM_URL` (single-quoted when it holds `&` or `~`)
 * and `CLOUDINARY_CLOUD_EXPIRES_AT`. Throws a `DotenvError` (`field`, `rule`) for a value
 * outside its alphabet.
 */
export declare function toDotenv(account: AgentAccount | ClaimableCloud | { email?: string; product_environments: Array<{ cloud_name: string; api_key: string; api_secret: string; api_environment_variable?: string }> }): string;
