// Runs the installed `cloudinary-agent-account` bin, piped or on a terminal (script(1)), for the
// CLI tests: one runner, so every test sees the command the same way.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../node_modules/.bin/cloudinary-agent-account', import.meta.url));

/** A clean environment: no coding-agent markers nor Cloudinary settings from the machine
 * running the tests. */
export const CLEAN = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLAUDE|CURSOR|CODEX|GEMINI|OPENCODE|AMP_|WINDSURF|ANTHROPIC|OPENAI|CLOUDINARY)/.test(k)));

/** Resolves to { code, stdout, stderr }. `env` is the whole environment; `tty` runs the bin
 * under script(1), so that its stdout is a terminal; `started` is given the child process. */
export function runBin(args, { cwd, env, tty = false, started } = {}) {
  const [cmd, argv] = tty
    ? ['script', ['-qefc', [BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' '), '/dev/null']]
    : [BIN, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    started?.(child);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
