// Types of `cloudinary-agent-account/node` (Node.js only).
import type { AgentAccount, ClaimableCloud } from './core/cloudinary_agent_account.js';

/** Options of {@link saveCredentials}. */
export interface SaveCredentialsOptions {
  /** The env file. Default `.env` (in the current working directory). */
  path?: string;
  /** Replace a different `CLOUDINARY_URL` already in the file. Default `false`. */
  force?: boolean;
}

/** What {@link saveCredentials} did; never a secret. */
export interface SaveCredentialsResult {
  /** The absolute path written (never through a symbolic link: one is refused). */
  path: string;
  /** `created`: a new file. `updated`: merged into an existing file (its mode tightened to
   * 0600).
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
  /** `different_credentials`: the file holds another `CLOUDINARY_URL` (nothing written; also
   * what the loser of two parallel saves gets). `invalid_account`: not an account, or one
   * whose credentials are not of their alphabets (`field`, `rule`). `symlink`: the path is a
   * symbolic link (never written through). `tracked_by_git`: git tracks the file.
   * `unsafe_file`: it holds line breaks .env loaders disagree on (lone CR, U+2028, U+2029).
   * `not_writable`: not a regular file, or its folder cannot be written. `locked`: another
   * save held the path's lock file too long. `write_failed` / `read_failed`: the file
   * system said no. */
  readonly code: 'different_credentials' | 'invalid_account' | 'symlink' | 'tracked_by_git' | 'unsafe_file' | 'not_writable' | 'locked' | 'write_failed' | 'read_failed';
  readonly path?: string;
  /** The file system's error code (`EACCES`...). */
  readonly errno?: string;
}

/**
 * Saves the account's `CLOUDINARY_URL` to an env file (a Claimable Cloud's also with
 * `CLOUDINARY_CLOUD_CLAIM_URL` and `CLOUDINARY_CLOUD_EXPIRES_AT`, the keys of Cloudinary's
 * `@cloudinary/cloud`; the three always go together, so saving replaces all of them): merges (other lines, comments and order
 * kept; the file read as dotenv reads it: the last binding, `KEY: value`, multi-line quoted
 * values), refuses a different `CLOUDINARY_URL` unless `force`, refuses a symbolic link and a
 * file git tracks, writes atomically with mode 0600, one save of a path at a time (an
 * exclusive `<path>.lock`, across processes; one older than 10 s is taken as stale), re-reads
 * the file before the rename, and inside a git work tree makes sure git ignores the file,
 * appending it to the work tree's `.gitignore` (only a regular file, only once).
 */
export declare function saveCredentials(account: AgentAccount | ClaimableCloud, options?: SaveCredentialsOptions): Promise<SaveCredentialsResult>;

/** The `CLOUDINARY_URL` in an env file (default `.env`), or `null` when there is none. */
export declare function readCloudinaryUrl(path?: string): Promise<string | null>;

/** What an env file holds of a Claimable Cloud (each `null` when absent): its
 * `CLOUDINARY_URL`, `CLOUDINARY_CLOUD_CLAIM_URL` (the full link: a secret) and
 * `CLOUDINARY_CLOUD_EXPIRES_AT`. */
export declare function readSavedCloud(path?: string): Promise<{ cloudinaryUrl: string | null; claimUrl: string | null; expiresAt: string | null }>;

/**
 * Whether the credentials could be saved to `path` (default `.env`), checked before anything
 * is sent: not a symbolic link nor a folder, not tracked by git, its folder writable.
 * Resolves to the absolute path and the `CLOUDINARY_URL` it holds now (or `null`); rejects
 * with a {@link SaveCredentialsError} (`symlink`, `tracked_by_git`, `not_writable`,
 * `unsafe_file`, `read_failed`).
 */
export declare function checkDestination(path?: string): Promise<{ path: string; cloudinaryUrl: string | null }>;

/** Last resort after a failed save: a new 0600 file next to `near` (else in the home folder);
 * resolves to its path. */
export declare function writeFallback(account: AgentAccount | ClaimableCloud, near?: string): Promise<string>;
