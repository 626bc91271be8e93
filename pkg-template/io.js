// The I/O that createAccount (client.js) and the activation check (activation.js) share: a
// capped read of an answer's body, an abortable wait, and the longest delay a timer takes.
// Written once so both get the same bounds.

// The largest body read (error::MAX_RESPONSE_BYTES): a real answer is a few kilobytes. The
// Rust core refuses what is over it; here the download stops.
export const MAX_BODY = 1024 * 1024;

// The longest delay setTimeout takes (about 24.8 days): a longer one fires at once, so a
// duration is clamped to it (src/options.rs MAX_DELAY_MS for every option).
export const MAX_DELAY_MS = 2 ** 31 - 1;

// Fatal: bytes that are not UTF-8 are "not JSON", as the server's answer would be judged.
// ignoreBOM keeps a BOM, which JSON.parse then refuses.
let decoder;

/** The body as parsed JSON (undefined when not JSON) and its size in bytes. The read stops
 * as soon as the size passes MAX_BODY (`fetch` decodes gzip/br transparently, so
 * Content-Length alone does not bound what one `arrayBuffer()` would buffer), or when all
 * `declared` bytes are in. */
export async function readCapped(res, declared = -1) {
  const stream = res.body;
  if (!stream) return { parsed: undefined, size: 0 };
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      reader.cancel().catch(() => {});
      return { parsed: undefined, size };
    }
    chunks.push(value);
    // Then the body is whole, unless coded (the length is gzip's): reading on to `done` cost 3%.
    if (size === declared && /^\s*(identity\s*)?$/i.test(res.headers.get('content-encoding') ?? '')) break;
  }
  let bytes = chunks[0] ?? new Uint8Array(0);
  if (chunks.length > 1) {
    bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.byteLength; }
  }
  let parsed;
  try {
    decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    parsed = JSON.parse(decoder.decode(bytes));
  } catch { /* not JSON: the caller says what that means */ }
  return { parsed, size };
}

/** Whether a caller's signal has fired; one whose `aborted` throws (a hostile Proxy) has not. */
export function fired(signal) {
  try { return signal !== undefined && signal.aborted === true; } catch { return false; }
}

/** Resolves after `ms`, or rejects with `stopped()` as soon as `signal` aborts (at once when
 * it already has); leaves no listener or timer behind. A signal whose listeners cannot be
 * set (a hostile Proxy) only waits. */
export function sleep(ms, signal, stopped) {
  return new Promise((resolve, reject) => {
    if (fired(signal)) { reject(stopped()); return; }
    const done = () => {
      clearTimeout(t);
      try { signal?.removeEventListener('abort', stop); } catch { /* see below */ }
    };
    const stop = () => { done(); reject(stopped()); };
    const t = setTimeout(() => { done(); resolve(); }, Math.min(ms, MAX_DELAY_MS));
    try { signal?.addEventListener('abort', stop, { once: true }); } catch { /* waits the whole time */ }
  });
}
