// The demo's static server (www/serve.mjs) on its own: no request can stop it, it serves
// nothing outside its folders, symlinks included, and its delivery check asks the emulator
// from another address. Needs only Node (no browser; a stub stands in for the emulator).

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, startProcess, startServer } from '../support/index.mjs';

let server;
let port;
let dir;
/** The stub emulator, and the requests it saw: `{ url, from }`. */
let stub;
const seen = [];

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
  // The emulator's delivery route as a stub: refused, as to an address outside delivery_ips.
  stub = await startServer((req, res) => {
    seen.push({ url: req.url, from: req.socket.remoteAddress });
    res.writeHead(401, { 'x-cld-error': 'ACL deny' });
    res.end();
  });
  server = await startProcess('serve.mjs', process.execPath, [join(ROOT, 'www', 'serve.mjs')], {
    env: { PORT: '0', PKG_DIR: pkg, EMULATOR_URL: stub.url },
  });
  port = Number(new URL(server.url).port);
});

after(async () => {
  await server?.stop();
  await stub?.stop();
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

test('the delivery check asks the emulator for the cloud\'s image from 127.0.0.2, and nothing else', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/_emulator/delivery?cloud=demo-cloud_1`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { from: '127.0.0.2', status: 401, cldError: 'ACL deny' });
  assert.deepEqual(seen, [{ url: '/demo-cloud_1/image/upload/sample.jpg', from: '127.0.0.2' }]);
  // Only a cloud name: nothing that would change the path, query or host it asks.
  for (const cloud of ['', '../_emulator/outbox', 'a/b', 'a?b', '%2e%2e', 'x'.repeat(129), '-a']) {
    const bad = await fetch(`http://127.0.0.1:${port}/_emulator/delivery?cloud=${encodeURIComponent(cloud)}`);
    assert.equal(bad.status, 400, `cloud=${cloud}`);
  }
  assert.equal(seen.length, 1, 'a refused name reached the emulator');
});
