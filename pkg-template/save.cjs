'use strict';
// `cloudinary-agent-account/node`: saving the credentials to a `.env` file, safely.
// CommonJS, with save.mjs re-exporting it, so both module systems share one error class.
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const { toDotenv, cloudinaryUrlOf, dotenvComment, dotenvValue } = require('./node/credentials.cjs');

/** A refusal or failure of {@link saveCredentials}; never carries a secret. */
class SaveCredentialsError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'SaveCredentialsError';
    /** `different_credentials`, `invalid_account` or `write_failed`. */
    this.code = code;
    Object.assign(this, extra);
  }
}

const KEY_LINE = /^\s*(?:export\s+)?CLOUDINARY_URL\s*=\s*(.*)$/;

/** The value of a `.env` line's right-hand side: unquoted, inline comment dropped. */
function parseValue(raw) {
  const v = raw.trim();
  if (v.startsWith("'")) {
    const end = v.indexOf("'", 1);
    return end > 0 ? v.slice(1, end) : v.slice(1);
  }
  if (v.startsWith('"')) {
    let out = '';
    for (let i = 1; i < v.length; i += 1) {
      if (v[i] === '\\' && i + 1 < v.length) { out += v[i + 1] === 'n' ? '\n' : v[i + 1]; i += 1; continue; }
      if (v[i] === '"') break;
      out += v[i];
    }
    return out;
  }
  const hash = v.search(/\s#/);
  return (hash >= 0 ? v.slice(0, hash) : v).trim();
}

/** The `CLOUDINARY_URL` in `.env` text, or `null`. */
function cloudinaryUrlIn(text) {
  for (const line of text.split(/\r?\n/)) {
    const m = KEY_LINE.exec(line);
    if (m) return parseValue(m[1]);
  }
  return null;
}

function cloudOf(url) {
  const m = /@([^?#/\s]+)/.exec(url || '');
  return m ? m[1] : 'unknown';
}

/** Reads the `CLOUDINARY_URL` of an env file; `null` when the file or the key is absent. */
async function readCloudinaryUrl(file = '.env') {
  try {
    return cloudinaryUrlIn(await fsp.readFile(path.resolve(file), 'utf8'));
  } catch (e) {
    if (e && e.code === 'ENOENT') return null;
    throw new SaveCredentialsError('read_failed', `could not read ${path.resolve(file)}: ${e && e.code || 'error'}`);
  }
}

function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 10000, windowsHide: true }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout || '') });
    });
  });
}

/**
 * Makes sure git ignores `file` (git's own rules, `git check-ignore`). Outside a work tree,
 * or without git: `ignoredByGit: null`.
 */
async function ensureIgnored(file) {
  const dir = path.dirname(file);
  const top = await run('git', ['rev-parse', '--show-toplevel'], dir);
  if (top.code !== 0 || !top.stdout.trim()) return { ignoredByGit: null, gitignoreUpdated: false };
  const root = top.stdout.trim();
  const check = async () => (await run('git', ['check-ignore', '-q', '--', file], dir)).code === 0;
  if (await check()) return { ignoredByGit: true, gitignoreUpdated: false };
  const rel = path.relative(fs.realpathSync(root), fs.realpathSync(file)).split(path.sep).join('/');
  const gitignore = path.join(root, '.gitignore');
  let before = '';
  try { before = fs.readFileSync(gitignore, 'utf8'); } catch { /* none yet */ }
  const sep = before && !before.endsWith('\n') ? '\n' : '';
  // Anchored at the work tree's root, with git's special characters escaped.
  fs.appendFileSync(gitignore, `${sep}/${rel.replace(/([\\*?[\]!# ])/g, '\\$1')}\n`);
  return { ignoredByGit: await check(), gitignoreUpdated: true };
}

/** The merged text: other lines kept in order, Cloudinary's lines added or replaced. */
function merge(before, account) {
  const line = `CLOUDINARY_URL=${dotenvValue(cloudinaryUrlOf(account))}`;
  const comment = dotenvComment(account);
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const lines = before.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const ours = (l) => l.startsWith('# Cloudinary account of ') || l.startsWith('# Root API credentials: keep this file');
  const out = [];
  let placed = false;
  for (const l of lines) {
    if (ours(l)) continue; // re-written right above the key
    if (KEY_LINE.test(l)) {
      if (!placed) out.push(...comment, line);
      placed = true;
      continue;
    }
    out.push(l);
  }
  if (!placed) {
    if (out.length && out[out.length - 1].trim() !== '') out.push('');
    out.push(...comment, line);
  }
  return out.join(eol) + eol;
}

/**
 * Saves the account's `CLOUDINARY_URL` into an env file (default `.env`): merges into an
 * existing file, refuses a different `CLOUDINARY_URL` unless `force`, writes atomically with
 * mode 0600 for a new file (an existing file's mode is kept), and inside a git work tree
 * makes sure git ignores the file. Resolves to what it did; never to a secret.
 */
async function saveCredentials(account, options = {}) {
  const { path: file = '.env', force = false } = options || {};
  if (typeof file !== 'string' || !file) throw new TypeError('saveCredentials: options.path must be a non-empty string');
  let url;
  try {
    url = cloudinaryUrlOf(account);
    toDotenv(account);
  } catch (e) {
    throw new SaveCredentialsError('invalid_account', `saveCredentials: ${e.message}`);
  }
  let target = path.resolve(file);
  // Write through a symbolic link to its target, not over the link.
  try { target = fs.realpathSync(target); } catch { /* does not exist yet */ }
  let before = null;
  let mode = 0o600;
  try {
    before = await fsp.readFile(target, 'utf8');
    mode = (await fsp.stat(target)).mode & 0o7777;
  } catch (e) {
    if (!e || e.code !== 'ENOENT') {
      throw new SaveCredentialsError('write_failed', `could not read ${target}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
    }
  }
  let action = 'created';
  let text = null;
  if (before !== null) {
    const existing = cloudinaryUrlIn(before);
    if (existing !== null && existing !== url && !force) {
      throw new SaveCredentialsError('different_credentials',
        `${target} already holds a different CLOUDINARY_URL (cloud ${cloudOf(existing)}); nothing was written. Pass force to replace it.`,
        { path: target });
    }
    if (existing === url) {
      action = 'unchanged';
    } else {
      text = merge(before, account);
      action = 'updated';
    }
  } else {
    text = toDotenv(account);
  }
  if (action !== 'unchanged') {
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    try {
      const fh = await fsp.open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(text, 'utf8');
        // The existing file's mode, exactly: never looser (nor tighter) than it was.
        await fh.chmod(mode);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, target);
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => {});
      throw new SaveCredentialsError('write_failed', `could not write ${target}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
    }
  }
  let git = { ignoredByGit: null, gitignoreUpdated: false };
  try { git = await ensureIgnored(target); } catch { /* git unusable: could not check */ }
  return { path: target, action, ...git };
}

/**
 * Last resort when saving failed after the account was created: a new file next to `near`
 * (`<near>.cloudinary-<cloud>-<time>`, mode 0600, never overwriting). Resolves to its path.
 */
async function writeFallback(account, near = '.env') {
  const cloud = String(cloudOf(cloudinaryUrlOf(account))).replace(/[^A-Za-z0-9_-]/g, '');
  const file = `${path.resolve(near)}.cloudinary-${cloud}-${Date.now()}`;
  await fsp.writeFile(file, toDotenv(account), { mode: 0o600, flag: 'wx' });
  return file;
}

module.exports = { saveCredentials, readCloudinaryUrl, cloudinaryUrlIn, writeFallback, SaveCredentialsError };
