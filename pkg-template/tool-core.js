// The function-calling tool, for every runtime. The entries (tool.js, and tool-node.mjs in
// Node) hand it the createAccount of the app's main entry and, in Node, the saver.
import { inputSchema } from './tool-schema.js';
import { redact, terminalSafe } from './credentials.js';

/** The redacted copy with every string (and key) through the sanitiser: a model or a
 * terminal showing the result never gets an escape sequence or a bidi control. */
function chatSafe(v) {
  if (typeof v === 'string') return terminalSafe(v, true);
  if (Array.isArray(v)) return v.map(chatSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [terminalSafe(k), chatSafe(x)]));
  return v;
}

/** The tool's name, as models call it. */
export const TOOL_NAME = 'create_cloudinary_account';

/** What the call does to the world, for the model deciding whether to make it. */
export const description = [
  'Creates a real Cloudinary account (free plan) owned by the person whose e-mail address you send, and e-mails them a verification link.',
  'Call it only when that person asked for a Cloudinary account and gave you their own e-mail address; never invent or guess one.',
  'It works once per address (an address that already has an account is refused) and is rate-limited per IP address (about 10 sign-ups a day): do not call it in a loop or to test.',
  'The credentials it creates stay inert until the person opens the e-mail and sets a password within 24 hours; it stores them for the program (for example in .env) and returns only a redacted copy.',
  'Never ask the person for the API secret or CLOUDINARY_URL, and never repeat, print or log them.',
  'The result says where the credentials went and what the person must do next; on failure it gives an error code and advice to follow.',
].join(' ');

/** MCP tool annotations (the same names serve other tool hosts). */
export const annotations = Object.freeze({
  title: 'Create a Cloudinary account',
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
});

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The JSON Schema of every result `execute` resolves to (MCP `outputSchema`; draft-07 and
 * 2020-12 alike, no `$ref`). It sits beside errorResult and execute, which build those
 * results, and the package's tests validate each success and error path against it with ajv.
 * The root is an object, as MCP requires; `ok` tells the two shapes apart.
 */
export const outputSchema = Object.freeze({
  type: 'object',
  properties: {
    ok: { type: 'boolean', description: 'true: the account was created; false: see error and advice' },
    account: {
      type: 'object',
      description: 'the account as the server answered it, every secret replaced by [REDACTED]',
      properties: {
        email: { type: 'string' },
        product_environments: {
          type: 'array',
          items: {
            type: 'object',
            properties: { cloud_name: { type: 'string' }, api_key: { type: 'string' }, api_secret: { const: '[REDACTED]' } },
          },
        },
      },
      required: ['email', 'product_environments'],
    },
    credentials: {
      type: 'object',
      description: 'where the credentials went (never the credentials themselves)',
      properties: {
        savedTo: { type: ['string', 'null'] },
        action: { enum: ['created', 'updated', 'unchanged'] },
        ignoredByGit: { type: ['boolean', 'null'] },
        gitignoreUpdated: { type: 'boolean' },
        handedTo: { type: 'string' },
        saveError: { type: 'string' },
        warning: { type: 'string' },
      },
      required: ['savedTo'],
      additionalProperties: false,
    },
    verifyBy: { type: 'string', format: 'date-time', description: 'the person must verify the e-mail before this time' },
    nextSteps: { type: 'string', description: 'what to tell the person' },
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[a-z][a-z_]*$' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
            required: ['field', 'code', 'message'],
            additionalProperties: false,
          },
        },
        status: { type: 'integer' },
        requestId: { type: 'string' },
        retryAfterMs: { type: 'number', minimum: 0 },
        mayHaveCreatedAccount: { type: 'boolean', description: 'the answer was lost: do not retry, follow advice' },
      },
      required: ['code', 'message', 'mayHaveCreatedAccount'],
      additionalProperties: false,
    },
    advice: { type: 'string', description: 'what to do about the error' },
  },
  required: ['ok'],
  additionalProperties: false,
  // `false`: the property must be absent in that branch.
  oneOf: [
    {
      properties: { ok: { const: true }, account: true, credentials: true, verifyBy: true, nextSteps: true, error: false, advice: false },
      required: ['ok', 'account', 'credentials', 'verifyBy', 'nextSteps'],
    },
    {
      // `account` only with save_failed: created, stored nowhere; which cloud, redacted.
      properties: { ok: { const: false }, error: true, advice: true, account: true, credentials: false, verifyBy: false, nextSteps: false },
      required: ['ok', 'error', 'advice'],
    },
  ],
});


