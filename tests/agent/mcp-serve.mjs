// Starting the installed MCP server's bin with --http for a test: shared by the HTTP, consent
// and Inspector tests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

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
