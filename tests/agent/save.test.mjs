// §2: saveCredentials from `cloudinary-agent-account/node`, in fresh temporary folders and git
// repositories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync, statSync, chmodSync, readdirSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveCredentials, readCloudinaryUrl, SaveCredentialsError } from 'cloudinary-agent-account/node';
import { fakeAccount } from './harness.mjs';
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

test('merging keeps other keys, comments, order and the stricter mode; only the Cloudinary line changes', async () => {
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
  assert.equal(mode(join(dir, '.env')), 0o640, 'an existing mode is kept');
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