/** Plain-words advice for an error code, for a model to act on. */
export function adviceFor(err, email) {
  const inbox = email ? `the inbox of ${email}` : 'their inbox';
  if (err && err.mayHaveCreatedAccount) {
    return `The request was sent but its answer was lost, so the account may exist and its secret cannot be recovered. Do not retry: a second call only gets "already taken". Ask the person to check ${inbox} for the verification e-mail from Cloudinary; once they have verified and set a password, they copy the API key and secret from the Cloudinary Console (Settings > API Keys) into CLOUDINARY_URL themselves. If no e-mail arrives, nothing was created and a later call may succeed.`;
  }
  switch (err && err.code) {
    case 'invalid_input':
    case 'invalid_request':
      return 'Fix the fields named in issues (ask the person when a value must come from them) and call again.';
    case 'account_exists':
      return 'This e-mail address already has a Cloudinary account. Do not retry. Ask the person to sign in at https://console.cloudinary.com (or reset their password there) and take the API key from the Console, or to give another address.';
    case 'disposable_email':
      return 'Cloudinary refuses disposable e-mail providers. Ask the person for a permanent address they read.';
    case 'rate_limited': {
      const wait = err.retryAfterMs ? ` Wait at least ${Math.ceil(err.retryAfterMs / 1000)} s.` : ' Wait until tomorrow.';
      return `Too many sign-ups from this IP address (the cap is about 10 a day).${wait} Do not retry in a loop; the person can also sign up themselves at https://cloudinary.com/users/register_free.`;
    }
    case 'registration_disabled':
      return 'Sign-up by agents is switched off for now. Do not retry soon; ask the person to sign up themselves at https://cloudinary.com/users/register_free.';
    case 'region_blocked':
      return 'Cloudinary does not accept sign-ups by agents from this region. Do not retry; the person can sign up themselves at https://cloudinary.com/users/register_free.';
    case 'blocked':
      return 'The request was refused by abuse controls. Do not retry or try variations; ask the person to sign up themselves at https://cloudinary.com/users/register_free.';
    case 'symlink':
    case 'tracked_by_git':
    case 'not_writable':
    case 'unsafe_file':
    case 'read_failed':
    case 'locked':
      return 'Nothing was sent: the env file cannot hold the credentials safely (see the message). Ask the person to fix that or to choose another file, then call again.';
    case 'save_failed':
      return 'The account was created, but its credentials could not be stored anywhere, and they are never shown to you. Tell the person to verify the e-mail, then take the API key and secret from the Cloudinary Console (Settings > API Keys). Do not call again: the address now has an account.';
    case 'credentials_exist':
      return 'The env file already holds a CLOUDINARY_URL, so nothing was sent (a new account could not be stored). Ask the person whether to keep the existing credentials; to replace them, call again with force, or save elsewhere.';
    case 'save_unsupported':
      return 'This runtime cannot write files: call it without saveTo and pass onAccount to receive the credentials in the program.';
    case 'no_destination':
      return 'Nothing was sent: the program must say where the credentials go (saveTo or onAccount), or the secret, shown only once, would be lost.';
    case 'aborted':
      return 'The call was cancelled before an answer came. Nothing indicates an account was created; ask the person before trying again.';
    default:
      return 'Nothing was created. You may try once more later; if it fails again, tell the person and quote the requestId.';
  }
}

function errorResult(err, email) {
  const error = {
    code: String(err && err.code || 'unexpected_response'),
    message: terminalSafe(err && err.message || err),
  };
  if (err && Array.isArray(err.issues) && err.issues.length) {
    error.issues = err.issues.map((i) => ({ field: terminalSafe(i.field), code: i.code, message: terminalSafe(i.message) }));
  }
  for (const k of ['status', 'requestId', 'retryAfterMs']) if (err && err[k] !== undefined) error[k] = err[k];
  error.mayHaveCreatedAccount = Boolean(err && err.mayHaveCreatedAccount);
  return { ok: false, error, advice: adviceFor(err, email) };
}

/** The next steps, in plain words, for the person (from the redacted copy of the account). */
export function nextSteps(account, deadline) {
  const env = (account.product_environments || [])[0] || {};
  const by = deadline ? ` before ${deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC (24 hours from now)` : ' within 24 hours';
  return `Tell the person: open the e-mail Cloudinary sent to ${account.email} and follow its link to verify the address and set a password${by}; otherwise the account is disabled. Until then the credentials do not work. Once verified, the program can use cloud ${env.cloud_name} through CLOUDINARY_URL. Never show or ask for the API secret.`;
}

function scrubMessage(text, account) {
  return JSON.stringify(redact({ ...account, __m: String(text) }).__m).slice(1, -1);
}

// One creation per env file at a time in this process: a second call waits, then finds the
// first one's CLOUDINARY_URL and is refused before sending (credentials_exist), rather than
// creating an account whose save must then fail. Across processes the save's lock decides.
const queues = new Map();
function oneAtATime(key, fn) {
  const run = (queues.get(key) || Promise.resolve()).then(fn, fn);
  const tail = run.then(() => {}, () => {});
  queues.set(key, tail);
  tail.then(() => { if (queues.get(key) === tail) queues.delete(key); });
  return run;
}

