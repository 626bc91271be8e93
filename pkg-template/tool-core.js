// The function-calling tools, for every runtime: create_cloudinary_account and
// create_cloudinary_cloud. The entries (tool.js, and tool-node.mjs in Node) hand them the
// createAccount and createCloud of the app's main entry and, in Node, the saver.
import { inputSchema, cloudInputSchema } from './tool-schema.js';
import { redact, terminalSafe, CLAIM_URL_KEY } from './credentials.js';

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
/** The Claimable Cloud tool's name. */
export const CLOUD_TOOL_NAME = 'create_cloudinary_cloud';

// The same sentence in both descriptions: a model offered both picks by it.
const WHICH_ONE = `Which one: ${CLOUD_TOOL_NAME} to start work now (its credentials work at once; the cloud expires in 24 hours unless the person claims it with its link); ${TOOL_NAME} when the person wants a permanent account under their own e-mail address (its credentials stay inert until they verify it).`;

/** What the call does to the world, for the model deciding whether to make it. */
export const description = [
  'Creates a real Cloudinary account (free plan) owned by the person whose e-mail address you send, and e-mails them a verification link.',
  'Call it only when that person asked for a Cloudinary account and gave you their own e-mail address; never invent or guess one.',
  'It works once per address (an address that already has an account is refused) and is rate-limited per IP address (about 10 sign-ups a day): do not call it in a loop or to test.',
  'The credentials it creates stay inert until the person opens the e-mail and sets a password within 24 hours; it stores them for the program (for example in .env) and returns only a redacted copy.',
  'Never ask the person for the API secret or CLOUDINARY_URL, and never repeat, print or log them.',
  'The result says where the credentials went and what the person must do next; on failure it gives an error code and advice to follow.',
  WHICH_ONE,
].join(' ');

/** What the cloud tool's call does to the world. */
export const cloudDescription = [
  'Creates a Claimable Cloudinary cloud (free plan) whose API credentials work at once: uploads, the Admin API and URLs; media delivery works only from a few IP addresses (yours is added) until the person claims it.',
  'No e-mail is needed or sent (an optional one only pre-fills the claim page: never invent one). It is rate-limited per IP address (about 10 clouds a day): do not call it in a loop or to test.',
  'Unclaimed, the cloud is disabled with its assets after 24 hours; the claim link is returned once and is the only way to keep it: the result says where it is kept, and you must tell the person to claim the cloud before it expires.',
  'It stores the credentials and the claim link for the program (for example in .env) and returns only a redacted copy. Never ask the person for the API secret, CLOUDINARY_URL or the claim link\'s token, and never repeat, print or log them.',
  WHICH_ONE,
].join(' ');

/** MCP tool annotations (the same names serve other tool hosts). */
export const annotations = Object.freeze({
  title: 'Create a Cloudinary account',
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
});

/** The cloud tool's MCP annotations. */
export const cloudAnnotations = Object.freeze({ ...annotations, title: 'Create a Claimable Cloudinary cloud' });

const DAY_MS = 24 * 60 * 60 * 1000;

// The parts both tools' result schemas share: where the credentials went, and the error.
const CREDENTIALS_SCHEMA = {
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
};

const ERROR_SCHEMA = {
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
    serverCode: { type: 'string' },
    retryAfterMs: { type: 'number', minimum: 0 },
    mayHaveCreatedAccount: { type: 'boolean', description: 'the answer was lost: do not retry, follow advice' },
  },
  required: ['code', 'message', 'mayHaveCreatedAccount'],
  additionalProperties: false,
};

/**
 * The result schema of a tool: `ok` tells success (`created` and the `success` properties,
 * all required) from failure (`error`, `advice`, and `created` only with save_failed).
 * Draft-07 and 2020-12 alike, no `$ref`, root an object (as MCP's `outputSchema` needs).
 */
function resultSchema(created, success) {
  const absent = (names) => Object.fromEntries(names.map((n) => [n, false]));
  const names = Object.keys(success);
  return Object.freeze({
    type: 'object',
    properties: {
      ok: { type: 'boolean', description: `true: the ${created.noun} was created; false: see error and advice` },
      [created.key]: created.schema,
      credentials: CREDENTIALS_SCHEMA,
      ...success,
      error: ERROR_SCHEMA,
      advice: { type: 'string', description: 'what to do about the error' },
    },
    required: ['ok'],
    additionalProperties: false,
    // `false`: the property must be absent in that branch.
    oneOf: [
      {
        properties: { ok: { const: true }, [created.key]: true, credentials: true, ...Object.fromEntries(names.map((n) => [n, true])), error: false, advice: false },
        required: ['ok', created.key, 'credentials', ...names],
      },
      {
        // `${created.key}` only with save_failed: created, stored nowhere; which one, redacted.
        properties: { ok: { const: false }, error: true, advice: true, [created.key]: true, credentials: false, ...absent(names) },
        required: ['ok', 'error', 'advice'],
      },
    ],
  });
}

