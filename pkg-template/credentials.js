// redact() and toDotenv(): pure functions on the account or Claimable Cloud object, for every
// runtime.
// Plain JavaScript rather than wasm: they walk a JS object and build strings, which the JS
// engine does natively, and the client's wasm stays within its size budget.

/** What replaces a secret in {@link redact}'s copy. */
export const REDACTED = '[REDACTED]';

const URL_PREFIX = 'CLOUDINARY_URL=';
// Bounded parts: each match attempt reads at most a few hundred characters, so a long text
// full of `cloudinary://` costs linear time, not text length times occurrences.
const URL_RE = /cloudinary:\/\/([^:@\s/]{0,64}):([^@\s]{1,512})@([^\s?#/"']{0,256})/gi;
// Pieces of a secret this long or longer are searched for (shorter ones are too common to
// mean anything); a shorter secret is replaced only where it occurs whole.
const MIN_PIECE = 8;
const SECRET_KEY = /^(api[_-]?)?secret$/i;
const KEY_KEY = /^api[_-]?key$/i;

/**
 * Whether `value` is a Claimable Cloud (what createCloud resolves to) rather than an agent
 * account: it has `claim_url` or `expires_at` at the top level, where createCloud always puts
 * them and an account never has them. The one place that tells the two apart.
 */
export function isCloud(value) {
  return Boolean(value && typeof value === 'object' && !Array.isArray(value)
    && (value.claim_url !== undefined || value.expires_at !== undefined));
}

function environments(account) {
  // A cloud's credentials are at its top level (createCloud normalises both shapes there).
  if (isCloud(account)) return [account];
  if (account && Array.isArray(account.product_environments)) {
    return account.product_environments.filter((e) => e && typeof e === 'object');
  }
  return account && typeof account === 'object' ? [account] : [];
}

function base64(text) {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * What an account's secrets look like in text: each secret (any `api_secret`, `apiSecret`,
 * `API_SECRET` or `secret` field, and the secret of every `cloudinary://` URL), with its
 * URL-encoded and URL-decoded forms, hex and reversed copies, and base64 of `key:secret` for
 * every key found (the HTTP Basic credential). Placeholders such as `<api_secret>` are not
 * secrets.
 */
function secretsOf(account) {
  const secrets = new Set();
  const keys = new Set();
  const visit = (v, depth) => {
    if (depth > 32) return;
    if (typeof v === 'string') {
      for (const m of v.matchAll(URL_RE)) {
        keys.add(m[1]);
        secrets.add(m[2]);
        try { secrets.add(decodeURIComponent(m[2])); } catch { /* not %-encoded */ }
      }
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (SECRET_KEY.test(k) && (typeof x === 'string' || typeof x === 'number') && String(x)) secrets.add(String(x));
        if (KEY_KEY.test(k) && (typeof x === 'string' || typeof x === 'number')) keys.add(String(x));
        visit(x, depth + 1);
      }
    }
  };
  visit(account, 0);
  if (isCloud(account)) for (const t of claimSecrets(account.claim_url)) secrets.add(t);
  const forms = new Set();
  for (const s of secrets) {
    if (/[<>\s]/.test(s) || s.length < 4) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add([...s].reverse().join(''));
    forms.add([...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    for (const k of keys) {
      const b = base64(`${k}:${s}`);
      forms.add(b);
      forms.add(b.replace(/=+$/, ''));
    }
  }
  // Longest first: a form that contains another is replaced whole.
  const list = [...forms].sort((a, b) => b.length - a.length);
  // Every MIN_PIECE-long window of every form, case-folded: a string is then checked for
  // pieces in one pass over it (a set lookup a position), not once per piece.
  const windows = new Set();
  for (const f of list) {
    const l = f.toLowerCase();
    for (let i = 0; i + MIN_PIECE <= l.length; i += 1) windows.add(l.slice(i, i + MIN_PIECE));
  }
  return { forms: list, windows };
}

function hasPiece(text, windows) {
  if (!windows.size || text.length < MIN_PIECE) return false;
  const l = text.toLowerCase();
  for (let i = 0; i + MIN_PIECE <= l.length; i += 1) if (windows.has(l.slice(i, i + MIN_PIECE))) return true;
  return false;
}

function scrub(text, { forms, windows }) {
  let out = text.replace(URL_RE, (whole, k, sec, c) => (/[<>\s]/.test(sec) ? whole : `cloudinary://${k}:${REDACTED}@${c}`));
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
  // A piece of a secret, or a copy in another case (a model or a server may have cut or
  // changed it): the whole string goes.
  return hasPiece(out, windows) ? REDACTED : out;
}

/** What in a claim URL is secret: each query value (the `token`; the whole query when it has
 * none), its fragment; the whole value when it is not an http(s) URL. */
function claimSecrets(claimUrl) {
  if (typeof claimUrl !== 'string' || !claimUrl) return [];
  const u = httpUrl(claimUrl);
  if (!u) return [claimUrl];
  const values = [...u.searchParams.values()].filter(Boolean);
  // The values alone when there are any, so that a link in text reads `?token=[REDACTED]`.
  return [...(values.length ? values : [u.search.slice(1)]), u.hash.slice(1)].filter(Boolean);
}

function httpUrl(text) {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

/**
 * A claim URL as it may be shown anywhere but to the person: scheme, host and path kept, the
 * whole query and fragment replaced by `?token=` and {@link REDACTED} (the token alone lets
 * whoever holds it take the cloud); a value that is not an http(s) URL becomes
 * {@link REDACTED} whole.
 */
export function redactClaimUrl(claimUrl) {
  const u = typeof claimUrl === 'string' ? httpUrl(claimUrl) : null;
  return u ? `${u.protocol}//${u.host}${u.pathname}?token=${REDACTED}` : REDACTED;
}

/**
 * A deep copy of an account that is safe to print, log or hand to a model: every secret
 * (`api_secret` and its other spellings, the secret of every `cloudinary://` URL, in any
 * field, unknown ones included) and its encodings (URL-encoded, base64 of `key:secret`, hex,
 * reversed, another case, a piece of 8 characters or more) are replaced by {@link REDACTED}.
 * For a Claimable Cloud, also the claim URL's token (see {@link redactClaimUrl}), wherever
 * it occurs. Everything else is kept. Linear in the size of the account.
 */
export function redact(account) {
  if (!account || typeof account !== 'object') {
    throw new TypeError('redact expects the account object createAccount (or the cloud createCloud) resolved to');
  }
  const found = secretsOf(account);
  const copy = (v, depth) => {
    if (depth > 32) return REDACTED;
    if (typeof v === 'string') return scrub(v, found);
    if (typeof v === 'number' || typeof v === 'bigint') return scrub(String(v), found) === String(v) ? v : REDACTED;
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    if (v && typeof v === 'object') {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        out[scrub(k, found)] = SECRET_KEY.test(k) ? REDACTED : copy(x, depth + 1);
      }
      return out;
    }
    return v;
  };
  const out = copy(account, 0);
  if (isCloud(account) && account.claim_url !== undefined && account.claim_url !== null) {
    out.claim_url = redactClaimUrl(account.claim_url);
  }
  return out;
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const UNSAFE_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Text for a terminal or a model: every control character (C0, C1, DEL, so ESC and every
 * escape sequence it starts), bidirectional and invisible formatting character, and line or
 * paragraph separator removed; `keepLines` keeps `\n` and `\t` (multi-line text such as the
 * guidance). The one sanitiser server fields are printed and returned through. */
export function terminalSafe(text, keepLines = false) {
  return String(text ?? '').replace(keepLines ? UNSAFE_BUT_LINES : UNSAFE, '');
}

/**
 * Why {@link toDotenv} (or saving) refused an account: `field` names the field, `rule` the
 * rule it broke; never the value (it may be the secret, or text crafted to be printed).
 */
export class DotenvError extends TypeError {
  constructor(field, rule) {
    super(`the account cannot be written to .env: ${field} ${rule}`);
    this.name = 'DotenvError';
    this.code = 'invalid_account';
    this.field = field;
    this.rule = rule;
  }
}

// The credential rules of src/activation.rs `Credentials::checked` (the Rust core holds every
// account createAccount receives to them; this copy guards toDotenv, which runs without wasm,
// and tests/agent/dotenv.test.mjs checks the two agree). Each alphabet is inert in every .env
// loader and in a shell: no quote, `$`, backtick, `\`, `#`, space or line break.
const CREDENTIAL_RULES = {
  cloud_name: [/^[A-Za-z0-9_-]{1,128}$/, 'must be 1-128 letters, digits, `-` or `_`'],
  api_key: [/^[0-9]{1,32}$/, 'must be 1-32 digits'],
  api_secret: [/^[A-Za-z0-9_-]{16,128}$/, 'must be 16-128 letters, digits, `-` or `_`'],
};

function checked(field, value) {
  if (typeof value !== 'string') throw new DotenvError(field, 'must be a string');
  const [re, rule] = CREDENTIAL_RULES[field];
  if (!re.test(value)) throw new DotenvError(field, rule);
  return value;
}

/** The checked key, secret and cloud name of the account's first product environment. */
function credentialsOf(account) {
  const env = environments(account)[0];
  if (!env) throw new DotenvError('product_environments', 'must hold a product environment');
  const parts = ['cloud_name', 'api_key', 'api_secret'];
  let c = env.cloud_name;
  let k = env.api_key;
  let s = env.api_secret;
  const v = env.api_environment_variable;
  let fromUrl = null;
  if (v !== undefined && v !== null) {
    if (typeof v !== 'string') throw new DotenvError('api_environment_variable', 'must be a string');
    // The server sends a whole `.env` line; the name may be there once (or repeated).
    let u = v;
    while (u.startsWith(URL_PREFIX)) u = u.slice(URL_PREFIX.length);
    const m = /^cloudinary:\/\/([^:@]*):([^@]*)@(.*)$/.exec(u);
    if (!m) throw new DotenvError('api_environment_variable', 'must be cloudinary://API_KEY:API_SECRET@CLOUD_NAME');
    fromUrl = { api_key: m[1], api_secret: m[2], cloud_name: m[3] };
  }
  if (fromUrl) {
    // Both given: they must name the same credentials (else which one is meant?).
    for (const p of parts) {
      const field = p === 'cloud_name' ? c : p === 'api_key' ? k : s;
      if (field !== undefined && field !== fromUrl[p]) {
        throw new DotenvError('api_environment_variable', `must hold the same ${p} as the ${p} field`);
      }
    }
    ({ cloud_name: c, api_key: k, api_secret: s } = fromUrl);
  }
  return { cloud_name: checked('cloud_name', c), api_key: checked('api_key', k), api_secret: checked('api_secret', s) };
}

/**
 * The bare `cloudinary://KEY:SECRET@CLOUD` URL of the account's first product environment,
 * after checking each part's alphabet; throws a {@link DotenvError} otherwise.
 */
export function cloudinaryUrlOf(account) {
  const { cloud_name: c, api_key: k, api_secret: s } = credentialsOf(account);
  return `cloudinary://${k}:${s}@${c}`;
}

/**
 * A value as every .env loader (dotenv, dotenv-expand, Node's util.parseEnv, python-dotenv)
 * and `set -a; . ./.env` read it back: written bare, so only a value made of characters none
 * of them treats specially is accepted. Quoting was the old fallback; no two loaders agree on
 * escapes inside quotes (`$`, backticks, `\`), so there is none.
 */
export function dotenvValue(value) {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:/@=%+,~-]+$/.test(value)) {
    throw new DotenvError('CLOUDINARY_URL', 'must be letters, digits and `_.:/@=%+,~-` only');
  }
  return value;
}

// What a comment line may show as it is: printable ASCII. Anything else (line breaks of any
// loader, U+2028/U+2029, C0/C1/DEL, bidi controls, non-ASCII) is shown as `\u{...}`, which
// no loader reads as anything but comment text.
function printable(s) {
  return String(s ?? '').slice(0, 254).replace(/[^\x20-\x7e]/gu, (ch) => `\\u{${ch.codePointAt(0).toString(16)}}`);
}

/** The names of the keys a cloud adds beside `CLOUDINARY_URL` (those of Cloudinary's own
 * npm CLI, `@cloudinary/cloud`, so each tool reads the other's file). */
export const CLAIM_URL_KEY = 'CLOUDINARY_CLOUD_CLAIM_URL';
export const EXPIRES_AT_KEY = 'CLOUDINARY_CLOUD_EXPIRES_AT';
/** Every key {@link toDotenv} may write, in the order written. */
export const DOTENV_KEYS = Object.freeze(['CLOUDINARY_URL', CLAIM_URL_KEY, EXPIRES_AT_KEY]);

// A claim URL is written bare, or single-quoted when it holds `&` (a shell would run the rest
// in the background) or `~` (expanded after a `:` in a shell assignment); anything else is
// refused. Inside single quotes every loader and a shell read these characters as they are.
const CLAIM_URL = /^[\w.:/@=%+,?&~-]{1,2048}$/;
// The expiry is kept as text (status and claim parse it): only its alphabet is checked.
const ISO_TIME = /^\d{4}-\d\d-\d\dT[\d:.]{8,18}(Z|[+-][\d:]{5})$/;

function claimUrlValue(v) {
  if (typeof v !== 'string' || !CLAIM_URL.test(v) || !httpUrl(v)) {
    throw new DotenvError('claim_url', 'must be an http(s) URL of at most 2048 letters, digits and `_.:/@=%+,?&~-`');
  }
  return /[&~]/.test(v) ? `'${v}'` : v;
}

function expiresAtValue(v) {
  if (typeof v !== 'string' || !ISO_TIME.test(v)) throw new DotenvError('expires_at', 'must be an ISO 8601 time');
  return v;
}

/**
 * The `[key, value as written]` pairs of the account's `.env` lines, each value checked:
 * `CLOUDINARY_URL`, and for a cloud its claim URL and expiry too. Throws a
 * {@link DotenvError} naming the field and the rule.
 */
export function dotenvEntries(account) {
  const entries = [['CLOUDINARY_URL', dotenvValue(cloudinaryUrlOf(account))]];
  if (isCloud(account)) {
    entries.push([CLAIM_URL_KEY, claimUrlValue(account.claim_url)], [EXPIRES_AT_KEY, expiresAtValue(account.expires_at)]);
  }
  return entries;
}

const KEEP_OUT = '# Root API credentials: keep this file out of version control and out of any chat.';
const OURS = ['# Cloudinary account of ', '# Claimable Cloudinary cloud ', KEEP_OUT];

/** The comment lines {@link toDotenv} writes above the keys (recognised when merging). */
export function dotenvComment(account) {
  const env = environments(account)[0] || {};
  if (isCloud(account)) {
    return [`${OURS[1]}${printable(env.cloud_name)}, created by cloudinary-agent-account: unclaimed, disabled at ${printable(account.expires_at)}; ${CLAIM_URL_KEY} claims it.`, KEEP_OUT];
  }
  const email = printable(account && account.email) || 'an unknown e-mail address';
  const cloud = env.cloud_name ? ` (cloud ${printable(env.cloud_name)})` : '';
  return [`${OURS[0]}${email}${cloud}, created by cloudinary-agent-account.`, KEEP_OUT];
}

/** Whether a line is one of the comment lines {@link dotenvComment} writes (of any account
 * or cloud): merging re-writes them above the keys. */
export const isDotenvComment = (line) => OURS.some((p) => line.startsWith(p));

/**
 * `.env` text for the account: a comment naming the account's e-mail and saying the file must
 * stay out of version control, then `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD`, unquoted;
 * for a Claimable Cloud, then `CLOUDINARY_CLOUD_CLAIM_URL` and `CLOUDINARY_CLOUD_EXPIRES_AT`.
 * Throws a {@link DotenvError} for an account whose key, secret or cloud name is not of the
 * documented alphabet, or a cloud whose claim URL or expiry is not of theirs (nothing a loader
 * or a shell could read differently is ever written).
 */
export function toDotenv(account) {
  const entries = dotenvEntries(account);
  return [...dotenvComment(account), ...entries.map(([k, v]) => `${k}=${v}`), ''].join('\n');
}