/**
 * Builds the tool for one runtime: `deps.createAccount` from that runtime's entry, and in Node
 * `deps.save` ({ check(path), save(account, { path, force }) }).
 */
export function makeCreateAccountTool(deps) {
  async function execute(input, options = {}) {
    const { saveTo } = options || {};
    if (saveTo === undefined || !deps.save) return run(input, options);
    return oneAtATime(deps.save.resolve ? deps.save.resolve(saveTo) : saveTo, () => run(input, options));
  }
  async function run(input, options = {}) {
    const { baseUrl, saveTo, force = false, signal, onAccount, timeoutMs } = options || {};
    const email = input && typeof input === 'object' && typeof input.email === 'string' ? input.email.trim() : undefined;
    try {
      if (saveTo !== undefined && !deps.save) {
        return errorResult({ code: 'save_unsupported', message: 'saveTo needs Node.js (file system)' }, email);
      }
      if (saveTo === undefined && typeof onAccount !== 'function') {
        return errorResult({ code: 'no_destination', message: 'neither saveTo nor onAccount was given' }, email);
      }
      const issues = deps.validateRequest(input);
      if (issues.length) {
        return errorResult({ code: 'invalid_input', message: `invalid request: ${issues.map((i) => i.message).join('; ')}`, issues }, email);
      }
      if (saveTo !== undefined) {
        // Before anything is sent: no account is created for a secret that cannot be stored.
        let dest;
        try {
          dest = await deps.save.check(saveTo);
        } catch (e) {
          return errorResult({ code: (e && e.code) || 'not_writable', message: String(e && e.message || e) }, email);
        }
        if (!force && dest.cloudinaryUrl !== null) {
          return errorResult({ code: 'credentials_exist', message: `${saveTo} already holds a CLOUDINARY_URL` }, email);
        }
      }
      const account = await deps.createAccount(input, { baseUrl, signal, timeoutMs });
      const created = new Date();
      const deadline = new Date(created.getTime() + DAY_MS);
      let credentials;
      if (typeof onAccount === 'function') {
        try { await onAccount(account); } catch { /* the program's own handler; the save below still runs */ }
      }
      if (saveTo !== undefined) {
        try {
          const r = await deps.save.save(account, { path: saveTo, force });
          credentials = { savedTo: r.path, action: r.action, ignoredByGit: r.ignoredByGit, gitignoreUpdated: r.gitignoreUpdated };
          if (r.ignoredByGit === false) credentials.warning = 'git does NOT ignore this file: make sure it is never committed';
        } catch (e) {
          const fallback = await deps.save.fallback(account, saveTo).catch(() => null);
          if (!fallback) {
            // Created, but stored nowhere: not a success (the secret is never handed to a model).
            const failed = errorResult({ code: 'save_failed', message: `the account was created but could not be saved to ${saveTo}: ${scrubMessage(e && e.message, account)}` }, email);
            failed.error.mayHaveCreatedAccount = true;
            failed.account = chatSafe(redact(account));
            return failed;
          }
          credentials = {
            savedTo: fallback,
            saveError: scrubMessage(e && e.message, account),
            warning: `could not write ${saveTo}; the credentials were written to ${fallback} instead: move the CLOUDINARY_URL line where it belongs`,
          };
        }
      } else {
        credentials = { savedTo: null, handedTo: 'the program (onAccount)' };
      }
      const safe = chatSafe(redact(account));
      return {
        ok: true,
        account: safe,
        credentials,
        verifyBy: deadline.toISOString(),
        nextSteps: nextSteps(safe, deadline),
      };
    } catch (e) {
      return errorResult(e, email);
    }
  }
  return { name: TOOL_NAME, description, inputSchema, outputSchema, annotations, execute };
}

/** The tool in OpenAI's Chat Completions `tools` shape. */
export function toOpenAITool(tool) {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } };
}

/** The tool in OpenAI's Responses API `tools` shape. */
export function toOpenAIResponsesTool(tool) {
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.inputSchema, strict: false };
}

/** The tool in Anthropic's Messages API `tools` shape. */
export function toAnthropicTool(tool) {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}

/**
 * The tool for the Vercel AI SDK: pass its `jsonSchema` helper (`import { jsonSchema } from
 * 'ai'`) and the options of `execute`; the SDK's abort signal is passed on.
 */
export function toAISDKTool(tool, jsonSchema, options = {}) {
  return {
    description: tool.description,
    inputSchema: jsonSchema(tool.inputSchema),
    execute: (input, ctx) => tool.execute(input, { ...options, signal: options.signal || (ctx && ctx.abortSignal) }),
  };
}
