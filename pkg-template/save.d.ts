// Types of `cloudinary-agent-account/node` (Node.js only).
import type { AgentAccount } from './core/cloudinary_agent_account.js';

/** Options of {@link saveCredentials}. */
export interface SaveCredentialsOptions {
  /** The env file. Default `.env` (in the current working directory). */
  path?: string;
  /** Replace a different `CLOUDINARY_URL` already in the file. Default `false`. */
  force?: boolean;
}

/** What {@link saveCredentials} did; never a secret. */
export interface SaveCredentialsResult {
  /** The absolute path written (a symbolic link's target). */
  path: string;
  /** `created`: a new file (mode 0600). `updated`: merged into an existing file.
   * `unchanged`: it already held this `CLOUDINARY_URL`. */
  action: 'created' | 'updated' | 'unchanged';
  /** Whether git ignores the file now; `null` outside a work tree or without git. */
  ignoredByGit: boolean | null;
  /** Whether the file's path was appended to the work tree's `.gitignore`. */
  gitignoreUpdated: boolean;
}

/** Why saving refused or failed. Its message never holds a secret. */
export declare class SaveCredentialsError extends Error {
  readonly name: 'SaveCredentialsError';
  /** `different_credentials`: the file holds another `CLOUDINARY_URL` (nothing written).
   * `invalid_account`: not an account. `write_failed` / `read_failed`: the file system said no. */
  readonly code: 'different_credentials' | 'invalid_account' | 'write_failed' | 'read_failed';
  readonly path?: string;
  /** The file system's error code (`EACCES`...). */
  readonly errno?: string;
}

/**
 * Saves the account's `CLOUDINARY_URL` to an env file: merges (other lines, comments and order
 * kept), refuses a different `CLOUDINARY_URL` unless `force`, writes atomically (mode 0600 for
 * a new file; an existing file's mode is kept), and inside a git work tree makes sure git
 * ignores the file, appending it to the work tree's `.gitignore` when needed.
 */
export declare function saveCredentials(account: AgentAccount, options?: SaveCredentialsOptions): Promise<SaveCredentialsResult>;

/** The `CLOUDINARY_URL` in an env file (default `.env`), or `null` when there is none. */
export declare function readCloudinaryUrl(path?: string): Promise<string | null>;

/** Last resort after a failed save: a new 0600 file next to `near`; resolves to its path. */
export declare function writeFallback(account: AgentAccount, near?: string): Promise<string>;
