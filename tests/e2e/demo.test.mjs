// Browser tests of the demo page (www/) against the real emulator, in Debian's Chromium.
// Run with `node --test tests/e2e/demo.test.mjs` (scripts/test-e2e.sh does).
//
// Secrets are compared inside the process (assert.ok on a boolean), never passed to an
// assertion that would print them on failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ARTIFACTS, VALID, assertClean, closedPort, fillForm, gotoForm, openPageFor, setFault, useEnv,
  uniqueEmail,
} from './harness.mjs';

const env = useEnv();
const newPage = (t, size) => openPageFor(t, env, size);

/** Fills a valid request, submits it, and waits for the account to be shown. */
async function createThroughPage(page, tag) {
  const email = uniqueEmail(tag);
  await fillForm(page, { email, ...VALID });
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#result').waitFor({ state: 'visible', timeout: 15_000 });
  return email;
}

const badge = (page) => page.locator('#activation');

test('an invalid e-mail shows its field error and keeps the button disabled', async (t) => {
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  const button = page.getByRole('button', { name: 'Create account' });
  assert.equal(await button.isDisabled(), true);
  // Untouched empty fields are not shouted at.
  assert.deepEqual(await page.locator('#signup .error, #base-url-error').allTextContents(), ['', '', '', '', '', '']);
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);

  await fillForm(page, { ...VALID, email: 'not-an-email' });
  const emailError = page.locator('#email-error');
  assert.match(await emailError.textContent(), /e-mail address/);
  assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
  // The error is tied to the field for screen readers.
  assert.match(await page.locator('#email').getAttribute('aria-describedby'), /\bemail-error\b/);
  assert.equal(await button.isDisabled(), true);
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 1, 'only the e-mail is wrong');

  // A short goal breaks its 2-300 rule; fixing both enables the button.
  await fillForm(page, { agent_goal: 'x' });
  assert.match(await page.locator('#agent_goal-error').textContent(), /agent_goal must be 2-300/);
  await fillForm(page, { email: 'jane@example.com', agent_goal: VALID.agent_goal });
  assert.equal(await emailError.textContent(), '');
  assert.equal(await button.isEnabled(), true);
  // An empty optional SDK is fine; a one-letter one is not.
  await fillForm(page, { sdk_framework: '' });
  assert.equal(await button.isEnabled(), true);
  await fillForm(page, { sdk_framework: 'x' });
  assert.equal(await button.isDisabled(), true);
  assertClean(problems);
});

