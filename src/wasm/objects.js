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
// (src/wasm/convert.rs `Js::member`).
export function ownMember(obj, key) {
  return obj !== null && typeof obj === 'object' && !Array.isArray(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

// A plain object's own enumerable string keys. null: not an object, or an array. undefined:
// Array.isArray (a revoked Proxy) or Object.keys (a Proxy's trap) threw.
function ownKeys(v) {
  if (v === null || typeof v !== 'object') return null;
  try {
    return Array.isArray(v) ? null : Object.keys(v);
  } catch { return undefined; }
}

// A plain object's own enumerable string keys, each followed by its value: [k0, v0, k1, v1...]
// (convert.rs entries). null: not an object, an array or a function (the caller names its
// type). A string: the key whose getter or Proxy trap threw. undefined: Array.isArray (a
// revoked Proxy) or Object.keys (a Proxy's trap) threw.
export function ownEntries(v) {
  const keys = ownKeys(v);
  if (!keys) return keys;
  const out = [];
  for (const k of keys) {
    let value;
    try { value = v[k]; } catch { return k; }
    out.push(k, value);
  }
  return out;
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
// A value's tag (packed.rs type_of_tag); never throws (a revoked Proxy is an object).
function tagOf(value) {
  if (value === null) return '0';
  const t = typeof value;
  if (t !== 'object') return TYPE_TAGS[t];
  try { return Array.isArray(value) ? 'a' : 'o'; } catch { return 'o'; }
}
const TYPE_TAGS = { undefined: 'u', string: 's', boolean: 'b', number: 'n', bigint: 'g', symbol: 'y', function: 'f' };

// What a parsed JSON body is, for error.rs check_account, in one crossing (convert.rs
// `Js::shape`), where a crossing per member, per array question and per element took eight for
// an account. `spec`: the keys of obj, then a blank line, then the keys of an element, each
// key on a line. The answer: for each key of obj one character, "-" absent (not an own
// property, or undefined), "s" a string, "a" an array, "o" anything else; then, when the last
// one is an array, for each of its elements "#" (not an object, or an array) or the same
// characters for its keys. "#" alone: obj is not an object, or is an array. Only JSON.parse's
// output is asked (no getters, no Proxy); never throws all the same. A spec is split once: V8
// looks up property keys it has seen faster than strings decoded afresh.
const specs = new Map();
function kindsOf(obj, keys) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return '#';
  let out = '';
  for (const key of keys) {
    const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
    out += v === undefined ? '-' : typeof v === 'string' ? 's' : Array.isArray(v) ? 'a' : 'o';
  }
  return out;
}
export function shapeOf(obj, spec) {
  try {
    let lists = specs.get(spec);
    if (lists === undefined) specs.set(spec, lists = spec.split('\n\n').map((l) => l.split('\n')));
    const [keys, itemKeys] = lists;
    let out = kindsOf(obj, keys);
    if (out.endsWith('a')) for (const item of obj[keys[keys.length - 1]]) out += kindsOf(item, itemKeys);
    return out;
  } catch {
    return '#';
  }
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
