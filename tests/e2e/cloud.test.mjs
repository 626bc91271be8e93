// Browser tests of the demo page's Claimable Cloud path against the real emulator, in Debian's
// Chromium: live validation, the result (claim link, time left, delivery IPs, credentials),
// the claim followed through the emulator's pages and outbox, the delivery lock, the errors.
// Run with `node --test tests/e2e/cloud.test.mjs` (scripts/test-e2e.sh does).
//
// The claim link carries a token that is as good as the cloud's root key: like the secret, it
// is compared inside the process (assert.ok on a boolean), never passed to an assertion that
// would print it on failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startEmulator, startServer } from '../support/index.mjs';
import { ARTIFACTS, ROOT, assertClean, gotoForm, openPageFor, useEnv } from './harness.mjs';

const env = useEnv();
const newPage = (t, size) => openPageFor(t, env, size);

const ip = (i) => `#cloud-delivery_ips-${i}`;
const ipError = (i) => `#cloud-delivery_ips-${i}-error`;
const createButton = (page) => page.getByRole('button', { name: 'Create cloud' });

/** Fills the cloud form (ids without their `cloud-` prefix) and creates; waits for the result. */
async function createCloudThroughPage(page, values = {}) {
  for (const [id, value] of Object.entries(values)) await page.locator(`#cloud-${id}`).fill(value);
  await createButton(page).click();
  await page.locator('#cloud-result').waitFor({ state: 'visible', timeout: 15_000 });
}

/** Seconds in a "23 h 59 min 58 s" countdown. */
function seconds(text) {
  const m = /^(?:(\d+) h )?(?:(\d+) min )?(\d+) s$/.exec(text.trim());
  assert.ok(m, `not a countdown: ${text}`);
  return Number(m[1] || 0) * 3600 + Number(m[2] || 0) * 60 + Number(m[3]);
}

test('the cloud form takes an empty request and checks each delivery IP at its own input', async (t) => {
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  // Every field is optional: the empty form can be sent, and nothing is marked.
  assert.equal(await createButton(page).isEnabled(), true);
  assert.equal(await page.locator('#cloud-form [aria-invalid="true"]').count(), 0);
  // As many address inputs as the schema allows, and the bounds written from it.
  assert.equal(await page.locator('#cloud-ip-list input').count(), 3);
  assert.match(await page.locator('#cloud-agent_goal-hint').textContent(), /2-300 characters when given/);

  await page.locator(ip(0)).fill('example.com');
  assert.match(await page.locator(ipError(0)).textContent(), /^delivery_ips\[0\] is a host name/);
  assert.equal(await page.locator(ip(0)).getAttribute('aria-invalid'), 'true');
  assert.equal(await createButton(page).isDisabled(), true);

  // An empty input is not sent: the second input's problem is shown there, named as the
  // person sees it, though it is the request's first entry.
  await page.locator(ip(0)).fill('');
  await page.locator(ip(1)).fill('203.0.113.0/24');
  assert.equal(await page.locator(ipError(0)).textContent(), '');
  assert.match(await page.locator(ipError(1)).textContent(), /^delivery_ips\[1\] is a CIDR range/);

  // The same address twice, written two ways.
  await page.locator(ip(1)).fill('2001:db8::7');
  await page.locator(ip(2)).fill('2001:DB8:0:0:0:0:0:7');
  assert.match(await page.locator(ipError(2)).textContent(), /^delivery_ips\[2\] is the same address as delivery_ips\[1\]/);
  await page.locator(ip(2)).fill('requester_ip');
  assert.equal(await page.locator(ipError(2)).textContent(), '');
  assert.equal(await createButton(page).isEnabled(), true);

  // The text fields follow the account request's rules, when given.
  await page.locator('#cloud-email').fill('not-an-email');
  assert.match(await page.locator('#cloud-email-error').textContent(), /e-mail address/);
  await page.locator('#cloud-agent_goal').fill('x');
  assert.match(await page.locator('#cloud-agent_goal-error').textContent(), /agent_goal must be 2-300/);
  assert.equal(await createButton(page).isDisabled(), true);
  await page.locator('#cloud-email').fill('');
  await page.locator('#cloud-agent_goal').fill('');
  assert.equal(await createButton(page).isEnabled(), true);
  // The account form is untouched by all this.
  assert.equal(await page.locator('#signup [aria-invalid="true"]').count(), 0);
  assertClean(problems);
});