/**
 * The JSON Schema of every result the account tool's `execute` resolves to (MCP
 * `outputSchema`). It sits beside errorResult and execute, which build those results, and
 * the package's tests validate each success and error path against it with ajv.
 */
export const outputSchema = resultSchema({
  key: 'account',
  noun: 'account',
  schema: {
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
}, {
  verifyBy: { type: 'string', format: 'date-time', description: 'the person must verify the e-mail before this time' },
  nextSteps: { type: 'string', description: 'what to tell the person' },
});

/** The JSON Schema of every result of the cloud tool's `execute`. */
export const cloudOutputSchema = resultSchema({
  key: 'cloud',
  noun: 'cloud',
  schema: {
    type: 'object',
    description: 'the cloud as the server answered it, the secret and the claim token replaced by [REDACTED]',
    properties: {
      cloud_name: { type: 'string' },
      api_key: { type: 'string' },
      api_secret: { const: '[REDACTED]' },
      claim_url: { type: 'string', pattern: '(^|[?]token=)\\[REDACTED\\]$' },
      expires_at: { type: 'string' },
      delivery_ips: { type: 'array', items: { type: 'string' } },
    },
    required: ['cloud_name', 'api_key', 'claim_url', 'expires_at', 'delivery_ips'],
  },
}, {
  nextSteps: { type: 'string', description: 'the headline: give the person the claim link before expiresAt; where the full link is; the IP lock' },
  claimLink: { type: 'string', description: 'where the full claim link is (never the link itself)' },
  expiresAt: { type: 'string', description: 'unclaimed, the cloud is disabled at this time (ISO 8601)' },
  deliveryIps: { type: 'array', items: { type: 'string' }, description: 'media is delivered only to these addresses until the cloud is claimed' },
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

/** Plain-words advice for an error of the cloud tool (a code the cloud path gives its own
 * meaning to; the others as {@link adviceFor} says). */
export function cloudAdviceFor(err) {
  if (err && err.mayHaveCreatedAccount) {
    return 'The request was sent but its answer was lost, so a cloud may have been created whose credentials and claim link are gone; unclaimed, it is disabled by itself within 24 hours and nothing needs cleaning up. You may call once more (it counts against the cap of about 10 clouds a day per IP address); if that fails too, tell the person and quote the requestId.';
  }
  switch (err && err.code) {
    case 'delivery_ips_not_public':
      return 'The request reached Cloudinary from a private address (a VPN, proxy or gateway), so no public address was left to deliver media to; listing IP addresses does not work around it. Do not retry from here: ask the person to run it from a network with a public address (off the VPN), or create a permanent account with create_cloudinary_account instead.';
    case 'account_exists':
      return 'That e-mail address already has a Cloudinary account. Call again without email (it only pre-fills the claim page), or use the person\'s existing account: they sign in at https://console.cloudinary.com.';
    case 'disposable_email':
      return 'Cloudinary refuses disposable e-mail providers. Call again without email, or ask the person for a permanent address they read.';
    case 'rate_limited': {
      const wait = err.retryAfterMs ? ` Wait at least ${Math.ceil(err.retryAfterMs / 1000)} s.` : ' Wait until tomorrow.';
      return `Too many clouds were created from this IP address (the cap is about 10 a day)${err.serverCode === 'global_rate_limit_exceeded' ? ', or Cloudinary as a whole is limiting creations' : ''}.${wait} Do not retry in a loop; the person can also sign up themselves at https://cloudinary.com/users/register_free.`;
    }
    case 'registration_disabled':
      return 'Creating clouds by agents is switched off for now. Do not retry soon; ask the person to sign up themselves at https://cloudinary.com/users/register_free.';
    case 'region_blocked':
      return 'Cloudinary does not accept this from this region (the caller\'s address, or a delivery IP given). Do not retry; the person can sign up themselves at https://cloudinary.com/users/register_free.';
    case 'save_failed':
      return 'The cloud was created, but its credentials and claim link could not be stored anywhere, and they are never shown to you. Unclaimed, it is disabled within 24 hours. Tell the person; once the env file can be written, one more call creates a new cloud.';
    case 'credentials_exist':
      return 'The env file already holds a CLOUDINARY_URL, so nothing was sent (a new cloud could not be stored). Ask the person whether to keep the existing credentials; to replace them, call again with force, or save elsewhere.';
    case 'no_destination':
      return 'Nothing was sent: the program must say where the credentials and the claim link go (saveTo or onCloud), or they, shown only once, would be lost.';
    case 'save_unsupported':
      return 'This runtime cannot write files: call it without saveTo and pass onCloud to receive the cloud in the program.';
    default:
      return adviceFor(err);
  }
}

function errorResult(err, advice) {
  const error = {
    code: String(err && err.code || 'unexpected_response'),
    message: terminalSafe(err && err.message || err),
  };
  if (err && Array.isArray(err.issues) && err.issues.length) {
    error.issues = err.issues.map((i) => ({ field: terminalSafe(i.field), code: i.code, message: terminalSafe(i.message) }));
  }
  for (const k of ['status', 'requestId', 'serverCode', 'retryAfterMs']) if (err && err[k] !== undefined) error[k] = err[k];
  error.mayHaveCreatedAccount = Boolean(err && err.mayHaveCreatedAccount);
  return { ok: false, error, advice: advice(err) };
}

/** The next steps, in plain words, for the person (from the redacted copy of the account). */
export function nextSteps(account, deadline) {
  const env = (account.product_environments || [])[0] || {};
  const by = deadline ? ` before ${deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC (24 hours from now)` : ' within 24 hours';
  return `Tell the person: open the e-mail Cloudinary sent to ${account.email} and follow its link to verify the address and set a password${by}; otherwise the account is disabled. Until then the credentials do not work. Once verified, the program can use cloud ${env.cloud_name} through CLOUDINARY_URL. Never show or ask for the API secret.`;
}

/** "2026-08-19 16:13 UTC" for an ISO time; the text itself (sanitised) when it is not one. */
export function utcMinute(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? terminalSafe(iso) : `${new Date(t).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** The command that shows the person the full claim link (quoted for a shell when needed). */
export function claimCommand(envFile) {
  const arg = envFile && envFile !== '.env' ? ` --env-file ${/^[\w./@%+,:=-]+$/.test(envFile) ? envFile : `'${String(envFile).replace(/'/g, "'\\''")}'`}` : '';
  return `npx cloudinary-agent-account claim${arg}`;
}

/**
 * What to tell the person about a new cloud (from its redacted copy), headline first: the
 * claim, before the expiry, and where the full link is; then what works and the IP lock.
 * `envFileArg`: the env file as the claim command should name it (the CLI's, as typed).
 */
export function cloudNextSteps(cloud, credentials, envFileArg = credentials && credentials.savedTo) {
  const ips = Array.isArray(cloud.delivery_ips) && cloud.delivery_ips.length ? cloud.delivery_ips.join(', ') : 'the addresses of delivery_ips';
  const where = credentials && credentials.savedTo
    ? `The full link is saved in ${credentials.savedTo} as ${CLAIM_URL_KEY}; the person sees it by running \`${claimCommand(envFileArg)}\` in their own terminal (do not read it from the file into this conversation)`
    : 'The program received the full link (onCloud); it is never shown to you';
  return [
    `Give the person the claim link before ${utcMinute(cloud.expires_at)}: it is the only way to keep the cloud (unclaimed, it is disabled then, assets included). ${where}.`,
    `Meanwhile the credentials of cloud ${cloud.cloud_name} work at once through CLOUDINARY_URL (uploads, the Admin API, URLs).`,
    `Media delivery works only from ${ips}: a 401 or 403 with the header x-cld-error: ACL deny is a request from another address, while uploads still work; claiming lifts the lock.`,
    'Do not ship to production on an unclaimed cloud. Never show or ask for the API secret or the claim link\'s token.',
  ].join(' ');
}

/**
 * A cloud's state from one ping (checkActivation's state) and its expiry: it cannot be read or
 * polled, but its credentials work until `expires_at` unclaimed, and for good once claimed.
 */
export function cloudState(pingState, expiresAt, now = Date.now()) {
  const expires = Date.parse(expiresAt);
  const past = !Number.isNaN(expires) && now >= expires;
  if (pingState === 'active') return past ? 'claimed' : 'working';
  return past ? 'expired' : 'unknown';
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
 * A tool's `execute`: validate, check the destination before sending (no secret is created
 * that cannot be stored), create, hand over (`handler`) and save, answer chat-safe. `kind`
 * says what differs: `noun`, `key` (of the redacted copy in the result), `handler` (the
 * option's name), `create`, `validate`, `advice(err, input)`, `success(safe, credentials)`.
 */
function makeExecute(kind, save) {
  async function run(input, options = {}) {
    const { baseUrl, saveTo, force = false, signal, timeoutMs } = options || {};
    const handler = options && options[kind.handler];
    const advice = (err) => kind.advice(err, input);
    try {
      if (saveTo !== undefined && !save) {
        return errorResult({ code: 'save_unsupported', message: 'saveTo needs Node.js (file system)' }, advice);
      }
      if (saveTo === undefined && typeof handler !== 'function') {
        return errorResult({ code: 'no_destination', message: `neither saveTo nor ${kind.handler} was given` }, advice);
      }
      const issues = kind.validate(input);
      if (issues.length) {
        return errorResult({ code: 'invalid_input', message: `invalid request: ${issues.map((i) => i.message).join('; ')}`, issues }, advice);
      }
      if (saveTo !== undefined) {
        // Before anything is sent: nothing is created for a secret that cannot be stored.
        let dest;
        try {
          dest = await save.check(saveTo);
        } catch (e) {
          return errorResult({ code: (e && e.code) || 'not_writable', message: String(e && e.message || e) }, advice);
        }
        if (!force && dest.cloudinaryUrl !== null) {
          return errorResult({ code: 'credentials_exist', message: `${saveTo} already holds a CLOUDINARY_URL` }, advice);
        }
      }
      const created = await kind.create(input, { baseUrl, signal, timeoutMs });
      let credentials;
      if (typeof handler === 'function') {
        try { await handler(created); } catch { /* the program's own handler; the save below still runs */ }
      }
      if (saveTo !== undefined) {
        try {
          const r = await save.save(created, { path: saveTo, force });
          credentials = { savedTo: r.path, action: r.action, ignoredByGit: r.ignoredByGit, gitignoreUpdated: r.gitignoreUpdated };
          if (r.ignoredByGit === false) credentials.warning = 'git does NOT ignore this file: make sure it is never committed';
        } catch (e) {
          const fallback = await save.fallback(created, saveTo).catch(() => null);
          if (!fallback) {
            // Created, but stored nowhere: not a success (the secret is never handed to a model).
            const failed = errorResult({ code: 'save_failed', message: `the ${kind.noun} was created but could not be saved to ${saveTo}: ${scrubMessage(e && e.message, created)}` }, advice);
            failed.error.mayHaveCreatedAccount = true;
            failed[kind.key] = chatSafe(redact(created));
            return failed;
          }
          credentials = {
            savedTo: fallback,
            saveError: scrubMessage(e && e.message, created),
            warning: `could not write ${saveTo}; the credentials were written to ${fallback} instead: move the Cloudinary lines where they belong`,
          };
        }
      } else {
        credentials = { savedTo: null, handedTo: `the program (${kind.handler})` };
      }
      const safe = chatSafe(redact(created));
      return { ok: true, [kind.key]: safe, credentials, ...kind.success(safe, credentials) };
    } catch (e) {
      return errorResult(e, advice);
    }
  }
  return async function execute(input, options = {}) {
    const { saveTo } = options || {};
    if (saveTo === undefined || !save) return run(input, options);
    return oneAtATime(save.resolve ? save.resolve(saveTo) : saveTo, () => run(input, options));
  };
}

const emailOf = (input) => (input && typeof input === 'object' && typeof input.email === 'string' ? input.email.trim() : undefined);

/**
 * Builds the account tool for one runtime: `deps.createAccount` and `deps.validateRequest`
 * from that runtime's entry, and in Node `deps.save` ({ resolve, check, save, fallback }).
 */
export function makeCreateAccountTool(deps) {
  const execute = makeExecute({
    noun: 'account',
    key: 'account',
    handler: 'onAccount',
    create: deps.createAccount,
    validate: deps.validateRequest,
    advice: (err, input) => adviceFor(err, emailOf(input)),
    success: (safe) => {
      const deadline = new Date(Date.now() + DAY_MS);
      return { verifyBy: deadline.toISOString(), nextSteps: nextSteps(safe, deadline) };
    },
  }, deps.save);
  return { name: TOOL_NAME, description, inputSchema, outputSchema, annotations, execute };
}

/**
 * Builds the Claimable Cloud tool for one runtime: `deps.createCloud` and
 * `deps.validateCloudRequest` from that runtime's entry, and in Node `deps.save`.
 */
export function makeCreateCloudTool(deps) {
  const execute = makeExecute({
    noun: 'cloud',
    key: 'cloud',
    handler: 'onCloud',
    create: deps.createCloud,
    validate: deps.validateCloudRequest,
    advice: (err) => cloudAdviceFor(err),
    success: (safe, credentials) => ({
      nextSteps: cloudNextSteps(safe, credentials),
      claimLink: credentials.savedTo
        ? `${CLAIM_URL_KEY} in ${credentials.savedTo}; the person runs \`${claimCommand(credentials.savedTo)}\` in their terminal to see it`
        : `handed to the program (onCloud)`,
      expiresAt: String(safe.expires_at),
      deliveryIps: Array.isArray(safe.delivery_ips) ? safe.delivery_ips.map(String) : [],
    }),
  }, deps.save);
  return {
    name: CLOUD_TOOL_NAME,
    description: cloudDescription,
    inputSchema: cloudInputSchema,
    outputSchema: cloudOutputSchema,
    annotations: cloudAnnotations,
    execute,
  };
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
