// @ts-check
// The demo page: live validation, account creation, credentials, activation status and the
// rendered guidance. Everything the API returns is shown with textContent, except the guidance,
// which goes through the package's renderGuidance (the one innerHTML on the page).
// Secrets live in this module's variables only: never in attributes, never in the console.

/** @typedef {import('/pkg/browser.js').AgentAccount} AgentAccount */
/** @typedef {import('/pkg/browser.js').AgentAccountRequest} AgentAccountRequest */
/** @typedef {import('/pkg/browser.js').AgentAccountError} AgentAccountError */

/** The request fields, in form order; each input's `name` is the wire name. */
const FIELDS = /** @type {const} */ (['email', 'agent_framework', 'agent_llm_model', 'agent_goal', 'sdk_framework']);

/** Activation polling: one ping at a time, the next one this long after the last answer. */
const POLL_MS = 2000;
/** When a 429 carries no Retry-After, wait this long before enabling the button again. */
const DEFAULT_RETRY_MS = 60_000;
const MASK = '••••••••••••';

/** @param {string} id */
function el(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (el(id));

const form = /** @type {HTMLFormElement} */ (el('signup'));
const submit = /** @type {HTMLButtonElement} */ (el('submit'));
const alertBox = el('alert');
const statusLine = el('status');

// --- Loading the package --------------------------------------------------------------------
// A dynamic import, so a failure to load the wasm can be shown instead of a dead page.
/** @type {typeof import('/pkg/browser.js')} */
let pkg;
try {
  pkg = await import('/pkg/browser.js');
} catch (e) {
  el('loading').textContent =
    'The package could not be loaded (pkg/ missing or not built?). Run `make pkg` and reload.';
  throw e;
}

/** @type {string | null} */
let emulatorUrl = null;
try {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (res.ok) emulatorUrl = (await res.json()).emulatorUrl || null;
} catch {
  // Served by something other than serve.mjs: only the custom target is offered.
}

// --- Form state -----------------------------------------------------------------------------
/** Fields the person has typed in or left: only these show their errors before a submit. */
const touched = new Set();
let submitAttempted = false;
let busy = false;
/** Date.now() until which a rate limit keeps the button disabled (0: none). */
let waitUntil = 0;
/** A short word by the button about the last submission, shown while the form is valid. */
let notice = '';
/** @type {Map<string, string>} Field problems reported by the last submission, kept until that field is edited. */
const serverIssues = new Map();

/** @returns {AgentAccountRequest} */
function readRequest() {
  /** @type {Record<string, string>} */
  const req = {};
  for (const name of FIELDS) req[name] = input(name).value;
  // An empty optional field means "not given", not "given and too short".
  if (req.sdk_framework.trim() === '') delete req.sdk_framework;
  return /** @type {AgentAccountRequest} */ (/** @type {unknown} */ (req));
}

function targetIsEmulator() {
  return input('target-emulator').checked;
}

/** The base URL to call, or an error message. @returns {{url: string} | {error: string}} */
function readBaseUrl() {
  if (targetIsEmulator()) {
    return emulatorUrl ? { url: emulatorUrl } : { error: 'No emulator is configured.' };
  }
  const raw = input('base-url').value.trim();
  if (raw === '') return { error: 'Enter the base URL, for example https://api.cloudinary.com.' };
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { url: raw.replace(/\/+$/, '') };
  } catch {
    // fall through
  }
  return { error: 'The base URL must be an http:// or https:// URL.' };
}

/**
 * Shows or clears one field's error. The message element is already named by the input's
 * aria-describedby, so a screen reader reads it with the field.
 * @param {string} inputId @param {string} errorId @param {string | undefined} message
 */
function showFieldError(inputId, errorId, message) {
  el(errorId).textContent = message || '';
  if (message) input(inputId).setAttribute('aria-invalid', 'true');
  else input(inputId).removeAttribute('aria-invalid');
}

/** Re-validates everything and updates the errors and the button. Returns whether valid. */
function refresh() {
  const issues = pkg.validateRequest(readRequest());
  /** @type {Map<string, string>} */
  const byField = new Map();
  for (const issue of issues) if (!byField.has(issue.field)) byField.set(issue.field, issue.message);
  for (const name of FIELDS) {
    const visible = touched.has(name) || submitAttempted || serverIssues.has(name);
    showFieldError(name, `${name}-error`, visible ? byField.get(name) || serverIssues.get(name) : undefined);
  }
  const base = readBaseUrl();
  const baseError = 'error' in base && !targetIsEmulator() && (touched.has('base_url') || submitAttempted)
    ? base.error : undefined;
  showFieldError('base-url', 'base-url-error', baseError);

  const valid = issues.length === 0 && 'url' in base && serverIssues.size === 0;
  const waiting = waitUntil > Date.now();
  submit.disabled = !valid || busy || waiting;
  if (!waiting) {
    el('submit-hint').textContent = busy
      ? 'Creating the account…'
      : valid ? notice : 'The button is enabled once every required field is valid.';
  }
  return valid;
}

