// @ts-check
// The demo page: both of Cloudinary's ways to get an agent credentials, side by side. Each
// form validates live with the package, creates, and shows the result: for a Claimable Cloud
// the claim link, the time left, the delivery lock and the claim followed through the
// emulator; for an account the activation status. Everything the API returns is shown with
// textContent, except the guidance, which goes through the package's renderGuidance (the one
// innerHTML on the page). Secrets live in this module's variables only: never in attributes,
// never in the console. The claim link is the exception the package's policy allows: this page
// is the person's own screen, so it is shown (and linked) in full.

/** @typedef {import('/pkg/browser.js').AgentAccount} AgentAccount */
/** @typedef {import('/pkg/browser.js').AgentAccountError} AgentAccountError */
/** @typedef {import('/pkg/browser.js').AgentAccountRequest} AgentAccountRequest */
/** @typedef {import('/pkg/browser.js').ClaimableCloud} ClaimableCloud */
/** @typedef {import('/pkg/browser.js').CloudRequest} CloudRequest */
/** @typedef {import('/pkg/browser.js').ValidationIssue} ValidationIssue */

/** Status polling (activation, claim): one request at a time, the next this long after the last answer. */
const POLL_MS = 2000;
/** When a 429 carries no Retry-After, wait this long before enabling the button again. */
const DEFAULT_RETRY_MS = 60_000;
const MASK = '••••••••••••';
/** The image the delivery-lock check asks for: the emulator answers any path of a cloud. */
const SAMPLE_IMAGE = 'image/upload/sample.jpg';