test('the forms follow the request schemas the package publishes', async (t) => {
  const { inputSchema, cloudInputSchema } = await import(join(ROOT, 'pkg', 'tool-schema.js'));
  /** Serves the page a tool-schema.js with these schemas instead of the package's. */
  const serveSchemas = (page, account, cloud) => page.route('**/pkg/tool-schema.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `export const inputSchema = ${JSON.stringify(account)};\nexport const cloudInputSchema = ${JSON.stringify(cloud)};\n`,
  }));

  await t.test('two delivery IPs and other bounds: two inputs, the bounds in the hints', async (st) => {
    const { page, problems } = await newPage(st);
    const cloud = structuredClone(cloudInputSchema);
    cloud.properties.delivery_ips.maxItems = 2;
    cloud.properties.agent_goal.maxLength = 250;
    await serveSchemas(page, inputSchema, cloud);
    await gotoForm(page, env);
    assert.equal(await page.locator('#cloud-ip-list input').count(), 2);
    assert.match(await page.locator('#cloud-agent_goal-hint').textContent(), /2-250 characters when given/);
    assertClean(problems);
  });

  await t.test('a field the markup lacks: the page says so and shows no form', async (st) => {
    const { page, problems } = await newPage(st);
    const account = structuredClone(inputSchema);
    account.properties.company = { type: 'string', minLength: 2, maxLength: 100 };
    await serveSchemas(page, account, cloudInputSchema);
    await page.goto(env.pageUrl);
    await page.locator('#loading').getByText('The account form and its request schema disagree (missing: company; extra: none).').waitFor();
    assert.equal(await page.locator('#app').isHidden(), true);
    assert.equal(problems.pageErrors.length, 1, 'the page did not stop');
  });
});

