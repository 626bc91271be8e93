#!/usr/bin/env -S node --
// `cloudinary-agent-account`: create a Cloudinary account for a person, or a Claimable Cloud,
// from a coding agent's shell, save the credentials to .env, give the person the claim link,
// and check the state. Node.js built-ins only (the package keeps zero runtime dependencies).
import { parseArgs } from 'node:util';
import { createAccount, createCloud, checkActivation, waitForActivation, redact, toDotenv, renderGuidanceText } from './node.mjs';
import { terminalSafe, redactClaimUrl, CLAIM_URL_KEY } from './credentials.js';
import { saveCredentials, readSavedCloud, checkDestination, writeFallback } from './save.mjs';
import { adviceFor, cloudAdviceFor, cloudNextSteps, claimCommand, utcMinute, cloudState } from './tool-core.js';

/** One exit status per outcome (the table of --help and the README). */
export const EXIT = Object.freeze({
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  ACCOUNT_EXISTS: 3,
  RATE_LIMITED: 4,
  REFUSED: 5,
  NO_ANSWER: 6,
  SAVE_FAILED: 7,
  CREDENTIALS_EXIST: 8,
  NO_CLOUD: 9,
  PENDING: 10,
  UNKNOWN: 11,
  EXPIRED: 12,
  ABORTED: 130,
});

const HELP = `cloudinary-agent-account: Cloudinary credentials for a person, from an agent

Usage:
  cloudinary-agent-account cloud [EMAIL] [--ip IP]... [--framework F] [--model M] [--goal G]
      [--sdk-framework S] [--env-file PATH] [--no-save] [--force] [--json]
      [--base-url URL] [--timeout-ms N]
  cloudinary-agent-account claim [--env-file PATH] [--json]
  cloudinary-agent-account signup --email E --goal G [--framework F] [--model M]
      [--sdk-framework S] [--env-file PATH] [--no-save] [--force] [--json]
      [--base-url URL] [--timeout-ms N]
  cloudinary-agent-account status [--env-file PATH] [--base-url URL] [--wait]
      [--timeout S] [--interval-ms N] [--verbose] [--json]
  cloudinary-agent-account --help | --version

Which one: cloud to start work now (the credentials work at once; the cloud expires in 24
hours unless the person claims it with its link); signup when the person wants a permanent
account under their own e-mail (the credentials stay inert until they verify it).

cloud creates a Claimable Cloud (rate-limited per IP, about 10 a day) and saves
CLOUDINARY_URL, CLOUDINARY_CLOUD_CLAIM_URL and CLOUDINARY_CLOUD_EXPIRES_AT to the env file
(the keys of Cloudinary's npx @cloudinary/cloud, whose flags --email and --no-env work here
too). Media delivery works only from the cloud's delivery IPs (yours, and up to 3 --ip) until
it is claimed: elsewhere a 401/403 with x-cld-error: ACL deny, while uploads still work.
EMAIL only pre-fills the claim page. The claim link is the only way to keep the cloud and
is a secret: the full link is printed only on a terminal (and when saving failed); piped
output and --json show it redacted. --no-save is refused off a terminal (the link would be
lost).

claim prints the saved claim link and the time left: in full on a terminal, redacted
otherwise (then ask the person to run it in their own terminal). It never opens a browser.

signup creates the account (a real one: it e-mails the person, works once per address and
is rate-limited per IP), saves CLOUDINARY_URL to the env file (default .env; mode 0600,
merged into an existing file, added to .gitignore inside a git work tree) and prints a
summary without the secret. --no-save writes no file: the person then takes the key from
the Console once verified.

cloud and signup refuse, before sending anything, when the env file already holds
CLOUDINARY_URL, unless --force.
  --framework  default: the coding agent's marker (CLAUDECODE, CLAUDE_CODE_ENTRYPOINT ->
               claude-code; CURSOR_TRACE_ID, CURSOR_AGENT -> cursor; CODEX_SANDBOX,
               CODEX_HOME -> codex; GEMINI_CLI -> gemini-cli; OPENCODE -> opencode;
               AMP_SESSION_ID -> amp; WINDSURF_SESSION -> windsurf)
  --model      default: ANTHROPIC_MODEL, CLAUDE_MODEL, OPENAI_MODEL or GEMINI_MODEL
  --base-url   default: CLOUDINARY_AGENT_BASE_URL, else https://api.cloudinary.com

status reads CLOUDINARY_URL from the env file and pings the Admin API with it. An account:
active, pending (the person has not verified the e-mail yet), disabled or unknown; --wait
polls until active or disabled, or until --timeout seconds (default 900) have passed; on a
terminal one line shows the state, the checks so far, the time waited and the next check;
--verbose prints a line per check to stderr instead. Ctrl-C ends the wait (130) with what
was known. A cloud (the file holds CLOUDINARY_CLOUD_EXPIRES_AT), checked once: working
(before its expiry), claimed (working after it), expired (not working after it) or unknown.

Output: a summary on a terminal; KEY=value lines otherwise; JSON with --json.

Exit status:
  0    signup/cloud: created and saved; claim: the link, not expired; status: active,
       working or claimed
  1    unexpected failure (a bug: please report it)
  2    usage error or invalid input (nothing was sent)
  3    an account already exists for this e-mail: sign in instead
  4    rate limited: try again later
  5    refused: blocked, sign-up disabled, region not allowed, no public address (a VPN
       or gateway: delivery_ips_not_public); status: account disabled
  6    no usable answer (network, timeout, server error): the account or cloud MAY exist;
       do not retry signup, check the inbox
  7    created, but saving failed: the credentials went to a fallback file (named), or,
       when that failed too, are printed in full: store them now
  8    the env file already holds CLOUDINARY_URL (nothing was sent; --force replaces it)
  9    claim: the env file holds no claim link (no cloud was saved there)
  10   status: pending (with --wait: still pending at --timeout)
  11   status: unknown (the ping was refused for another reason)
  12   claim, status: the cloud's expiry has passed (status: and it no longer works)
  130  interrupted
`;

