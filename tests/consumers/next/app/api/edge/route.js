// Edge runtime: the package's `edge-light` entry (the wasm imported with `?module`), and
// `/tool` over it.
import { handler } from '../../../handle.mjs';

export const GET = handler();
export const runtime = 'edge';
export const dynamic = 'force-dynamic';
