// What the package tests share besides servers: where the installed package is, fake
// requests and accounts, and small assertions.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './process.mjs';

/**
 * The consumer project the packed packages are installed in (scripts/consumer.sh); the
 * tests' bare imports reach its node_modules through the link tests/node_modules.
 */
export const CONSUMER = resolve(ROOT, process.env.CONSUMER_DIR || join('build', 'consumer'));

/** Writes a deny file and returns its path. */
export function denyFile(text) {
  const dir = mkdtempSync(join(tmpdir(), 'deny-'));
  const p = join(dir, 'deny.txt');
  writeFileSync(p, text);
  return p;
}

let n = 0;
/** A request with a fresh, obviously fake address. */
export function request(overrides = {}) {
  n += 1;
  return {
    email: `agent-test-${process.pid}-${n}-${Date.now()}@example.com`,
    agent_framework: 'langchain',
    agent_llm_model: 'claude-opus-4-8',
    agent_goal: 'Host the product images of a test shop',
    ...overrides,
  };
}

/** A well-formed success body with fake credentials. */
export function fakeAccount(extra = {}) {
  return {
    external_id: '0aaaaa1bbbbb2ccccc3ddddd4eeeee5f',
    email: 'jane@example.com',
    plan_name: 'free',
    product_environments: [{
      external_id: 'abcde1fghij2klmno3pqrst4uvwxy5z',
      cloud_name: 'product1',
      api_key: '123456789012345',
      api_secret: 'FAKE-not-a-secret',
      api_environment_variable: 'CLOUDINARY_URL=cloudinary://123456789012345:FAKE-not-a-secret@product1',
    }],
    guidance: 'Verify the e-mail.',
    ...extra,
  };
}

/** Resolves to the rejection of `promise` (fails if it resolves). */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