/** Moves focus to the first field showing an error (after a submit attempt). */
function focusFirstInvalid() {
  const first = form.querySelector('[aria-invalid="true"]');
  if (first instanceof HTMLElement) first.focus();
}

for (const name of [...FIELDS, 'base_url']) {
  const field = /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  field.addEventListener('input', () => {
    touched.add(name);
    serverIssues.delete(name);
    notice = '';
    refresh();
  });
  field.addEventListener('blur', () => {
    // Leaving an empty field untouched is not an error yet; leaving one you typed in is.
    if (field.value !== '') touched.add(name);
    refresh();
  });
}

for (const radio of form.querySelectorAll('input[name="target"]')) {
  radio.addEventListener('change', () => {
    el('custom-url-field').hidden = targetIsEmulator();
    refresh();
  });
}

// A disabled submit button swallows Enter silently: say what is missing instead.
form.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter' || !(ev.target instanceof HTMLInputElement) || !submit.disabled) return;
  if (ev.target.type === 'radio' || busy || waitUntil > Date.now()) return;
  ev.preventDefault();
  submitAttempted = true;
  if (!refresh()) {
    showAlert('Some fields need attention: their messages are shown next to them.');
    focusFirstInvalid();
  }
});

// --- Messages -------------------------------------------------------------------------------
/** @param {string} text */
function showAlert(text) {
  alertBox.textContent = text;
  alertBox.hidden = false;
}
function clearAlert() {
  alertBox.textContent = '';
  alertBox.hidden = true;
}
/** @param {string} text */
function announce(text) {
  statusLine.textContent = text;
}

/**
 * One plain-language message per error code. The server's own message is added only where it
 * helps (it is shown as text, never as HTML).
 * @param {AgentAccountError} e @param {string} base
 */
function errorMessage(e, base) {
  switch (e.code) {
    case 'invalid_input':
      return 'Some fields need attention: their messages are shown next to them. Nothing was sent.';
    case 'invalid_request':
      return e.issues.some((i) => /** @type {readonly string[]} */ (FIELDS).includes(i.field))
        ? 'The service rejected some fields: their messages are shown next to them.'
        : `The service rejected the request as invalid. It said: ${e.message}`;
    case 'account_exists':
      return 'An account already exists for this e-mail address. Its owner can sign in to Cloudinary, or use another address.';
    case 'disposable_email':
      return 'This address belongs to a disposable e-mail provider. Use a permanent address that the person keeps.';
    case 'blocked':
      return 'The service refused this request (its abuse controls do not say why). Try again later, or contact support with the request id.';
    case 'registration_disabled':
      return 'Creating accounts for people through an agent is switched off for now. Do not retry soon: the person can sign up at cloudinary.com themselves.';
    case 'region_blocked':
      return 'The service does not accept sign-ups from this region. The person can sign up at cloudinary.com themselves.';
    case 'rate_limited':
      return 'Too many accounts were requested from this network. The button comes back when the countdown next to it ends.';
    case 'server_error':
      return 'The service had a problem on its side. Nothing needs fixing here.';
    case 'network':
      return `The service at ${base} could not be reached. Check the base URL and your connection${targetIsEmulator() ? ', and that the emulator is still running' : ''}.`;
    case 'timeout':
      return 'The service did not answer in time.';
    case 'aborted':
      return 'The request was cancelled before an answer came.';
    case 'unexpected_response':
      return `The answer was not what the API documents. Check that ${base} is the API's base URL (without the path).`;
    default:
      return `Something went wrong: ${e.message}`;
  }
}

/** Counts down a rate limit beside the button, then gives the button back. @param {number} ms */
function startCountdown(ms) {
  waitUntil = Date.now() + ms;
  const hint = el('submit-hint');
  const tick = () => {
    const left = Math.ceil((waitUntil - Date.now()) / 1000);
    if (left <= 0) {
      waitUntil = 0;
      notice = 'You can try again now.';
      clearAlert();
      announce('You can try again now.');
      refresh();
      return;
    }
    // Not a live region: announcing every second would drown everything else.
    hint.textContent = `You can try again in ${left} s.`;
    setTimeout(tick, waitUntil - Date.now() - (left - 1) * 1000);
  };
  tick();
  refresh();
}

