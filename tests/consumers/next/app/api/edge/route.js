// Edge runtime: the package's `edge-light` entry (the wasm imported with `?module`).
export { handle as GET } from '../../../handle.mjs';
export const runtime = 'edge';
export const dynamic = 'force-dynamic';