test('a cloud: the claim link, the time left, the delivery lock, then the claim through the emulator', async (t) => {
  const { page, problems, context } = await newPage(t);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.pageUrl).origin });
  await gotoForm(page, env);
  await createCloudThroughPage(page, {
    'delivery_ips-0': '198.51.100.7',
    agent_framework: 'langchain',
    agent_llm_model: 'claude-opus-4-8',
    agent_goal: 'Host the product images of a small web shop',
    sdk_framework: 'nodejs',
  });
  assert.equal(await page.locator('#cloud-result-heading').textContent(), 'Cloud created');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'cloud-result-heading', 'focus moves to the result');
  const cloudName = await page.locator('#c-cloud').textContent();
  assert.match(cloudName, /^[a-z0-9-]{3,}$/);
  assert.match(await page.locator('#c-email').textContent(), /@cloud\.cloudinary\.invalid \(a placeholder/);

  // The claim link, whole, as text and as the link's target: this is the person's screen.
  const claim = page.locator('#c-claim');
  const claimText = await claim.textContent();
  const claimHref = await claim.getAttribute('href');
  assert.ok(claimText === claimHref, 'the claim link shown is not the one linked');
  assert.ok(claimText.startsWith(`${env.emulatorUrl}/claim?token=`) && claimText.length > `${env.emulatorUrl}/claim?token=`.length + 16,
    'the claim link is not shown in full');
  await page.locator('[data-copy="claim"]').click();
  await page.locator('[data-copy="claim"]').getByText('Copied').waitFor();
  assert.ok(await page.evaluate((c) => navigator.clipboard.readText().then((x) => x === c), claimText), 'Copy did not copy the claim link');

  // The time left counts down from 24 hours.
  const left = page.locator('#c-left');
  const first = seconds(await left.textContent());
  assert.ok(first > 23 * 3600 && first <= 24 * 3600, `time left starts at ${first} s`);
  await page.waitForFunction((s) => {
    const text = document.getElementById('c-left')?.textContent || '';
    const m = /(\d+) s$/.exec(text);
    return m && !text.startsWith(s);
  }, await left.textContent(), { timeout: 3000 });
  assert.match(await page.locator('#c-expires').textContent(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // The delivery IPs as the service resolved them: the one given and this machine's.
  assert.deepEqual(await page.locator('#c-ips li').allTextContents(), ['198.51.100.7', '127.0.0.1']);

  // The credentials as for an account: the secret masked until revealed.
  const apiKey = await page.locator('#c-key').textContent();
  assert.match(apiKey, /^\d{6,}$/);
  assert.ok(/^•+$/.test(await page.locator('#c-secret').textContent()), 'the secret is not masked');
  assert.ok(/^cloudinary:\/\/\d+:•+@[a-z0-9-]+$/.test(await page.locator('#c-url').textContent()), 'the CLOUDINARY_URL is not masked');
  const envText = await page.locator('#c-env').textContent();
  assert.ok(/^CLOUDINARY_URL=cloudinary:\/\/\d+:•+@/m.test(envText), 'the .env line is not masked');
  assert.ok(envText.includes(`CLOUDINARY_CLOUD_CLAIM_URL=${claimText}`) || envText.includes(`CLOUDINARY_CLOUD_CLAIM_URL='${claimText}'`),
    'the .env has no claim link');
  assert.match(envText, /^CLOUDINARY_CLOUD_EXPIRES_AT=\S+$/m);
  await page.locator('[data-reveal="cloud-secret"]').click();
  const secret = await page.locator('#c-secret').textContent();
  assert.ok(secret.length >= 16 && !secret.includes('•'), 'the revealed secret is not shown');
  assert.ok(!claimText.includes(secret), 'the claim link holds the secret');
  await page.locator('[data-reveal="cloud-secret"]').click();

  // The guidance is rendered.
  const guidance = page.locator('#cloud-guidance');
  assert.ok((await guidance.locator('h1, h2').count()) >= 2, 'guidance headings are rendered');
  assert.ok(!(await guidance.textContent()).includes('## '), 'raw Markdown is shown');

  // Unclaimed: delivered here (in the IPs), refused elsewhere with the documented symptom.
  const state = page.locator('#cloud-state');
  await state.getByText('Unclaimed: working, delivery locked to its IPs').waitFor({ timeout: 10_000 });
  await page.locator('#delivery-inside').getByText('200: the image').waitFor({ timeout: 10_000 });
  await page.locator('#delivery-outside').getByText('401, x-cld-error: ACL deny').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'cloud.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `the page is ${overflow}px wide on a 375px screen`);
  await page.screenshot({ path: join(ARTIFACTS, 'cloud-375.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The claim page, as the person opens it from the link.
  const [claimTab] = await Promise.all([context.waitForEvent('page'), claim.click()]);
  await claimTab.waitForLoadState();
  await claimTab.getByRole('heading', { name: 'Claim your Cloudinary cloud' }).waitFor();
  await claimTab.getByLabel('E-mail address').fill('jane.claims@example.com');
  await claimTab.getByLabel('I accept the terms of use').check();
  await claimTab.getByRole('button', { name: 'Claim this cloud' }).click();
  await claimTab.getByRole('heading', { name: 'Check your e-mail' }).waitFor();

  // The confirmation e-mail shows up on the page, its link the outbox's.
  const mailLink = page.locator('#claim-mail-link[href]');
  await mailLink.waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('#claim-mail-to').textContent(), 'jane.claims@example.com');
  const outbox = await (await fetch(`${env.emulatorUrl}/_emulator/outbox?to=jane.claims%40example.com`)).json();
  assert.equal(outbox.length, 1);
  assert.equal(outbox[0].kind, 'claim');
  assert.ok(await mailLink.getAttribute('href') === outbox[0].verify_url, 'the page links another confirmation');

  const [confirmTab] = await Promise.all([context.waitForEvent('page'), mailLink.click()]);
  await confirmTab.waitForLoadState();
  await confirmTab.getByRole('button', { name: 'Confirm the claim' }).click();
  await confirmTab.getByRole('heading', { name: 'Your cloud is claimed' }).waitFor();

  // Claimed: no expiry, and delivery no longer locked.
  await state.getByText('Claimed: permanent, no expiry').waitFor({ timeout: 8000 });
  assert.equal(await left.textContent(), 'no expiry: the cloud is claimed');
  assert.equal(await page.locator('#c-expires-line').isHidden(), true);
  await page.locator('#delivery-outside').getByText('200: the image').waitFor({ timeout: 5000 });
  // The same credentials.
  assert.equal(await page.locator('#c-key').textContent(), apiKey);
  await page.screenshot({ path: join(ARTIFACTS, 'cloud-claimed.png'), fullPage: true });
  assertClean(problems);
});

test('the cloud path works with the keyboard alone, the claim link first in the result', async (t) => {
  const { page, problems, context } = await newPage(t);
  await gotoForm(page, env);
  /** Presses Tab until `selector` has the focus. */
  const tabTo = async (p, selector, most = 40) => {
    for (let i = 0; i < most; i++) {
      await p.keyboard.press('Tab');
      if (await p.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    }
    assert.fail(`Tab never reached ${selector}`);
  };
  await tabTo(page, ip(0));
  await page.keyboard.type('198.51.100.7');
  await tabTo(page, '#cloud-submit');
  await page.keyboard.press('Enter');
  await page.locator('#cloud-result').waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'cloud-result-heading');
  // The first stop after the heading is the claim link; Enter opens the claim page.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'c-claim', 'the claim link is not the first stop');
  const [tab] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
  await tab.waitForLoadState();
  await tab.getByRole('heading', { name: 'Claim your Cloudinary cloud' }).waitFor();
  await tabTo(page, '[data-reveal="cloud-secret"]');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('[data-reveal="cloud-secret"]').getAttribute('aria-pressed'), 'true');
  assertClean(problems);
});

test('each error of the cloud path gets its message, at the field where it has one', async (t) => {
  // Its own emulator: the caller counts as a private address, and one cloud a day.
  const strict = await startEmulator(['--test-controls', '--caller-not-public', '--cloud-daily-cap', '1'], { env: { RUST_LOG: 'warn' } });
  t.after(() => strict.stop());
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  await page.locator('#target-custom').check();
  await page.locator('#base-url').fill(strict.url);
  const alert = page.locator('#cloud-alert');
  const submitWith = async (values) => {
    for (const [id, value] of Object.entries(values)) await page.locator(`#cloud-${id}`).fill(value);
    await createButton(page).click();
    await alert.waitFor({ state: 'visible', timeout: 15_000 });
    return alert.textContent();
  };

  await t.test('delivery_ips_not_public', async () => {
    assert.match(await submitWith({}), /reached the service from a private address/);
    assert.match(await alert.textContent(), /Request id: [0-9a-f]{8,}/);
    assert.equal(await page.locator('#cloud-form [aria-invalid="true"]').count(), 0, 'a field is blamed');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cloud-alert', 'focus goes to the alert');
  });

  await t.test('registration_disabled', async () => {
    const off = await fetch(`${strict.url}/_emulator/registration`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"enabled":false}',
    });
    assert.equal(off.status, 200);
    assert.match(await submitWith({ 'delivery_ips-0': '198.51.100.7' }), /Creating clouds for people through an agent is switched off/);
    await fetch(`${strict.url}/_emulator/registration`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"enabled":true}',
    });
  });

  await t.test('disposable_email and account_exists mark the e-mail', async () => {
    assert.match(await submitWith({ email: 'someone@mailinator.com' }), /disposable e-mail provider/);
    assert.equal(await page.locator('#cloud-email').getAttribute('aria-invalid'), 'true');
    assert.equal(await createButton(page).isDisabled(), true, 'the refused address can be sent again');
    const taken = 'taken-by-an-account@example.com';
    const res = await fetch(`${strict.url}/v1_1/provisioning/agents/accounts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: taken, agent_framework: 'langchain', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Hold the address' }),
    });
    assert.equal(res.status, 200);
    assert.match(await submitWith({ email: taken }), /already uses this e-mail address/);
    assert.match(await page.locator('#cloud-email-error').textContent(), /already exists for this address/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cloud-email', 'focus goes to the field');
  });

  await t.test('the real service\'s view: no claim flow, the claim link and time left still shown', async () => {
    await page.locator('#cloud-email').fill('');
    await createCloudThroughPage(page, {});
    assert.equal(await page.locator('#claim-emulator').isHidden(), true);
    assert.equal(await page.locator('#claim-real').isVisible(), true);
    assert.ok((await page.locator('#c-claim').getAttribute('href')).startsWith(`${strict.url}/claim?token=`), 'no claim link');
    assert.ok(seconds(await page.locator('#c-left').textContent()) > 23 * 3600, 'no time left');
  });

  await t.test('rate_limited counts down in hours beside the button', async () => {
    assert.match(await submitWith({}), /Too many clouds were requested from this network/);
    assert.match(await page.locator('#cloud-submit-hint').textContent(), /^You can try again in 2[34] h \d+ min \d+ s\.$/);
    assert.equal(await createButton(page).isDisabled(), true);
    // The account form keeps its own button.
    assert.equal(await page.locator('#submit-hint').textContent(), 'The button is enabled once every required field is valid.');
  });
  assertClean(problems);
});

test('a lost or unrecognised answer to a cloud request says what may exist and keeps what came', async (t) => {
  // A server the emulator cannot play: the next answer as each subtest sets it, CORS included.
  /** @type {(res: import('node:http').ServerResponse) => void} */
  let answer = () => {};
  const stub = await startServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
    if (req.method === 'OPTIONS') return res.end();
    res.setHeader('X-Request-Id', 'feedc0de0001');
    answer(res);
  });
  t.after(() => stub.stop());
  const { page, problems } = await newPage(t);
  await gotoForm(page, env);
  await page.locator('#target-custom').check();
  await page.locator('#base-url').fill(stub.url);
  const alert = page.locator('#cloud-alert');
  const submit = async () => {
    await createButton(page).click();
    await alert.waitFor({ state: 'visible', timeout: 15_000 });
    return alert.textContent();
  };

  await t.test('a 5xx: the cloud may exist, and another one is safe', async () => {
    answer = (res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"error":{"message":"Internal server error"}}');
    };
    const text = await submit();
    assert.match(text, /problem on its side/);
    assert.match(text, /a cloud may have been created; its credentials and claim link went with the answer/);
    assert.match(text, /Request id: feedc0de0001/);
  });

  await t.test('an unrecognised 2xx: the answer is kept on the page, masked until revealed', async () => {
    answer = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ cloud: { name: 'fake-cloud' }, note: 'fake-kept-cloud-answer-0001' }));
    };
    const text = await submit();
    assert.match(text, /not what the API documents/);
    assert.ok(!text.includes('fake-kept-cloud-answer-0001'), 'the alert shows the answer');
    const kept = page.locator('#cloud-raw-text');
    assert.ok(/^•+$/.test(await kept.textContent()), 'the kept answer is not masked');
    await page.locator('[data-reveal="cloud-raw"]').click();
    assert.ok((await kept.textContent()).includes('fake-kept-cloud-answer-0001'), 'the kept answer is not shown');
    // The account form has nothing to show.
    assert.equal(await page.locator('#raw').isHidden(), true);
  });
  assertClean(problems);
});

// Last: it moves the emulator's clock a day forward, which disables every unclaimed cloud.
test('an unclaimed cloud past its expiry shows as expired, and the page stops checking', async (t) => {
  const { page, problems } = await newPage(t);
  const checks = [];
  page.on('request', (r) => { if (r.url().includes('/_emulator/delivery')) checks.push(Date.now()); });
  await gotoForm(page, env);
  await createCloudThroughPage(page, {});
  await page.locator('#cloud-state').getByText('Unclaimed', { exact: false }).waitFor({ timeout: 10_000 });
  const res = await fetch(`${env.emulatorUrl}/_emulator/clock/advance?seconds=${25 * 3600}`, { method: 'POST' });
  assert.equal(res.status, 200);
  await page.locator('#cloud-state').getByText('Expired: disabled, unclaimed').waitFor({ timeout: 8000 });
  assert.equal(await page.locator('#c-left').textContent(), 'none: the cloud has expired');
  await page.locator('#delivery-inside').getByText('401, x-cld-error: Cloud is disabled').waitFor({ timeout: 5000 });
  const count = checks.length;
  await page.waitForTimeout(2500);
  assert.equal(checks.length, count, 'the page kept checking after "expired"');
  assertClean(problems);
});
