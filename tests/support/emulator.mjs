// The emulator for every JS test: the binary named by EMULATOR (default: the dev-profile
// build `make emulator` makes), started with `--listen 127.0.0.1:0` and the caller's args.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ROOT, startProcess } from './process.mjs';

/** The emulator binary the tests run. */
export function emulatorBin() {
  const bin = process.env.EMULATOR || join('target', 'debug', 'agent-account-emulator');
  const path = isAbsolute(bin) ? bin : join(ROOT, bin);
  if (!existsSync(path)) throw new Error(`no emulator at ${path}: run \`make emulator\` (or set EMULATOR)`);
  return path;
}

/**
 * Starts the emulator with `args`; the test controls (`fault`, `clearFaults`, `outbox`) need
 * `--test-controls` among them.
 */
export async function startEmulator(args = [], { env = {} } = {}) {
  const server = await startProcess('emulator', emulatorBin(), ['--listen', '127.0.0.1:0', ...args], { env });
  const control = async (method, path, body) => {
    const res = await fetch(server.url + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json().catch(() => null);
  };
  return {
    ...server,
    fault: (spec) => control('POST', '/_emulator/faults', spec),
    clearFaults: () => control('DELETE', '/_emulator/faults'),
    outbox: () => control('GET', '/_emulator/outbox'),
  };
}
