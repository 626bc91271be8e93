// §5: the `cloudinary-agent-account` bin as installed, in fresh temporary git repositories,
// against the emulator (and a recording server where requests must be counted). Each test
// checks one outcome's output and exit status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, statSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, startServer, request, fakeAccount, denyFile } from '../support/index.mjs';
import { assertNoSecret, verify } from './secrets.mjs';

const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account', import.meta.url));
/** Exit statuses seen, for the report (printed at the end). */
const seen = {};

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => {
  await emu.stop();
  console.log(`cli exit statuses seen: ${JSON.stringify(seen)}`);
});

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-cli-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

// A clean environment: no coding-agent markers from the machine running the tests.
const CLEAN = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLAUDE|CURSOR|CODEX|GEMINI|OPENCODE|AMP_|WINDSURF|ANTHROPIC|OPENAI|CLOUDINARY)/.test(k)));

/** Runs the bin; resolves to { code, stdout, stderr }. `tty` runs it under script(1);
 * `started` is given the child process. */
function run(args, { cwd, env = {}, tty = false, outcome, started } = {}) {
  const fullEnv = { ...CLEAN, NO_COLOR: '1', ...env };
  const [cmd, argv] = tty
    ? ['script', ['-qefc', [BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' '), '/dev/null']]
    : [BIN, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    started?.(child);
    child.on('close', (code) => {
      if (outcome) seen[outcome] = code;
      resolve({ code, stdout, stderr });
    });
  });
}

const signupArgs = (req, extra = []) => ['signup', '--email', req.email, '--goal', req.agent_goal, '--framework', 'langchain', '--model', 'claude-opus-4-8', '--base-url', emu.url, ...extra];
const secretIn = (dir, file = '.env') => /cloudinary:\/\/\d+:([^@\s]+)@/.exec(readFileSync(join(dir, file), 'utf8'))[1];

test('--help lists every exit status', async () => {
  const { code, stdout } = await run(['--help']);
  assert.equal(code, 0);
  for (const s of ['0 ', '2 ', '3 ', '4 ', '5 ', '6 ', '7 ', '8 ', '10 ', '11 ']) assert.match(stdout, new RegExp(`^  ${s}`, 'm'));
});

test('signup, not on a terminal: KEY=value lines, .env 0600 and git-ignored, no secret in the output', async () => {
  const dir = gitRepo();
  const req = request();
  const r = await run(signupArgs(req), { cwd: dir, outcome: 'success' });
  assert.equal(r.code, 0, r.stderr);
  const kv = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  assert.equal(kv.STATUS, 'created');
  assert.equal(kv.EMAIL, req.email);
  assert.equal(kv.ENV_FILE, join(dir, '.env'));
  assert.equal(kv.ENV_FILE_ACTION, 'created');
  assert.equal(kv.IGNORED_BY_GIT, 'true');
  assert.equal(kv.GITIGNORE_UPDATED, 'true');
  assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '/.env\n');
  const secret = secretIn(dir);
  assertNoSecret(r.stdout + r.stderr, secret, 'the output');

  // status: pending (10), then active (0) once verified.
  const pending = await run(['status', '--base-url', emu.url], { cwd: dir, outcome: 'status pending' });
  assert.equal(pending.code, 10);
  assert.match(pending.stdout, /^STATE=pending$/m);
  await verify(emu, req.email);
  const active = await run(['status', '--base-url', emu.url], { cwd: dir, outcome: 'status active' });
  assert.equal(active.code, 0);
  assert.match(active.stdout, /^STATE=active$/m);
  assertNoSecret(pending.stdout + active.stdout + pending.stderr + active.stderr, secret, 'the status output');

  // A second signup in the same folder: refused before sending (8).
  const again = await run(signupArgs(request()), { cwd: dir, outcome: 'credentials exist' });
  assert.equal(again.code, 8);
  assert.match(again.stderr, /already holds CLOUDINARY_URL; nothing was sent/);
  assert.equal(secretIn(dir), secret, 'the file is untouched');
});

