// The demo's static server (www/serve.mjs) on its own: no request can stop it, and it serves
// nothing outside its folders, symlinks included. Needs only Node (no browser, no emulator).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let server;
let port;
let dir;

before(async () => {
  // A package folder with a file, a symlink inside it, and symlinks out of it.
  dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
  const pkg = join(dir, 'pkg');
  const outside = join(dir, 'outside');
  mkdirSync(pkg);
  mkdirSync(outside);
  writeFileSync(join(pkg, 'ok.js'), 'export const ok = 1;\n');
  writeFileSync(join(outside, 'private.txt'), 'not for the page\n');
  symlinkSync(join(pkg, 'ok.js'), join(pkg, 'alias.js'));
  symlinkSync(join(outside, 'private.txt'), join(pkg, 'leak.txt'));
  symlinkSync(outside, join(pkg, 'out'));
  server = spawn(process.execPath, [join(ROOT, 'www', 'serve.mjs')], {
    env: { ...process.env, PORT: '0', PKG_DIR: pkg },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('serve.mjs did not start within 10 s')), 10_000);
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    server.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
});

after(() => {
  server?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Sends `target` as the raw request target of a GET; resolves with the status code. */
function rawGet(target) {
  return new Promise((resolveStatus, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`no answer to GET ${target}`));
    });
    socket.setEncoding('latin1');
    socket.on('data', (d) => {
      data += d;
    });
    socket.on('end', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) resolveStatus(Number(m[1]));
      else reject(new Error(`not an HTTP answer to GET ${target}: ${JSON.stringify(data.slice(0, 80))}`));
    });
    socket.on('error', reject);
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

test('request targets that are not URLs get 400, and the server keeps serving', async () => {
  for (const target of ['//[', 'http://[', '//[::1', 'http://[/x', '//%', 'http://a:b@[']) {
    assert.equal(await rawGet(target), 400, `GET ${target}`);
  }
  assert.equal(server.exitCode, null, 'serve.mjs exited');
  assert.equal(await rawGet('/config.json'), 200);
  assert.equal(await rawGet('/pkg/ok.js'), 200);
});

test('symlinks are followed only within the served folder', async () => {
  assert.equal(await rawGet('/pkg/alias.js'), 200);
  assert.equal(await rawGet('/pkg/leak.txt'), 404);
  assert.equal(await rawGet('/pkg/out/private.txt'), 404);
  assert.equal(await rawGet('/pkg/../outside/private.txt'), 404);
  assert.equal(await rawGet('/pkg/%2e%2e/outside/private.txt'), 404);
});
