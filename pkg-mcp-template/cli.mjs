// The command line beyond stdio: `--http [HOST:]PORT`, `install ...`, `--help`, `--version`.
// No argument at all is the stdio server (what MCP clients start), which server.mjs runs itself.
import { install, USAGE as INSTALL_USAGE } from './install.mjs';

export const USAGE = [
  'usage: cloudinary-agent-account-mcp                      MCP server over stdio (what clients start)',
  '       cloudinary-agent-account-mcp --http [HOST:]PORT   over Streamable HTTP at http://HOST:PORT/mcp (HOST: 127.0.0.1)',
  `       ${INSTALL_USAGE.replace('usage: ', '')}`,
].join('\n');

/**
 * Runs a non-stdio command. Resolves to `false` when there are no arguments (serve stdio), else
 * to the exit status; `--http` resolves only once the server has stopped (SIGINT/SIGTERM).
 * @param {string[]} args
 * @param {{ createServer: () => import('@modelcontextprotocol/sdk/server/index.js').Server, version: string }} deps
 * @returns {Promise<false | number>}
 */
export async function runCommand(args, { createServer, version }) {
  if (args.length === 0) return false;
  const [first, ...rest] = args;
  if (first === 'install') return install(rest);
  if (first === '--help' || first === '-h') { process.stdout.write(`${USAGE}\n`); return 0; }
  if (first === '--version') { process.stdout.write(`${version}\n`); return 0; }
  if (first === '--http' || first.startsWith('--http=')) {
    const spec = first === '--http' ? rest[0] : first.slice(7);
    const extra = first === '--http' ? rest.slice(1) : rest;
    const { parseListen, serveHttp } = await import('./http.mjs');
    let where;
    try {
      if (extra.length) throw new Error(`unexpected ${JSON.stringify(extra[0])}`);
      where = parseListen(spec);
    } catch (e) {
      process.stderr.write(`cloudinary-agent-account-mcp: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    let served;
    try {
      served = await serveHttp({ ...where, createServer });
    } catch (e) {
      process.stderr.write(`cloudinary-agent-account-mcp: cannot listen on ${spec}: ${e.code || e.message}\n`);
      return 1;
    }
    // One line on stderr (stdout stays free, as in stdio mode), that scripts can read.
    process.stderr.write(`cloudinary-agent-account-mcp: listening on ${served.url}\n`);
    const signal = await new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await served.close();
    process.stderr.write(`cloudinary-agent-account-mcp: stopped (${signal})\n`);
    return 0;
  }
  process.stderr.write(`cloudinary-agent-account-mcp: unknown argument ${JSON.stringify(first)}\n${USAGE}\n`);
  return 2;
}