test('a valid submission shows the account, the secret masked until revealed, and the guidance', async (t) => {
  const { page, problems, context } = await newPage(t);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.pageUrl).origin });
  await gotoForm(page, env);
  const email = await createThroughPage(page, 'success');

  assert.equal(await page.locator('#result-heading').textContent(), 'Account created');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading', 'focus moves to the result');
  assert.equal(await page.locator('#r-email').textContent(), email);
  assert.equal(await page.locator('#r-plan').textContent(), 'free');
  assert.match(await page.locator('#r-cloud').textContent(), /^[a-z0-9-]{3,}$/);
  const apiKey = await page.locator('#r-key').textContent();
  assert.match(apiKey, /^\d{6,}$/);

  // Masked: bullets, not the secret.
  const secretEl = page.locator('#r-secret');
  const masked = await secretEl.textContent();
  assert.ok(/^•+$/.test(masked), 'the secret is not masked'); // never print the value
  const maskedUrl = await page.locator('#r-url').textContent();
  assert.ok(/^cloudinary:\/\/\d+:•+@[a-z0-9-]+$/.test(maskedUrl), 'the CLOUDINARY_URL is not masked');
  assert.ok(/CLOUDINARY_URL=cloudinary:\/\/\d+:•+@/.test(await page.locator('#r-env').textContent()),
    'the .env line is not masked');

  // Reveal shows it; the URL keeps it masked until its own Reveal.
  const reveal = page.locator('[data-reveal="secret"]');
  await reveal.click();
  assert.equal(await reveal.getAttribute('aria-pressed'), 'true');
  assert.equal(await reveal.textContent(), 'Hide');
  const secret = await secretEl.textContent();
  assert.ok(secret.length >= 16 && !secret.includes('•'), 'the revealed secret is not shown');
  assert.ok(!maskedUrl.includes(secret), 'the masked URL contains the secret');
  await page.locator('[data-reveal="url"]').click();
  const url = await page.locator('#r-url').textContent();
  assert.ok(url === `cloudinary://${apiKey}:${secret}@${await page.locator('#r-cloud').textContent()}`,
    'the revealed CLOUDINARY_URL is not cloudinary://KEY:SECRET@CLOUD');

  // Copy puts the real secret on the clipboard, even while masked.
  await reveal.click();
  assert.ok(/^•+$/.test(await secretEl.textContent()), 'the secret is not masked again');
  await page.locator('[data-copy="secret"]').click();
  await page.locator('[data-copy="secret"]').getByText('Copied').waitFor();
  assert.equal(await page.getByRole('status').filter({ hasText: 'copied' }).textContent(),
    'API secret copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied === secret, 'Copy did not copy the secret');
  await page.locator('[data-reveal="url"]').click(); // mask again before the screenshots

  // The guidance is rendered HTML, not Markdown source.
  const guidance = page.locator('#guidance');
  assert.ok((await guidance.locator('h1, h2').count()) >= 2, 'guidance headings are rendered');
  assert.ok((await guidance.locator('pre code').count()) >= 1, 'guidance code blocks are rendered');
  assert.ok(!(await guidance.textContent()).includes('## '), 'raw Markdown is shown');

  // Emulator target: the newest e-mail and the activation status.
  await badge(page).getByText('Pending verification').waitFor({ timeout: 10_000 });
  // The e-mail box is filled by its own fetch of the outbox, which may land after the badge.
  await page.locator('#mail-verify[href]').waitFor({ timeout: 10_000 });
  const verify = await page.locator('#mail-verify').getAttribute('href');
  assert.ok(verify.startsWith(`${env.emulatorUrl}/verify/`), 'the verification link points at the emulator');
  assert.match(await page.locator('#outbox-link').getAttribute('href'), /\/_emulator\/outbox\?to=/);

  await page.screenshot({ path: join(ARTIFACTS, 'success.png'), fullPage: true });
  // A narrow phone: nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `the page is ${overflow}px wide on a 375px screen`);
  await page.screenshot({ path: join(ARTIFACTS, 'success-375.png'), fullPage: true });
  assertClean(problems);
});

test('completing verification through the outbox turns the status to active', async (t) => {
  const { page, problems, context } = await newPage(t);
  const pings = [];
  page.on('request', (r) => { if (r.url().endsWith('/ping')) pings.push(Date.now()); });
  await gotoForm(page, env);
  const email = await createThroughPage(page, 'verify');
  await badge(page).getByText('Pending verification').waitFor({ timeout: 10_000 });

  // The page links to the newest e-mail's verify_url: the same as the outbox lists (its own
  // fetch of the outbox may land after the badge).
  await page.locator('#mail-verify[href]').waitFor({ timeout: 10_000 });
  const outbox = await (await fetch(`${env.emulatorUrl}/_emulator/outbox?to=${encodeURIComponent(email)}`)).json();
  assert.equal(outbox.length, 1);
  assert.equal(await page.locator('#mail-verify').getAttribute('href'), outbox[0].verify_url);

  const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('#mail-verify').click()]);
  await tab.waitForLoadState();
  await tab.locator('input[name="password"]').fill('correct horse battery staple');
  await tab.getByRole('button', { name: 'Set password' }).click();
  await tab.getByRole('heading', { name: 'Your account is active' }).waitFor();

  await badge(page).getByText('Active', { exact: true }).waitFor({ timeout: 8000 });
  // Polling stops once active, and never ran faster than every 2 s.
  const count = pings.length;
  await page.waitForTimeout(2500);
  assert.equal(pings.length, count, 'the page kept polling after "active"');
  for (let i = 1; i < pings.length; i++) {
    assert.ok(pings[i] - pings[i - 1] >= 1900, `two pings ${pings[i] - pings[i - 1]} ms apart`);
  }
  assertClean(problems);
});

