'use strict';
// `cloudinary-agent-account/node`: saving the credentials to a `.env` file, safely.
// CommonJS, with save.mjs re-exporting it, so both module systems share one error class.
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFile } = require('node:child_process');
const { toDotenv, cloudinaryUrlOf, dotenvComment, dotenvEntries, isDotenvComment, DOTENV_KEYS, CLAIM_URL_KEY, EXPIRES_AT_KEY } = require('./node/credentials.cjs');

/** A refusal or failure of {@link saveCredentials}; never carries a secret. */
class SaveCredentialsError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'SaveCredentialsError';
    /** `different_credentials`, `invalid_account`, `symlink`, `tracked_by_git`,
     * `unsafe_file`, `locked`, `not_writable`, `write_failed` or `read_failed`. */
    this.code = code;
    Object.assign(this, extra);
  }
}

// A binding as dotenv reads one: `KEY=value`, `KEY: value`, `export KEY=value`.
const BINDING = /^\s*(export\s+)?([\w.-]+)(?:\s*=|:\s)\s*(.*)$/;
// Line breaks other than LF/CRLF: dotenv breaks lines at a lone CR and at U+2028/U+2029,
// bash and python-dotenv do not, so a file holding them is read two ways. Never merged into.
const ODD_BREAK = /\r(?!\n)|[\u2028\u2029]/;

/** Whether `rest` (a quoted value after its opening quote) holds its closing quote. */
function closes(rest, q) {
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '\\' && rest[i + 1] === q) { i += 1; continue; }
    if (rest[i] === q) return true;
  }
  return false;
}

/**
 * The bindings of `.env` lines, as dotenv reads them: a quoted value may run over several
 * lines up to its closing quote (a `CLOUDINARY_URL=` line inside one is not a binding).
 */
function bindings(lines) {
  const out = [];
  for (let i = 0; i < lines.length; i += 1) {
    const m = BINDING.exec(lines[i]);
    if (!m) continue;
    let end = i;
    const q = m[3][0];
    if (q === '"' || q === "'" || q === '`') {
      let rest = m[3].slice(1);
      while (!closes(rest, q) && end + 1 < lines.length) rest += `\n${lines[++end]}`;
      if (!closes(rest, q)) end = i; // never closed: dotenv reads the line bare
    }
    out.push({ start: i, end, key: m[2], exported: Boolean(m[1]), raw: [m[3], ...lines.slice(i + 1, end + 1)].join('\n') });
    i = end;
  }
  return out;
}

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

const linesOf = (text) => text.split(/\r\n|[\n\r\u2028\u2029]/);

/** The value of `key` in `.env` text, or `null`; the last one, as dotenv (and a shell) take it. */
function valueIn(text, key) {
  const ours = bindings(linesOf(text)).filter((b) => b.key === key);
  return ours.length ? parseValue(ours[ours.length - 1].raw) : null;
}

/** The `CLOUDINARY_URL` in `.env` text, or `null`. */
const cloudinaryUrlIn = (text) => valueIn(text, 'CLOUDINARY_URL');

function cloudOf(url) {
  const m = /@([A-Za-z0-9_-]+)/.exec(url || '');
  return m ? m[1] : 'unknown';
}

/** The text of an env file, `null` when it is absent. */
async function readEnvText(file) {
  try {
    return await fsp.readFile(path.resolve(file), 'utf8');
  } catch (e) {
    if (e && e.code === 'ENOENT') return null;
    throw new SaveCredentialsError('read_failed', `could not read ${path.resolve(file)}: ${e && e.code || 'error'}`);
  }
}

/** Reads the `CLOUDINARY_URL` of an env file; `null` when the file or the key is absent. */
async function readCloudinaryUrl(file = '.env') {
  const text = await readEnvText(file);
  return text === null ? null : cloudinaryUrlIn(text);
}

/** What an env file holds of a Claimable Cloud: its `CLOUDINARY_URL`, claim URL and expiry
 * (each `null` when absent). */
async function readSavedCloud(file = '.env') {
  const text = await readEnvText(file);
  const get = (k) => (text === null ? null : valueIn(text, k));
  return { cloudinaryUrl: get('CLOUDINARY_URL'), claimUrl: get(CLAIM_URL_KEY), expiresAt: get(EXPIRES_AT_KEY) };
}

