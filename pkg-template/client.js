// createAccount and createCloud: the HTTP exchange through the host's own fetch, one driver
// for both. What to send, what an answer means, whether to retry and every error come from
// the Rust core (src/wasm/client.rs over src/error.rs, src/cloud_shape.rs, src/retry.rs),
// told which creation by its number; this file only sends, reads, times and waits. In Rust (gloo-net, closures
// for timers, a future state machine) the same flow cost the wasm ~15 KB raw and most of each
// call's time in boundary crossings (BENCHMARKS.md, "createAccount's fetch in JS, its rules in
// Rust").

import { MAX_BODY, readCapped, sleep } from './io.js';

// The creations (src/creation.rs Creation::from_tag).
const ACCOUNT = 0;
const CLOUD = 1;
// How an attempt was interrupted (__interruptedError).
const TIMEOUT = 0;
const ABORTED = 1;
const NETWORK = 2;
const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** Builds createAccount and createCloud over one instance's exports (the glue module's
 * namespace). */
export function makeClient({ __prepare: prepare, __classify: classify, __interruptedError, __agentAccountErrorClass }) {
  const AgentAccountError = __agentAccountErrorClass();

  /** Validates the request, creates the account or cloud (`kind`) and resolves to it (see
   * core.d.ts). Async: even invalid input rejects, never throws; the inputs are read at once,
   * synchronously. */
  async function create(kind, request, options) {
    const interrupted = (how, message, sent, timeoutMs) => __interruptedError(kind, how, message, sent, timeoutMs);
    const call = prepare(kind, request, options); // throws invalid_input: nothing is sent
    const { signal, timeoutMs } = call;
    let callerAborted = call.aborted;
    let timedOut = false;
    let sent = false; // handed to fetch, and not refused by a 4xx since
    let controller;
    let timer;
    const onAbort = () => { callerAborted = true; controller.abort(); };
    const lost = (e) => {
      if (callerAborted) return interrupted(ABORTED, '', sent, timeoutMs);
      if (timedOut) return interrupted(TIMEOUT, '', sent, timeoutMs);
      let message = 'fetch failed';
      try { if (e && typeof e.message === 'string' && e.message) message = e.message; } catch { /* keep the default */ }
      return interrupted(NETWORK, message, sent, timeoutMs);
    };
    try {
      // One controller, deadline and listener for the whole call, retries included: the
      // deadline and the caller's signal bound the call, not each attempt.
      controller = new AbortController();
      if (signal !== undefined && !callerAborted) {
        // The signal passed `instanceof AbortSignal` in Rust; a Proxy could still throw here.
        try { signal.addEventListener('abort', onAbort); } catch { /* as if it never fired */ }
      }
      timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
      const deadline = Date.now() + timeoutMs;
      for (let retries = 0; ; retries++) {
        if (callerAborted) throw interrupted(ABORTED, '', false, timeoutMs);
        let res;
        sent = true;
        try {
          // A redirect is not followed (it would send the person's e-mail to whatever host it
          // names): it is the answer, which the Rust core refuses.
          res = await fetch(call.url, { method: 'POST', headers: HEADERS, body: call.body, redirect: 'manual', signal: controller.signal });
        } catch (e) { throw lost(e); }
        const status = res.status;
        const h = res.headers;
        let parsed;
        let size = 0;
        if (res.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
          controller.abort(); // nothing of a redirect is read
        } else {
          const length = (h.get('content-length') || '').trim();
          const declared = /^\+?\d+$/.test(length) ? Number(length) : -1;
          if (declared > MAX_BODY) {
            controller.abort(); // not downloaded: refused for its declared size
            size = declared;
          } else {
            try {
              ({ parsed, size } = await readCapped(res, declared));
            } catch (e) {
              if (status >= 400 && status < 500) sent = false; // refused before the body broke
              throw lost(e);
            }
            if (size > MAX_BODY) controller.abort();
          }
        }
        // The headers are read by the Rust core when it needs them (an error, onResponse).
        // A cloud's fields are set at its top level there, whichever shape it came in.
        const verdict = classify(kind, status, h, parsed, size, call.onResponse, retries, call.maxRetries,
          call.maxRetryDelayMs, Date.now(), deadline);
        if (verdict === undefined) return parsed;
        if (typeof verdict !== 'number') {
          // A refused 2xx may hold credentials: kept, hidden from message, JSON and inspect.
          if (status < 300 && parsed !== undefined) Object.defineProperty(verdict, 'body', { value: parsed });
          throw verdict;
        }
        // A 420/429 to retry: refused before anything was created.
        sent = false;
        await sleep(verdict, controller.signal, lost);
      }
    } catch (e) {
      // The Rust core's errors as they are; anything else this driver did not foresee (no
      // AbortController in this runtime...) is mapped to a network error.
      if (e instanceof AgentAccountError) throw e;
      throw lost(e);
    } finally {
      clearTimeout(timer);
      if (signal !== undefined) {
        try { signal.removeEventListener('abort', onAbort); } catch { /* see addEventListener */ }
      }
    }
  }

  return {
    createAccount: function createAccount(request, options) { return create(ACCOUNT, request, options); },
    createCloud: function createCloud(request, options) { return create(CLOUD, request, options); },
  };
}
