// checkActivation and waitForActivation: the Admin API ping through the host's own fetch.
// What the credentials and the options must be (names, defaults, clamps, errors), the
// ping's path and user (`api_key:api_secret`), what an answer means and the back-off come
// from the Rust core (src/activation.rs, src/options.rs, src/retry.rs, through
// src/wasm/activation.rs); this file only encodes the Basic header (the host's btoa), sends,
// times and polls (in Rust this flow cost the client's wasm 7.6 KB gzipped).
// Its bounds are createAccount's (io.js): the body read stops at 1 MiB, durations are clamped
// to the longest timer, and a caller's signal that throws (a hostile Proxy) is never let
// through as anything but an AgentAccountError.

import { MAX_DELAY_MS, fired, readCapped, sleep } from './io.js';

// A request id is echoed to people and models: kept only when it looks like one (1-128 of
// `[A-Za-z0-9._:-]`) and holds no 8-character piece of the key:secret pair, plain or base64,
// in any case (a server that echoes the Authorization header back would put it there).
function requestIdOf(id, authorization) {
  if (typeof id !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(id)) return undefined;
  const b64 = authorization.slice(authorization.indexOf(' ') + 1);
  let pair = '';
  try { pair = atob(b64); } catch { /* the header is ours: always base64 */ }
  const lower = id.toLowerCase();
  for (const s of [b64, pair.slice(pair.indexOf(':') + 1)]) {
    const t = s.toLowerCase();
    for (let i = 0; i + 8 <= t.length; i += 1) if (lower.includes(t.slice(i, i + 8))) return undefined;
  }
  return id;
}

/** Builds the two functions over one runtime's wasm exports and error class. */
export function makeActivation({ request: readCredentials, options: readOptions, classify, backoff, AgentAccountError }) {
  // The user is checked ASCII (a key of digits, a secret of `[A-Za-z0-9_-]`): btoa takes it.
  const request = (account) => {
    const { path, user } = readCredentials(account);
    return { path, authorization: `Basic ${btoa(user)}` };
  };
  // Each ping of waitForActivation is bounded as one checkActivation is by default.
  const checkTimeoutMs = readOptions(false, undefined).timeoutMs;
  const error = (code, message, extra = {}) =>
    new AgentAccountError(message, { code, issues: [], mayHaveCreatedAccount: false, ...extra });

  /** One ping, bounded by `deadline` (a Date.now() value) and the caller's signal. */
  async function ping(req, baseUrl, deadline, signal) {
    if (fired(signal)) throw error('aborted', 'the check was aborted by its AbortSignal');
    const controller = new AbortController();
    let timedOut = false;
    let callerAborted = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, Math.min(Math.max(0, deadline - Date.now()), MAX_DELAY_MS));
    const onAbort = () => { callerAborted = true; controller.abort(); };
    try { signal?.addEventListener('abort', onAbort); } catch { /* only the deadline bounds it */ }
    try {
      // The secret travels in this header only; a redirect would carry it elsewhere, so it
      // is taken as the answer instead of being followed.
      const res = await fetch(`${baseUrl}${req.path}`, {
        method: 'GET',
        headers: { Authorization: req.authorization, Accept: 'application/json' },
        redirect: 'manual',
        signal: controller.signal,
      });
      // A body that breaks off is not JSON, unless the deadline or the caller cut it.
      let body;
      try { ({ parsed: body } = await readCapped(res)); } catch (e) { if (controller.signal.aborted) throw e; }
      const answer = { state: classify(res.status, body), status: res.status };
      const id = requestIdOf(res.headers.get('x-request-id'), req.authorization);
      if (id !== undefined) answer.requestId = id;
      return answer;
    } catch (e) {
      if (e instanceof AgentAccountError) throw e;
      if (callerAborted || fired(signal)) throw error('aborted', 'the check was aborted by its AbortSignal');
      if (timedOut) throw error('timeout', 'the ping got no answer in time');
      throw error('network', `the ping could not be completed: ${e && e.message ? e.message : 'fetch failed'}`);
    } finally {
      clearTimeout(timer);
      try { signal?.removeEventListener('abort', onAbort); } catch { /* see addEventListener */ }
    }
  }

  /** One ping with the credentials: `{ state, status, requestId }`. */
  async function checkActivation(account, options) {
    const req = request(account);
    const o = readOptions(false, options);
    return ping(req, o.baseUrl, Date.now() + o.timeoutMs, o.signal);
  }

  /** Pings with back-off until active; rejects when disabled, on timeout and on abort. */
  async function waitForActivation(account, options) {
    const req = request(account);
    const o = readOptions(true, options);
    const start = Date.now();
    const deadline = start + o.timeoutMs;
    const timeout = () => error('timeout', `the account was not active within timeoutMs (${Math.round(o.timeoutMs)} ms): the person has not verified the e-mail yet`);
    for (let attempt = 1; ; attempt += 1) {
      let answer;
      let failed;
      try {
        answer = await ping(req, o.baseUrl, Math.min(deadline, Date.now() + checkTimeoutMs), o.signal);
      } catch (e) {
        if (e.code === 'aborted') throw e;
        failed = e; // no answer this time (network, timeout): keep polling
      }
      const last = answer !== undefined && (answer.state === 'active' || answer.state === 'disabled');
      const left = deadline - Date.now();
      // Decided before onCheck, so that it can say when the next ping comes.
      const pause = last || left <= 0 ? undefined : Math.min(backoff(o.intervalMs, attempt - 1), left);
      if (o.onCheck) {
        const info = { attempt, elapsedMs: Date.now() - start, state: answer ? answer.state : 'unknown' };
        if (answer) { info.status = answer.status; if (answer.requestId) info.requestId = answer.requestId; }
        if (failed) info.errorCode = failed.code;
        if (pause !== undefined) info.nextCheckInMs = pause;
        try { o.onCheck(info); } catch { /* a throwing callback must not end the wait */ }
      }
      if (answer && answer.state === 'active') return answer;
      if (answer && answer.state === 'disabled') {
        throw error('account_disabled', 'the account is disabled: its e-mail was not verified within 24 hours; the person can ask for a new link from the sign-in page',
          { status: answer.status, requestId: answer.requestId });
      }
      if (pause === undefined) throw timeout();
      await sleep(pause, o.signal, () => error('aborted', 'the wait was aborted by its AbortSignal'));
      if (Date.now() >= deadline) throw timeout();
    }
  }

  return { checkActivation, waitForActivation };
}
