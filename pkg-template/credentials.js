// redact() and toDotenv(): pure functions on the account object, for every runtime.
// Plain JavaScript rather than wasm: they walk a JS object and build strings, which the JS
// engine does natively, and the client's wasm stays within its size budget.

/** What replaces a secret in {@link redact}'s copy. */
export const REDACTED = '[REDACTED]';

const URL_PREFIX = 'CLOUDINARY_URL=';
const URL_RE = /cloudinary:\/\/([^:@\s/]*):([^@\s]*)@([^\s?#/"']+)/g;
// Shorter pieces of a secret than this are not searched for (too common to mean anything).
const MIN_PIECE = 8;

function environments(account) {
  if (account && Array.isArray(account.product_environments)) {
    return account.product_environments.filter((e) => e && typeof e === 'object');
  }
  return account && typeof account === 'object' ? [account] : [];
}

// What a real secret looks like; a placeholder such as `<api_secret>` in the guidance is not.
const SECRET_RE = /^[A-Za-z0-9_.~+\/=-]{6,}$/;

/** The secrets an account holds: each `api_secret`, and the secret inside each URL. */
function secretsOf(account) {
  const secrets = new Set();
  const urls = new Set();
  const visit = (v, depth) => {
    if (depth > 32) return;
    if (typeof v === 'string') {
      for (const m of v.matchAll(URL_RE)) {
        if (!SECRET_RE.test(m[2])) continue;
        urls.add(m[0]);
        secrets.add(m[2]);
      }
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'api_secret' && typeof x === 'string' && x) secrets.add(x);
        visit(x, depth + 1);
      }
    }
  };
  visit(account, 0);
  return { secrets: [...secrets], urls: [...urls] };
}

function scrub(text, secrets, urls) {
  let out = text;
  for (const u of urls) out = out.split(u).join(u.replace(URL_RE, (_, k, _s, c) => `cloudinary://${k}:${REDACTED}@${c}`));
  for (const s of secrets) out = out.split(s).join(REDACTED);
  // A piece of a secret (a model or a server may have cut it): the whole string goes.
  for (const s of secrets) {
    for (let i = 0; i + MIN_PIECE <= s.length; i += 1) {
      if (out.includes(s.slice(i, i + MIN_PIECE))) return REDACTED;
    }
  }
  return out;
}

/**
 * A deep copy of an account that is safe to print, log or hand to a model: every
 * `api_secret`, and the secret inside every `CLOUDINARY_URL` (in `api_environment_variable`
 * or in any other string, unknown fields included), is replaced by {@link REDACTED}.
 * Everything else is kept.
 */
export function redact(account) {
  if (!account || typeof account !== 'object') {
    throw new TypeError('redact expects the account object createAccount resolved to');
  }
  const { secrets, urls } = secretsOf(account);
  const copy = (v, depth) => {
    if (depth > 32) return REDACTED;
    if (typeof v === 'string') return scrub(v, secrets, urls);
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    if (v && typeof v === 'object') {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        out[scrub(k, secrets, urls)] = k === 'api_secret' ? REDACTED : copy(x, depth + 1);
      }
      return out;
    }
    return v;
  };
  return copy(account, 0);
}

/** The bare `cloudinary://...` URL of the account's first product environment. */
export function cloudinaryUrlOf(account) {
  const env = environments(account)[0];
  if (!env) throw new TypeError('the account has no product environment');
  let v = env.api_environment_variable;
  if (typeof v === 'string' && v.trim()) {
    v = v.trim();
    // The server sends a whole `.env` line; strip the name, however many times it is there.
    while (v.startsWith(URL_PREFIX)) v = v.slice(URL_PREFIX.length).trim();
    return v;
  }
  const { cloud_name: c, api_key: k, api_secret: s } = env;
  if ([c, k, s].every((x) => typeof x === 'string' && x)) return `cloudinary://${k}:${s}@${c}`;
  throw new TypeError('the account has neither api_environment_variable nor cloud_name, api_key and api_secret');
}

/** A value as `.env` syntax needs it: bare when plain, quoted otherwise. */
export function dotenvValue(value) {
  if (/[\r\n]/.test(value)) throw new TypeError('a .env value cannot hold a line break');
  if (/^[A-Za-z0-9_.:/@?&=%+,~-]*$/.test(value)) return value;
  // Single quotes are literal in dotenv (no escapes, no ${} expansion).
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function printable(s) {
  return String(s ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 254);
}

/** The comment lines {@link toDotenv} writes above the key (recognised when merging). */
export function dotenvComment(account) {
  const env = environments(account)[0] || {};
  const email = printable(account && account.email) || 'an unknown e-mail address';
  const cloud = env.cloud_name ? ` (cloud ${printable(env.cloud_name)})` : '';
  return [
    `# Cloudinary account of ${email}${cloud}, created by cloudinary-agent-account.`,
    '# Root API credentials: keep this file out of version control and out of any chat.',
  ];
}

/**
 * `.env` text for the account: a comment naming the account's e-mail and saying the file must
 * stay out of version control, then `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD`.
 */
export function toDotenv(account) {
  const url = cloudinaryUrlOf(account);
  return [...dotenvComment(account), `CLOUDINARY_URL=${dotenvValue(url)}`, ''].join('\n');
}
