// `cloudinary-agent-account-mcp install --client claude-code|cursor|vscode [--project|--global]
// [--print]`: adds (or updates) this server's entry in one client's MCP configuration file.
//
// The file is parsed, only our entry is set, and the whole is written to a temporary file beside
// it and renamed over it, so a crash never leaves half a file and other entries are kept as they
// were. A file that is not valid JSON (VS Code's allow comments) is refused, never rewritten.
import { readFileSync, writeFileSync, renameSync, mkdirSync, statSync, rmSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';

/** The entry's name in every client's file. */
export const SERVER_NAME = 'cloudinary-account';
/** How every client starts the server: the published package through npx. */
const COMMAND = { command: 'npx', args: ['-y', 'cloudinary-agent-account-mcp'] };

/** VS Code's user profile folder (its user-level mcp.json lives there), per platform. */
function vscodeUserDir(env, home, platform) {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Code', 'User');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Code', 'User');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Code', 'User');
}

/**
 * Each client: the file at each scope, the key that holds the servers, and our entry.
 * Claude Code: `.mcp.json` (project scope) or `~/.claude.json` (user scope, top-level
 * `mcpServers`); Cursor: `.cursor/mcp.json` or `~/.cursor/mcp.json`; VS Code: `.vscode/mcp.json`
 * or the user profile's `mcp.json`, under `servers`, with an explicit `type`.
 */
export const CLIENTS = {
  'claude-code': {
    key: 'mcpServers',
    file: ({ scope, cwd, home }) => (scope === 'global' ? join(home, '.claude.json') : join(cwd, '.mcp.json')),
    entry: () => ({ type: 'stdio', ...COMMAND }),
  },
  cursor: {
    key: 'mcpServers',
    file: ({ scope, cwd, home }) => (scope === 'global' ? join(home, '.cursor', 'mcp.json') : join(cwd, '.cursor', 'mcp.json')),
    entry: () => ({ ...COMMAND }),
  },
  vscode: {
    key: 'servers',
    file: ({ scope, cwd, home, env, platform }) => (scope === 'global' ? join(vscodeUserDir(env, home, platform), 'mcp.json') : join(cwd, '.vscode', 'mcp.json')),
    entry: () => ({ type: 'stdio', ...COMMAND }),
  },
};

export class InstallError extends Error {}

/**
 * Works out the file and the new content without writing anything.
 * @returns {{ file: string, snippet: object, content: object, action: 'added' | 'updated' | 'unchanged' }}
 */
export function plan({ client, scope = 'project', cwd = process.cwd(), home = homedir(), env = process.env, platform = process.platform }) {
  const spec = CLIENTS[client];
  if (!spec) throw new InstallError(`--client must be one of ${Object.keys(CLIENTS).join(', ')}`);
  const file = resolve(spec.file({ scope, cwd, home, env, platform }));
  const entry = spec.entry();
  const snippet = { [spec.key]: { [SERVER_NAME]: entry } };
  let content = {};
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e.code !== 'ENOENT') throw new InstallError(`cannot read ${file}: ${e.code || e.message}`);
  }
  if (text !== undefined && text.trim() !== '') {
    try {
      content = JSON.parse(text);
    } catch {
      throw new InstallError(`${file} is not valid JSON (comments and trailing commas included): fix it or add the entry by hand; it was left as it is`);
    }
    if (!content || typeof content !== 'object' || Array.isArray(content)) throw new InstallError(`${file} does not hold a JSON object; it was left as it is`);
    const servers = content[spec.key];
    if (servers !== undefined && (!servers || typeof servers !== 'object' || Array.isArray(servers))) {
      throw new InstallError(`${file}: "${spec.key}" is not an object; it was left as it is`);
    }
  }
  const before = content[spec.key] && content[spec.key][SERVER_NAME];
  const action = before === undefined ? 'added' : JSON.stringify(before) === JSON.stringify(entry) ? 'unchanged' : 'updated';
  content = { ...content, [spec.key]: { ...(content[spec.key] || {}), [SERVER_NAME]: entry } };
  return { file, snippet, content, action };
}

/** Writes `content` to `file` atomically, keeping an existing file's mode (~/.claude.json is private). */
export function writeAtomically(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  let mode = 0o644;
  try { mode = statSync(file).mode & 0o777; } catch { /* a new file */ }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode, flag: 'wx' });
    chmodSync(tmp, mode); // the umask narrowed the mode of the new file
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InstallError(`cannot write ${file}: ${e.code || e.message}`);
  }
}

export const USAGE = 'usage: cloudinary-agent-account-mcp install --client claude-code|cursor|vscode [--project|--global] [--print]';

/**
 * Runs the command; returns the exit status.
 * @param {string[]} args the arguments after `install`
 */
export function install(args, { out = process.stdout, err = process.stderr, ...where } = {}) {
  let client;
  let scope = 'project';
  let print = false;
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i];
    if (a === '--client') client = args[++i];
    else if (a.startsWith('--client=')) client = a.slice(9);
    else if (a === '--project') scope = 'project';
    else if (a === '--global') scope = 'global';
    else if (a === '--print') print = true;
    else if (a === '--help' || a === '-h') { out.write(`${USAGE}\n`); return 0; }
    else { err.write(`install: unknown argument ${JSON.stringify(a)}\n${USAGE}\n`); return 2; }
  }
  if (!client) { err.write(`install: --client is required\n${USAGE}\n`); return 2; }
  try {
    if (!CLIENTS[client]) throw new InstallError(`--client must be one of ${Object.keys(CLIENTS).join(', ')}`);
    if (print) {
      const file = resolve(CLIENTS[client].file({ scope, cwd: process.cwd(), home: homedir(), env: process.env, platform: process.platform, ...where }));
      const entry = { [CLIENTS[client].key]: { [SERVER_NAME]: CLIENTS[client].entry() } };
      // stdout holds JSON alone (pipeable); where it belongs goes to stderr.
      out.write(`${JSON.stringify(entry, null, 2)}\n`);
      err.write(`install --print: merge this into ${file}\n`);
      return 0;
    }
    const p = plan({ client, scope, ...where });
    if (p.action !== 'unchanged') writeAtomically(p.file, p.content);
    out.write(`${p.action} "${SERVER_NAME}" in ${p.file}\n`);
    return 0;
  } catch (e) {
    err.write(`install: ${e instanceof InstallError ? e.message : e}\n`);
    return 1;
  }
}
