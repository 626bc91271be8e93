// Node.js runtime: the package's `node` + `import` entry, bundled by Next.
export { handle as GET } from '../../../handle.mjs';
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