const FRAMEWORK_MARKERS = [
  [['CLAUDECODE', 'CLAUDE_CODE_ENTRYPOINT'], 'claude-code'],
  [['CURSOR_TRACE_ID', 'CURSOR_AGENT'], 'cursor'],
  [['CODEX_SANDBOX', 'CODEX_HOME'], 'codex'],
  [['GEMINI_CLI'], 'gemini-cli'],
  [['OPENCODE'], 'opencode'],
  [['AMP_SESSION_ID'], 'amp'],
  [['WINDSURF_SESSION'], 'windsurf'],
];
const MODEL_VARS = ['ANTHROPIC_MODEL', 'CLAUDE_MODEL', 'OPENAI_MODEL', 'GEMINI_MODEL'];

/** The coding agent's framework and model from the markers it sets. */
export function fromMarkers(env) {
  const set = (k) => typeof env[k] === 'string' && env[k].trim() !== '';
  const hit = FRAMEWORK_MARKERS.find(([keys]) => keys.some(set));
  const model = MODEL_VARS.find(set);
  return { framework: hit ? hit[1] : undefined, model: model ? env[model].trim() : undefined };
}

class Usage extends Error {}

const tty = () => Boolean(process.stdout.isTTY);
const out = (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
// JSON for stdout: JSON.stringify leaves bidi controls and U+2028/U+2029 as they are; they
// are escaped too, so that the JSON a terminal shows is the JSON a program reads.
const toJson = (v) => JSON.stringify(v, null, 2).replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const err = (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
const colour = () => tty() && !process.env.NO_COLOR;
const bold = (s) => (colour() ? `\x1b[1m${s}\x1b[22m` : s);


function codeExit(e) {
  if (e && e.mayHaveCreatedAccount) return EXIT.NO_ANSWER;
  switch (e && e.code) {
    case 'invalid_input': case 'invalid_request': case 'disposable_email': return EXIT.USAGE;
    case 'account_exists': return EXIT.ACCOUNT_EXISTS;
    case 'rate_limited': return EXIT.RATE_LIMITED;
    case 'blocked': case 'registration_disabled': case 'region_blocked': case 'account_disabled':
    case 'delivery_ips_not_public': return EXIT.REFUSED;
    case 'aborted': return EXIT.ABORTED;
    case 'network': case 'timeout': case 'server_error': case 'unexpected_response': return EXIT.NO_ANSWER;
    default: return EXIT.INTERNAL;
  }
}

function kv(pairs) {
  // Values on one line each: line breaks would break `grep`/`cut`.
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${terminalSafe(String(v).replace(/[\r\n]+/g, ' '))}`)
    .join('\n');
}

/** An error of the client, in the output's form; `advice` in plain words. */
function failure(e, json, advice = adviceFor(e)) {
  const code = codeExit(e);
  if (json) {
    out(toJson({ ok: false, error: { code: e.code, message: e.message, issues: e.issues, status: e.status, serverCode: e.serverCode, requestId: e.requestId, retryAfterMs: e.retryAfterMs, mayHaveCreatedAccount: Boolean(e.mayHaveCreatedAccount) }, advice, exit_status: code }));
  } else if (tty()) {
    err(`${bold('Error')} (${e.code}): ${terminalSafe(e.message)}`);
    for (const i of e.issues || []) err(`  • ${terminalSafe(i.message)}`);
    err(`\n${terminalSafe(advice)}`);
  } else {
    out(kv({ STATUS: 'error', ERROR_CODE: e.code, SERVER_CODE: e.serverCode, MAY_HAVE_CREATED_ACCOUNT: Boolean(e.mayHaveCreatedAccount), RETRY_AFTER_MS: e.retryAfterMs, REQUEST_ID: e.requestId, EXIT_STATUS: code }));
    err(`cloudinary-agent-account: ${e.code}: ${terminalSafe(e.message)}\n${terminalSafe(advice)}`);
  }
  return code;
}

function baseUrlOf(values, env) {
  const u = values['base-url'] ?? env.CLOUDINARY_AGENT_BASE_URL;
  return u && u.trim() ? u.trim() : undefined;
}

/** A flag's number: decimal digits with an optional fraction only (`Number` would also take
 * `0x10`, `1e3`, ` 5 ` and the empty string), at least `min`. */
function positiveNumber(name, v, min = 0) {
  if (v === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new Usage(`--${name} must be a positive decimal number, not ${JSON.stringify(v)}`);
  if (n < min) throw new Usage(`--${name} must be at least ${min}`);
  return n;
}

/** A destination that cannot be saved to: a usage error (nothing was sent), in the mode's form. */
function badDestination(e, values) {
  const msg = `${terminalSafe(e.message)}; nothing was sent. Use --env-file to save elsewhere, or --no-save.`;
  if (values.json) out(toJson({ ok: false, error: { code: e.code, message: msg }, exit_status: EXIT.USAGE }));
  else if (!tty()) out(kv({ STATUS: 'error', ERROR_CODE: e.code, EXIT_STATUS: EXIT.USAGE }));
  err(`cloudinary-agent-account: ${msg}`);
  return EXIT.USAGE;
}

/**
 * Before anything is sent (a new account or cloud whose credentials cannot be stored would
 * burn a rate-limited creation): the env file must take them and hold no CLOUDINARY_URL
 * unless --force. Resolves to the exit status of a refusal, or undefined.
 */
async function refusedBeforeSending(envFile, values) {
  let existing;
  try {
    existing = (await checkDestination(envFile)).cloudinaryUrl;
  } catch (e) {
    return badDestination(e, values);
  }
  if (existing !== null && !values.force) {
    const msg = `${envFile} already holds CLOUDINARY_URL; nothing was sent. Use --force to replace it, --env-file to save elsewhere, or --no-save.`;
    if (values.json) out(toJson({ ok: false, error: { code: 'credentials_exist', message: msg }, exit_status: EXIT.CREDENTIALS_EXIST }));
    else if (!tty()) out(kv({ STATUS: 'error', ERROR_CODE: 'credentials_exist', EXIT_STATUS: EXIT.CREDENTIALS_EXIST }));
    err(`cloudinary-agent-account: ${msg}`);
    return EXIT.CREDENTIALS_EXIST;
  }
  return undefined;
}

/**
 * Saves what was created (`noun`: account or cloud); resolves to saveCredentials' result, or
 * to EXIT.SAVE_FAILED after keeping it anyway: never lose it to a file-system error: a file of
 * its own next to the env file (or in the home folder), else every line in full (a cloud's
 * claim link included), now, in the output's form.
 */
async function saveOrKeep(created, noun, envFile, values) {
  try {
    return await saveCredentials(created, { path: envFile, force: values.force });
  } catch (e) {
    const why = `the ${noun} was created, but saving to ${envFile} failed: ${terminalSafe(e.message)}`;
    const fallback = await writeFallback(created, envFile).catch(() => null);
    // The last copy: .env lines, or, for values no .env line may hold, the answer as JSON
    // (every control character escaped), never nothing.
    let lines;
    try { lines = toDotenv(created); } catch { lines = undefined; }
    if (values.json) {
      out(toJson({ ok: false, error: { code: 'save_failed', message: why }, saved_to: fallback, dotenv: fallback ? undefined : lines, answer: fallback || lines ? undefined : created, exit_status: EXIT.SAVE_FAILED }));
    } else if (fallback) {
      if (!tty()) out(kv({ STATUS: 'error', ERROR_CODE: 'save_failed', SAVED_TO: fallback, EXIT_STATUS: EXIT.SAVE_FAILED }));
      err(`cloudinary-agent-account: ${why}\nThe credentials were written to ${fallback} instead: move the Cloudinary lines where they belong.`);
    } else {
      err(`cloudinary-agent-account: ${why}`);
      err(`Store these lines yourself now (they are shown once; they are the root credentials${noun === 'cloud' ? ' and the only link that keeps the cloud' : ''}):`);
      out(lines ?? toJson(created));
    }
    return EXIT.SAVE_FAILED;
  }
}

/** Where the credentials went, as `KEY=value` fields. */
function savedKv(saved) {
  return {
    ENV_FILE: saved ? saved.path : undefined,
    ENV_FILE_ACTION: saved ? saved.action : 'not_saved',
    IGNORED_BY_GIT: saved ? saved.ignoredByGit ?? 'unknown' : undefined,
    GITIGNORE_UPDATED: saved ? saved.gitignoreUpdated : undefined,
  };
}

/** Where the credentials went, as the `--json` output's fields. */
function savedJson(saved) {
  return { env_file: saved ? saved.path : null, env_file_action: saved ? saved.action : 'not_saved' };
}

/** Where the credentials went, for the terminal summary. */
function whereSaved(saved, notSaved) {
  if (!saved) return notSaved;
  const git = saved.ignoredByGit === true ? `ignored by git${saved.gitignoreUpdated ? ', added to .gitignore' : ''}`
    : saved.ignoredByGit === false ? 'NOT ignored by git: never commit it' : 'not in a git work tree';
  return `${saved.path} (${saved.action}; ${git})`;
}

async function signup(argv, env, signal) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      email: { type: 'string' },
      goal: { type: 'string' },
      framework: { type: 'string' },
      model: { type: 'string' },
      'sdk-framework': { type: 'string' },
      'env-file': { type: 'string', default: '.env' },
      'no-save': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
  });
  const markers = fromMarkers(env);
  const framework = values.framework ?? markers.framework;
  const model = values.model ?? markers.model;
  for (const [flag, v] of [['email', values.email], ['goal', values.goal], ['framework', framework], ['model', model]]) {
    if (v === undefined) {
      const hint = flag === 'framework' ? ' (no coding-agent marker such as CLAUDECODE is set)'
        : flag === 'model' ? ' (none of ANTHROPIC_MODEL, CLAUDE_MODEL, OPENAI_MODEL, GEMINI_MODEL is set)' : '';
      throw new Usage(`--${flag} is required${hint}`);
    }
  }
  const request = { email: values.email, agent_framework: framework, agent_llm_model: model, agent_goal: values.goal };
  if (values['sdk-framework'] !== undefined) request.sdk_framework = values['sdk-framework'];
  const timeoutMs = positiveNumber('timeout-ms', values['timeout-ms']);
  const envFile = values['env-file'];
  const save = !values['no-save'];
  const refused = save ? await refusedBeforeSending(envFile, values) : undefined;
  if (refused !== undefined) return refused;
  let account;
  try {
    account = await createAccount(request, { baseUrl: baseUrlOf(values, env), timeoutMs, signal });
  } catch (e) {
    return failure(e, values.json, adviceFor(e, values.email));
  }
  const deadline = new Date(Date.now() + 24 * 60 * 60 * 1000);
  let saved = null;
  if (save) {
    saved = await saveOrKeep(account, 'account', envFile, values);
    if (typeof saved === 'number') return saved;
  }
  const safe = redact(account);
  // What is printed: the redacted copy's fields, without control or bidi characters.
  const senv = safe.product_environments[0];
  const shown = Object.fromEntries(Object.entries({ email: safe.email, plan_name: safe.plan_name, cloud_name: senv.cloud_name, api_key: senv.api_key })
    .map(([k, v]) => [k, terminalSafe(v)]));
  if (values.json) {
    out(toJson({ ...safe, ...savedJson(saved) }));
  } else if (tty()) {
    const where = whereSaved(saved, 'not saved (--no-save): once verified, take the key from the Console');
    out([
      `${bold('Created')} a Cloudinary account for ${shown.email}`,
      `  cloud name   ${shown.cloud_name}`,
      `  API key      ${shown.api_key}`,
      `  credentials  ${where}`,
      '',
      `${bold('Next')}: open the e-mail Cloudinary sent to ${shown.email} and set a password`,
      `before ${deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC. Until then the credentials do not work.`,
      `Check with: cloudinary-agent-account status${envFile !== '.env' ? ` --env-file ${terminalSafe(envFile)}` : ''}`,
      '',
      // The renderer wasm's terminal writer: the same parse as the page's HTML, code verbatim,
      // no control, escape or bidi character of the source (src/guidance/text.rs).
      renderGuidanceText(safe.guidance || '', colour()),
    ].join('\n'));
  } else {
    out(kv({
      STATUS: 'created',
      EMAIL: shown.email,
      CLOUD_NAME: shown.cloud_name,
      API_KEY: shown.api_key,
      PLAN: shown.plan_name,
      ...savedKv(saved),
      VERIFY_BY: deadline.toISOString(),
    }));
  }
  return EXIT.OK;
}

/** m:ss of a duration in milliseconds. */
function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * What `status --wait` shows while it polls, fed by waitForActivation's `onCheck`: on a
 * terminal (stderr) one line, redrawn every second and cleared at the end; with --verbose a
 * line per check on stderr; otherwise nothing. Only states, counts and times: never a secret.
 */
function waitProgress({ live, verbose }) {
  const started = Date.now();
  let last;
  let nextAt;
  let ended = false;
  const stateOf = (c) => (c === undefined ? 'checking' : c.errorCode ? `no answer (${c.errorCode})` : c.state);
  const checks = () => (last ? last.attempt : 0);
  const line = () => {
    if (last === undefined) return `checking · waited ${clock(Date.now() - started)}`;
    const next = nextAt === undefined || Date.now() >= nextAt
      ? 'checking now'
      : `next check in ${Math.ceil((nextAt - Date.now()) / 1000)} s`;
    return `${stateOf(last)} · ${checks()} check${checks() === 1 ? '' : 's'} · waited ${clock(Date.now() - started)} · ${next}`;
  };
  // \r and "erase line" redraw in place; cut to the width, since a wrapped line is not redrawn.
  const draw = () => process.stderr.write(`\r\x1b[2K${line().slice(0, Math.max(20, (process.stderr.columns || 80) - 1))}`);
  // unref: the wait's own timers keep the process alive, this one must not.
  const ticker = live ? setInterval(draw, 1000) : undefined;
  ticker?.unref();
  if (live) draw();
  return {
    onCheck(c) {
      last = c;
      nextAt = c.nextCheckInMs === undefined ? undefined : Date.now() + c.nextCheckInMs;
      if (live) draw();
      else if (verbose) {
        const next = c.nextCheckInMs === undefined ? '' : `; next check in ${Math.ceil(c.nextCheckInMs / 1000)} s`;
        err(`status: check ${c.attempt}: ${stateOf(c)}${c.status ? ` (HTTP ${c.status})` : ''}, waited ${clock(c.elapsedMs)}${next}`);
      }
    },
    /** Clears the live line. */
    end() {
      clearInterval(ticker);
      if (live && !ended) process.stderr.write('\r\x1b[2K');
      ended = true;
    },
    /** What was known: the last check's state, the checks made and the time waited. */
    known: () => ({ state: last ? last.state : 'unknown', checks: checks(), waitedMs: Date.now() - started }),
    text: () => (last
      ? `${checks()} check${checks() === 1 ? '' : 's'} in ${clock(Date.now() - started)}, the last said ${stateOf(last)}`
      : `no check had answered after ${clock(Date.now() - started)}`),
  };
}

const MIN_INTERVAL_MS = 100;

/** "23 h 59 min" for a duration in milliseconds (at least a minute's worth of words). */
function timeLeft(ms) {
  const min = Math.max(0, Math.floor(ms / 60000));
  return min >= 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min} min`;
}

async function cloud(argv, env, signal) {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      ip: { type: 'string', multiple: true },
      goal: { type: 'string' },
      framework: { type: 'string' },
      model: { type: 'string' },
      'sdk-framework': { type: 'string' },
      'env-file': { type: 'string', default: '.env' },
      'no-save': { type: 'boolean', default: false },
      // @cloudinary/cloud's name for --no-save.
      'no-env': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new Usage(`cloud takes one EMAIL at most, not ${positionals.length} arguments`);
  if (positionals.length && values.email !== undefined) throw new Usage('give the e-mail once: as EMAIL or as --email');
  const email = positionals[0] ?? values.email;
  const markers = fromMarkers(env);
  const request = {};
  for (const [k, v] of [['delivery_ips', values.ip], ['email', email], ['agent_framework', values.framework ?? markers.framework],
    ['agent_llm_model', values.model ?? markers.model], ['agent_goal', values.goal], ['sdk_framework', values['sdk-framework']]]) {
    if (v !== undefined) request[k] = v;
  }
  const timeoutMs = positiveNumber('timeout-ms', values['timeout-ms']);
  const envFile = values['env-file'];
  const save = !values['no-save'] && !values['no-env'];
  if (!save && !tty() && !values.json) {
    // Off a terminal the claim link is shown redacted: not saved either, it would be lost.
    throw new Usage('--no-save off a terminal would lose the claim link (it is shown in full only on a terminal): save it to the env file, or run this in a terminal');
  }
  if (!save && values.json) throw new Usage('--no-save with --json would lose the claim link (--json shows it redacted): save it to the env file');
  const refused = save ? await refusedBeforeSending(envFile, values) : undefined;
  if (refused !== undefined) return refused;
  let created;
  try {
    created = await createCloud(request, { baseUrl: baseUrlOf(values, env), timeoutMs, signal });
  } catch (e) {
    return failure(e, values.json, cloudAdviceFor(e));
  }
  let saved = null;
  if (save) {
    saved = await saveOrKeep(created, 'cloud', envFile, values);
    if (typeof saved === 'number') return saved;
  }
  const safe = redact(created);
  const credentials = { savedTo: saved ? saved.path : null };
  const ips = (Array.isArray(safe.delivery_ips) ? safe.delivery_ips : []).map((ip) => terminalSafe(ip));
  if (values.json) {
    out(toJson({ ...safe, ...savedJson(saved), next_steps: cloudNextSteps(safe, credentials, envFile) }));
  } else if (tty()) {
    // The person is looking: the full link, as the headline (the policy's case (b)).
    const left = Date.parse(created.expires_at) - Date.now();
    out([
      `${bold('Claim this cloud')} before ${utcMinute(created.expires_at)}${Number.isNaN(left) ? '' : ` (${timeLeft(left)} left)`}: it is the only way to keep it.`,
      `  ${terminalSafe(created.claim_url)}`,
      'Open the link, enter an e-mail and accept the terms: the cloud becomes a permanent free account',
      'with the same cloud name, key, secret and assets. Unclaimed, it is disabled with its assets.',
      '',
      `${bold('Created')} a Claimable Cloudinary cloud; its credentials work now`,
      `  cloud name    ${terminalSafe(safe.cloud_name)}`,
      `  API key       ${terminalSafe(safe.api_key)}`,
      `  delivery IPs  ${ips.join(', ') || 'none listed'}`,
      `  credentials   ${whereSaved(saved, 'not saved (--no-save): copy the link above now')}`,
      '',
      'Media is delivered only to the delivery IPs until the cloud is claimed: elsewhere a 401/403',
      'with x-cld-error: ACL deny, while uploads still work.',
      saved ? `Later: ${claimCommand(envFile)} shows the link again.` : '',
      '',
      renderGuidanceText(safe.guidance || '', colour()),
    ].join('\n'));
  } else {
    out(kv({
      STATUS: 'created',
      CLOUD_NAME: safe.cloud_name,
      API_KEY: safe.api_key,
      CLAIM_URL: safe.claim_url,
      EXPIRES_AT: safe.expires_at,
      DELIVERY_IPS: ips.join(','),
      ...savedKv(saved),
      NEXT_STEPS: cloudNextSteps(safe, credentials, envFile),
    }));
  }
  return EXIT.OK;
}

/** The cloud saved in an env file, or a usage error naming the file. */
async function savedCloudIn(envFile) {
  try {
    return await readSavedCloud(envFile);
  } catch (e) {
    throw new Usage(`${terminalSafe(e.message)} (is --env-file a file?)`);
  }
}

async function claim(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'env-file': { type: 'string', default: '.env' },
      json: { type: 'boolean', default: false },
    },
  });
  const envFile = values['env-file'];
  const saved = await savedCloudIn(envFile);
  const report = (code, fields, words) => {
    if (values.json) out(toJson({ ...fields, exit_status: code }));
    else if (!tty()) out(kv({ ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toUpperCase(), v])), EXIT_STATUS: code }));
    err(`cloudinary-agent-account: ${words}`);
    return code;
  };
  if (saved.claimUrl === null) {
    return report(EXIT.NO_CLOUD, { state: 'no_cloud', env_file: envFile },
      `${terminalSafe(envFile)} holds no ${CLAIM_URL_KEY}: no Claimable Cloud was saved there (create one with cloudinary-agent-account cloud, or pass --env-file).`);
  }
  const expires = Date.parse(saved.expiresAt ?? '');
  const msLeft = Number.isNaN(expires) ? undefined : expires - Date.now();
  const cloudName = /@([A-Za-z0-9_-]+)\s*$/.exec(saved.cloudinaryUrl ?? '')?.[1];
  const fields = {
    cloud_name: cloudName,
    claim_url: redactClaimUrl(saved.claimUrl),
    expires_at: saved.expiresAt ?? undefined,
    seconds_left: msLeft === undefined ? undefined : Math.max(0, Math.floor(msLeft / 1000)),
    env_file: envFile,
  };
  if (msLeft !== undefined && msLeft <= 0) {
    return report(EXIT.EXPIRED, { state: 'expired', ...fields },
      `the cloud's claim link expired at ${utcMinute(saved.expiresAt)}: unclaimed, the cloud is disabled (cloudinary-agent-account status tells whether it was claimed).`);
  }
  const when = saved.expiresAt ? `before ${utcMinute(saved.expiresAt)}${msLeft === undefined ? '' : ` (${timeLeft(msLeft)} left)`}` : 'before it expires (no CLOUDINARY_CLOUD_EXPIRES_AT saved)';
  if (tty() && !values.json) {
    // The person is looking: the full link (the policy's case (b)); never a browser.
    out([
      `${bold('Claim')} ${cloudName ? `cloud ${terminalSafe(cloudName)} ` : 'the cloud '}${when}: it is the only way to keep it.`,
      `  ${terminalSafe(saved.claimUrl)}`,
      'Open the link, enter an e-mail and accept the terms: the cloud becomes a permanent free account',
      'with the same credentials and assets, and media delivery is no longer limited to its IP addresses.',
    ].join('\n'));
    return EXIT.OK;
  }
  return report(EXIT.OK, { state: 'claimable', ...fields },
    `the full claim link is shown only on a terminal: ask the person to run \`${claimCommand(envFile)}\` in their own terminal and open the link ${when}.`);
}