/** @param {string} id */
function el(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (el(id));

const alertBoxes = { account: el('alert'), cloud: el('cloud-alert') };
/** Where each form shows an unrecognised answer it kept (see showError), by secret name. */
const rawAnswers = { account: 'raw', cloud: 'cloud-raw' };
const statusLine = el('status');

/**
 * Says on the page why it cannot start, then stops the module.
 * @param {string} text @param {unknown} [cause] @returns {never}
 */
function cannotStart(text, cause) {
  el('loading').textContent = text;
  throw cause instanceof Error ? cause : new Error(text);
}

// --- Loading the package and the request definitions -----------------------------------------
// Dynamic imports, so a failure to load the wasm can be shown instead of a dead page. The
// request schemas are the ones the package's agent tools publish, generated from the Rust
// rules: the page takes its field lists and bounds from them.
/** @type {typeof import('/pkg/browser.js')} */
let pkg;
/** @type {typeof import('/pkg/tool-schema.js')} */
let schemas;
try {
  [pkg, schemas] = await Promise.all([import('/pkg/browser.js'), import('/pkg/tool-schema.js')]);
} catch (e) {
  cannotStart('The package could not be loaded (pkg/ missing or not built?). Run `make pkg` and reload.', e);
}
if (!schemas.inputSchema?.properties || !schemas.cloudInputSchema?.properties) {
  cannotStart('The package has no request schemas (pkg/tool-schema.js is older than this page?). Run `make pkg` and reload.');
}

/** @type {string | null} */
let emulatorUrl = null;
try {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (res.ok) emulatorUrl = (await res.json()).emulatorUrl || null;
} catch {
  // Served by something other than serve.mjs: only the custom target is offered.
}

// --- The target, shared by both forms ---------------------------------------------------------
/** Whether the base URL's error may show: once it was typed in or left, or a form was submitted. */
let targetChecked = false;

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
 * Shows or clears one control's error. The message element is already named by the control's
 * aria-describedby, so a screen reader reads it with the field.
 * @param {HTMLElement} control @param {HTMLElement} error @param {string | undefined} message
 */
function showFieldError(control, error, message) {
  error.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

// --- Messages ---------------------------------------------------------------------------------
/** @param {string} text */
function announce(text) {
  statusLine.textContent = text;
}

/** "23 h 59 min 58 s", "1 min 5 s", "3 s". @param {number} seconds */
function formatDuration(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [];
  if (h) parts.push(`${h} h`);
  if (h || m) parts.push(`${m} min`);
  parts.push(`${s % 60} s`);
  return parts.join(' ');
}

/** @typedef {'account' | 'cloud'} Path */

/**
 * One plain-language message per error code and path. The server's own message is added only
 * where it helps (it is shown as text, never as HTML).
 * @param {AgentAccountError} e @param {string} base @param {Path} path @param {boolean} fieldIssues
 */
function errorMessage(e, base, path, fieldIssues) {
  const cloud = path === 'cloud';
  switch (e.code) {
    case 'invalid_input':
      return 'Some fields need attention: their messages are shown next to them. Nothing was sent.';
    case 'invalid_request':
      return fieldIssues
        ? 'The service rejected some fields: their messages are shown next to them.'
        : `The service rejected the request as invalid. It said: ${e.message}`;
    case 'account_exists':
      return cloud
        ? 'An account or a cloud already uses this e-mail address. Leave the e-mail empty (the person enters theirs on the claim page), or use another.'
        : 'An account already exists for this e-mail address. Its owner can sign in to Cloudinary, or use another address.';
    case 'disposable_email':
      return 'This address belongs to a disposable e-mail provider. Use a permanent address that the person keeps.';
    case 'blocked':
      return 'The service refused this request (its abuse controls do not say why). Try again later, or contact support with the request id.';
    case 'registration_disabled':
      return `Creating ${cloud ? 'clouds' : 'accounts'} for people through an agent is switched off for now. Do not retry soon: the person can sign up at cloudinary.com themselves.`;
    case 'region_blocked':
      return cloud
        ? 'The service does not provide clouds for this location (the caller\'s address or a delivery IP). The person can sign up at cloudinary.com themselves.'
        : 'The service does not accept sign-ups from this region. The person can sign up at cloudinary.com themselves.';
    case 'delivery_ips_not_public':
      return 'The request reached the service from a private address (a VPN, a proxy or a gateway), so no public address was left to deliver media to. Try again from a network with a public address.';
    case 'rate_limited':
      return e.serverCode === 'global_rate_limit_exceeded'
        ? 'The service is taking too many requests from everyone right now. The button comes back when the countdown next to it ends.'
        : `Too many ${cloud ? 'clouds' : 'accounts'} were requested from this network. The button comes back when the countdown next to it ends.`;
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

/** What to add when the request went out but its answer was lost. @param {Path} path */
function lostAnswer(path) {
  return path === 'cloud'
    ? ' The request was sent, so a cloud may have been created; its credentials and claim link went with the answer, and unclaimed it expires by itself. Creating another one is safe.'
    : ' The request was sent, so the account may have been created: check the inbox of this address for the verification e-mail before trying again.';
}

// --- A form of the page -----------------------------------------------------------------------
/**
 * Where one validation issue is shown: the issue's `field` (a request field, or an entry such
 * as `delivery_ips[1]`), the control marked invalid and the element holding the message.
 * @typedef {{ path: string, control: HTMLElement, error: HTMLElement, input: HTMLInputElement | HTMLTextAreaElement | null }} Slot
 */

/**
 * The behaviour both forms share: live validation with the package's rules, errors shown at
 * the fields once touched (or after a submit), the button's state and hint, submission, and
 * the error alert with a rate-limit countdown.
 * @template R, T
 * @param {{
 *   path: Path,
 *   form: HTMLFormElement,
 *   submit: HTMLButtonElement,
 *   hint: HTMLElement,
 *   slots: Slot[],
 *   read: () => { request: R, rename: Map<string, string> },
 *   validate: (request: R) => ValidationIssue[],
 *   create: (request: R, baseUrl: string) => Promise<T>,
 *   done: (result: T, baseUrl: string) => string,
 *   busyText: string,
 *   invalidText: string,
 * }} spec
 */
function makeForm(spec) {
  const { path, form, submit, hint, slots } = spec;
  const alertBox = alertBoxes[path];
  /** Fields the person has typed in or left: only these show their errors before a submit. */
  const touched = new Set();
  let submitAttempted = false;
  let busy = false;
  /** Date.now() until which a rate limit keeps the button disabled (0: none). */
  let waitUntil = 0;
  /** A short word by the button about the last submission, shown while the form is valid. */
  let notice = '';
  /** @type {Map<string, string>} Problems the last submission reported, kept until that field is edited. */
  const serverIssues = new Map();
  const slotPaths = new Set(slots.map((s) => s.path));

  /** @param {string} text */
  const showAlert = (text) => {
    alertBox.textContent = text;
    alertBox.hidden = false;
  };
  const clearAlert = () => {
    alertBox.textContent = '';
    alertBox.hidden = true;
    el(rawAnswers[path]).hidden = true;
  };

  /** Re-validates the form and updates its errors and button. Returns whether valid. */
  function refresh() {
    const { request, rename } = spec.read();
    const issues = spec.validate(request);
    /** @type {Map<string, string>} */
    const byPath = new Map();
    for (const issue of issues) {
      const at = rename.get(issue.field) ?? issue.field;
      // The message names the entry by its place in the request; the form's place is the one
      // the person sees (empty inputs are not sent, so the two can differ).
      if (!byPath.has(at)) byPath.set(at, issue.message.replace(/\w+\[\d+\]/g, (p) => rename.get(p) ?? p));
    }
    for (const slot of slots) {
      const visible = touched.has(slot.path) || submitAttempted || serverIssues.has(slot.path);
      showFieldError(slot.control, slot.error, visible ? byPath.get(slot.path) || serverIssues.get(slot.path) : undefined);
    }
    const base = readBaseUrl();
    refreshTarget();
    const valid = issues.length === 0 && 'url' in base && serverIssues.size === 0;
    const waiting = waitUntil > Date.now();
    submit.disabled = !valid || busy || waiting;
    if (!waiting) {
      hint.textContent = busy ? spec.busyText : valid ? notice : spec.invalidText;
    }
    return valid;
  }

  /** Moves focus to the first field showing an error (after a submit attempt). */
  function focusFirstInvalid() {
    const first = form.querySelector('[aria-invalid="true"]');
    // A group (the delivery IPs' fieldset) takes no focus: its first input does.
    const target = first instanceof HTMLFieldSetElement ? first.querySelector('input') : first;
    if (target instanceof HTMLElement) target.focus();
  }

  for (const slot of slots) {
    const field = slot.input;
    if (!field) continue;
    field.addEventListener('input', () => {
      touched.add(slot.path);
      serverIssues.delete(slot.path);
      // A group's problem (`delivery_ips`) is about all its entries.
      const group = slot.path.replace(/\[\d+\]$/, '');
      if (group !== slot.path) serverIssues.delete(group);
      notice = '';
      refresh();
    });
    field.addEventListener('blur', () => {
      // Leaving an empty field untouched is not an error yet; leaving one you typed in is.
      if (field.value !== '') touched.add(slot.path);
      refresh();
    });
  }

  // A disabled submit button swallows Enter silently: say what is missing instead.
  form.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || !(ev.target instanceof HTMLInputElement) || !submit.disabled) return;
    if (busy || waitUntil > Date.now()) return;
    ev.preventDefault();
    submitAttempted = true;
    targetChecked = true;
    if (!refresh()) {
      showAlert('Some fields need attention: their messages are shown next to them.');
      focusFirstInvalid();
    }
  });

  /** Counts down a rate limit beside the button, then gives the button back. @param {number} ms */
  function startCountdown(ms) {
    waitUntil = Date.now() + ms;
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
      hint.textContent = `You can try again in ${formatDuration(left)}.`;
      setTimeout(tick, waitUntil - Date.now() - (left - 1) * 1000);
    };
    tick();
    refresh();
  }

  /** Shows a failed submission: the fields it names, the alert, a countdown. @param {unknown} err @param {string} base */
  function showError(err, base) {
    if (!(err instanceof pkg.AgentAccountError)) {
      announce('');
      showAlert('Something unexpected went wrong in the page. Reload it and try again.');
      throw err;
    }
    announce('');
    // The server's field problems: the emulator's list or the real service's Rails errors hash
    // (`{"email":["has already been taken"]}`), which the package reads into the same issues.
    let fieldIssues = false;
    const { rename } = spec.read();
    for (const issue of err.issues || []) {
      const at = rename.get(issue.field) ?? issue.field;
      // Only fields of the form: an issue about anything else could never be cleared by editing.
      if (!slotPaths.has(at)) continue;
      fieldIssues = true;
      if (!serverIssues.has(at)) serverIssues.set(at, issue.message);
    }
    if (err.code === 'account_exists' || err.code === 'disposable_email') {
      serverIssues.set('email', err.code === 'account_exists'
        ? `An ${path === 'cloud' ? 'account or a cloud' : 'account'} already exists for this address.`
        : 'Disposable e-mail addresses are not accepted.');
    }
    // The service refused an address without saying which entry: the group carries it.
    if (err.code === 'invalid_request' && !fieldIssues && err.serverCode?.startsWith('delivery_ips') && slotPaths.has('delivery_ips')) {
      serverIssues.set('delivery_ips', err.message);
      fieldIssues = true;
    }
    const id = err.requestId ? ` (Request id: ${err.requestId}.)` : '';
    showAlert(errorMessage(err, base, path, fieldIssues) + (err.mayHaveCreatedAccount ? lostAnswer(path) : '') + id);
    if (err.code === 'rate_limited') startCountdown(err.retryAfterMs ?? DEFAULT_RETRY_MS);
    // A 2xx the package could not recognise may still hold the only copy of the credentials:
    // the error keeps it out of every message, and this is the person's screen, so it is
    // offered here, masked until revealed.
    if (err.code === 'unexpected_response' && err.body !== undefined) {
      let text;
      try {
        text = JSON.stringify(err.body, null, 2) ?? String(err.body);
      } catch {
        text = String(err.body);
      }
      setSecrets({ [rawAnswers[path]]: text }, '');
      el(rawAnswers[path]).hidden = false;
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submitAttempted = true;
    targetChecked = true;
    if (busy || !refresh()) {
      focusFirstInvalid();
      return;
    }
    const base = readBaseUrl();
    if (!('url' in base)) return;
    busy = true;
    notice = '';
    clearAlert();
    announce(spec.busyText);
    refresh();
    try {
      const result = await spec.create(spec.read().request, base.url);
      notice = 'Created: the details follow the forms.';
      announce(spec.done(result, base.url));
    } catch (err) {
      showError(err, base.url);
    } finally {
      busy = false;
      refresh();
    }
    // The button was disabled under the keyboard user's focus: put focus where the problem is.
    if (serverIssues.size) focusFirstInvalid();
    else if (!alertBox.hidden) alertBox.focus();
  });

  return { refresh };
}

