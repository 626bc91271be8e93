// `cloudinary-agent-account-mcp --http [HOST:]PORT`: the same server over the SDK's Streamable
// HTTP transport, on node:http alone. One server and transport per MCP session (the
// `Mcp-Session-Id` header), not per POST: a creating tool asks the person through elicitation,
// which needs the client's declared capabilities (sent once, at initialize) and the client's
// answer (a later POST) to reach the same server.
//
// DNS rebinding: a web page can make a browser send requests to 127.0.0.1 under its own host
// name, so every request must name an allowed Host, and an Origin, when a browser sends one,
// must be that same host: anything else gets 403 before the SDK sees it.
import http from 'node:http';
import { isIP } from 'node:net';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/** The one path served. */
export const MCP_PATH = '/mcp';
/** A JSON-RPC message larger than this is refused (413) unread: our tools take a few hundred bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Live sessions at most: past this, a new one is refused (503) until one ends or idles out. */
export const MAX_SESSIONS = 64;
/** A session with no request for this long is closed (a client that vanished never says so). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Parses `[HOST:]PORT` (`8080`, `127.0.0.1:0`, `[::1]:8080`); the host defaults to 127.0.0.1.
 * @param {string | undefined} spec
 * @returns {{ host: string, port: number }}
 */
export function parseListen(spec) {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(String(spec ?? ''));
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`--http wants [HOST:]PORT (such as 8080 or 127.0.0.1:8080), not ${JSON.stringify(spec ?? '')}`);
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { host, port };
}

const bracket = (h) => (isIP(h) === 6 ? `[${h}]` : h);

/**
 * Whether a request's Host (and Origin, when present) may reach the server bound to `host`:port.
 * Bound to loopback: Host must be a loopback name with that port. Bound to a named address:
 * that name or a loopback one. Bound to every interface (0.0.0.0, ::): any IP literal or
 * localhost, never a DNS name (rebinding needs one).
 * @returns {boolean}
 */
export function allowedRequest(headers, host, port) {
  const hostHeader = headers.host;
  if (typeof hostHeader !== 'string') return false;
  let name;
  try {
    const u = new URL(`http://${hostHeader}`);
    if (Number(u.port || 80) !== port || u.username || u.password || u.pathname !== '/') return false;
    name = u.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  const wildcard = host === '0.0.0.0' || host === '::';
  const ok = LOOPBACK.has(name) || name === host || (wildcard && isIP(name) !== 0);
  if (!ok) return false;
  const origin = headers.origin;
  if (origin === undefined) return true; // not a browser: no cross-site page behind it
  return origin === `http://${hostHeader}` || origin === `http://${bracket(name)}:${port}`;
}

function jsonRpcError(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Reads the body up to MAX_BODY_BYTES; undefined when over it. */
async function readBody(req) {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves `createServer()` over Streamable HTTP on host:port; resolves once listening, with the
 * URL (the real port when 0 was asked) and `close()`.
 * @param {{ host: string, port: number, createServer: () => import('@modelcontextprotocol/sdk/server/index.js').Server }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function serveHttp({ host, port, createServer }) {
  let boundPort = port;
  /** @type {Map<string, { transport: StreamableHTTPServerTransport, idle: NodeJS.Timeout | undefined }>} */
  const sessions = new Map();
  const end = (id) => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    clearTimeout(s.idle);
    s.transport.close().catch(() => {});
  };
  const touch = (id) => {
    const s = sessions.get(id);
    if (!s) return;
    clearTimeout(s.idle);
    s.idle = setTimeout(() => end(id), SESSION_IDLE_MS);
    s.idle.unref();
  };
  const httpServer = http.createServer(async (req, res) => {
    const path = (req.url || '').split('?')[0];
    if (!allowedRequest(req.headers, host, boundPort)) return jsonRpcError(res, 403, 'Forbidden: Host or Origin not allowed');
    if (path !== MCP_PATH) return jsonRpcError(res, 404, `Not found: the endpoint is ${MCP_PATH}`);
    if (!['POST', 'GET', 'DELETE'].includes(req.method || '')) {
      res.setHeader('allow', 'POST, GET, DELETE');
      return jsonRpcError(res, 405, 'Method not allowed.');
    }
    let body;
    if (req.method === 'POST') {
      try {
        const text = await readBody(req);
        if (text === undefined) return jsonRpcError(res, 413, `Message over ${MAX_BODY_BYTES} bytes`);
        body = JSON.parse(text);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
      }
    }
    const id = req.headers['mcp-session-id'];
    try {
      if (typeof id === 'string') {
        const s = sessions.get(id);
        if (!s) return jsonRpcError(res, 404, 'Session not found: initialize a new one');
        touch(id);
        return await s.transport.handleRequest(req, res, body);
      }
      if (req.method !== 'POST' || !isInitializeRequest(body)) return jsonRpcError(res, 400, 'Bad request: no Mcp-Session-Id; initialize first');
      if (sessions.size >= MAX_SESSIONS) return jsonRpcError(res, 503, `Too many sessions (${MAX_SESSIONS}); end one (DELETE) or retry later`);
      const server = createServer();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => { sessions.set(sid, { transport, idle: undefined }); touch(sid); },
      });
      transport.onclose = () => { if (transport.sessionId) end(transport.sessionId); server.close().catch(() => {}); };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch {
      if (!res.headersSent) jsonRpcError(res, 500, 'Internal server error');
    }
  });
  httpServer.listen(port, host);
  await new Promise((resolve, reject) => {
    httpServer.once('listening', resolve);
    httpServer.once('error', reject);
  });
  boundPort = /** @type {import('node:net').AddressInfo} */ (httpServer.address()).port;
  return {
    url: `http://${bracket(host)}:${boundPort}${MCP_PATH}`,
    port: boundPort,
    close: () => new Promise((resolve) => {
      for (const sid of [...sessions.keys()]) end(sid);
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    }),
  };
}
