// `cloudinary-agent-account cloud`, `claim` and `status` for a Claimable Cloud, as installed,
// in fresh temporary git repositories against the emulator (and a recording server where a
// request must be read). The full claim link appears only on a terminal (script(1)) and when
// saving failed; every other output is checked for the secret and the claim token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, realpathSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { startEmulator, startServer } from './harness.mjs';
import { assertNoSecret } from './secrets.mjs';
import { runBin, CLEAN } from './bin.mjs';

let emu;
let shortLived;
let privateEmu;
before(async () => {
  [emu, shortLived, privateEmu] = await Promise.all([
    startEmulator(['--rate-limit', 'off', '--cloud-daily-cap', 'off']),
    // Clouds that expire 2 s after creation, for `claim` and `status` past the expiry.
    startEmulator(['--rate-limit', 'off', '--cloud-daily-cap', 'off', '--cloud-lifetime', '2']),
    startEmulator(['--caller-not-public']),
  ]);
});
after(async () => { await Promise.all([emu.stop(), shortLived.stop(), privateEmu.stop()]); });

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-cloud-cli-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}


/** Runs the bin (bin.mjs) in a clean environment. */
const run = (args, { cwd, env = {}, tty = false } = {}) => runBin(args, { cwd, tty, env: { ...CLEAN, NO_COLOR: '1', ...env } });

const kvOf = (text) => Object.fromEntries(text.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
/** The secret and claim token saved in dir/.env. */
function saved(dir) {
  const env = dotenv.parse(readFileSync(join(dir, '.env'), 'utf8'));
  return {
    env,
    secret: /:([^:@]+)@/.exec(env.CLOUDINARY_URL)[1],
    token: new URL(env.CLOUDINARY_CLOUD_CLAIM_URL).searchParams.get('token'),
  };
}
function noSecrets(r, s, where) {
  assertNoSecret(r.stdout + r.stderr, s.secret, `${where}: secret`);
  assertNoSecret(r.stdout + r.stderr, s.token, `${where}: claim token`);
}

test('--help lists the cloud and claim commands and the exit statuses 9 and 12', async () => {
  const { code, stdout } = await run(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /cloudinary-agent-account cloud \[EMAIL\] \[--ip IP\]\.\.\./);
  assert.match(stdout, /cloudinary-agent-account claim \[--env-file PATH\] \[--json\]/);
  assert.match(stdout, /^ {2}9 {4}claim: the env file holds no claim link/m);
  assert.match(stdout, /^ {2}12 {3}claim, status: the cloud's expiry has passed/m);
});

test('cloud, piped: KEY=value lines with the claim URL redacted, the three keys in a 0600 git-ignored .env; claim and status', async () => {
  const dir = gitRepo();
  const r = await run(['cloud', '--ip', '203.0.113.7', '--base-url', emu.url], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const s = saved(dir);
  noSecrets(r, s, 'cloud, piped');
  const kv = kvOf(r.stdout);
  assert.equal(kv.STATUS, 'created');
  assert.equal(kv.CLOUD_NAME, /@(\S+)$/.exec(s.env.CLOUDINARY_URL)[1]);
  assert.equal(kv.CLAIM_URL, `${emu.url}/claim?token=[REDACTED]`);
  assert.equal(kv.EXPIRES_AT, s.env.CLOUDINARY_CLOUD_EXPIRES_AT);
  assert.match(kv.DELIVERY_IPS, /203\.0\.113\.7/);
  assert.equal(kv.ENV_FILE, join(dir, '.env'));
  assert.equal(kv.ENV_FILE_ACTION, 'created');
  assert.match(kv.NEXT_STEPS, /^Give the person the claim link before .*`npx cloudinary-agent-account claim` in their own terminal/);
  assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '/.env\n');

  // claim, piped: redacted, and a sentence telling the agent to ask the person.
  const c = await run(['claim'], { cwd: dir });
  assert.equal(c.code, 0, c.stderr);
  noSecrets(c, s, 'claim, piped');
  assert.equal(kvOf(c.stdout).CLAIM_URL, `${emu.url}/claim?token=[REDACTED]`);
  assert.ok(Number(kvOf(c.stdout).SECONDS_LEFT) > 23 * 3600);
  assert.match(c.stderr, /ask the person to run `npx cloudinary-agent-account claim` in their own terminal/);
  const j = await run(['claim', '--json'], { cwd: dir });
  assert.equal(JSON.parse(j.stdout).claim_url, `${emu.url}/claim?token=[REDACTED]`);
  noSecrets(j, s, 'claim --json');

  // claim on a terminal: the full link, for the person; never a browser.
  const t = await run(['claim'], { cwd: dir, tty: true });
  assert.equal(t.code, 0, t.stdout);
  assert.ok(t.stdout.includes(s.env.CLOUDINARY_CLOUD_CLAIM_URL), 'the full link on a terminal');
  assert.match(t.stdout, /Claim cloud \S+ before .* left\): it is the only way to keep it/);
  assertNoSecret(t.stdout, s.secret, 'claim on a terminal: secret');

  // status: working (the credentials work at once).
  const st = await run(['status', '--base-url', emu.url], { cwd: dir });
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /^KIND=cloud$/m);
  assert.match(st.stdout, /^STATE=working$/m);
  noSecrets(st, s, 'status');

  // A second cloud into the same file: refused before sending (8); --force replaces it.
  const again = await run(['cloud', '--base-url', emu.url], { cwd: dir });
  assert.equal(again.code, 8);
  assert.equal(saved(dir).token, s.token, 'the file is untouched');
  const forced = await run(['cloud', '--force', '--base-url', emu.url], { cwd: dir });
  assert.equal(forced.code, 0, forced.stderr);
  assert.notEqual(saved(dir).token, s.token);
});

