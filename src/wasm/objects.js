// The JS side of the wasm's boundary (src/wasm/convert.rs): the error class and the objects
// Rust hands out, and the readers that take a caller's or a parsed value in one crossing.

// The error class of the package. It lives in JavaScript because a Rust type cannot extend
// Error; Rust builds every instance through `agentError` below.
export class AgentAccountError extends Error {
  constructor(message, details) {
    super(message);
    this.name = "AgentAccountError";
    Object.assign(this, details);
  }
}

// The helpers below share few argument shapes on purpose: V8 compiles one wrapper per
// distinct signature of the wasm's imports at every start, about 0.2 ms each (BENCHMARKS.md,
// "Few import signatures"). Shapes used: (value, value, value) -> value, (value, value) ->
// value, (value) -> value, (string) -> value, (value, string) -> value; preparedCall alone
// keeps its own (its numbers would each cost a crossing otherwise).

// An AgentAccountError: its code, then the details Rust put in `details` (absent ones left
// out), in that order.
export function agentError(message, code, details) {
  return new AgentAccountError(message, Object.assign({ code }, details));
}

// obj[key] = value on an object Rust builds; returns obj. A setter some other code put on
// Object.prototype may throw: ignored, as Reflect.set's failure was, and never into Rust.
export function put(obj, key, value) {
  try { obj[key] = value; } catch { /* see above */ }
  return obj;
}

// Appends value to an array Rust builds; returns the array.
export function append(array, value) {
  array.push(value);
  return array;
}

// What createAccount's JS driver (client.js) needs of a call, read and checked by Rust.
export function preparedCall(url, body, timeoutMs, maxRetries, maxRetryDelayMs, signal, aborted, onResponse) {
  return { url, body, timeoutMs, maxRetries, maxRetryDelayMs, signal, aborted, onResponse };
}

// `obj[key]` when obj is an object (not an array) with that own property, else undefined
// (src/wasm/convert.rs `read_options`: an option's number, signal or callback).
export function ownMember(obj, key) {
  return obj !== null && typeof obj === 'object' && !Array.isArray(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

// Any value, packed into one string for src/wasm/packed.rs `read_packed` (its header says the
// format): per own enumerable string key of an object `<length>,<key><tag>`, and for a string
// value (tag ":") `<length>,<value>`; lengths in UTF-16 code units, so any key or value fits
// (separators could not: a value may hold any character). One crossing and one copy into the
// wasm, where reading entry by entry took 2 + 4n (most of validateRequest's time). Not an
// object: "#" and its tag (packed.rs `type_of_tag`); a key whose getter or Proxy trap threw:
// "!" and the key; Array.isArray or Object.keys threw (or the string would be longer than
// the runtime allows): "?". An array value: tag "a", its length and ",", then its first
// MAX_PACKED_ITEMS elements, strings and tags as above (packed.rs says why). Never throws.
export function packedEntries(v) {
  if (v === null || typeof v !== 'object') return '#' + tagOf(v);
  let key;
  try {
    if (Array.isArray(v)) return '#a';
    let out = '';
    for (key of Object.keys(v)) {
      const value = v[key];
      const packed = packedValue(value);
      out += key.length + ',' + key + packed;
      if (packed === 'a') {
        // `>>> 0`: a Proxy's length may be anything; a throw here names the key, as a getter's.
        const n = value.length >>> 0;
        out += n + ',';
        for (let i = 0; i < n && i < MAX_PACKED_ITEMS; i++) out += packedValue(value[i]);
      }
    }
    return out;
  } catch {
    // Which step threw: `key` is set once the keys were read, and only a getter (a Proxy's
    // `get`) runs after that, but for a string too long to build, named as the key too.
    return key === undefined ? '?' : '!' + key;
  }
}
// What a `signal` option is (convert.rs read_option): 0 not an AbortSignal, else its `aborted`
// read now: 1 false, 2 true, 3 reading it threw (a Proxy that passes instanceof). Never throws.
export function signalState(value) {
  try {
    if (!(value instanceof AbortSignal)) return 0;
  } catch {
    return 0;
  }
  try { return value.aborted ? 2 : 1; } catch { return 3; }
}
// A request and createAccount's options in one string, one crossing for both (convert.rs
// read_call): the packed request's length and ",", then the packed request and options.
// Never throws.
export function packedCall(request, options) {
  const packed = packedEntries(request);
  return packed.length + ',' + packed + packedEntries(options);
}
// packed.rs MAX_PACKED_ITEMS.
const MAX_PACKED_ITEMS = 8;
// A string as `:<length>,<value>`, anything else as its tag.
function packedValue(value) {
  return typeof value === 'string' ? ':' + value.length + ',' + value : tagOf(value);
}
// A value's tag (packed.rs type_of_tag; convert.rs js_type_name); never throws (a revoked
// Proxy is an object).
export function tagOf(value) {
  if (value === null) return '0';
  const t = typeof value;
  if (t !== 'object') return TYPE_TAGS[t];
  try { return Array.isArray(value) ? 'a' : 'o'; } catch { return 'o'; }
}
const TYPE_TAGS = { undefined: 'u', string: 's', boolean: 'b', number: 'n', bigint: 'g', symbol: 'y', function: 'f' };

// A parsed answer (or the credentials checkActivation is given) packed into one string for
// src/packed_tree.rs (its header says the format), so that every answer check runs in Rust
// with no further crossing (convert.rs `packed_tree`). Strings whole; containers to depth
// MAX_TREE_DEPTH, arrays to their first MAX_TREE_ITEMS elements: linear in the value, never
// deep. A key whose value is undefined or whose getter throws is left out, as absent; a value
// that cannot be read at all (a revoked Proxy, a throwing trap, a string too long to build)
// is "x". Never throws.
export function packedTree(v) {
  try { return packedNode(v, 0); } catch { return 'x'; }
}
// JSON.parse(text) packed as packedTree packs; "" when text is not JSON (a Rails errors hash
// sent as a string).
export function packedJson(text) {
  let v;
  try { v = JSON.parse(text); return packedNode(v, 0); } catch { return ''; }
}
// packed_tree.rs MAX_TREE_DEPTH and MAX_TREE_ITEMS.
const MAX_TREE_DEPTH = 5;
const MAX_TREE_ITEMS = 64;
function packedNode(v, depth) {
  if (typeof v === 'string') return ':' + v.length + ',' + v;
  if (v === false) return 'F';
  if (v === null || typeof v !== 'object') return 'x';
  const open = depth < MAX_TREE_DEPTH;
  let out = '';
  try {
    if (Array.isArray(v)) {
      // `>>> 0`: a Proxy's length may be anything.
      const n = v.length >>> 0;
      let i = 0;
      for (; open && i < n && i < MAX_TREE_ITEMS; i++) out += packedNode(v[i], depth + 1);
      return '[' + out + (i < n ? 'x]' : ']');
    }
    for (const key of open ? Object.keys(v) : []) {
      let value;
      try { value = v[key]; } catch { continue; }
      if (value !== undefined) out += key.length + ',' + key + packedNode(value, depth + 1);
    }
  } catch {
    return 'x';
  }
  return '{' + out + '}';
}

// headers.get(name) of an answer's Headers (client.rs response_meta).
export function header(headers, name) {
  return headers.get(name);
}

// The parts of a URL joined by "\n", which none can hold: the URL parser drops tabs and
// newlines from its input and percent-encodes control characters (convert.rs read_base_url).
export function urlParts(raw) {
  const u = new URL(raw);
  return [u.protocol, u.username, u.password, u.hostname, u.host, u.pathname, u.search, u.hash].join('\n');
}
