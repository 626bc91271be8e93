// §2: saveCredentials from `cloudinary-agent-account/node`, in fresh temporary folders and git
// repositories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync, statSync, chmodSync, readdirSync, mkdirSync, realpathSync, symlinkSync, lstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveCredentials, readCloudinaryUrl, checkDestination, SaveCredentialsError } from 'cloudinary-agent-account/node';
import { fakeAccount, CONSUMER } from '../support/index.mjs';
import { assertNoSecret } from './secrets.mjs';

const require = createRequire(import.meta.url);
const SECRET = 'FAKE-not-a-secret';
const LINE = 'CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1';

const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'agent-save-')));
function gitRepo() {
  const dir = tmp();
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}
const mode = (p) => statSync(p).mode & 0o777;
const ignored = (dir, file) => {
  try { execFileSync('git', ['check-ignore', '-q', file], { cwd: dir }); return true; } catch { return false; }
};

test('a new file in a git work tree: 0600, added to .gitignore, result without secrets', async () => {
  const dir = gitRepo();
  const r = await saveCredentials(fakeAccount(), { path: join(dir, '.env') });
  assert.deepEqual(r, { path: join(dir, '.env'), action: 'created', ignoredByGit: true, gitignoreUpdated: true });
  assert.equal(mode(join(dir, '.env')), 0o600);
  assert.ok(readFileSync(join(dir, '.env'), 'utf8').includes(`${LINE}\n`));
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '/.env\n');
  assert.ok(ignored(dir, '.env'), 'git check-ignore agrees');
  assertNoSecret(r, SECRET, 'the result');
  assert.deepEqual(readdirSync(dir).sort(), ['.env', '.git', '.gitignore'], 'no temporary file is left');
});

test('the default path is .env in the working directory; a nested file is anchored in the root .gitignore', async () => {
  const dir = gitRepo();
  writeFileSync(join(dir, '.gitignore'), 'node_modules');
  mkdirSync(join(dir, 'app'));
  const cwd = process.cwd();
  process.chdir(join(dir, 'app'));
  try {
    const r = await saveCredentials(fakeAccount());
    assert.equal(r.path, join(dir, 'app', '.env'));
    assert.equal(r.gitignoreUpdated, true);
  } finally {
    process.chdir(cwd);
  }
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), 'node_modules\n/app/.env\n');
  assert.ok(ignored(dir, 'app/.env'));
});

test('merging keeps other keys, comments and order, and tightens the mode; only the Cloudinary line changes', async () => {
  const dir = gitRepo();
  writeFileSync(join(dir, '.gitignore'), '.env\n');
  const before = '# my app\nPORT=3000\n\nCLOUDINARY_URL=cloudinary://1:FAKE-old-secret@oldcloud\nDEBUG=1 # inline\n';
  writeFileSync(join(dir, '.env'), before);
  chmodSync(join(dir, '.env'), 0o640);
  await assert.rejects(saveCredentials(fakeAccount(), { path: join(dir, '.env') }), (e) => {
    assert.ok(e instanceof SaveCredentialsError);
    assert.equal(e.code, 'different_credentials');
    assert.match(e.message, /oldcloud/);
    assertNoSecret(e.message, 'FAKE-old-secret', 'the message');
    return true;
  });
  assert.equal(readFileSync(join(dir, '.env'), 'utf8'), before, 'refused: the file is untouched');
  const r = await saveCredentials(fakeAccount(), { path: join(dir, '.env'), force: true });
  assert.deepEqual(r, { path: join(dir, '.env'), action: 'updated', ignoredByGit: true, gitignoreUpdated: false });
  const lines = readFileSync(join(dir, '.env'), 'utf8').split('\n');
  assert.deepEqual(lines.filter((l) => !l.startsWith('# Cloudinary') && !l.startsWith('# Root')),
    ['# my app', 'PORT=3000', '', LINE, 'DEBUG=1 # inline', '']);
  assert.equal(mode(join(dir, '.env')), 0o600, 'tightened to owner-only: it holds a secret now');
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '.env\n');
});