// --- Submitting -----------------------------------------------------------------------------
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  submitAttempted = true;
  if (busy || !refresh()) {
    focusFirstInvalid();
    return;
  }
  const base = readBaseUrl();
  if (!('url' in base)) return;
  busy = true;
  notice = '';
  clearAlert();
  announce('Creating the account…');
  refresh();
  try {
    const account = await pkg.createAccount(readRequest(), { baseUrl: base.url, timeoutMs: 30_000 });
    notice = 'Account created: its details follow the form.';
    announce(`Account created for ${account.email}. Its details follow the form.`);
    showAccount(account, base.url, targetIsEmulator());
  } catch (err) {
    if (!(err instanceof pkg.AgentAccountError)) {
      announce('');
      showAlert('Something unexpected went wrong in the page. Reload it and try again.');
      throw err;
    }
    announce('');
    // The server's field problems: the emulator's list or the real service's Rails errors hash
    // (`{"email":["has already been taken"]}`), which the package reads into the same issues.
    for (const issue of err.issues || []) {
      // Only fields of the form: an issue about anything else could never be cleared by editing.
      const known = /** @type {readonly string[]} */ (FIELDS).includes(issue.field);
      if (known && !serverIssues.has(issue.field)) serverIssues.set(issue.field, issue.message);
    }
    if (err.code === 'account_exists' || err.code === 'disposable_email') {
      serverIssues.set('email', err.code === 'account_exists'
        ? 'An account already exists for this address.'
        : 'Disposable e-mail addresses are not accepted.');
    }
    const id = err.requestId ? ` (Request id: ${err.requestId}.)` : '';
    // The request went out but its answer was lost: the account may exist, and a retry would
    // only be refused as a duplicate.
    const lost = err.mayHaveCreatedAccount
      ? ' The request was sent, so the account may have been created: check the inbox of this address for the verification e-mail before trying again.'
      : '';
    showAlert(errorMessage(err, base.url) + lost + id);
    if (err.code === 'rate_limited') startCountdown(err.retryAfterMs ?? DEFAULT_RETRY_MS);
  } finally {
    busy = false;
    refresh();
  }
  // The button was disabled under the keyboard user's focus: put focus where the problem is.
  if (serverIssues.size) focusFirstInvalid();
  else if (!alertBox.hidden) alertBox.focus();
});

// --- The result -----------------------------------------------------------------------------
/** @type {Record<string, string>} The account's sensitive values (secret, url, env), shown masked. */
let secrets = {};
/** @type {Record<string, string>} Values that may be shown as they are (the API key). */
let plain = {};
/** @type {Set<string>} Which of `secrets` are revealed. */
const revealed = new Set();
/** @type {{ stop(): void } | null} The activation poller of the account shown. */
let activation = null;

/** @param {string} name */
function renderSecret(name) {
  const value = secrets[name];
  const secret = secrets.secret;
  // Mask only the secret inside a longer value, so its shape stays readable.
  const shown = revealed.has(name) ? value : secret ? value.split(secret).join(MASK) : MASK;
  const node = document.querySelector(`[data-secret="${name}"]`);
  if (node) node.textContent = shown;
  const button = document.querySelector(`[data-reveal="${name}"]`);
  if (button) {
    button.textContent = revealed.has(name) ? 'Hide' : 'Reveal';
    button.setAttribute('aria-pressed', String(revealed.has(name)));
  }
}

/** @param {AgentAccount} account @param {string} base @param {boolean} isEmulator */
function showAccount(account, base, isEmulator) {
  activation?.stop();
  const env = account.product_environments[0];
  const line = env.api_environment_variable;
  // The API documents the value as the whole `.env` line; accept a bare URL too.
  const url = line.replace(/^CLOUDINARY_URL=/, '');
  secrets = {
    secret: env.api_secret,
    url,
    env: `# Cloudinary credentials: keep this file out of version control\nCLOUDINARY_URL=${url}\n`,
  };
  plain = { key: env.api_key };
  revealed.clear();

  el('r-email').textContent = account.email;
  el('r-plan').textContent = account.plan_name;
  el('r-cloud').textContent = env.cloud_name;
  el('r-key').textContent = env.api_key;
  for (const name of ['secret', 'url', 'env']) renderSecret(name);

  // The guidance comes from a server: renderGuidance escapes raw HTML and drops unsafe links.
  el('guidance').innerHTML = pkg.renderGuidance(account.guidance);

  el('activation-emulator').hidden = !isEmulator;
  el('activation-real').hidden = isEmulator;
  el('mail').hidden = true;
  if (isEmulator) {
    const outbox = /** @type {HTMLAnchorElement} */ (el('outbox-link'));
    outbox.href = `${base}/_emulator/outbox?to=${encodeURIComponent(account.email)}`;
    showNewestMail(base, account.email);
    activation = pollActivation(base, env);
  }

  el('result').hidden = false;
  el('result-heading').focus();
}