test('cloud on a terminal: the claim link in full as the headline, the IP lock explained, never the secret', async () => {
  const dir = gitRepo();
  const r = await run(['cloud', 'jane@example.com', '--base-url', emu.url], { cwd: dir, tty: true });
  assert.equal(r.code, 0, r.stdout);
  const s = saved(dir);
  const lines = r.stdout.split(/\r?\n/);
  assert.match(lines[0], /^Claim this cloud before \d{4}-\d\d-\d\d \d\d:\d\d UTC \(23 h 5\d min left\): it is the only way to keep it\.$/);
  assert.equal(lines[1].trim(), s.env.CLOUDINARY_CLOUD_CLAIM_URL);
  assert.match(r.stdout, /x-cld-error: ACL deny, while uploads still work/);
  assert.match(r.stdout, /ignored by git, added to \.gitignore/);
  assertNoSecret(r.stdout, s.secret, 'the terminal summary');
  // --json, on a terminal too: redacted.
  const dir2 = gitRepo();
  const j = await run(['cloud', '--json', '--base-url', emu.url], { cwd: dir2, tty: true });
  assert.equal(j.code, 0);
  const parsed = JSON.parse(j.stdout);
  assert.equal(parsed.claim_url, `${emu.url}/claim?token=[REDACTED]`);
  assert.equal(parsed.api_secret, '[REDACTED]');
  assert.equal(parsed.env_file_action, 'created');
  noSecrets(j, saved(dir2), 'cloud --json');
});

test('@cloudinary/cloud\'s flags (--email, --no-env), markers for framework and model, and --no-save refused off a terminal', async () => {
  let body;
  const FAKE = { cloud_name: 'c7', api_key: '1234567', api_secret: 'FAKE-cloud-secret-7777', api_environment_variable: 'CLOUDINARY_URL=cloudinary://1234567:FAKE-cloud-secret-7777@c7', claimed: false, expires_at: '2099-01-01T00:00:00Z', delivery_ips: ['203.0.113.7'], claim_url: 'https://console.example.com/claim?token=FAKEtokenSEVEN777', email: 'jane@example.com', account_id: 'a7', guidance: 'claim it' };
  const server = await startServer((req, res, b) => { body = JSON.parse(b); res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(FAKE)); });
  try {
    const dir = gitRepo();
    const refused = await run(['cloud', '--no-env', '--base-url', server.url], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /would lose the claim link/);
    assert.equal(server.requests.length, 0, 'nothing was sent');
    const both = await run(['cloud', 'a@example.com', '--email', 'b@example.com', '--base-url', server.url], { cwd: dir });
    assert.equal(both.code, 2);

    const env = { CLAUDECODE: '1', ANTHROPIC_MODEL: 'claude-opus-4-8' };
    const r = await run(['cloud', '--email', 'jane@example.com', '--ip', '203.0.113.7', '--ip', 'requester_ip', '--goal', 'Host images', '--base-url', server.url], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(body, { delivery_ips: ['203.0.113.7', 'requester_ip'], email: 'jane@example.com', agent_framework: 'claude-code', agent_llm_model: 'claude-opus-4-8', agent_goal: 'Host images' });
    noSecrets(r, { secret: FAKE.api_secret, token: 'FAKEtokenSEVEN777' }, 'cloud via a recording server');

    // On a terminal, --no-env prints the link and writes nothing.
    const dir2 = gitRepo();
    const t = await run(['cloud', '--no-env', '--base-url', server.url], { cwd: dir2, tty: true });
    assert.equal(t.code, 0, t.stdout);
    assert.ok(t.stdout.includes(FAKE.claim_url));
    assert.match(t.stdout, /not saved \(--no-save\): copy the link above now/);
    assert.throws(() => readFileSync(join(dir2, '.env')));
  } finally {
    await server.stop();
  }
});