test('on a terminal: a human summary and the guidance as terminal text (no Markdown syntax; code and raw HTML as written)', async () => {
  const dir = gitRepo();
  await emu.fault({ count: 1, guidance_suffix: '\n\n## Next steps\n\n- **Verify** the [address](https://example.com/x) <b>now</b>\n' });
  const r = await run(signupArgs(request()), { cwd: dir, tty: true });
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /Created a Cloudinary account for/);
  assert.match(r.stdout, /cloud name +\S+/);
  assert.match(r.stdout, /ignored by git, added to \.gitignore/);
  assert.match(r.stdout, /open the e-mail Cloudinary sent to/);
  // Code spans verbatim: the placeholders of step 2 (a regular expression once deleted them).
  assert.match(r.stdout, /It has the form CLOUDINARY_URL=cloudinary:\/\/<api_key>:<api_secret>@\w+\./);
  assert.match(r.stdout, /curl -u '<api_key>:<api_secret>' /);
  assert.match(r.stdout, /^Next steps\r?\n-{10}\r?$/m);
  // Raw HTML is shown as the page shows it: as text.
  assert.match(r.stdout, /• Verify the address \(https:\/\/example\.com\/x\) <b>now<\/b>/);
  assert.doesNotMatch(r.stdout, /\*\*|\]\(|^#+ /m);
  assert.doesNotMatch(r.stdout, /\x1b/, 'NO_COLOR: no escape sequence');
  assertNoSecret(r.stdout, secretIn(dir), 'the terminal output');
});

test('--json: the redacted response plus env_file and env_file_action', async () => {
  const dir = gitRepo();
  const r = await run(signupArgs(request(), ['--json']), { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.env_file, join(dir, '.env'));
  assert.equal(j.env_file_action, 'created');
  assert.equal(j.product_environments[0].api_secret, '[REDACTED]');
  assert.equal(j.plan_name, 'free');
  assertNoSecret(r.stdout, secretIn(dir), 'the JSON');
});

test('framework and model come from the coding agent markers; without them, a usage error naming the flag', async () => {
  const server = await startServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(fakeAccount())); });
  try {
    const dir = gitRepo();
    const r = await run(['signup', '--email', 'jane@example.com', '--goal', 'Host images', '--base-url', server.url, '--no-save'],
      { cwd: dir, env: { CLAUDECODE: '1', ANTHROPIC_MODEL: 'claude-test-model' } });
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(server.requests[0].body);
    assert.equal(body.agent_framework, 'claude-code');
    assert.equal(body.agent_llm_model, 'claude-test-model');
    assert.ok(!existsSync(join(dir, '.env')), '--no-save writes nothing');
    assert.match(r.stdout, /^ENV_FILE_ACTION=not_saved$/m);
    assertNoSecret(r.stdout, 'FAKE-not-a-secret', 'the output');
    const usage = await run(['signup', '--email', 'jane@example.com', '--goal', 'Host images', '--model', 'm1', '--base-url', server.url], { cwd: dir, outcome: 'usage' });
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--framework is required/);
    const cursor = await run(['signup', '--email', 'jane@example.com', '--goal', 'Host images', '--base-url', server.url, '--no-save'],
      { cwd: dir, env: { CURSOR_AGENT: '1', OPENAI_MODEL: 'gpt-test' } });
    assert.equal(cursor.code, 0);
    assert.equal(JSON.parse(server.requests[1].body).agent_framework, 'cursor');
    assert.equal(server.requests.length, 2, 'the usage error sent nothing');
  } finally {
    await server.stop();
  }
});

test('invalid input exits 2 before sending; an existing account 3', async () => {
  const dir = gitRepo();
  const bad = await run(signupArgs({ ...request(), email: 'not-an-address' }), { cwd: dir, outcome: 'invalid input' });
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /^ERROR_CODE=invalid_input$/m);
  const req = request();
  assert.equal((await run(signupArgs(req, ['--no-save']), { cwd: dir })).code, 0);
  const exists = await run(signupArgs(req, ['--no-save']), { cwd: dir, outcome: 'account exists' });
  assert.equal(exists.code, 3);
  assert.match(exists.stderr, /Do not retry/);
});