test('an existing file without the key gets it appended; the same account again is unchanged', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'app.env'), 'A=1\nB="two words"');
  chmodSync(join(dir, 'app.env'), 0o600);
  const r1 = await saveCredentials(fakeAccount(), { path: join(dir, 'app.env') });
  assert.equal(r1.action, 'updated');
  assert.equal(r1.ignoredByGit, null, 'outside a work tree: could not check');
  assert.equal(r1.gitignoreUpdated, false);
  const text = readFileSync(join(dir, 'app.env'), 'utf8');
  assert.ok(text.startsWith('A=1\nB="two words"\n\n# Cloudinary account of jane@example.com'));
  assert.ok(text.endsWith(`${LINE}\n`));
  const r2 = await saveCredentials(fakeAccount(), { path: join(dir, 'app.env') });
  assert.equal(r2.action, 'unchanged');
  assert.equal(readFileSync(join(dir, 'app.env'), 'utf8'), text);
  assert.equal(await readCloudinaryUrl(join(dir, 'app.env')), LINE.slice('CLOUDINARY_URL='.length));
  assert.equal(await readCloudinaryUrl(join(dir, 'none.env')), null);
});

test('a file system error is a typed error naming the path, without secrets', async () => {
  const dir = tmp();
  await assert.rejects(saveCredentials(fakeAccount(), { path: join(dir, 'missing', '.env') }), (e) => {
    assert.equal(e.code, 'write_failed');
    assert.equal(e.errno, 'ENOENT');
    assertNoSecret(e.message, SECRET, 'the message');
    return true;
  });
  await assert.rejects(saveCredentials({ email: 'x' }, { path: join(dir, '.env') }), { code: 'invalid_account' });
});

test('CommonJS gets the same module', () => {
  const cjs = require('cloudinary-agent-account/node');
  assert.equal(cjs.SaveCredentialsError, SaveCredentialsError);
  assert.equal(cjs.saveCredentials, saveCredentials);
});

// Issue 20, §3: races, links, modes, .gitignore, tracked files; §9: the merge reads as dotenv.

/** The fake account number `n`: its own cloud, key and secret. */
function accountN(n) {
  const secret = `FAKE-parallel-secret-${String(n).padStart(4, '0')}`;
  const cloud = `cloud${n}`;
  const key = String(100000000000000 + n);
  return fakeAccount({
    email: `jane${n}@example.com`,
    product_environments: [{ external_id: 'e', cloud_name: cloud, api_key: key, api_secret: secret, api_environment_variable: `CLOUDINARY_URL=cloudinary://${key}:${secret}@${cloud}` }],
  });
}

test('parallel saves of different accounts: one wins, every other rejects with different_credentials, nothing is lost', async () => {
  const dir = gitRepo();
  const file = join(dir, '.env');
  const results = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => saveCredentials(accountN(n), { path: file })));
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.equal(won.length, 1, 'exactly one save wins');
  assert.equal(won[0].value.action, 'created');
  for (const r of results.filter((x) => x.status === 'rejected')) assert.equal(r.reason.code, 'different_credentials');
  const winner = results.indexOf(won[0]);
  assert.equal(await readCloudinaryUrl(file), cloudinaryUrlOfN(winner), 'the file holds the winner');
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '/.env\n', '.gitignore appended once');
  assert.deepEqual(readdirSync(dir).sort(), ['.env', '.git', '.gitignore'], 'no lock or temporary file is left');
  // Across processes too: four node processes saving four accounts at once.
  const dir2 = tmp();
  const file2 = join(dir2, '.env');
  const script = `const { saveCredentials } = require('cloudinary-agent-account/node');
    const [n, file] = process.argv.slice(1); const s = 'FAKE-parallel-secret-000' + n; const k = String(100000000000000 + Number(n));
    saveCredentials({ email: 'j@example.com', product_environments: [{ cloud_name: 'cloud' + n, api_key: k, api_secret: s, api_environment_variable: 'cloudinary://' + k + ':' + s + '@cloud' + n }] }, { path: file })
      .then((r) => console.log(r.action), (e) => console.log(e.code));`;
  const { spawn } = await import('node:child_process');
  const outs = await Promise.all([1, 2, 3, 4].map((n) => new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script, String(n), file2], { cwd: CONSUMER });
    let o = '';
    child.stdout.on('data', (d) => { o += d; });
    child.on('close', () => resolve(o.trim()));
  })));
  assert.deepEqual(outs.slice().sort(), ['created', 'different_credentials', 'different_credentials', 'different_credentials']);
  assert.match(await readCloudinaryUrl(file2), /^cloudinary:\/\/10000000000000\d:FAKE-parallel-secret-000\d@cloud\d$/);
});

