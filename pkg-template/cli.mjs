#!/usr/bin/env -S node --
// `cloudinary-agent-account`: create a Cloudinary account for a person from a coding agent's
// shell, save the credentials to .env, and check whether the person has verified. Node.js
// built-ins only (the package keeps zero runtime dependencies).
import { parseArgs } from 'node:util';
import { createAccount, checkActivation, waitForActivation, redact, toDotenv, renderGuidanceText } from './node.mjs';
import { terminalSafe } from './credentials.js';
import { saveCredentials, readCloudinaryUrl, checkDestination, writeFallback } from './save.mjs';
import { adviceFor } from './tool-core.js';

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
  PENDING: 10,
  UNKNOWN: 11,
  ABORTED: 130,
});

const HELP = `cloudinary-agent-account: create a Cloudinary account for a person, from an agent

Usage:
  cloudinary-agent-account signup --email E --goal G [--framework F] [--model M]
      [--sdk-framework S] [--env-file PATH] [--no-save] [--force] [--json]
      [--base-url URL] [--timeout-ms N]
  cloudinary-agent-account status [--env-file PATH] [--base-url URL] [--wait]
      [--timeout S] [--interval-ms N] [--verbose] [--json]
  cloudinary-agent-account --help | --version

signup creates the account (a real one: it e-mails the person, works once per address and
is rate-limited per IP), saves CLOUDINARY_URL to the env file (default .env; mode 0600,
merged into an existing file, added to .gitignore inside a git work tree) and prints a
summary without the secret. It refuses, before sending anything, when the env file already
holds CLOUDINARY_URL, unless --force. --no-save writes no file: the person then takes the
key from the Console once verified.
  --framework  default: the coding agent's marker (CLAUDECODE, CLAUDE_CODE_ENTRYPOINT ->
               claude-code; CURSOR_TRACE_ID, CURSOR_AGENT -> cursor; CODEX_SANDBOX,
               CODEX_HOME -> codex; GEMINI_CLI -> gemini-cli; OPENCODE -> opencode;
               AMP_SESSION_ID -> amp; WINDSURF_SESSION -> windsurf)
  --model      default: ANTHROPIC_MODEL, CLAUDE_MODEL, OPENAI_MODEL or GEMINI_MODEL
  --base-url   default: CLOUDINARY_AGENT_BASE_URL, else https://api.cloudinary.com

status reads CLOUDINARY_URL from the env file and pings the Admin API with it: active,
pending (the person has not verified the e-mail yet), disabled or unknown. --wait polls
until active or disabled, or until --timeout seconds (default 900) have passed; on a
terminal one line shows the state, the checks so far, the time waited and the next check;
--verbose prints a line per check to stderr instead. Ctrl-C ends the wait (130) with what
was known.

Output: a summary on a terminal; KEY=value lines otherwise; JSON with --json.

Exit status:
  0    signup: created and saved; status: active
  1    unexpected failure (a bug: please report it)
  2    usage error or invalid input (nothing was sent)
  3    an account already exists for this e-mail: sign in instead
  4    rate limited: try again later
  5    refused: blocked, sign-up disabled, region not allowed; status: account disabled
  6    no usable answer (network, timeout, server error): the account MAY exist; do not
       retry, check the inbox
  7    created, but saving failed: the credentials went to a fallback file (named), or,
       when that failed too, are printed in full: store them now
  8    the env file already holds CLOUDINARY_URL (nothing was sent; --force replaces it)
  10   status: pending (with --wait: still pending at --timeout)
  11   status: unknown (the ping was refused for another reason)
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
    case 'blocked': case 'registration_disabled': case 'region_blocked': case 'account_disabled': return EXIT.REFUSED;
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

function failure(e, json, email) {
  const code = codeExit(e);
  const advice = adviceFor(e, email);
  if (json) {
    out(toJson({ ok: false, error: { code: e.code, message: e.message, issues: e.issues, status: e.status, requestId: e.requestId, retryAfterMs: e.retryAfterMs, mayHaveCreatedAccount: Boolean(e.mayHaveCreatedAccount) }, advice, exit_status: code }));
  } else if (tty()) {
    err(`${bold('Error')} (${e.code}): ${terminalSafe(e.message)}`);
    for (const i of e.issues || []) err(`  • ${terminalSafe(i.message)}`);
    err(`\n${terminalSafe(advice)}`);
  } else {
    out(kv({ STATUS: 'error', ERROR_CODE: e.code, MAY_HAVE_CREATED_ACCOUNT: Boolean(e.mayHaveCreatedAccount), RETRY_AFTER_MS: e.retryAfterMs, REQUEST_ID: e.requestId, EXIT_STATUS: code }));
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
  if (save) {
    // Before anything is sent: a new account whose credentials cannot be stored would burn a
    // rate-limited, once-per-address creation.
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
  }
  let account;
  try {
    account = await createAccount(request, { baseUrl: baseUrlOf(values, env), timeoutMs, signal });
  } catch (e) {
    return failure(e, values.json, values.email);
  }
  const deadline = new Date(Date.now() + 24 * 60 * 60 * 1000);
  let saved = null;
  if (save) {
    try {
      saved = await saveCredentials(account, { path: envFile, force: values.force });
    } catch (e) {
      // Never lose an account to a file-system error: a file of its own next to the env file
      // (or in the home folder), else the credentials in full, now, in the output's form.
      const why = `the account was created, but saving to ${envFile} failed: ${terminalSafe(e.message)}`;
      const fallback = await writeFallback(account, envFile).catch(() => null);
      if (values.json) {
        out(toJson({ ok: false, error: { code: 'save_failed', message: why }, saved_to: fallback, dotenv: fallback ? undefined : toDotenv(account), exit_status: EXIT.SAVE_FAILED }));
      } else if (fallback) {
        if (!tty()) out(kv({ STATUS: 'error', ERROR_CODE: 'save_failed', SAVED_TO: fallback, EXIT_STATUS: EXIT.SAVE_FAILED }));
        err(`cloudinary-agent-account: ${why}\nThe credentials were written to ${fallback} instead: move the CLOUDINARY_URL line where it belongs.`);
      } else {
        err(`cloudinary-agent-account: ${why}`);
        err('Store these lines yourself now (they are shown once; they are the root credentials):');
        out(toDotenv(account));
      }
      return EXIT.SAVE_FAILED;
    }
  }
  const safe = redact(account);
  // What is printed: the redacted copy's fields, without control or bidi characters.
  const senv = safe.product_environments[0];
  const shown = Object.fromEntries(Object.entries({ email: safe.email, plan_name: safe.plan_name, cloud_name: senv.cloud_name, api_key: senv.api_key })
    .map(([k, v]) => [k, terminalSafe(v)]));
  if (values.json) {
    out(toJson({ ...safe, env_file: saved ? saved.path : null, env_file_action: saved ? saved.action : 'not_saved' }));
  } else if (tty()) {
    const where = saved
      ? `${saved.path} (${saved.action}; ${saved.ignoredByGit === true ? `ignored by git${saved.gitignoreUpdated ? ', added to .gitignore' : ''}` : saved.ignoredByGit === false ? 'NOT ignored by git: never commit it' : 'not in a git work tree'})`
      : 'not saved (--no-save): once verified, take the key from the Console';
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
      ENV_FILE: saved ? saved.path : undefined,
      ENV_FILE_ACTION: saved ? saved.action : 'not_saved',
      IGNORED_BY_GIT: saved ? saved.ignoredByGit ?? 'unknown' : undefined,
      GITIGNORE_UPDATED: saved ? saved.gitignoreUpdated : undefined,
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
  let url;
  try {
    url = await readCloudinaryUrl(values['env-file']);
  } catch (e) {
    throw new Usage(`${terminalSafe(e.message)} (is --env-file a file?)`);
  }
  if (url === null) throw new Usage(`${values['env-file']} holds no CLOUDINARY_URL (run signup first, or pass --env-file)`);
  const baseUrl = baseUrlOf(values, env);
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
    throw new Usage(`unknown command ${JSON.stringify(command)}: use signup or status`);
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
