// Types of checkActivation and waitForActivation (activation.js over the Rust core).
import type { AgentAccount, ErrorCode } from './core/cloudinary_agent_account.js';

/** Whether the person has verified the e-mail yet, from one ping. */
export type ActivationState = 'active' | 'pending' | 'disabled' | 'unknown';

/** What {@link checkActivation} resolves to. */
export interface ActivationResult {
  /** `active`: the credentials work. `pending`: not verified yet. `disabled`: not verified
   * within 24 hours. `unknown`: any other answer (wrong key, 404, 5xx, a redirect...). */
  state: ActivationState;
  /** The ping's HTTP status (0 for an opaque redirect in a browser). */
  status: number;
  /** The answer's `X-Request-Id`. */
  requestId?: string;
}

/** The credentials a ping needs: an account from `createAccount`, its product environment's
 * three fields, or a `CLOUDINARY_URL` (`cloudinary://KEY:SECRET@CLOUD`). */
export type ActivationCredentials =
  | AgentAccount
  | { cloud_name: string; api_key: string; api_secret: string }
  | string;

/** Options of {@link checkActivation}. */
export interface CheckActivationOptions {
  /** Default `https://api.cloudinary.com`. */
  baseUrl?: string;
  /** Deadline of the ping. Default 10000. */
  timeoutMs?: number;
  /** Aborts the ping; it then rejects with code `aborted`. */
  signal?: AbortSignal;
}

/** What `onCheck` receives after every ping of {@link waitForActivation} (never a secret). */
export interface ActivationCheck {
  /** 1 for the first ping. */
  attempt: number;
  state: ActivationState;
  /** The HTTP status; absent when the ping got no answer (then `errorCode` says why). */
  status?: number;
  requestId?: string;
  /** `network` or `timeout` when this ping got no answer (polling goes on). */
  errorCode?: ErrorCode;
  /** Milliseconds since the wait started. */
  elapsedMs: number;
  /** Milliseconds until the next ping; absent after the last one (active, disabled, or the
   * deadline reached). */
  nextCheckInMs?: number;
}

/** Options of {@link waitForActivation}. */
export interface WaitForActivationOptions {
  /** Default `https://api.cloudinary.com`. */
  baseUrl?: string;
  /** The shortest pause between two pings (it grows by half each time, up to 60 s). Default 5000. */
  intervalMs?: number;
  /** Give up after this long (rejects with code `timeout`). Default 900000 (15 minutes). */
  timeoutMs?: number;
  /** Stops waiting; rejects with code `aborted`. */
  signal?: AbortSignal;
  /** Called after every ping. */
  onCheck?: (check: ActivationCheck) => void;
}

/**
 * One Admin API ping (`GET {baseUrl}/v1_1/{cloud_name}/ping`, HTTP Basic) with the
 * credentials: resolves to their state. Rejects only when no answer came (`network`,
 * `timeout`, `aborted`) or the credentials are malformed (`invalid_input`).
 */
export declare function checkActivation(account: ActivationCredentials, options?: CheckActivationOptions): Promise<ActivationResult>;

/**
 * Pings until the person has verified the e-mail (resolves with the `active` result), never
 * more often than `intervalMs`. Rejects with code `account_disabled` when the account was
 * disabled, `timeout` after `timeoutMs`, `aborted` on the signal.
 */
export declare function waitForActivation(account: ActivationCredentials, options?: WaitForActivationOptions): Promise<ActivationResult>;