function cloudinaryUrlOfN(n) {
  const e = accountN(n).product_environments[0];
  return `cloudinary://${e.api_key}:${e.api_secret}@${e.cloud_name}`;
}

test('a stale lock (left by a process that died) is taken over', async () => {
  const dir = tmp();
  const file = join(dir, '.env');
  writeFileSync(`${file}.lock`, '1\n');
  const { utimesSync } = await import('node:fs');
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${file}.lock`, old, old);
  assert.equal((await saveCredentials(fakeAccount(), { path: file })).action, 'created');
  assert.ok(!existsSync(`${file}.lock`));
});

test('a symbolic link is never written through: refused, naming it, the target untouched', async () => {
  const dir = gitRepo();
  writeFileSync(join(dir, 'README.md'), 'readme\n');
  symlinkSync('README.md', join(dir, '.env'));
  await assert.rejects(saveCredentials(fakeAccount(), { path: join(dir, '.env') }), (e) => {
    assert.equal(e.code, 'symlink');
    assert.ok(e.message.includes(join(dir, '.env')));
    return true;
  });
  await assert.rejects(checkDestination(join(dir, '.env')), { code: 'symlink' });
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), 'readme\n');
  assert.ok(lstatSync(join(dir, '.env')).isSymbolicLink());
  assert.ok(!existsSync(join(dir, '.gitignore')), 'nothing appended to .gitignore');
});

test('an existing 0644 or 0666 file is tightened to 0600 when the secret is added', async () => {
  for (const m of [0o644, 0o666]) {
    const dir = tmp();
    writeFileSync(join(dir, '.env'), 'A=1\n');
    chmodSync(join(dir, '.env'), m);
    await saveCredentials(fakeAccount(), { path: join(dir, '.env') });
    assert.equal(mode(join(dir, '.env')), 0o600, m.toString(8));
  }
});

test('a git-tracked .env is refused before anything is written', async () => {
  const dir = gitRepo();
  writeFileSync(join(dir, '.env'), 'A=1\n');
  execFileSync('git', ['add', '.env'], { cwd: dir });
  await assert.rejects(saveCredentials(fakeAccount(), { path: join(dir, '.env') }), { code: 'tracked_by_git' });
  await assert.rejects(checkDestination(join(dir, '.env')), { code: 'tracked_by_git' });
  assert.equal(readFileSync(join(dir, '.env'), 'utf8'), 'A=1\n');
});

test('.gitignore: appended only when a regular file, only once; a newline in the file name injects nothing', async () => {
  // A .gitignore that is a link: not appended through.
  const dir = gitRepo();
  writeFileSync(join(dir, 'elsewhere'), 'x\n');
  symlinkSync('elsewhere', join(dir, '.gitignore'));
  const r = await saveCredentials(fakeAccount(), { path: join(dir, '.env') });
  assert.equal(r.gitignoreUpdated, false);
  assert.equal(r.ignoredByGit, false);
  assert.equal(readFileSync(join(dir, 'elsewhere'), 'utf8'), 'x\n');
  // Only once: a second save of another file whose line is already there appends nothing.
  const dir2 = gitRepo();
  writeFileSync(join(dir2, '.gitignore'), '/.env\n!/.env\n');
  await saveCredentials(fakeAccount(), { path: join(dir2, '.env') });
  await saveCredentials(fakeAccount(), { path: join(dir2, '.env') });
  assert.equal(readFileSync(join(dir2, '.gitignore'), 'utf8'), '/.env\n!/.env\n');
  // A newline in the name: no line of it reaches .gitignore.
  const dir3 = gitRepo();
  const name = 'x\n!*\n*.env';
  const r3 = await saveCredentials(fakeAccount(), { path: join(dir3, name) });
  assert.equal(r3.gitignoreUpdated, false);
  assert.ok(!existsSync(join(dir3, '.gitignore')));
});

test('the merge reads as dotenv: the last binding wins, `KEY: value` and multi-line values are understood, export is kept', async () => {
  const dir = tmp();
  const f = join(dir, '.env');
  const cases = [
    // dotenv takes the last of duplicates: that is the one compared.
    ['CLOUDINARY_URL=cloudinary://1:FAKE-other-secret-0000@other\nCLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1\n', 'unchanged'],
    ['CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1\nCLOUDINARY_URL=cloudinary://1:FAKE-other-secret-0000@other\n', 'different_credentials'],
    ['CLOUDINARY_URL: cloudinary://1:FAKE-other-secret-0000@other\n', 'different_credentials'],
  ];
  for (const [text, want] of cases) {
    writeFileSync(f, text);
    const got = await saveCredentials(fakeAccount(), { path: f }).then((r) => r.action, (e) => e.code);
    assert.equal(got, want, JSON.stringify(text));
  }
  // force: every binding replaced by one line, where the first was.
  writeFileSync(f, 'A=1\nexport CLOUDINARY_URL=cloudinary://1:FAKE-other-secret-0000@other\nB="multi\nCLOUDINARY_URL=inside\n"\nCLOUDINARY_URL: cloudinary://2:FAKE-other-secret-0000@x\n');
  await saveCredentials(fakeAccount(), { path: f, force: true });
  const text = readFileSync(f, 'utf8');
  const lines = text.split('\n').filter((l) => !l.startsWith('#'));
  assert.deepEqual(lines, ['A=1', `export ${LINE}`, 'B="multi', 'CLOUDINARY_URL=inside', '"', '']);
  const { parseEnv } = await import('node:util');
  assert.equal(parseEnv(text).B, 'multi\nCLOUDINARY_URL=inside\n', 'the other variable is intact');
  // A file with line breaks loaders disagree on is not merged into.
  writeFileSync(f, 'A=1\u2028CLOUDINARY_URL=x\n');
  await assert.rejects(saveCredentials(fakeAccount(), { path: f, force: true }), { code: 'unsafe_file' });
});

test('checkDestination: a missing folder, a folder as the file, a read-only folder are refused before anything is sent', async () => {
  const dir = tmp();
  await assert.rejects(checkDestination(join(dir, 'nodir', 'x.env')), { code: 'not_writable' });
  mkdirSync(join(dir, 'adir'));
  await assert.rejects(checkDestination(join(dir, 'adir')), { code: 'not_writable' });
  const ok = await checkDestination(join(dir, '.env'));
  assert.deepEqual(ok, { path: join(dir, '.env'), cloudinaryUrl: null });
  assert.deepEqual(readdirSync(dir).sort(), ['adir'], 'the probe file is removed');
  if (process.getuid && process.getuid() !== 0) {
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o555);
    await assert.rejects(checkDestination(join(dir, 'ro', '.env')), { code: 'not_writable' });
  }
});