// --- The account form -------------------------------------------------------------------------
const accountForm = /** @type {HTMLFormElement} */ (el('signup'));
const accountSchema = schemas.inputSchema;
/** The request fields, in the schema's order; each input's `name` is the wire name. */
const ACCOUNT_FIELDS = Object.keys(accountSchema.properties);
const REQUIRED = new Set(/** @type {string[]} */ (accountSchema.required));

/** @param {HTMLFormElement} form @param {string} name */
function namedControl(form, name) {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement ? control : null;
}

/**
 * The markup names its fields by hand: every field the schema has needs its input, and no input
 * may be left over. Stops the page, saying which, when they disagree.
 * @param {string} what @param {string[]} wanted @param {string[]} found
 */
function checkFields(what, wanted, found) {
  const missing = wanted.filter((f) => !found.includes(f));
  const extra = found.filter((f) => !wanted.includes(f));
  if (missing.length || extra.length) {
    cannotStart(`The ${what} and its request schema disagree (missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'}).`);
  }
}
checkFields('account form', ACCOUNT_FIELDS, [...accountForm.querySelectorAll('[name]')].map((n) => n.getAttribute('name') || ''));

/** @type {Slot[]} */
const accountSlots = ACCOUNT_FIELDS.map((name) => {
  const control = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (namedControl(accountForm, name));
  return { path: name, control, input: control, error: el(`${control.id}-error`) };
});