test('a 429 shows a countdown and re-enables the button when it ends', async (t) => {
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  await setFault(env, {
    count: 1,
    status: 429,
    body: JSON.stringify({ error: { category: 'rate_limit', code: 'ip_rate_limit_exceeded', message: 'Rate limit exceeded' } }),
    headers: { 'Retry-After': '3' },
  });
  await fillForm(page, { email: uniqueEmail('ratelimit'), ...VALID });
  const button = page.getByRole('button', { name: 'Create account' });
  await button.click();
  const alert = page.getByRole('alert');
  await alert.getByText(/Too many accounts/).waitFor();
  const hint = page.locator('#submit-hint');
  const first = Number(/try again in (\d+) s/.exec(await hint.textContent())?.[1]);
  assert.ok(first >= 2 && first <= 3, `countdown starts at ${first}`);
  assert.equal(await button.isDisabled(), true);
  await page.waitForFunction((n) => {
    const m = /try again in (\d+) s/.exec(document.getElementById('submit-hint')?.textContent || '');
    return m && Number(m[1]) < n;
  }, first, { timeout: 2500 });
  assert.equal(await button.isDisabled(), true, 'the button is enabled during the countdown');

  await page.waitForFunction(() => !document.querySelector('#submit')?.hasAttribute('disabled'), null, { timeout: 5000 });
  assert.equal(await page.locator('#submit-hint').textContent(), 'You can try again now.');
  assert.equal(await page.locator('#status').textContent(), 'You can try again now.', 'the end is announced');
  // The fault was for one request: the retry goes through.
  await button.click();
  await page.locator('#result').waitFor({ state: 'visible', timeout: 15_000 });
  assertClean(problems);
});

// Markdown the emulator appends to a real success's guidance. Every line tries to run script
// (setting window.__pwned or opening a dialog) or to smuggle in a dangerous link.
const INJECTION = `
## Injection corpus

<script>window.__pwned = 1; alert('script')</script>
<SCRIPT>window.__pwned = 2</SCRIPT>
<ScRiPt src="data:text/javascript,window.__pwned=3"></ScRiPt>
<img src=x onerror="window.__pwned = 4; alert('img')">
<IMG SRC=x OnError=alert('IMG')>
<svg onload=alert('svg')></svg>
<iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>
<a href="#" onclick="alert('onclick')">raw anchor with onclick</a>
<a href="javascript:alert('raw href')">raw javascript anchor</a>
<div onmouseover="alert('hover')">hover me</div>
<form action="javascript:alert('form')"><button>go</button></form>
<math><mi xlink:href="javascript:alert('math')">x</mi></math>
<details open ontoggle=alert('toggle')>details</details>

[lower](javascript:alert('lower'))
[mixed](JaVaScRiPt:alert('mixed'))
[spaced]( javascript:alert('spaced'))
[entity](&#106;avascript:alert('entity'))
[hex entity](&#x6A;&#x61;vascript:alert('hex'))
[named entity](javascript&colon;alert('colon'))
[tab](java&#9;script:alert('tab'))
[data html](data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+)
[DATA](DATA:text/html,<script>alert('DATA')</script>)
[vbscript](vbscript:msgbox('vb'))
![image js](javascript:alert('imgjs'))
![image data](data:image/svg+xml,<svg onload=alert('imgdata')>)
<javascript:alert('autolink')>
[reference][evil]
[title](https://127.0.0.1/title "x\\" onmouseover=\\"alert('title')")
[safe](https://127.0.0.1/safe)

\`<img src=x onerror=alert('codespan')>\`

&lt;script&gt;alert('escaped')&lt;/script&gt;

[evil]: javascript:alert('reference')
`;