async function status(argv, env, signal) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'env-file': { type: 'string', default: '.env' },
      'base-url': { type: 'string' },
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'interval-ms': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const timeoutS = positiveNumber('timeout', values.timeout) ?? 900;
  // A floor: a check is an authenticated call to the Admin API, not something to spin on.
  const intervalMs = positiveNumber('interval-ms', values['interval-ms'], MIN_INTERVAL_MS);
  const saved = await savedCloudIn(values['env-file']);
  const url = saved.cloudinaryUrl;
  if (url === null) throw new Usage(`${values['env-file']} holds no CLOUDINARY_URL (run cloud or signup first, or pass --env-file)`);
  const baseUrl = baseUrlOf(values, env);
  if (saved.expiresAt !== null) return cloudStatus(url, saved.expiresAt, { baseUrl, signal, json: values.json });
  let result;
  const progress = values.wait ? waitProgress({ live: Boolean(process.stderr.isTTY) && !values.verbose, verbose: values.verbose }) : undefined;
  try {
    result = values.wait
      ? await waitForActivation(url, { baseUrl, timeoutMs: timeoutS * 1000, intervalMs, signal, onCheck: progress.onCheck })
      : await checkActivation(url, { baseUrl, signal });
  } catch (e) {
    if (values.wait && e.code === 'aborted') return interrupted(progress, values.json);
    if (values.wait && e.code === 'timeout') result = { state: 'pending', status: undefined };
    else if (e.code === 'account_disabled') result = { state: 'disabled', status: e.status, requestId: e.requestId };
    else return failure(e, values.json);
  } finally {
    progress?.end();
  }
  const code = { active: EXIT.OK, pending: EXIT.PENDING, disabled: EXIT.REFUSED, unknown: EXIT.UNKNOWN }[result.state];
  const words = {
    active: 'active: the person verified the e-mail; the credentials work',
    pending: 'pending: the person has not verified the e-mail yet (the link in it lasts 24 hours)',
    disabled: 'disabled: the e-mail was not verified within 24 hours; the person can ask for a new link from the sign-in page',
    unknown: 'unknown: the check was refused for another reason (are the credentials in the env file right?)',
  }[result.state];
  if (values.json) out(toJson({ ...result, exit_status: code }));
  else if (tty()) out(`${bold(words.split(':')[0])}:${words.slice(words.indexOf(':') + 1)}`);
  else out(kv({ STATE: result.state, HTTP_STATUS: result.status, REQUEST_ID: result.requestId, EXIT_STATUS: code }));
  return code;
}