test('saving fails after creation: every line printed in full, the claim link included (exit 7)', async () => {
  const dir = gitRepo();
  const FAKE = { cloud_name: 'c8', api_key: '1234567', api_secret: 'FAKE-cloud-secret-8888', api_environment_variable: 'CLOUDINARY_URL=cloudinary://1234567:FAKE-cloud-secret-8888@c8', claimed: false, expires_at: '2099-01-01T00:00:00Z', delivery_ips: ['203.0.113.7'], claim_url: 'https://console.example.com/claim?token=FAKEtokenEIGHT888', email: 'x@example.com', account_id: 'a8', guidance: '' };
  const server = await startServer((req, res) => {
    rmSync(join(dir, 'sub'), { recursive: true, force: true });
    writeFileSync(join(dir, 'sub'), 'x');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(FAKE));
  });
  try {
    mkdirSync(join(dir, 'sub'));
    const r = await run(['cloud', '--env-file', 'sub/.env', '--base-url', server.url], { cwd: dir, env: { HOME: join(dir, 'no-home') } });
    assert.equal(r.code, 7);
    assert.match(r.stderr, /the cloud was created, but saving to sub\/\.env failed/);
    assert.match(r.stderr, /the only link that keeps the cloud/);
    assert.ok(r.stdout.includes(`CLOUDINARY_CLOUD_CLAIM_URL=${FAKE.claim_url}`), 'the full link, never lost');
    assert.match(r.stdout, /^CLOUDINARY_URL=cloudinary:\/\/1234567:FAKE-cloud-secret-8888@c8$/m);
  } finally {
    await server.stop();
  }
});

test('delivery_ips_not_public exits 5 with the VPN advice; invalid delivery IPs exit 2 before sending', async () => {
  const dir = gitRepo();
  const r = await run(['cloud', '--base-url', privateEmu.url], { cwd: dir });
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stdout, /^ERROR_CODE=delivery_ips_not_public$/m);
  assert.match(r.stderr, /private address \(a VPN, proxy or gateway\)/);
  const bad = await run(['cloud', '--ip', '10.0.0.0/8', '--base-url', privateEmu.url, '--json'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.equal(JSON.parse(bad.stdout).error.code, 'invalid_input');
});

test('claim without a saved cloud exits 9; past the expiry claim exits 12, status says expired (12) or claimed (0)', async () => {
  const dir = gitRepo();
  const none = await run(['claim'], { cwd: dir });
  assert.equal(none.code, 9);
  assert.match(none.stderr, /holds no CLOUDINARY_CLOUD_CLAIM_URL/);

  const unclaimed = gitRepo();
  const claimed = gitRepo();
  for (const d of [unclaimed, claimed]) {
    const r = await run(['cloud', '--base-url', shortLived.url], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
  }
  // The person claims one: the claim form, then the confirmation e-mail's link.
  const link = saved(claimed).env.CLOUDINARY_CLOUD_CLAIM_URL;
  const form = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=claimer%40example.com&terms=accepted' });
  assert.equal(form.status, 200);
  const mail = (await (await fetch(`${shortLived.url}/_emulator/outbox?to=claimer%40example.com`)).json()).pop();
  const confirm = await fetch(mail.verify_url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(confirm.status, 200);

  const wait = Date.parse(saved(unclaimed).env.CLOUDINARY_CLOUD_EXPIRES_AT) - Date.now() + 1200;
  await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  const late = await run(['claim'], { cwd: unclaimed });
  assert.equal(late.code, 12);
  assert.match(late.stdout, /^STATE=expired$/m);
  noSecrets(late, saved(unclaimed), 'claim past the expiry');
  const expired = await run(['status', '--base-url', shortLived.url], { cwd: unclaimed });
  assert.equal(expired.code, 12, expired.stderr);
  assert.match(expired.stdout, /^STATE=expired$/m);
  const kept = await run(['status', '--base-url', shortLived.url, '--json'], { cwd: claimed });
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal(JSON.parse(kept.stdout).state, 'claimed');
  noSecrets(kept, saved(claimed), 'status of a claimed cloud');
});