const account = makeForm({
  path: 'account',
  form: accountForm,
  submit: /** @type {HTMLButtonElement} */ (el('submit')),
  hint: el('submit-hint'),
  slots: accountSlots,
  read() {
    /** @type {Record<string, string>} */
    const req = {};
    for (const slot of accountSlots) {
      const value = /** @type {HTMLInputElement} */ (slot.input).value;
      // An empty optional field means "not given", not "given and too short".
      if (REQUIRED.has(slot.path) || value.trim() !== '') req[slot.path] = value;
    }
    // What validateRequest then checks: the type says what a valid one holds.
    return { request: /** @type {AgentAccountRequest} */ (/** @type {unknown} */ (req)), rename: new Map() };
  },
  validate: (req) => pkg.validateRequest(req),
  create: (req, baseUrl) => pkg.createAccount(req, { baseUrl, timeoutMs: 30_000 }),
  done(result, baseUrl) {
    showAccount(result, baseUrl, targetIsEmulator());
    return `Account created for ${result.email}. Its details follow the forms.`;
  },
  busyText: 'Creating the account…',
  invalidText: 'The button is enabled once every required field is valid.',
});

// --- The cloud form ---------------------------------------------------------------------------
const cloudForm = /** @type {HTMLFormElement} */ (el('cloud-form'));
const cloudSchema = schemas.cloudInputSchema;
const CLOUD_FIELDS = Object.keys(cloudSchema.properties);
const IPS = 'delivery_ips';
/** How many delivery IPs a request may carry. */
const MAX_IPS = Number(/** @type {{ maxItems?: unknown }} */ (cloudSchema.properties[IPS]).maxItems);

// One input a delivery IP, as many as the schema allows, each with its own error element.
{
  if (!CLOUD_FIELDS.includes(IPS) || !(MAX_IPS >= 1)) {
    cannotStart('The cloud request schema has no delivery_ips list with maxItems.');
  }
  const list = el('cloud-ip-list');
  for (let i = 0; i < MAX_IPS; i++) {
    const wrap = document.createElement('div');
    wrap.className = 'field ip';
    const label = document.createElement('label');
    label.htmlFor = `cloud-${IPS}-${i}`;
    label.textContent = `Address ${i + 1}`;
    const field = document.createElement('input');
    field.type = 'text';
    field.id = `cloud-${IPS}-${i}`;
    field.dataset.field = `${IPS}[${i}]`;
    field.autocomplete = 'off';
    field.spellcheck = false;
    field.setAttribute('aria-describedby', `cloud-${IPS}-${i}-error`);
    const error = document.createElement('p');
    error.className = 'error';
    error.id = `cloud-${IPS}-${i}-error`;
    wrap.append(label, field, error);
    list.append(wrap);
  }
}

