// The command line beyond stdio: `--http [HOST:]PORT`, `install ...`, `with-env ...`, `--help`,
// `--version`.
// No argument at all is the stdio server (what MCP clients start), which server.mjs runs itself.
import os from 'node:os';
import { install, USAGE as INSTALL_USAGE } from './install.mjs';

export const USAGE = [
  'usage: cloudinary-agent-account-mcp                      MCP server over stdio (what clients start)',
  '       cloudinary-agent-account-mcp --http [HOST:]PORT   over Streamable HTTP at http://HOST:PORT/mcp (HOST: 127.0.0.1)',
  `       ${INSTALL_USAGE.replace('usage: ', '')}`,
  '       cloudinary-agent-account-mcp with-env ENV_FILE -- COMMAND [ARGS...]   runs COMMAND with CLOUDINARY_URL from ENV_FILE',
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
  if (first === 'with-env') return withEnv(rest);
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

/**
 * `with-env ENV_FILE -- COMMAND [ARGS...]`: runs COMMAND with CLOUDINARY_URL read from
 * the env file, so that a client's configuration names the file and never holds the secret (the
 * local Cloudinary MCP server reads CLOUDINARY_URL from its environment). Exits as COMMAND does.
 * @param {string[]} args
 * @returns {Promise<number>}
 */
async function withEnv(args) {
  const sep = args.indexOf('--');
  const flags = sep < 0 ? args : args.slice(0, sep);
  const command = sep < 0 ? [] : args.slice(sep + 1);
  // A positional PATH, not `--env-file PATH`: some Node.js versions take an `--env-file` that
  // follows the script's name for their own and exit 9 when that file is missing.
  const file = flags.length === 1 && !flags[0].startsWith('-') ? flags[0] : undefined;
  if (!file || command.length === 0) {
    process.stderr.write(`with-env: usage: with-env ENV_FILE -- COMMAND [ARGS...]\n`);
    return 2;
  }
  const { readCloudinaryUrl } = await import('cloudinary-agent-account/node');
  let url;
  try {
    url = await readCloudinaryUrl(file);
  } catch (e) {
    process.stderr.write(`with-env: cannot read ${file}: ${e.code || 'error'}\n`);
    return 1;
  }
  if (url === null) {
    process.stderr.write(`with-env: ${file} holds no CLOUDINARY_URL\n`);
    return 1;
  }
  const { spawn } = await import('node:child_process');
  // stdio inherited: COMMAND speaks MCP over our stdin/stdout; `shell` on Windows for npx.cmd.
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, CLOUDINARY_URL: url }, shell: process.platform === 'win32' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => {
    child.on('error', (e) => { process.stderr.write(`with-env: cannot start ${command[0]}: ${e.code || 'error'}\n`); resolve(127); });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] || 0)));
  });
}
