// Servers for the package tests: the emulator (the real default) and, for what an emulator
// cannot do (a connection reset, counting raw requests), a tiny local HTTP server.
// Everything listens on 127.0.0.1 with a port chosen at run time, and is stopped by the test.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EMULATOR = process.env.EMULATOR;
if (!EMULATOR) throw new Error('set EMULATOR to the agent-account-emulator binary');

/** Starts the emulator with test controls; resolves when it prints its address. */
export async function startEmulator(args = []) {
  const child = spawn(EMULATOR, ['--listen', '127.0.0.1:0', '--test-controls', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited ${code}: ${stderr}`)); });
  });
  const control = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json().catch(() => null);
  };
  return {
    url,
    fault: (spec) => control('POST', '/_emulator/faults', spec),
    clearFaults: () => control('DELETE', '/_emulator/faults'),
    outbox: () => control('GET', '/_emulator/outbox'),
    async stop() {
      if (child.exitCode === null) { child.kill('SIGTERM'); await once(child, 'exit'); }
    },
  };
}

/** Writes a deny file and returns its path. */
export function denyFile(text) {
  const dir = mkdtempSync(join(tmpdir(), 'deny-'));
  const p = join(dir, 'deny.txt');
  writeFileSync(p, text);
  return p;
}

/** A local server whose handler sees every request; `requests` records them. */
export async function startServer(handler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    async stop() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

let n = 0;
/** A request with a fresh, obviously fake address. */
export function request(overrides = {}) {
  n += 1;
  return {
    email: `agent-test-${process.pid}-${n}-${Date.now()}@example.com`,
    agent_framework: 'langchain',
    agent_llm_model: 'claude-opus-4-8',
    agent_goal: 'Host the product images of a test shop',
    ...overrides,
  };
}

/** A well-formed success body with fake credentials. */
export function fakeAccount(extra = {}) {
  return {
    external_id: '0aaaaa1bbbbb2ccccc3ddddd4eeeee5f',
    email: 'jane@example.com',
    plan_name: 'free',
    product_environments: [{
      external_id: 'abcde1fghij2klmno3pqrst4uvwxy5z',
      cloud_name: 'product1',
      api_key: '123456789012345',
      api_secret: 'FAKE-not-a-secret',
      api_environment_variable: 'CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1',
    }],
    guidance: 'Verify the e-mail.',
    ...extra,
  };
}

/** Resolves to the rejection of `promise` (fails if it resolves). */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