test('rate limited exits 4; blocked 5; a server error 6 with the lost-answer advice', async () => {
  const dir = gitRepo();
  await emu.fault({ count: 1, status: 429, body: '{"error":{"category":"rate_limit","code":"ip_rate_limit_exceeded","message":"Rate limit exceeded"}}', headers: { 'retry-after': '60' } });
  const limited = await run(signupArgs(request(), ['--no-save']), { cwd: dir, outcome: 'rate limited' });
  assert.equal(limited.code, 4);
  assert.match(limited.stdout, /^RETRY_AFTER_MS=60000$/m);
  await emu.fault({ count: 1, status: 403, body: '{"error":{"category":"user_error","code":"agent_registration_disabled","message":"Agent registration is disabled"}}' });
  const disabled = await run(signupArgs(request(), ['--no-save']), { cwd: dir, outcome: 'registration disabled' });
  assert.equal(disabled.code, 5);
  const deny = denyFile('domain blocked.example\n');
  const e2 = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off', '--deny-file', deny]);
  try {
    const blocked = await run(['signup', '--email', 'x@blocked.example', '--goal', 'Host images', '--framework', 'f1', '--model', 'm1', '--base-url', e2.url, '--no-save'], { cwd: dir, outcome: 'blocked' });
    assert.equal(blocked.code, 5, blocked.stderr);
  } finally {
    await e2.stop();
  }
  await emu.fault({ count: 1, status: 500, body: '{"error":{"message":"boom"}}' });
  const failed = await run(signupArgs(request(), ['--no-save']), { cwd: dir, outcome: 'server error' });
  assert.equal(failed.code, 6);
  assert.match(failed.stdout, /^ERROR_CODE=server_error$/m);
  if (/^MAY_HAVE_CREATED_ACCOUNT=true$/m.test(failed.stdout)) assert.match(failed.stderr, /check the inbox.*Console/s);
  const closed = await run(signupArgs(request(), ['--no-save', '--base-url', 'http://127.0.0.1:9']), { cwd: dir, outcome: 'network' });
  assert.equal(closed.code, 6);
});

test('saving fails after creation: a fallback file, else the credentials in full (JSON with --json), exit 7', async () => {
  const dir = gitRepo();
  // The env file's folder is replaced by a file while the account is being created: the
  // check before sending passed, the save after it fails.
  const { rmSync, mkdirSync } = await import('node:fs');
  const server = await startServer((req, res, body) => {
    rmSync(join(dir, 'sub'), { recursive: true, force: true });
    writeFileSync(join(dir, 'sub'), 'x');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(fakeAccount({ email: JSON.parse(body).email })));
  });
  try {
    const args = (extra) => ['signup', '--email', 'jane@example.com', '--goal', 'Host images', '--framework', 'f1', '--model', 'm1', '--base-url', server.url, '--env-file', 'sub/.env', ...extra];
    const fresh = () => { rmSync(join(dir, 'sub'), { force: true }); mkdirSync(join(dir, 'sub')); };
    fresh();
    const nohome = { HOME: join(dir, 'no-home') };
    const r = await run(args([]), { cwd: dir, env: nohome, outcome: 'save failed' });
    assert.equal(r.code, 7);
    assert.match(r.stderr, /the account was created, but saving to sub\/\.env failed/);
    assert.match(r.stdout, /^CLOUDINARY_URL=cloudinary:\/\/\d+:[^@\s]+@\S+$/m, 'the full credentials');
    fresh();
    const j = await run(args(['--json']), { cwd: dir, env: nohome });
    assert.equal(j.code, 7);
    const parsed = JSON.parse(j.stdout);
    assert.equal(parsed.error.code, 'save_failed');
    assert.match(parsed.dotenv, /^CLOUDINARY_URL=cloudinary:/m);
    // With a home folder: the credentials go to a file there, and are not printed.
    fresh();
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'agent-home-')));
    const f = await run(args([]), { cwd: dir, env: { HOME: home } });
    assert.equal(f.code, 7);
    assert.match(f.stdout, new RegExp(`^SAVED_TO=${home}/\\.env\\.cloudinary-product1-\\d+$`, 'm'));
    assertNoSecret(f.stdout + f.stderr, 'FAKE-not-a-secret', 'the fallback output');
  } finally {
    await server.stop();
  }
});

test('issue 20: a destination that cannot be written, strict numbers, interval floor: usage errors, nothing sent', async () => {
  const dir = gitRepo();
  const server = await startServer((req, res) => { res.writeHead(500); res.end(); });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'adir'));
  try {
    const base = ['signup', '--email', 'jane@example.com', '--goal', 'Host images', '--framework', 'f1', '--model', 'm1', '--base-url', server.url];
    const nodir = await run([...base, '--env-file', 'nodir/x.env', '--json'], { cwd: dir });
    assert.equal(nodir.code, 2, nodir.stderr);
    assert.equal(JSON.parse(nodir.stdout).error.code, 'not_writable');
    for (const extra of [['--env-file', 'adir'], ['--timeout-ms', '0x10'], ['--timeout-ms', '1e3'], ['--timeout-ms', ' 5']]) {
      const r = await run([...base, ...extra], { cwd: dir });
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
    }
    assert.equal(server.requests.length, 0, 'nothing was sent');
    for (const extra of [['--env-file', 'adir'], ['--interval-ms', '0.001'], ['--timeout', '0x10']]) {
      const r = await run(['status', '--base-url', server.url, ...extra], { cwd: dir });
      assert.equal(r.code, 2, `status ${extra.join(' ')}: ${r.stderr}`);
    }
  } finally {
    await server.stop();
  }
});

