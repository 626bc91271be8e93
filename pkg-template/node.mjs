// Node.js `import`, and server bundles (Next.js, webpack, Vite SSR): the wasm files are
// located with `new URL('./…', import.meta.url)`, which webpack, Turbopack and Vite trace and
// emit next to their output (a `__dirname` join is not followed). The instance is the one
// node.cjs uses, so `import` and `require` in one process share it.
import { readFileSync } from 'node:fs';
import instance from './node/instance.cjs';

export const { createAccount, validateRequest, isValidRequest, AgentAccountError, renderGuidance,
  checkActivation, waitForActivation, redact, toDotenv, REDACTED } = instance.start(
  () => readFileSync(new URL('./core/cloudinary_agent_account_bg.wasm', import.meta.url)),
  () => readFileSync(new URL('./guidance/guidance_bg.wasm', import.meta.url)),
);
