#!/usr/bin/env node
// The demo page's static server: www/ at `/`, the built package (pkg/) at `/pkg/`,
// `/config.json` telling the page where the emulator runs, and two things the page cannot do
// itself: the emulator's outbox read on its behalf at `/_emulator/outbox`, and a cloud's image
// requested from another address at `/_emulator/delivery`. No dependencies, GET/HEAD only,
// bound to 127.0.0.1.
//
//   PORT=8080 EMULATOR_URL=http://127.0.0.1:8787 node www/serve.mjs
//
// PORT may be 0 (a free port). The first line on stdout is `listening on http://127.0.0.1:PORT/`.
// PKG_DIR overrides where the package is read from (default: ../pkg next to this file).

import { createServer, request as httpRequest } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const roots = {
  www: resolve(here),
  pkg: resolve(process.env.PKG_DIR || join(here, '..', 'pkg')),
};
const emulatorUrl = process.env.EMULATOR_URL ? process.env.EMULATOR_URL.replace(/\/+$/, '') : null;
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve.mjs: PORT must be a port number, got ${process.env.PORT}`);
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// The page renders Markdown from a server; the CSP is a second line of defence behind
// renderGuidance. 'wasm-unsafe-eval' is what compiling the package's wasm needs; connect-src
// stays open because the person may point the page at any base URL.
const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' https: http:",
  "connect-src 'self' http: https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = {
  'Cache-Control': 'no-store', // a development server: never serve a stale package
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': CSP,
};

/**
 * Maps a URL path to a file inside one of the roots, or null (traversal, hidden files).
 * @returns {{ root: string, file: string } | null}
 */
function fileFor(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  let root = roots.www;
  let rest = decoded;
  if (decoded === '/pkg' || decoded.startsWith('/pkg/')) {
    root = roots.pkg;
    rest = decoded.slice('/pkg'.length);
  }
  if (rest === '' || rest.endsWith('/')) rest += 'index.html';
  if (rest.split('/').some((part) => part.startsWith('.'))) return null;
  const file = resolve(root, '.' + rest);
  return file.startsWith(root + sep) ? { root, file } : null;
}

/**
 * The file's real path if it is a regular file whose real path (symlinks resolved) is still
 * inside the real root; null otherwise. A symlink may point within the served folder, never out
 * of it.
 */
async function servable({ root, file }) {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) return null;
    return (await stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

function send(res, status, type, body, head) {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': body.length });
  res.end(head ? undefined : body);
}

/** Answers one request; may throw, which `handle` turns into an answer. */
async function answer(req, res) {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', Buffer.from('method not allowed\n'), false);
  }
  let pathname;
  try {
    // `//[` or `http://[` as the request target are not URLs: `new URL` throws.
    ({ pathname } = new URL(req.url || '/', 'http://localhost'));
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', Buffer.from('bad request\n'), head);
  }
  if (pathname === '/config.json') {
    const body = Buffer.from(JSON.stringify({ emulatorUrl }) + '\n');
    return send(res, 200, TYPES['.json'], body, head);
  }
  if (pathname === '/_emulator/outbox') return outbox(req, res, head);
  if (pathname === '/_emulator/delivery') return delivery(req, res, head);
  const target = fileFor(pathname);
  const file = target && (await servable(target));
  if (!file) return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('not found\n'), head);
  const body = await readFile(file);
  send(res, 200, TYPES[extname(file)] || 'application/octet-stream', body, head);
}

/** The emulator's outbox, for the page. The emulator refuses its outbox to other origins (a
 * page must not read verification links), and the page is one: another port. So this server,
 * the page's own origin, reads it server-side: only the outbox, only `to` and `limit`, and
 * only for a request addressed to this server by its loopback name (no DNS rebinding). */
async function outbox(req, res, head) {
  if (!emulatorUrl || !ownHost(req)) return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('not found\n'), head);
  const asked = new URL(req.url || '/', 'http://localhost').searchParams;
  const query = new URLSearchParams();
  for (const key of ['to', 'limit']) {
    const value = asked.get(key);
    if (value !== null) query.set(key, value);
  }
  const upstream = await fetch(`${emulatorUrl}/_emulator/outbox?${query}`, {
    redirect: 'error',
    signal: AbortSignal.timeout(5000),
  });
  const body = Buffer.from(await upstream.arrayBuffer());
  return send(res, upstream.status, TYPES['.json'], body, head);
}

/** Whether a request was addressed to this server by its loopback name (no DNS rebinding). */
function ownHost(req) {
  const host = String(req.headers.host || '').toLowerCase();
  return /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(host);
}

/** The address a delivery check comes from: loopback, so it reaches the emulator, but not the
 * 127.0.0.1 that every cloud created from this machine lists in its delivery IPs. */
const OUTSIDE_ADDRESS = '127.0.0.2';
/** A cloud name as the emulator writes them (and as Cloudinary's are): nothing to escape. */
const CLOUD_NAME = /^[a-z0-9][a-z0-9_-]{0,127}$/i;

/** A cloud's image requested from {@link OUTSIDE_ADDRESS}, for the page's view of the delivery
 * lock: `{"from", "status", "cldError"}`, the answer's status and `x-cld-error`. A browser
 * cannot choose the address it connects from, so the page asks this server, which only ever
 * asks the emulator, only for `/{cloud}/image/upload/sample.jpg`. */
async function delivery(req, res, head) {
  const json = (status, value) => send(res, status, TYPES['.json'], Buffer.from(JSON.stringify(value) + '\n'), head);
  if (!emulatorUrl || !ownHost(req)) return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('not found\n'), head);
  const cloud = new URL(req.url || '/', 'http://localhost').searchParams.get('cloud') || '';
  if (!CLOUD_NAME.test(cloud)) return json(400, { error: 'cloud must be a cloud name' });
  const target = new URL(`${emulatorUrl}/${cloud}/image/upload/sample.jpg`);
  if (!/^127\./.test(target.hostname)) return json(501, { error: 'the emulator is not on a 127.x address' });
  const answer = await new Promise((done) => {
    const ask = httpRequest(target, { localAddress: OUTSIDE_ADDRESS, timeout: 5000 }, (up) => {
      up.resume();
      up.on('end', () => done({ from: OUTSIDE_ADDRESS, status: up.statusCode, cldError: up.headers['x-cld-error'] ?? null }));
    });
    // EADDRNOTAVAIL where only 127.0.0.1 is configured (macOS by default).
    ask.on('error', (e) => done({ error: `no request from ${OUTSIDE_ADDRESS} (${e.code || e.message})` }));
    ask.on('timeout', () => ask.destroy(new Error('timed out')));
    ask.end();
  });
  return json('error' in answer ? 502 : 200, answer);
}

/** Every request gets an answer and none can stop the server: an unexpected error is a 500. */
async function handle(req, res) {
  try {
    await answer(req, res);
  } catch (e) {
    console.error(`serve.mjs: ${req.method} failed: ${e instanceof Error ? e.message : e}`);
    if (!res.headersSent) {
      send(res, 500, 'text/plain; charset=utf-8', Buffer.from('internal error\n'), false);
    } else {
      res.destroy();
    }
  }
}

const server = createServer((req, res) => {
  void handle(req, res);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const real = typeof address === 'object' && address ? address.port : port;
  console.log(`listening on http://127.0.0.1:${real}/`);
});
server.on('error', (e) => {
  console.error(`serve.mjs: ${e.message}`);
  process.exit(1);
});

// Stop cleanly on Ctrl-C / SIGTERM: close the listener, drop idle keep-alive sockets.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
