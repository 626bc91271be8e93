// Node.js ESM entry: the CommonJS build, re-exported, so ESM and CJS share one instance.
import cjs from './node.cjs';

export const { createAccount, validateRequest, AgentAccountError, renderGuidance } = cjs;
export const { checkActivation, waitForActivation, redact, toDotenv, REDACTED } = cjs;
