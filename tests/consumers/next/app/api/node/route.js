// Node.js runtime: the package's `node` + `import` entry, bundled by Next, with `/tool` saving
// through `/node` into a temporary env file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCloudinaryUrl } from 'cloudinary-agent-account/node';
import { handler } from '../../../handle.mjs';

export const GET = handler(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'next-tool-'));
  return { saveTo: join(dir, '.env'), readCloudinaryUrl, cleanup: () => rm(dir, { recursive: true, force: true }) };
});
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
