// A hand-written JavaScript client with the package's rules and fetch flow, for the
// benchmark only (never shipped): what a careful engineer would write without the wasm.
// Same validation rules and messages as src/validate.rs, same options, same deadline /
// abort / 1 MiB cap / retry-on-420-429 flow as src/wasm/client.rs, same error mapping as
// src/error.rs (codes, not every word of every message). It is the yardstick the wasm is
// measured against in `make bench`; it is not tested for parity beyond that.

const FIELDS = [
  ['email', 1, 254, true],
  ['agent_framework', 2, 100, true],
  ['agent_llm_model', 2, 100, true],
  ['agent_goal', 2, 300, true],
  ['sdk_framework', 2, 100, false],
];
const NAMES = FIELDS.map((f) => f[0]);
const MAX_BODY = 1024 * 1024;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[A-Za-z0-9-]+$/;

const codePoints = (s) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    else { n++; i++; }
  }
  return n;
};

function emailProblem(s) {
  const at = s.indexOf('@');
  if (at < 0) return 'it has no @';
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!local) return 'nothing comes before the @';
  if (!LOCAL.test(local)) return 'the part before the @ has a character that is not allowed';
  if (!domain) return 'nothing comes after the @';
  if (domain.includes('@')) return 'it has more than one @';
  if (!domain.includes('.')) return 'the domain has no dot';
  for (const label of domain.split('.')) {
    if (!label) return 'the domain has an empty label (two dots in a row, or a dot at an end)';
    if (label.length > 63) return 'a domain label is longer than 63 characters';
    if (!LABEL.test(label)) return 'the domain has a character that is not allowed';
    if (label[0] === '-' || label[label.length - 1] === '-') return 'a domain label starts or ends with a hyphen';
  }
  return null;
}

const fold = (k) => k.replace(/[-_ ]/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 0; i < a.length; i++) {
    let prev = row[0];
    row[0] = i + 1;
    for (let j = 0; j < b.length; j++) {
      const cur = row[j + 1];
      row[j + 1] = Math.min(prev + (a[i] === b[j] ? 0 : 1), row[j] + 1, cur + 1);
      prev = cur;
    }
  }
  return row[b.length];
}
function suggest(key, candidates) {
  const k = fold(key);
  let best = null;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(k, fold(c));
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'function': return 'a function';
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'number': return 'a number';
    case 'bigint': return 'a bigint';
    case 'symbol': return 'a symbol';
    default: return 'an object';
  }
}

const issue = (field, code, message) => ({ field, code, message });

function checkField(name, min, max, raw) {
  const value = raw.trim();
  if (CONTROL.test(value)) {
    return issue(name, 'control_character', `${name} must not contain control characters such as line breaks or tabs`);
  }
  const len = codePoints(value);
  if (name === 'email') {
    if (len === 0) return issue(name, 'missing', `${name} is required`);
    if (len > max) return issue(name, 'too_long', `${name} must be at most ${max} characters long; it has ${len}`);
    const why = emailProblem(value);
    return why ? issue(name, 'invalid_email', `${name} must be a valid e-mail address such as name@example.com: ${why}`) : value;
  }
  if (len < min || len > max) {
    return issue(name, len < min ? 'too_short' : 'too_long',
      `${name} must be ${min}-${max} characters long (Unicode code points); it has ${len}`);
  }
  return value;
}

/** Validates; returns `{ request }` (trimmed) or `{ issues }`. */
function read(request) {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return { issues: [issue('request', 'not_an_object', `the request must be an object with the fields email, agent_framework, agent_llm_model, agent_goal and optionally sdk_framework, not ${typeName(request)}`)] };
  }
  const issues = [];
  for (const key of Object.keys(request)) {
    if (NAMES.includes(key)) continue;
    const s = suggest(key, NAMES);
    const hint = s ? `; did you mean \`${s}\`?` : '; the fields are email, agent_framework, agent_llm_model, agent_goal and sdk_framework';
    issues.push(issue(key, 'unknown_field', `\`${key}\` is not a field of the request${hint}`));
  }
  const out = {};
  for (const [name, min, max, required] of FIELDS) {
    const v = Object.hasOwn(request, name) ? request[name] : undefined;
    if (v === undefined || v === null) {
      if (required) issues.push(issue(name, 'missing', `${name} is required`));
    } else if (typeof v !== 'string') {
      issues.push(issue(name, 'wrong_type', `${name} must be a string, not ${typeName(v)}`));
    } else {
      const r = checkField(name, min, max, v);
      if (typeof r === 'string') out[name] = r;
      else issues.push(r);
    }
  }
  return issues.length ? { issues } : { request: out };
}

