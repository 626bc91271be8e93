// The same smoke script (tests/runtimes/smoke.mjs) in Deno and in a Cloudflare Worker
// (workerd through Miniflare), each importing the installed package by name; the tests
// themselves are tests/runtimes/runtime-tests.mjs, shared with the agent tests.
import { runtimeTests } from './runtime-tests.mjs';

runtimeTests('./smoke.mjs');