test('status without credentials is a usage error; --wait returns once the person verifies', async () => {
  const dir = gitRepo();
  const none = await run(['status', '--base-url', emu.url], { cwd: dir });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /holds no CLOUDINARY_URL/);
  const req = request();
  assert.equal((await run(signupArgs(req, ['--env-file', 'app.env']), { cwd: dir })).code, 0);
  const waiting = run(['status', '--env-file', 'app.env', '--base-url', emu.url, '--wait', '--interval-ms', '100', '--timeout', '30', '--json'], { cwd: dir });
  setTimeout(() => verify(emu, req.email), 300);
  const r = await waiting;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).state, 'active');
  const timeout = await run(['status', '--env-file', 'app.env', '--base-url', 'http://127.0.0.1:9'], { cwd: dir });
  assert.equal(timeout.code, 6);
});

test('status --wait on a terminal: one live line, redrawn in place, cleared before the answer', async () => {
  const dir = gitRepo();
  const req = request();
  assert.equal((await run(signupArgs(req), { cwd: dir })).code, 0);
  const secret = secretIn(dir);
  const waiting = run(['status', '--base-url', emu.url, '--wait', '--interval-ms', '400', '--timeout', '30'], { cwd: dir, tty: true });
  setTimeout(() => verify(emu, req.email), 2500);
  const r = await waiting;
  assert.equal(r.code, 0, r.stdout);
  // script(1) gives both streams one terminal: the redraws, then the answer on a clean line.
  const draws = r.stdout.split('\r\x1b[2K');
  assert.ok(draws.length >= 4, `redrawn ${draws.length - 1} times: ${JSON.stringify(r.stdout)}`);
  assert.ok(draws.some((d) => /^pending · [1-9]\d* checks? · waited 0:0\d · (next check in \d+ s|checking now)$/.test(d)), JSON.stringify(r.stdout));
  assert.match(draws.at(-1), /^active: the person verified the e-mail/);
  assert.ok(draws.slice(0, -1).every((d) => !d.includes('\n')), 'one line, never a new one');
  assertNoSecret(r.stdout, secret, 'the live line');
});

test('status --wait off a terminal: quiet, or a line per check with --verbose; Ctrl-C exits 130 saying what was known', async () => {
  const dir = gitRepo();
  assert.equal((await run(signupArgs(request()), { cwd: dir })).code, 0);
  const secret = secretIn(dir);
  const args = ['status', '--base-url', emu.url, '--wait', '--interval-ms', '200', '--timeout', '30'];
  /** Runs the wait and sends SIGINT once stderr has shown `checks` checks (or after 1.5 s). */
  const interrupt = (extra) => run([...args, ...extra], {
    cwd: dir,
    outcome: 'interrupted',
    started: (child) => {
      let seen = '';
      let sent = false;
      // Once: a second SIGINT would end the process before it says anything.
      const stop = () => { if (!sent) child.kill('SIGINT'); sent = true; };
      const timer = setTimeout(stop, 1500);
      child.stderr.on('data', (d) => {
        seen += d;
        if (/check 2:/.test(seen)) { clearTimeout(timer); stop(); }
      });
    },
  });
  const verbose = await interrupt(['--verbose']);
  assert.equal(verbose.code, 130, verbose.stderr);
  assert.match(verbose.stderr, /^status: check 1: pending \(HTTP 401\), waited 0:0\d; next check in 1 s$/m);
  assert.match(verbose.stderr, /^status: check 2: pending/m);
  assert.match(verbose.stderr, /interrupted: [2-9] checks in 0:0\d, the last said pending\.\n$/);
  assert.match(verbose.stdout, /^STATE=pending\nINTERRUPTED=true\nCHECKS=[2-9]\nWAITED_MS=\d+\nEXIT_STATUS=130\n$/);
  const quiet = await interrupt([]);
  assert.equal(quiet.code, 130);
  assert.equal(quiet.stderr.split('\n').filter(Boolean).length, 1, `only the last line: ${quiet.stderr}`);
  assert.match(quiet.stderr, /interrupted: [1-9]\d* checks? in 0:0\d, the last said pending/);
  const json = await interrupt(['--json']);
  assert.equal(json.code, 130);
  assert.deepEqual(Object.keys(JSON.parse(json.stdout)), ['state', 'checks', 'waitedMs', 'interrupted', 'exit_status']);
  for (const r of [verbose, quiet, json]) assertNoSecret(r.stdout + r.stderr, secret, 'the wait output');
});