// The markup's fields against the schema, as for the account form; the text fields' bounds
// are written into their hints from it.
{
  checkFields('cloud form',
    [...CLOUD_FIELDS.filter((f) => f !== IPS), ...Array.from({ length: MAX_IPS }, (_, i) => `${IPS}[${i}]`)],
    [...cloudForm.querySelectorAll('[data-field]')].map((n) => n.getAttribute('data-field') || ''));
  for (const name of CLOUD_FIELDS) {
    const rule = /** @type {{ minLength?: number, maxLength?: number }} */ (cloudSchema.properties[/** @type {keyof typeof cloudSchema.properties} */ (name)]);
    if (name === IPS || rule.minLength === undefined || name === 'email') continue;
    el(`cloud-${name}-hint`).append(` ${rule.minLength}-${rule.maxLength} characters when given.`);
  }
}

/** @type {Slot[]} */
const cloudSlots = [
  // The list as a whole (a problem no one entry carries), then each entry, then the text fields.
  { path: IPS, control: el(`cloud-${IPS}`), input: null, error: el(`cloud-${IPS}-error`) },
  ...[...cloudForm.querySelectorAll('[data-field]')].map((node) => {
    const control = /** @type {HTMLInputElement} */ (node);
    return { path: control.dataset.field || '', control, input: control, error: el(`${control.id}-error`) };
  }),
];
const ipSlots = cloudSlots.filter((s) => s.input && s.path.startsWith(`${IPS}[`));

const cloud = makeForm({
  path: 'cloud',
  form: cloudForm,
  submit: /** @type {HTMLButtonElement} */ (el('cloud-submit')),
  hint: el('cloud-submit-hint'),
  slots: cloudSlots,
  read() {
    /** @type {Record<string, string | string[]>} */
    const req = {};
    /** @type {Map<string, string>} Entry paths of the request → entry paths of the form (empty inputs are skipped). */
    const rename = new Map();
    /** @type {string[]} */
    const ips = [];
    for (const slot of ipSlots) {
      const value = /** @type {HTMLInputElement} */ (slot.input).value;
      if (value.trim() === '') continue;
      rename.set(`${IPS}[${ips.length}]`, slot.path);
      ips.push(value);
    }
    if (ips.length) req[IPS] = ips;
    for (const slot of cloudSlots) {
      if (!slot.input || slot.path.startsWith(`${IPS}[`)) continue;
      // Every field is optional: empty means "not given".
      if (slot.input.value.trim() !== '') req[slot.path] = slot.input.value;
    }
    return { request: /** @type {CloudRequest} */ (req), rename };
  },
  validate: (req) => pkg.validateCloudRequest(req),
  create: (req, baseUrl) => pkg.createCloud(req, { baseUrl, timeoutMs: 30_000 }),
  done(result, baseUrl) {
    showCloud(result, baseUrl, targetIsEmulator());
    return `Cloud ${result.cloud_name} created. Its claim link and details follow the forms.`;
  },
  busyText: 'Creating the cloud…',
  invalidText: 'The button is enabled once every field you filled in is valid.',
});

// --- The target's controls --------------------------------------------------------------------
/** Shows the base URL's error once it may show. */
function refreshTarget() {
  const base = readBaseUrl();
  const message = 'error' in base && !targetIsEmulator() && targetChecked ? base.error : undefined;
  showFieldError(el('base-url'), el('base-url-error'), message);
}

function refreshAll() {
  account.refresh();
  cloud.refresh();
}

const baseUrlInput = input('base-url');
baseUrlInput.addEventListener('input', () => {
  targetChecked = true;
  refreshAll();
});
baseUrlInput.addEventListener('blur', () => {
  if (baseUrlInput.value !== '') targetChecked = true;
  refreshAll();
});
for (const radio of document.querySelectorAll('input[name="target"]')) {
  radio.addEventListener('change', () => {
    el('custom-url-field').hidden = targetIsEmulator();
    refreshAll();
  });
}

// --- Secrets on the page ----------------------------------------------------------------------
/** @type {Map<string, { value: string, hide: string }>} Sensitive values, shown masked: `hide` is masked inside `value`. */
const secrets = new Map();
/** @type {Map<string, string>} Values that may be shown as they are (API keys, the claim link). */
const plain = new Map();
/** @type {Set<string>} Which of `secrets` are revealed. */
const revealed = new Set();

