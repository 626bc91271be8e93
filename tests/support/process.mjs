// Starts a server process that announces itself with one first stdout line,
// `listening on http://127.0.0.1:PORT[/]`, and stops it: SIGTERM, then SIGKILL after
// STOP_GRACE_MS. The contract emulator.rs and emulator.py keep too; scripts/servers.sh is its
// shell form. Every process still running when this one exits (or is signalled) is killed.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const START_TIMEOUT_MS = 20_000;
export const STOP_GRACE_MS = 10_000;
const LISTENING = /^listening on (http:\/\/127\.0\.0\.1:\d+)\/?$/;

const running = new Set();
function killAll() {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Spawns `command args` and resolves once its first stdout line is `listening on URL`.
 * @param {string} name what failures call it
 * @returns {Promise<{ url: string, log: () => string, running: () => boolean, stop: () => Promise<void> }>}
 */
export function startProcess(name, command, args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stderr = '';
    let stdout = '';
    let ready = false;
    let stopping = false;
    const fail = (why) => {
      if (ready) return;
      ready = true;
      child.kill('SIGKILL');
      reject(new Error(`${name}: ${why}\n--- its stderr ---\n${stderr.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`did not announce its address within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      if (ready) return;
      stdout += d;
      if (!stdout.includes('\n')) return;
      const line = stdout.split('\n', 1)[0].trim();
      const m = LISTENING.exec(line);
      if (!m) return fail(`unexpected first line: ${line.slice(0, 200)}`);
      ready = true;
      clearTimeout(timer);
      resolvePromise({
        url: m[1],
        log: () => stderr,
        running: () => child.exitCode === null && child.signalCode === null,
        stop: () => {
          stopping = true;
          return stopChild(child);
        },
      });
    });
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (ready && !stopping) {
        // Died while the tests still needed it: say so, or every later failure is a mystery.
        console.error(`# ${name} exited unexpectedly (${signal || `code ${code}`}); its stderr ends:\n${stderr.slice(-2000)}`);
      }
      fail(`exited early (${signal || code})`);
    });
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export function closedPort() {
  return new Promise((done, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => done(port));
    });
  });
}
