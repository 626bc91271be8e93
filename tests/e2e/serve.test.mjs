// The demo's static server (www/serve.mjs) on its own: no request can stop it, and it serves
// nothing outside its folders, symlinks included. Needs only Node (no browser, no emulator).

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, startProcess } from '../support/index.mjs';

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
  server = await startProcess('serve.mjs', process.execPath, [join(ROOT, 'www', 'serve.mjs')], {
    env: { PORT: '0', PKG_DIR: pkg },
  });
  port = Number(new URL(server.url).port);
});

after(async () => {
  await server?.stop();
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
  assert.ok(server.running(), 'serve.mjs exited');
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