for (const button of document.querySelectorAll('[data-reveal]')) {
  button.addEventListener('click', () => {
    const name = button.getAttribute('data-reveal') || '';
    if (revealed.has(name)) revealed.delete(name);
    else revealed.add(name);
    renderSecret(name);
  });
}

const COPY_LABELS = /** @type {Record<string, string>} */ ({
  key: 'API key', secret: 'API secret', url: 'CLOUDINARY_URL', env: '.env snippet',
});
for (const button of document.querySelectorAll('[data-copy]')) {
  const label = button.innerHTML; // static markup from index.html
  button.addEventListener('click', async () => {
    const name = button.getAttribute('data-copy') || '';
    const ok = await copyText(secrets[name] ?? plain[name] ?? '');
    button.textContent = ok ? 'Copied' : 'Copy failed';
    announce(ok ? `${COPY_LABELS[name]} copied to the clipboard.`
      : `Copying failed: reveal the ${COPY_LABELS[name]} and select it instead.`);
    setTimeout(() => { button.innerHTML = label; }, 2000);
  });
}

/** @param {string} text @returns {Promise<boolean>} */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API (not a secure context) or permission refused: the old way.
  }
  const previous = document.activeElement;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  if (previous instanceof HTMLElement) previous.focus();
  return ok;
}

/** Shows the newest verification e-mail to this address from the emulator's outbox, read
 * through the page's own server: the emulator refuses its outbox to other origins, and this
 * page is one (another port).
 * @param {string} _base @param {string} email */
async function showNewestMail(_base, email) {
  try {
    const res = await fetch(`/_emulator/outbox?to=${encodeURIComponent(email)}&limit=1`, { cache: 'no-store' });
    if (!res.ok) return;
    const [mail] = await res.json();
    if (!mail) return;
    el('mail-to').textContent = String(mail.to);
    el('mail-subject').textContent = String(mail.subject);
    el('mail-text').textContent = String(mail.text);
    const link = /** @type {HTMLAnchorElement} */ (el('mail-verify'));
    // Only a web link: the outbox is another server's answer.
    const target = new URL(String(mail.verify_url));
    if (target.protocol === 'http:' || target.protocol === 'https:') link.href = target.href;
    el('mail').hidden = false;
  } catch {
    // The outbox link below still works.
  }
}

const ACTIVATION_TEXT = {
  pending: 'Pending verification',
  active: 'Active',
  disabled: 'Disabled',
  unknown: 'Could not check (trying again)',
};

/**
 * Polls the ping endpoint with the new credentials until the account is active or disabled.
 * @param {string} base @param {import('/pkg/browser.js').ProductEnvironment} env
 */
function pollActivation(base, env) {
  const url = `${base}/v1_1/${encodeURIComponent(env.cloud_name)}/ping`;
  const auth = `Basic ${btoa(`${env.api_key}:${env.api_secret}`)}`;
  const badge = el('activation');
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @param {keyof typeof ACTIVATION_TEXT} state */
  const show = (state) => {
    // Only write on change: the badge is a live region.
    if (badge.dataset.state === state) return;
    badge.dataset.state = state;
    badge.textContent = ACTIVATION_TEXT[state];
    el('activation-hint').hidden = state === 'active' || state === 'disabled';
  };
  badge.dataset.state = '';
  badge.textContent = 'checking…';
  const check = async () => {
    /** @type {keyof typeof ACTIVATION_TEXT} */
    let state = 'unknown';
    try {
      const res = await fetch(url, { headers: { Authorization: auth }, cache: 'no-store', credentials: 'omit' });
      state = res.ok ? 'active' : res.status === 403 ? 'disabled' : res.status === 401 ? 'pending' : 'unknown';
    } catch {
      state = 'unknown';
    }
    if (stopped) return;
    show(state);
    if (state !== 'active' && state !== 'disabled') timer = setTimeout(check, POLL_MS);
  };
  check();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

// --- Start ----------------------------------------------------------------------------------
el('emulator-url').textContent = emulatorUrl || '(not running)';
if (!emulatorUrl) {
  input('target-emulator').disabled = true;
  input('target-custom').checked = true;
  el('custom-url-field').hidden = false;
}
el('loading').remove();
form.hidden = false;
refresh();