/** Every issue of a request (empty when valid). */
export function validateRequest(request) {
  return read(request).issues ?? [];
}

export class AgentAccountError extends Error {
  constructor(message, details) {
    super(message);
    this.name = 'AgentAccountError';
    Object.assign(this, { issues: [], mayHaveCreatedAccount: false }, details);
  }
}

const OPTIONS = ['baseUrl', 'timeoutMs', 'signal', 'maxRetries', 'maxRetryDelayMs', 'onResponse'];
function readOptions(o) {
  const opts = { baseUrl: 'https://api.cloudinary.com', timeoutMs: 30000, signal: undefined, maxRetries: 0, maxRetryDelayMs: 60000, onResponse: undefined };
  if (o === undefined || o === null) return { opts };
  if (typeof o !== 'object' || Array.isArray(o)) return { issues: [issue('options.', 'not_an_object', `options must be an object, not ${typeName(o)}`)] };
  const issues = [];
  const wrong = (k, want, v) => issues.push(issue(`options.${k}`, 'wrong_type', `options.${k} must be ${want}, not ${typeName(v)}`));
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    switch (k) {
      case 'baseUrl': {
        if (typeof v !== 'string') { wrong(k, 'a string', v); break; }
        const s = v.trim().replace(/\/+$/, '');
        if (s.startsWith('http://') || s.startsWith('https://')) opts.baseUrl = s;
        else issues.push(issue('options.baseUrl', 'wrong_type', 'options.baseUrl must be an http:// or https:// URL'));
        break;
      }
      case 'timeoutMs': case 'maxRetryDelayMs':
        if (typeof v === 'number' && Number.isFinite(v) && v > 0) opts[k] = v;
        else wrong(k, 'a positive, finite number of milliseconds', v);
        break;
      case 'maxRetries':
        if (Number.isInteger(v) && v >= 0 && v <= 10) opts.maxRetries = v;
        else wrong(k, 'a whole number from 0 to 10', v);
        break;
      case 'signal':
        if (v === null) break;
        if (v instanceof AbortSignal) opts.signal = v; else wrong(k, 'an AbortSignal', v);
        break;
      case 'onResponse':
        if (typeof v === 'function') opts.onResponse = v; else wrong(k, 'a function', v);
        break;
      default: {
        const s = suggest(k, OPTIONS);
        issues.push(issue(`options.${k}`, 'unknown_field', `\`${k}\` is not an option of createAccount${s ? `; did you mean \`${s}\`?` : `; the options are ${OPTIONS.join(', ')}`}`));
      }
    }
  }
  return issues.length ? { issues } : { opts };
}

const isString = (o, k) => typeof o[k] === 'string';
function accountProblem(v) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'the body is not a JSON object';
  for (const k of ['external_id', 'email', 'plan_name', 'guidance']) if (!isString(v, k)) return `\`${k}\` is missing or not a string`;
  const envs = v.product_environments;
  if (!Array.isArray(envs)) return '`product_environments` is missing or not an array';
  if (!envs.length) return '`product_environments` is empty';
  for (let i = 0; i < envs.length; i++) {
    const e = envs[i];
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return `\`product_environments[${i}]\` is not an object`;
    for (const k of ['external_id', 'cloud_name', 'api_key', 'api_secret', 'api_environment_variable']) {
      if (!isString(e, k)) return `\`product_environments[${i}].${k}\` is missing or not a string`;
    }
  }
  return null;
}

function retryAfterMs(v, now) {
  if (v == null) return undefined;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil(at - now));
}

function classify(status, headers, body) {
  const requestId = headers.get('x-request-id') ?? undefined;
  const base = { status, requestId };
  if (body.tooLarge !== undefined) {
    return new AgentAccountError(`the server answered HTTP ${status} with a body of ${body.tooLarge} bytes, over the ${MAX_BODY}-byte limit`, { code: 'unexpected_response', ...base });
  }
  if (status >= 200 && status < 300) {
    if (!('json' in body)) return new AgentAccountError(`the server answered HTTP ${status} with a body that is not JSON`, { code: 'unexpected_response', ...base });
    const why = accountProblem(body.json);
    return why && new AgentAccountError(`the server answered HTTP ${status} but the account is malformed: ${why}`, { code: 'unexpected_response', ...base });
  }
  const e = body.json?.error;
  const detail = e && typeof e === 'object' && typeof e.message === 'string' ? e : undefined;
  const message = detail?.message.trim().slice(0, 300);
  const serverCode = typeof detail?.code === 'string' ? detail.code : undefined;
  let code = 'unexpected_response';
  if (status === 409 || (status === 400 && (serverCode === 'account_exists' || message?.includes('has already been taken')))) code = 'account_exists';
  else if (status === 400 && serverCode === 'disposable_email') code = 'disposable_email';
  else if (status === 403) code = 'blocked';
  else if (status === 420 || status === 429) code = 'rate_limited';
  else if (status >= 400 && status < 500) code = 'invalid_request';
  else if (status >= 500 && status < 600) code = 'server_error';
  const retry = retryAfterMs(headers.get('retry-after'), Date.now());
  const said = message ? `: ${message}` : message === undefined ? (body.empty ? ' (empty body)' : ' (the body is not the documented JSON error)') : '';
  return new AgentAccountError(`the server answered${said} (HTTP ${status})`, {
    code, ...base, retryAfterMs: retry, category: typeof detail?.category === 'string' ? detail.category : undefined, serverCode,
    issues: Array.isArray(detail?.issues) ? detail.issues.filter((i) => i && typeof i.field === 'string' && typeof i.code === 'string' && typeof i.message === 'string') : [],
    mayHaveCreatedAccount: status >= 500,
  });
}

async function readBody(res, controller) {
  const declared = Number(res.headers.get('content-length'));
  if (declared > MAX_BODY) { controller.abort(); return { tooLarge: declared }; }
  let bytes;
  if (res.headers.has('content-length')) {
    bytes = new Uint8Array(await res.arrayBuffer());
  } else {
    // No declared length: read in chunks and stop at the cap.
    const reader = res.body.getReader();
    const chunks = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > MAX_BODY) { reader.cancel().catch(() => {}); controller.abort(); return { tooLarge: n }; }
      chunks.push(value);
    }
    bytes = new Uint8Array(n);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
  }
  if (!bytes.length) return { empty: true };
  try { return { json: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) }; } catch { return { empty: false }; }
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(t); reject(new Error('aborted')); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** Validates, POSTs, resolves to the account object or rejects with an AgentAccountError. */
export async function createAccount(request, options) {
  const r = read(request);
  const o = r.issues ? r : readOptions(options);
  if (r.issues || o.issues) {
    const issues = r.issues ?? o.issues;
    throw new AgentAccountError(`invalid request: ${issues.map((i) => i.message).join('; ')}`, { code: 'invalid_input', issues });
  }
  const { opts } = o;
  const url = `${opts.baseUrl}/v1_1/provisioning/agents/accounts`;
  const body = JSON.stringify(r.request);
  const deadline = Date.now() + opts.timeoutMs;
  const aborted = () => new AgentAccountError('the request was aborted by its AbortSignal', { code: 'aborted' });
  for (let retries = 0; ; retries++) {
    if (opts.signal?.aborted) throw aborted();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, Math.max(0, deadline - Date.now()));
    const onAbort = () => controller.abort();
    opts.signal?.addEventListener('abort', onAbort);
    let res;
    let answer;
    try {
      res = await fetch(url, {
        method: 'POST', body, signal: controller.signal,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      });
      answer = await readBody(res, controller);
    } catch (e) {
      if (opts.signal?.aborted) throw aborted();
      if (timedOut) throw new AgentAccountError(`no complete answer within timeoutMs (${opts.timeoutMs} ms); the account may or may not have been created`, { code: 'timeout', mayHaveCreatedAccount: true });
      throw new AgentAccountError(`the request could not be completed: ${e?.message}`, { code: 'network', mayHaveCreatedAccount: true });
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    const err = classify(res.status, res.headers, answer);
    if (opts.onResponse) {
      try { opts.onResponse({ status: res.status, requestId: res.headers.get('x-request-id') ?? undefined, retryAfterMs: err?.retryAfterMs }); } catch { /* never fails the call */ }
    }
    if (!err) return answer.json;
    if (err.code !== 'rate_limited' || retries >= opts.maxRetries) throw err;
    const wait = err.retryAfterMs ?? 1000 * 2 ** Math.min(retries, 10);
    if (wait > opts.maxRetryDelayMs || Date.now() + wait >= deadline) throw err;
    try { await sleep(wait, opts.signal); } catch { throw aborted(); }
  }
}