/** @param {string} name */
function renderSecret(name) {
  const secret = secrets.get(name);
  if (!secret) return;
  // Mask only the secret inside a longer value, so its shape stays readable.
  const shown = revealed.has(name) ? secret.value : secret.hide ? secret.value.split(secret.hide).join(MASK) : MASK;
  const node = document.querySelector(`[data-secret="${name}"]`);
  if (node) node.textContent = shown;
  const button = document.querySelector(`[data-reveal="${name}"]`);
  if (button) {
    button.textContent = revealed.has(name) ? 'Hide' : 'Reveal';
    button.setAttribute('aria-pressed', String(revealed.has(name)));
  }
}

/** Stores and shows the sensitive values of one result. @param {Record<string, string>} values @param {string} hide */
function setSecrets(values, hide) {
  for (const [name, value] of Object.entries(values)) {
    secrets.set(name, { value, hide });
    revealed.delete(name);
    renderSecret(name);
  }
}

/** The `.env` text the package writes for a result, or a line saying why there is none. @param {AgentAccount | ClaimableCloud} result */
function dotenvOf(result) {
  try {
    return pkg.toDotenv(result);
  } catch (e) {
    return `# The package refused to write this .env: ${e instanceof Error ? e.message : 'unknown error'}\n`;
  }
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
  'cloud-key': 'API key', 'cloud-secret': 'API secret', 'cloud-url': 'CLOUDINARY_URL',
  'cloud-env': '.env snippet', claim: 'Claim link', raw: 'service\'s answer', 'cloud-raw': 'service\'s answer',
});
for (const button of document.querySelectorAll('[data-copy]')) {
  const label = button.innerHTML; // static markup from index.html
  button.addEventListener('click', async () => {
    const name = button.getAttribute('data-copy') || '';
    const ok = await copyText(secrets.get(name)?.value ?? plain.get(name) ?? '');
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

/** Only a web link is made clickable: these values come from another server. @param {unknown} value */
function webLink(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A status badge that is written only on change (it is a live region).
 * @template {string} S @param {HTMLElement} badge @param {Record<S, string>} texts
 */
function badgeWriter(badge, texts) {
  badge.dataset.state = '';
  badge.textContent = 'checking…';
  /** @param {S} state */
  return (state) => {
    if (badge.dataset.state === state) return;
    badge.dataset.state = state;
    badge.textContent = texts[state];
  };
}

/**
 * Runs `check` now and then every POLL_MS after each answer, until it returns true or stop().
 * @param {() => Promise<boolean>} check
 */
function poll(check) {
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const run = async () => {
    let finished = false;
    try {
      finished = await check();
    } catch {
      finished = false;
    }
    if (!stopped && !finished) timer = setTimeout(run, POLL_MS);
  };
  run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Reads the emulator's outbox through the page's own server: the emulator refuses its outbox
 * to other origins, and this page is one (another port).
 * @param {string} query @returns {Promise<Array<Record<string, unknown>>>}
 */
async function readOutbox(query) {
  const res = await fetch(`/_emulator/outbox?${query}`, { cache: 'no-store' });
  if (!res.ok) return [];
  const list = await res.json();
  return Array.isArray(list) ? list : [];
}

/**
 * Fills an e-mail box of the page from an outbox message.
 * @param {string} prefix the ids' prefix (`mail`, `claim-mail`) @param {string} linkId @param {Record<string, unknown>} mail
 */
function showMail(prefix, linkId, mail) {
  el(`${prefix}-to`).textContent = String(mail.to);
  el(`${prefix}-subject`).textContent = String(mail.subject);
  el(`${prefix}-text`).textContent = String(mail.text);
  const link = /** @type {HTMLAnchorElement} */ (el(linkId));
  const href = webLink(mail.verify_url);
  if (href) link.href = href;
  el(prefix).hidden = false;
}

// --- The account's result ---------------------------------------------------------------------
/** @type {{ stop(): void } | null} The activation poller of the account shown. */
let activation = null;

/** @param {AgentAccount} account @param {string} base @param {boolean} isEmulator */
function showAccount(account, base, isEmulator) {
  activation?.stop();
  const env = account.product_environments[0];
  // The API documents the value as the whole `.env` line; accept a bare URL too.
  const url = env.api_environment_variable.replace(/^CLOUDINARY_URL=/, '');
  setSecrets({ secret: env.api_secret, url, env: dotenvOf(account) }, env.api_secret);
  plain.set('key', env.api_key);

  el('r-email').textContent = account.email;
  el('r-plan').textContent = account.plan_name;
  el('r-cloud').textContent = env.cloud_name;
  el('r-key').textContent = env.api_key;

  // The guidance comes from a server: renderGuidance escapes raw HTML and drops unsafe links.
  el('guidance').innerHTML = pkg.renderGuidance(account.guidance);

  el('activation-emulator').hidden = !isEmulator;
  el('activation-real').hidden = isEmulator;
  el('mail').hidden = true;
  if (isEmulator) {
    const outbox = /** @type {HTMLAnchorElement} */ (el('outbox-link'));
    outbox.href = `${base}/_emulator/outbox?to=${encodeURIComponent(account.email)}`;
    readOutbox(`to=${encodeURIComponent(account.email)}&limit=1`)
      .then(([mail]) => { if (mail) showMail('mail', 'mail-verify', mail); })
      .catch(() => { /* the outbox link below still works */ });
    activation = pollActivation(base, env);
  }

  el('result').hidden = false;
  el('result-heading').focus();
}

/**
 * Polls the ping endpoint with the new credentials until the account is active or disabled.
 * @param {string} base @param {import('/pkg/browser.js').ProductEnvironment} env
 */
function pollActivation(base, env) {
  const url = `${base}/v1_1/${encodeURIComponent(env.cloud_name)}/ping`;
  const auth = `Basic ${btoa(`${env.api_key}:${env.api_secret}`)}`;
  const show = badgeWriter(el('activation'), {
    pending: 'Pending verification',
    active: 'Active',
    disabled: 'Disabled',
    unknown: 'Could not check (trying again)',
  });
  return poll(async () => {
    /** @type {'pending' | 'active' | 'disabled' | 'unknown'} */
    let state = 'unknown';
    try {
      const res = await fetch(url, { headers: { Authorization: auth }, cache: 'no-store', credentials: 'omit' });
      state = res.ok ? 'active' : res.status === 403 ? 'disabled' : res.status === 401 ? 'pending' : 'unknown';
    } catch {
      state = 'unknown';
    }
    show(state);
    el('activation-hint').hidden = state === 'active' || state === 'disabled';
    return state === 'active' || state === 'disabled';
  });
}

// --- The cloud's result -----------------------------------------------------------------------
/** @type {Array<{ stop(): void }>} The timers and pollers of the cloud shown. */
let cloudWatchers = [];

/** @typedef {'unclaimed' | 'claimed' | 'disabled' | 'unknown'} CloudState */

/** @param {ClaimableCloud} cloud @param {string} base @param {boolean} isEmulator */
function showCloud(cloud, base, isEmulator) {
  for (const w of cloudWatchers) w.stop();
  cloudWatchers = [];
  const url = cloud.api_environment_variable.replace(/^CLOUDINARY_URL=/, '');
  setSecrets({ 'cloud-secret': cloud.api_secret, 'cloud-url': url, 'cloud-env': dotenvOf(cloud) }, cloud.api_secret);
  plain.set('cloud-key', cloud.api_key);
  plain.set('claim', cloud.claim_url);

  const claim = /** @type {HTMLAnchorElement} */ (el('c-claim'));
  claim.textContent = cloud.claim_url;
  const href = webLink(cloud.claim_url);
  if (href) claim.href = href;
  else claim.removeAttribute('href');
  el('c-cloud').textContent = cloud.cloud_name;
  // `.invalid` is reserved (RFC 2606): the service's placeholder when no e-mail was given.
  const email = cloud.email ?? '';
  el('c-email').textContent = email === '' ? '(none: the person enters theirs on the claim page)'
    : email.endsWith('.invalid') ? `${email} (a placeholder: the person enters theirs on the claim page)` : email;
  el('c-key').textContent = cloud.api_key;
  el('c-expires').textContent = cloud.expires_at;
  el('c-expires').setAttribute('datetime', cloud.expires_at);
  const ips = el('c-ips');
  ips.replaceChildren(...cloud.delivery_ips.map((ip) => {
    const item = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = ip;
    item.append(code);
    return item;
  }));
  el('cloud-guidance').innerHTML = pkg.renderGuidance(cloud.guidance ?? '');

  /** @type {CloudState} */
  let state = 'unclaimed';
  const timeLeft = countdown(cloud.expires_at, () => state);
  cloudWatchers.push(timeLeft);

  el('claim-emulator').hidden = !isEmulator;
  el('claim-real').hidden = isEmulator;
  el('claim-mail').hidden = true;
  if (isEmulator) {
    const delivery = deliveryChecks(base, cloud.cloud_name);
    const show = badgeWriter(el('cloud-state'), {
      unclaimed: 'Unclaimed: working, delivery locked to its IPs',
      claimed: 'Claimed: permanent, no expiry',
      disabled: 'Expired: disabled, unclaimed',
      unknown: 'Could not check (trying again)',
    });
    let mailId = -1;
    cloudWatchers.push(poll(async () => {
      // The answer to an address outside the delivery IPs tells the cloud's state: refused
      // while unclaimed, served once claimed, "disabled" once expired.
      const outside = await delivery.outside();
      const next = outside.status === 200 ? 'claimed'
        : outside.cldError === 'ACL deny' ? 'unclaimed'
          : outside.status === 401 ? 'disabled' : 'unknown';
      if (next !== state) {
        state = next;
        timeLeft.update();
        delivery.inside();
      }
      show(state);
      if (state === 'unclaimed') {
        const mail = (await readOutbox('limit=20')).find((m) => m.kind === 'claim'
          && String(m.text).includes(` cloud ${cloud.cloud_name} `));
        if (mail && Number(mail.id) !== mailId) {
          mailId = Number(mail.id);
          showMail('claim-mail', 'claim-mail-link', mail);
        }
      }
      return state === 'claimed' || state === 'disabled';
    }));
    delivery.inside();
    const again = el('delivery-again');
    again.onclick = () => {
      delivery.inside();
      delivery.outside();
    };
  }

  el('cloud-result').hidden = false;
  el('cloud-result-heading').focus();
}

/**
 * The time left until `expiresAt`, counting down every second; "no expiry" once claimed.
 * @param {string} expiresAt @param {() => CloudState} stateOf
 */
function countdown(expiresAt, stateOf) {
  const out = el('c-left');
  const end = Date.parse(expiresAt);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const update = () => {
    clearTimeout(timer);
    const state = stateOf();
    el('c-expires-line').hidden = state === 'claimed';
    if (state === 'claimed') {
      out.textContent = 'no expiry: the cloud is claimed';
      return;
    }
    const left = end - Date.now();
    if (Number.isNaN(end)) {
      out.textContent = 'unknown (the expiry is not a date)';
    } else if (state === 'disabled' || left <= 0) {
      out.textContent = 'none: the cloud has expired';
    } else {
      out.textContent = formatDuration(left / 1000);
      timer = setTimeout(update, (left % 1000) || 1000);
    }
  };
  update();
  return { update, stop: () => clearTimeout(timer) };
}

/** @typedef {{ status: number, cldError: string | null, error?: string }} DeliveryAnswer */

/**
 * The cloud's image requested from inside its delivery IPs (this browser, 127.0.0.1) and from
 * outside (127.0.0.2, by the page's server), each answer written into its table cell.
 * @param {string} base @param {string} cloudName
 */
function deliveryChecks(base, cloudName) {
  /** @param {string} id @param {DeliveryAnswer} answer */
  const write = (id, answer) => {
    el(id).textContent = answer.error ? `could not check: ${answer.error}`
      : answer.status === 200 ? '200: the image'
        : `${answer.status}${answer.cldError ? `, x-cld-error: ${answer.cldError}` : ''}`;
  };
  return {
    /** @returns {Promise<DeliveryAnswer>} */
    async inside() {
      /** @type {DeliveryAnswer} */
      let answer;
      try {
        const res = await fetch(`${base}/${encodeURIComponent(cloudName)}/${SAMPLE_IMAGE}`, { cache: 'no-store', credentials: 'omit' });
        answer = { status: res.status, cldError: res.headers.get('x-cld-error') };
      } catch {
        answer = { status: 0, cldError: null, error: 'the emulator did not answer' };
      }
      write('delivery-inside', answer);
      return answer;
    },
    /** @returns {Promise<DeliveryAnswer>} */
    async outside() {
      /** @type {DeliveryAnswer} */
      let answer;
      try {
        const res = await fetch(`/_emulator/delivery?cloud=${encodeURIComponent(cloudName)}`, { cache: 'no-store' });
        const body = await res.json();
        answer = res.ok
          ? { status: Number(body.status), cldError: body.cldError == null ? null : String(body.cldError) }
          : { status: 0, cldError: null, error: String(body.error || `HTTP ${res.status}`) };
      } catch {
        answer = { status: 0, cldError: null, error: 'the page server did not answer' };
      }
      write('delivery-outside', answer);
      return answer;
    },
  };
}

// --- Start ------------------------------------------------------------------------------------
el('emulator-url').textContent = emulatorUrl || '(not running)';
if (!emulatorUrl) {
  input('target-emulator').disabled = true;
  input('target-custom').checked = true;
  el('custom-url-field').hidden = false;
}
el('loading').remove();
el('app').hidden = false;
refreshAll();