async function cloudStatus(url, expiresAt, { baseUrl, signal, json }) {
  let result;
  try {
    result = await checkActivation(url, { baseUrl, signal });
  } catch (e) {
    if (e.code !== 'account_disabled') return failure(e, json);
    result = { state: 'disabled', status: e.status, requestId: e.requestId };
  }
  const state = cloudState(result.state, expiresAt);
  const code = { working: EXIT.OK, claimed: EXIT.OK, expired: EXIT.EXPIRED, unknown: EXIT.UNKNOWN }[state];
  const words = {
    working: `working: the credentials work; unclaimed, the cloud is disabled at ${utcMinute(expiresAt)} (claimed or not cannot be told before then: give the person the claim link)`,
    claimed: 'claimed: the expiry has passed and the credentials still work, so the person claimed the cloud (a permanent free account now)',
    expired: `expired: the cloud was not claimed before ${utcMinute(expiresAt)} and is disabled, assets included`,
    unknown: 'unknown: the check was refused for another reason (are the credentials in the env file right?)',
  }[state];
  if (json) out(toJson({ kind: 'cloud', state, expires_at: expiresAt, status: result.status, requestId: result.requestId, exit_status: code }));
  else if (tty()) out(`${bold(words.split(':')[0])}:${words.slice(words.indexOf(':') + 1)}`);
  else out(kv({ KIND: 'cloud', STATE: state, EXPIRES_AT: expiresAt, HTTP_STATUS: result.status, REQUEST_ID: result.requestId, EXIT_STATUS: code }));
  return code;
}

