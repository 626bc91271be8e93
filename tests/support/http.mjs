// In-process HTTP servers on 127.0.0.1:0: one whose handler sees (and records) every request,
// for what an emulator cannot do (a connection reset, counting raw requests), and a static
// file server for the browser tests.
import http from 'node:http';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    async stop() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
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
  return { ...(await listen(server)), requests };
}

const MIME = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
};

/**
 * Serves files: `mounts` maps a URL prefix ('/', '/node_modules/') to a folder, the longest
 * prefix first; `pages` maps a path to an HTML text served as is. A path ending in `/` serves
 * its index.html. Nothing outside a mounted folder is reachable.
 * @param {Record<string, string>} mounts
 * @param {Record<string, string>} [pages]
 */
export async function startStaticServer(mounts, pages = {}) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = http.createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (Object.hasOwn(pages, path)) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
      return;
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : resolve(mounts[prefix]);
    const file = root && join(root, path.slice(prefix.length), path.endsWith('/') ? 'index.html' : '');
    try {
      if (!file || !(file + sep).startsWith(root + sep) || !(await stat(file)).isFile()) throw new Error('not served');
      res.writeHead(200, { 'content-type': MIME[extname(file)] || 'application/octet-stream' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return listen(server);
}