function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 10000, windowsHide: true }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout || '') });
    });
  });
}

/** Whether git tracks `file` (a tracked `.env` would be committed with the secret). */
async function trackedByGit(file) {
  return (await run('git', ['ls-files', '--error-unmatch', '--', path.basename(file)], path.dirname(file))).code === 0;
}

/**
 * Makes sure git ignores `file` (git's own rules, `git check-ignore`). Outside a work tree,
 * or without git: `ignoredByGit: null`. `.gitignore` is appended only when it is a regular
 * file (or absent), never through a link, and never twice with the same line.
 */
async function ensureIgnored(file) {
  const dir = path.dirname(file);
  const top = await run('git', ['rev-parse', '--show-toplevel'], dir);
  if (top.code !== 0 || !top.stdout.trim()) return { ignoredByGit: null, gitignoreUpdated: false };
  const root = top.stdout.trim();
  const check = async () => (await run('git', ['check-ignore', '-q', '--', file], dir)).code === 0;
  if (await check()) return { ignoredByGit: true, gitignoreUpdated: false };
  const rel = path.relative(fs.realpathSync(root), fs.realpathSync(file)).split(path.sep).join('/');
  // A control character (a newline above all) would end the pattern and start another.
  if (/[\u0000-\u001f\u007f]/.test(rel)) return { ignoredByGit: false, gitignoreUpdated: false };
  // Anchored at the work tree's root, with git's special characters escaped.
  const line = `/${rel.replace(/([\\*?[\]!# ])/g, '\\$1')}`;
  const gitignore = path.join(root, '.gitignore');
  let before = '';
  try {
    const st = fs.lstatSync(gitignore);
    if (!st.isFile()) return { ignoredByGit: false, gitignoreUpdated: false };
    before = fs.readFileSync(gitignore, 'utf8');
  } catch (e) {
    if (!e || e.code !== 'ENOENT') return { ignoredByGit: false, gitignoreUpdated: false };
  }
  if (before.split(/\r?\n/).includes(line)) return { ignoredByGit: await check(), gitignoreUpdated: false };
  const sep = before && !before.endsWith('\n') ? '\n' : '';
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
  let fd;
  try {
    // O_NOFOLLOW: a link put there since the lstat is refused, not followed.
    fd = fs.openSync(gitignore, O_WRONLY | O_APPEND | O_CREAT | (O_NOFOLLOW || 0), 0o644);
    fs.writeSync(fd, `${sep}${line}\n`);
  } catch {
    return { ignoredByGit: false, gitignoreUpdated: false };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return { ignoredByGit: await check(), gitignoreUpdated: true };
}

/** The values {@link merge} writes, unquoted as a loader reads them (`null`: the key goes). */
function wanted(account) {
  const out = Object.fromEntries(DOTENV_KEYS.map((k) => [k, null]));
  for (const [k, v] of dotenvEntries(account)) out[k] = parseValue(v);
  return out;
}

/** The merged text: other lines kept in order, Cloudinary's lines added or replaced. Every
 * key of DOTENV_KEYS goes (the file holds one set of credentials: an account's URL never
 * sits beside another cloud's claim link); the account's lines take the first one's place. */
function merge(before, account) {
  const values = dotenvEntries(account).map(([k, v]) => `${k}=${v}`);
  const comment = dotenvComment(account);
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const lines = before.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const all = bindings(lines);
  const inside = new Set();
  for (const b of all) for (let i = b.start + 1; i <= b.end; i += 1) inside.add(i);
  const ours = all.filter((b) => DOTENV_KEYS.includes(b.key));
  const drop = new Set();
  for (const b of ours) for (let i = b.start; i <= b.end; i += 1) drop.add(i);
  const mine = (l, i) => !inside.has(i) && isDotenvComment(l);
  const out = [];
  let placed = false;
  lines.forEach((l, i) => {
    if (mine(l, i)) return; // re-written right above the keys
    if (drop.has(i)) {
      // Every binding of ours goes; the lines, where the first was, replace them all.
      if (!placed) out.push(...comment, ...values.map((v) => `${ours[0].exported ? 'export ' : ''}${v}`));
      placed = true;
      return;
    }
    out.push(l);
  });
  if (!placed) {
    if (out.length && out[out.length - 1].trim() !== '') out.push('');
    out.push(...comment, ...values);
  }
  return out.join(eol) + eol;
}

// The per-path lock: `<file>.lock`, created exclusively. A lock older than STALE_MS was left
// by a process that died (a save takes milliseconds); waiting stops after WAIT_MS.
const STALE_MS = 10_000;
const WAIT_MS = 15_000;

async function lock(target) {
  const file = `${target}.lock`;
  const until = Date.now() + WAIT_MS;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      const fh = await fsp.open(file, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n`).finally(() => fh.close());
      return async () => { await fsp.rm(file, { force: true }).catch(() => {}); };
    } catch (e) {
      if (!e || e.code !== 'EEXIST') {
        throw new SaveCredentialsError('write_failed', `could not lock ${target}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
      }
    }
    const st = await fsp.lstat(file).catch(() => null);
    if (st && Date.now() - st.mtimeMs > STALE_MS) {
      // Moved aside first, so that of two processes finding it stale only one removes it.
      const aside = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.stale`;
      if (await fsp.rename(file, aside).then(() => true, () => false)) await fsp.rm(aside, { force: true }).catch(() => {});
      continue;
    }
    if (Date.now() > until) {
      throw new SaveCredentialsError('locked', `${target} is being saved by another process (${file} exists); nothing was written`, { path: target });
    }
    await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
  }
}

/** `null` when the file is absent, else its text; refuses a link or anything but a file. */
async function readTarget(target) {
  let st;
  try {
    st = await fsp.lstat(target);
  } catch (e) {
    if (e && e.code === 'ENOENT') return null;
    throw new SaveCredentialsError('read_failed', `could not read ${target}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
  }
  if (st.isSymbolicLink()) {
    // Written through, the secret would land wherever the link points (a tracked file...).
    throw new SaveCredentialsError('symlink', `${target} is a symbolic link; the credentials are not written through it (save to the file itself)`, { path: target });
  }
  if (!st.isFile()) {
    throw new SaveCredentialsError('not_writable', `${target} is not a regular file`, { path: target });
  }
  try {
    return await fsp.readFile(target, 'utf8');
  } catch (e) {
    throw new SaveCredentialsError('read_failed', `could not read ${target}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
  }
}

/**
 * Whether the credentials could be saved to `file`, checked before an account is created
 * (none is then made for a secret that cannot be stored): not a link nor a folder, not
 * tracked by git, its folder writable (a file is created and removed there). Resolves to
 * `{ path, cloudinaryUrl }` (the URL the file holds now, or `null`), or throws a
 * {@link SaveCredentialsError}.
 */
async function checkDestination(file = '.env') {
  if (typeof file !== 'string' || !file) throw new TypeError('checkDestination: the path must be a non-empty string');
  const target = path.resolve(file);
  const text = await readTarget(target);
  if (await trackedByGit(target)) {
    throw new SaveCredentialsError('tracked_by_git', `${target} is tracked by git; the credentials would be committed (untrack it, or save elsewhere)`, { path: target });
  }
  const probe = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.probe`);
  try {
    await (await fsp.open(probe, 'wx', 0o600)).close();
    await fsp.rm(probe, { force: true });
  } catch (e) {
    throw new SaveCredentialsError('not_writable', `cannot write in ${path.dirname(target)}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
  }
  if (text !== null && ODD_BREAK.test(text)) throw unsafe(target);
  return { path: target, cloudinaryUrl: text === null ? null : cloudinaryUrlIn(text) };
}

const unsafe = (target) => new SaveCredentialsError('unsafe_file',
  `${target} holds a lone CR, U+2028 or U+2029, which .env loaders read differently; nothing was written`, { path: target });

/**
 * Saves the account's `CLOUDINARY_URL` (a cloud's also with `CLOUDINARY_CLOUD_CLAIM_URL` and
 * `CLOUDINARY_CLOUD_EXPIRES_AT`) into an env file (default `.env`): merges into an
 * existing file, refuses a different `CLOUDINARY_URL` unless `force`, never writes through a
 * symbolic link nor into a file git tracks, writes atomically with mode 0600, one save of a
 * path at a time (a lock file, across processes), and inside a git work tree makes sure git
 * ignores the file. Resolves to what it did; never to a secret.
 */
async function saveCredentials(account, options = {}) {
  const { path: file = '.env', force = false } = options || {};
  if (typeof file !== 'string' || !file) throw new TypeError('saveCredentials: options.path must be a non-empty string');
  let url;
  let want;
  try {
    url = cloudinaryUrlOf(account);
    want = wanted(account);
  } catch (e) {
    throw new SaveCredentialsError('invalid_account', `saveCredentials: ${e.message}`, e && e.field ? { field: e.field, rule: e.rule } : {});
  }
  const target = path.resolve(file);
  if (await trackedByGit(target)) {
    throw new SaveCredentialsError('tracked_by_git', `${target} is tracked by git; the credentials would be committed (untrack it, or save elsewhere)`, { path: target });
  }
  const unlock = await lock(target);
  try {
    let action;
    // The file is read again before the rename: a writer that does not take the lock (an
    // editor) may have changed it, and then the whole decision is made again.
    for (let attempt = 0; ; attempt += 1) {
      const before = await readTarget(target);
      let text = null;
      action = 'created';
      if (before !== null) {
        if (ODD_BREAK.test(before)) throw unsafe(target);
        const existing = cloudinaryUrlIn(before);
        if (existing !== null && existing !== url && !force) {
          throw new SaveCredentialsError('different_credentials',
            `${target} already holds a different CLOUDINARY_URL (cloud ${cloudOf(existing)}); nothing was written. Pass force to replace it.`,
            { path: target });
        }
        action = DOTENV_KEYS.every((k) => valueIn(before, k) === want[k]) ? 'unchanged' : 'updated';
        if (action === 'updated') text = merge(before, account);
      } else {
        text = toDotenv(account);
      }
      if (action === 'unchanged') {
        // The secret may have been put there by hand: owner-only all the same.
        await fsp.chmod(target, 0o600).catch(() => {});
        break;
      }
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
      let same = false;
      let renamed = false;
      try {
        const fh = await fsp.open(tmp, 'wx', 0o600);
        try {
          await fh.writeFile(text, 'utf8');
          // Owner-only: the file now holds a root secret, whatever its mode was.
          await fh.chmod(0o600);
          await fh.sync();
        } finally {
          await fh.close();
        }
        same = (await readTarget(target)) === before;
        if (same) {
          await fsp.rename(tmp, target);
          renamed = true;
        }
      } catch (e) {
        if (e instanceof SaveCredentialsError) throw e;
        throw new SaveCredentialsError('write_failed', `could not write ${target}: ${e && e.code || 'error'}`, { path: target, errno: e && e.code });
      } finally {
        if (!renamed) await fsp.rm(tmp, { force: true }).catch(() => {});
      }
      if (same) break;
      if (attempt >= 4) {
        throw new SaveCredentialsError('write_failed', `${target} kept changing while it was saved; nothing was written`, { path: target });
      }
    }
    let git = { ignoredByGit: null, gitignoreUpdated: false };
    try { git = await ensureIgnored(target); } catch { /* git unusable: could not check */ }
    return { path: target, action, ...git };
  } finally {
    await unlock();
  }
}

/**
 * Last resort when saving failed after the account was created: a new file next to `near`
 * (`<near>.cloudinary-<cloud>-<time>`, mode 0600, never overwriting), else in the home
 * folder. Resolves to its path.
 */
async function writeFallback(account, near = '.env') {
  const text = toDotenv(account);
  const cloud = cloudOf(cloudinaryUrlOf(account));
  const name = `${path.basename(path.resolve(near))}.cloudinary-${cloud}-${Date.now()}`;
  let lastError;
  for (const dir of [path.dirname(path.resolve(near)), require('node:os').homedir()]) {
    const file = path.join(dir, name);
    try {
      await fsp.writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return file;
    } catch (e) { lastError = e; }
  }
  throw lastError;
}

module.exports = { saveCredentials, readCloudinaryUrl, readSavedCloud, cloudinaryUrlIn, checkDestination, writeFallback, SaveCredentialsError };