test('guidance carrying an injection payload executes nothing', async (t) => {
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  await setFault(env, { count: 1, guidance_suffix: INJECTION });
  await createThroughPage(page, 'inject');
  const guidance = page.locator('#guidance');
  await guidance.getByText('Injection corpus').waitFor();
  // Give anything that would fire (onload, onerror, toggle) a chance to.
  await guidance.hover();
  await page.locator('#guidance details').evaluateAll((els) => els.forEach((d) => d.toggleAttribute('open')));
  await page.waitForTimeout(500);

  const found = await page.evaluate(() => {
    const bad = [];
    for (const node of document.querySelectorAll('*')) {
      for (const attr of node.attributes) {
        if (/^on/i.test(attr.name)) bad.push(`${node.tagName} has ${attr.name}`);
        if (/(href|src|action|data|srcdoc)$/i.test(attr.name) && /^\s*(javascript|data|vbscript):/i.test(attr.value)) {
          bad.push(`${node.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
        }
      }
    }
    const g = document.getElementById('guidance');
    for (const node of g.querySelectorAll('script, iframe, object, embed, form, svg, math, img, style, details, base, meta')) {
      bad.push(`guidance holds <${node.tagName.toLowerCase()}>`);
    }
    const links = [...g.querySelectorAll('a')].map((a) => ({
      protocol: new URL(a.href, location.href).protocol,
      rel: a.rel,
      href: a.getAttribute('href'),
    }));
    return { bad, links, pwned: /** @type {any} */ (window).__pwned, text: g.textContent };
  });
  assert.deepEqual(found.bad, []);
  assert.equal(found.pwned, undefined);
  for (const link of found.links) {
    assert.ok(['http:', 'https:', 'mailto:'].includes(link.protocol), `link kept: ${link.href}`);
    assert.match(link.rel, /noopener/);
    assert.match(link.rel, /noreferrer/);
  }
  assert.ok(found.links.some((l) => l.href === 'https://127.0.0.1/safe'), 'the safe link is kept');
  // Raw HTML is shown as text, so the reader sees what the server tried.
  assert.ok(found.text.includes("<script>window.__pwned = 1; alert('script')</script>"));
  assert.ok(found.text.includes("<img src=x onerror=alert('codespan')>"));
  assertClean(problems);
});

test('the whole flow works with the keyboard alone', async (t) => {
  const { page, problems, context } = await newPage(t);
  await gotoForm(page, env);
  const values = { email: uniqueEmail('keyboard'), ...VALID };
  const typed = new Set();
  let submitted = false;
  for (let i = 0; i < 40 && !submitted; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const a = document.activeElement;
      return { id: a?.id, name: a?.getAttribute('name') };
    });
    if (focus.name && focus.name in values && !typed.has(focus.name)) {
      await page.keyboard.type(values[focus.name]);
      typed.add(focus.name);
    } else if (focus.id === 'submit') {
      assert.equal(typed.size, 5, 'the button was reachable before the form was valid');
      await page.keyboard.press('Enter');
      submitted = true;
    }
  }
  assert.ok(submitted, 'Tab never reached an enabled "Create account" button');
  await page.locator('#result').waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading');

  // Tab to the secret's Reveal and press Space; then on to the verification link, and Enter.
  const tabTo = async (selector) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    }
    assert.fail(`Tab never reached ${selector}`);
  };
  await tabTo('[data-reveal="secret"]');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('[data-reveal="secret"]').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Space');
  await badge(page).getByText('Pending verification').waitFor({ timeout: 10_000 });
  await page.locator('#mail-verify[href]').waitFor({ timeout: 10_000 });
  await tabTo('#mail-verify');
  const [tab] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
  await tab.waitForLoadState();
  // On the emulator's page: Tab to the password, type it, Enter submits.
  for (let i = 0; i < 10; i++) {
    await tab.keyboard.press('Tab');
    if (await tab.evaluate(() => document.activeElement?.getAttribute('name') === 'password')) break;
  }
  await tab.keyboard.type('correct horse battery staple');
  await tab.keyboard.press('Enter');
  await tab.getByRole('heading', { name: 'Your account is active' }).waitFor();
  await badge(page).getByText('Active', { exact: true }).waitFor({ timeout: 8000 });
  assertClean(problems);
});

test('each error code gets its own message, and field problems mark their fields', async (t) => {
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  const alert = page.getByRole('alert');
  const submitWith = async (values) => {
    await fillForm(page, { ...VALID, ...values });
    await page.getByRole('button', { name: 'Create account' }).click();
    await alert.waitFor({ state: 'visible', timeout: 15_000 });
    return alert.textContent();
  };

  await t.test('account_exists marks the e-mail', async () => {
    const email = uniqueEmail('exists');
    await fillForm(page, { email, ...VALID });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#result').waitFor({ state: 'visible', timeout: 15_000 });
    // Same address again.
    await page.locator('#email').fill('');
    const text = await submitWith({ email });
    assert.match(text, /already exists/);
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#email-error').textContent(), /already exists/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email', 'focus goes to the field');
    assert.equal(await page.locator('#submit').isDisabled(), true);
    // Editing the address clears the server's complaint.
    await page.locator('#email').fill(uniqueEmail('exists2'));
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), null);
  });

  await t.test('disposable_email', async () => {
    assert.match(await submitWith({ email: 'someone@mailinator.com' }), /disposable e-mail provider/);
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    await page.locator('#email').fill(uniqueEmail('after-disposable'));
  });

  await t.test('invalid_request with server field issues marks those fields', async () => {
    await setFault(env, {
      count: 1,
      status: 400,
      body: JSON.stringify({ error: {
        category: 'invalid_parameter', code: 'too_short', message: 'agent_goal is too short',
        issues: [{ field: 'agent_goal', code: 'too_short', message: 'agent_goal must say more (server rule)' }],
      } }),
    });
    assert.match(await submitWith({ email: uniqueEmail('issues') }), /rejected some fields/);
    assert.equal(await page.locator('#agent_goal').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#agent_goal-error').textContent(), 'agent_goal must say more (server rule)');
    await page.locator('#agent_goal').fill(VALID.agent_goal + '.');
  });

  const cases = [
    ['blocked', { status: 403, body: '{"error":{"category":"forbidden","code":"blocked","message":"Request blocked"}}' }, /refused this request/],
    ['server_error', { status: 500, body: '{"error":{"message":"Internal server error"}}' }, /problem on its side/],
    ['unexpected_response', { status: 200, body: '<html>not the API</html>', content_type: 'text/html' }, /not what the API documents/],
  ];
  for (const [code, fault, message] of cases) {
    await t.test(code, async () => {
      await setFault(env, { count: 1, ...fault });
      const text = await submitWith({ email: uniqueEmail(code) });
      assert.match(text, message);
      assert.match(text, /Request id: [0-9a-f]{8,}/);
    });
  }

  await t.test('an unrecognised 2xx keeps its answer on the page, masked until revealed', async () => {
    await setFault(env, {
      count: 1,
      status: 200,
      body: JSON.stringify({ email: 'x@example.com', product_environments: [], note: 'fake-kept-answer-0001' }),
    });
    const text = await submitWith({ email: uniqueEmail('kept') });
    assert.match(text, /not what the API documents/);
    assert.ok(!text.includes('fake-kept-answer-0001'), 'the alert shows the answer');
    const kept = page.locator('#raw-text');
    assert.ok(/^•+$/.test(await kept.textContent()), 'the kept answer is not masked');
    await page.locator('[data-reveal="raw"]').click();
    assert.ok((await kept.textContent()).includes('"note": "fake-kept-answer-0001"'), 'the kept answer is not shown');
    await page.locator('[data-reveal="raw"]').click();
  });

  await t.test('network', async () => {
    await page.locator('#target-custom').check();
    await page.locator('#base-url').fill(`http://127.0.0.1:${await closedPort()}`);
    assert.match(await submitWith({ email: uniqueEmail('network') }), /could not be reached/);
    assert.equal(await page.locator('#raw').isHidden(), true, 'the last answer kept stays after another submission');
  });

  await t.test('a malformed custom URL keeps the button disabled', async () => {
    await page.locator('#base-url').fill('ftp://127.0.0.1');
    assert.match(await page.locator('#base-url-error').textContent(), /http:\/\/ or https:\/\//);
    assert.equal(await page.locator('#submit').isDisabled(), true);
  });
  assertClean(problems);
});

// Last: it moves the emulator's clock a day forward, which disables every unverified account.
test('an account not verified within 24 hours shows "Disabled" and polling stops', async (t) => {
  const { page, problems } = await newPage(t);
  const pings = [];
  page.on('request', (r) => { if (r.url().endsWith('/ping')) pings.push(Date.now()); });
  await gotoForm(page, env);
  await createThroughPage(page, 'disabled');
  await badge(page).getByText('Pending verification').waitFor({ timeout: 10_000 });
  const res = await fetch(`${env.emulatorUrl}/_emulator/clock/advance?seconds=${25 * 3600}`, { method: 'POST' });
  assert.equal(res.status, 200);
  await badge(page).getByText('Disabled', { exact: true }).waitFor({ timeout: 8000 });
  const count = pings.length;
  await page.waitForTimeout(2500);
  assert.equal(pings.length, count, 'the page kept polling after "disabled"');
  assertClean(problems);
});