/** Ctrl-C during `status --wait`: what was known, and 130. */
function interrupted(progress, json) {
  progress.end();
  const known = progress.known();
  if (json) out(JSON.stringify({ ...known, interrupted: true, exit_status: EXIT.ABORTED }, null, 2));
  else if (!tty()) out(kv({ STATE: known.state, INTERRUPTED: true, CHECKS: known.checks, WAITED_MS: known.waitedMs, EXIT_STATUS: EXIT.ABORTED }));
  err(`cloudinary-agent-account: interrupted: ${progress.text()}.`);
  return EXIT.ABORTED;
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv = process.argv.slice(2), env = process.env) {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? err : out)(HELP);
      return command === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (command === '--version') {
      const { createRequire } = await import('node:module');
      out(createRequire(import.meta.url)('./package.json').version);
      return EXIT.OK;
    }
    if (rest.includes('--help') || rest.includes('-h')) { out(HELP); return EXIT.OK; }
    if (command === 'signup') return await signup(rest, env, controller.signal);
    if (command === 'status') return await status(rest, env, controller.signal);
    if (command === 'cloud') return await cloud(rest, env, controller.signal);
    if (command === 'claim') return await claim(rest);
    throw new Usage(`unknown command ${JSON.stringify(command)}: use cloud, claim, signup or status`);
  } catch (e) {
    if (e instanceof Usage || (e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS'))) {
      err(`cloudinary-agent-account: ${e.message}\nRun cloudinary-agent-account --help for the flags.`);
      return EXIT.USAGE;
    }
    // Never a stack with values in it: the message only (it names no secret).
    err(`cloudinary-agent-account: unexpected failure: ${e && e.message}`);
    return EXIT.INTERNAL;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

const invoked = process.argv[1] && (await import('node:fs')).realpathSync(process.argv[1]);
if (invoked && invoked === (await import('node:url')).fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
