// `cloudinary-agent-account-mcp --http`: the installed bin on 127.0.0.1 port 0, driven by the
// SDK's own Client over StreamableHTTPClientTransport; the Host/Origin checks (DNS rebinding);
// the listening line; a clean stop on SIGTERM and SIGINT; no secret on stdout or stderr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEmulator, request } from '../support/index.mjs';
import { assertNoSecret, verify } from './secrets.mjs';
import { BIN, serve as serveBin } from './mcp-serve.mjs';

let emu;
before(async () => { emu = await startEmulator(['--test-controls', '--rate-limit', 'off', '--daily-cap', 'off']); });
after(async () => { await emu.stop(); });

const serve = (cwd, listen) => serveBin(cwd, emu.url, listen);

function gitRepo() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'agent-mcp-http-')));
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

/** A raw request with the headers we choose (fetch will not let us set Host). */
function raw(url, headers, body = '{}') {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, session: res.headers['mcp-session-id'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

test('over Streamable HTTP: list tools, create, check pending then active, each result valid against its outputSchema; no secret anywhere', async () => {
  const dir = gitRepo();
  const srv = await serve(dir);
  after(() => srv.stop()); // on a failure too: a live child would keep the test file running
  const u = new URL(srv.url);
  assert.equal(u.hostname, '127.0.0.1');
  assert.notEqual(u.port, '0', 'the real port is printed, not 0');
  assert.equal(u.pathname, '/mcp');
  const client = new Client({ name: 'agent-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
  const results = [];
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['create_cloudinary_account', 'create_cloudinary_cloud', 'check_cloudinary_account_activation', 'connect_cloudinary_mcp']);
    const ajv = addFormats(new Ajv({ strict: true }));
    const byName = (n) => tools.find((t) => t.name === n);
    const [vCreate, vCheck] = ['create_cloudinary_account', 'check_cloudinary_account_activation'].map((n) => ajv.compile(byName(n).outputSchema));
    const none = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(none.structuredContent.error.code, 'no_credentials');
    assert.ok(vCheck(none.structuredContent));
    const input = request();
    const created = await client.callTool({ name: 'create_cloudinary_account', arguments: input });
    assert.equal(created.structuredContent.ok, true, created.content[0].text);
    assert.equal(created.structuredContent.credentials.savedTo, join(dir, '.env'));
    assert.ok(vCreate(created.structuredContent));
    const pending = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(pending.structuredContent.state, 'pending');
    await verify(emu, input.email);
    const active = await client.callTool({ name: 'check_cloudinary_account_activation', arguments: {} });
    assert.equal(active.structuredContent.state, 'active');
    assert.ok(vCheck(active.structuredContent));
    results.push(none, created, pending, active);
  } finally {
    await client.close();
  }
  assert.equal(await srv.stop('SIGTERM'), 0);
  assert.match(srv.out.stderr, /stopped \(SIGTERM\)/);
  const secret = /cloudinary:\/\/\d+:([^@\s]+)@/.exec(readFileSync(join(dir, '.env'), 'utf8'))[1];
  assertNoSecret(results, secret, 'the HTTP results');
  assertNoSecret(srv.out.stdout + srv.out.stderr, secret, 'the server\'s stdout and stderr');
  assert.equal(srv.out.stdout, '');
});

test('DNS rebinding: a foreign Origin or Host gets 403; a same-origin browser request and a non-browser one pass', async () => {
  const srv = await serve(gitRepo());
  try {
    const { port } = new URL(srv.url);
    const foreignOrigin = await raw(srv.url, { origin: 'http://evil.example' }, INIT);
    assert.equal(foreignOrigin.status, 403);
    const otherPort = await raw(srv.url, { origin: `http://127.0.0.1:${Number(port) + 1}` }, INIT);
    assert.equal(otherPort.status, 403);
    const foreignHost = await raw(srv.url, { host: `evil.example:${port}` }, INIT);
    assert.equal(foreignHost.status, 403);
    const rebound = await raw(srv.url, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, INIT);
    assert.equal(rebound.status, 403);
    const sameOrigin = await raw(srv.url, { origin: `http://127.0.0.1:${port}` }, INIT);
    assert.equal(sameOrigin.status, 200, sameOrigin.text);
    const localhost = await raw(srv.url, { host: `localhost:${port}`, origin: `http://localhost:${port}` }, INIT);
    assert.equal(localhost.status, 200, localhost.text);
    const plain = await raw(srv.url, {}, INIT);
    assert.equal(plain.status, 200);
    assert.match(plain.text, /cloudinary-agent-account-mcp/);
    // Sessions: a GET (the server's stream) or a POST other than initialize needs a live
    // session id; an unknown one is 404, which tells a client to initialize again.
    assert.equal((await fetch(srv.url)).status, 400);
    assert.equal((await fetch(srv.url, { headers: { 'mcp-session-id': 'no-such-session' } })).status, 404);
    assert.equal((await fetch(srv.url, { method: 'PUT' })).status, 405);
    // An oversized body is refused unread.
    assert.equal((await raw(srv.url, {}, 'x'.repeat(1024 * 1024 + 1))).status, 413);
  } finally {
    assert.equal(await srv.stop('SIGINT'), 0);
  }
  assert.match(srv.out.stderr, /stopped \(SIGINT\)/);
});

test('sessions: at most 64 live (503 past that); one ended with DELETE makes room, and its id is then unknown (404)', async () => {
  const srv = await serve(gitRepo());
  try {
    const sessions = [];
    for (let i = 0; i < 64; i += 1) {
      const r = await raw(srv.url, {}, INIT);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.session);
      sessions.push(r.session);
    }
    assert.equal(new Set(sessions).size, 64);
    const full = await raw(srv.url, {}, INIT);
    assert.equal(full.status, 503);
    assert.match(full.text, /Too many sessions/);
    const ended = await fetch(srv.url, { method: 'DELETE', headers: { 'mcp-session-id': sessions[0] } });
    assert.equal(ended.status, 200);
    assert.equal((await raw(srv.url, {}, INIT)).status, 200);
    const gone = await raw(srv.url, { 'mcp-session-id': sessions[0] }, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    assert.equal(gone.status, 404);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test('--http refuses a bad address, and a port in use, with a message', async () => {
  const bad = spawn(BIN, ['--http', 'nope:port'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  bad.stderr.on('data', (d) => { err += d; });
  const [code] = await once(bad, 'exit');
  assert.equal(code, 2);
  assert.match(err, /--http wants \[HOST:\]PORT/);
  const first = await serve(gitRepo());
  try {
    const { port } = new URL(first.url);
    const busy = spawn(BIN, ['--http', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let e2 = '';
    busy.stderr.on('data', (d) => { e2 += d; });
    const [c2] = await once(busy, 'exit');
    assert.equal(c2, 1);
    assert.match(e2, /EADDRINUSE/);
  } finally {
    await first.stop();
  }
});
