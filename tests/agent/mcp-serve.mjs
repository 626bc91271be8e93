// The installed MCP server for a test: its bin started with --http, and the SDK's Client over
// stdio or Streamable HTTP with the elicitation modes a test declares. Shared by the HTTP,
// consent, cloud and Inspector tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account-mcp', import.meta.url));

/**
 * Starts the bin with --http in `cwd`, pointed at `baseUrl`; resolves with the URL it printed,
 * its output so far and stop().
 */
export async function serve(cwd, baseUrl, listen = '127.0.0.1:0') {
  const child = spawn(BIN, ['--http', listen], {
    cwd,
    env: { PATH: process.env.PATH, CLOUDINARY_AGENT_BASE_URL: baseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => { out.stdout += d; });
  child.stderr.on('data', (d) => { out.stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out.stderr}`)), 20000);
    child.stderr.on('data', () => {
      const m = /^cloudinary-agent-account-mcp: listening on (http:\/\/\S+)$/m.exec(out.stderr);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${out.stderr}`)); });
  });
  return {
    url,
    out,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, 'exit');
      return code;
    },
  };
}

/**
 * The SDK's Client over `kind` ('stdio' | 'http') to the server run in `dir` against `base`,
 * declaring the elicitation `modes` ('form', 'url') or the `elicitation` capability as given,
 * each request answered by `answer(params)`.
 * Resolves with the client, the elicitations it was sent, every message it received, the
 * server's output (stderr, and stdout over HTTP) and close().
 */
export async function openClient(kind, dir, { base, modes = [], answer, elicitation } = {}) {
  // `elicitation` given as is: `{}` is how a 2025-06-18 client (form only) declares it.
  const declared = elicitation ?? (modes.length ? Object.fromEntries(modes.map((m) => [m, {}])) : undefined);
  const client = new Client({ name: 'agent-test', version: '1.0.0' }, declared ? { capabilities: { elicitation: declared } } : {});
  const asked = [];
  if (declared) client.setRequestHandler(ElicitRequestSchema, async (req) => { asked.push(req.params); return answer(req.params); });
  let transport;
  let srv;
  const stderr = [];
  if (kind === 'stdio') {
    transport = new StdioClientTransport({ command: BIN, args: [], cwd: dir, stderr: 'pipe', env: { PATH: process.env.PATH, CLOUDINARY_AGENT_BASE_URL: base } });
    transport.stderr.on('data', (d) => stderr.push(String(d)));
  } else {
    srv = await serve(dir, base);
    transport = new StreamableHTTPClientTransport(new URL(srv.url));
  }
  await client.connect(transport);
  const received = [];
  const onmessage = transport.onmessage;
  transport.onmessage = (m) => { received.push(m); onmessage(m); };
  return {
    client,
    asked,
    received,
    output: () => stderr.join('') + (srv ? srv.out.stderr + srv.out.stdout : ''),
    async close() {
      await client.close();
      if (srv) assert.equal(await srv.stop(), 0);
    },
  };
}
