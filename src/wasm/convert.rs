//! Conversions at the JavaScript boundary: plain JS objects in, JS objects and
//! `AgentAccountError`s out. Every Rust error becomes a JS error here and only here.

use crate::text::{concat, digits, join, split};
use std::cell::RefCell;

use js_sys::{Array, Function, Object};
use wasm_bindgen::prelude::*;

use crate::base_url::{base_from_parts, UrlParts};
use crate::creation::Creation;
use crate::error::{AccountError, JsonNode, ResponseMeta};
use crate::options::{self, OptionKind, OptionSet};
use crate::packed_tree::Tree;
use crate::scrub::scrub;

use super::packed::{
    read_packed, take_counted, type_of_tag, unpack, unreadable, PackedValue, Unpacked,
};
use crate::validate::{suggest_from, IssueCode, ValidationIssue};
use crate::wire::{CloudRequest, DEFAULT_BASE_URL};

// Every JS call on a caller's value that can throw (a Proxy trap, a getter, a revoked Proxy)
// is imported with `catch`: a throw then comes back as an `Err`, instead of unwinding through
// Rust frames without running their clean-up (which corrupts the instance for good).
// `instanceof` checks (`dyn_into`) are wrapped in try/catch by wasm-bindgen itself; `typeof`
// checks (`is_object`, `as_string`...) never throw; objects.js's helpers catch their own.
#[wasm_bindgen(module = "/src/wasm/objects.js")]
extern "C" {
    /// The JS class every error of the package is an instance of.
    #[wasm_bindgen(thread_local_v2, js_name = AgentAccountError)]
    pub static ERROR_CLASS: JsValue;

    /// `obj[key]` when `obj` is an object (not an array) with that own property, else
    /// `undefined`: one crossing where the checks, `Object.hasOwn` and `Reflect.get` took
    /// five. Caught: a caller's object (activation's credentials) may be a throwing Proxy.
    #[wasm_bindgen(catch, js_name = ownMember)]
    fn own_member(obj: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    /// Any value packed into one string, in one crossing (src/wasm/packed.rs says the
    /// format). Not `catch`: it catches every throw itself (a string too long to build too).
    #[wasm_bindgen(js_name = packedEntries)]
    pub fn packed(v: &JsValue) -> String;

    /// A value's type tag (`type_of_tag`), as `packedEntries` packs it. Never throws.
    #[wasm_bindgen(js_name = tagOf)]
    fn tag_of(v: &JsValue) -> String;

    /// What a `signal` option is: [`SIGNAL_WAITING`], [`SIGNAL_ABORTED`], [`SIGNAL_THREW`]
    /// (reading its `aborted` threw), or `0`: not an `AbortSignal`. Never throws.
    #[wasm_bindgen(js_name = signalState)]
    fn signal_state(v: &JsValue) -> JsValue;

    /// A request and createAccount's options, both packed, in one string and one crossing:
    /// the packed request's `<length>,` (UTF-16 units), then the two packed strings.
    #[wasm_bindgen(catch, js_name = packedCall)]
    fn packed_call(request: &JsValue, options: &JsValue) -> Result<String, JsValue>;

    /// A parsed answer, or the credentials `checkActivation` is given, packed into one string
    /// (src/packed_tree.rs says the format). Not `catch`: it catches every throw itself.
    #[wasm_bindgen(js_name = packedTree)]
    fn packed_tree_of(v: &JsValue) -> String;

    /// `JSON.parse(text)` packed as by `packedTree`; `""` when `text` is not JSON.
    #[wasm_bindgen(js_name = packedJson)]
    fn packed_json_of(text: &str) -> String;

    /// The parts of a URL parsed by the runtime's WHATWG `URL` (in every runtime the package
    /// supports), in one string: one crossing where a `Reflect.get` per part took eight.
    /// Throws for a string that is not an absolute URL.
    #[wasm_bindgen(catch, js_name = urlParts)]
    fn url_parts(url: &str) -> Result<String, JsValue>;

    /// A new `AgentAccountError` with this message and code, then `details`' properties.
    #[wasm_bindgen(js_name = agentError)]
    fn agent_error(message: &JsValue, code: &JsValue, details: &JsValue) -> JsValue;

    /// `obj[key] = value`; returns `obj`. (Not `Reflect.set`: its signature would be one
    /// more import wrapper for V8 to compile at every start.)
    #[wasm_bindgen(js_name = put)]
    pub fn put(obj: &JsValue, key: &JsValue, value: &JsValue) -> JsValue;

    /// `array.push(value)`; returns `array` (not `Array.prototype.push`: as `put`).
    #[wasm_bindgen(js_name = append)]
    fn append(array: &JsValue, value: &JsValue) -> JsValue;
}

/// A parsed answer (or a caller's credentials) read in one crossing into a tree the shared
/// checks (`error`, `cloud_shape`, `activation`) ask with no further crossing. A string that
/// does not read back (objects.js and packed_tree.rs disagreeing) is no value: none any check
/// accepts.
pub fn packed_tree(v: &JsValue) -> Tree {
    Tree::read(packed_tree_of(v)).unwrap_or_default()
}

/// `JSON.parse(text)` as a packed string, `None` when it is not JSON (`Tree`'s
/// `JsonNode::parse`).
pub fn packed_json(text: &str) -> Option<String> {
    Some(packed_json_of(text)).filter(|p| !p.is_empty())
}

/// A checked value of a cloud's to set at its top level: a string, or the `delivery_ips`
/// array of strings (`cloud_shape::check_cloud` checked both).
pub fn tree_to_js(t: &Tree) -> JsValue {
    let text = |t: &Tree| JsValue::from_str(&t.text().unwrap_or_default());
    match t.elements() {
        Some(items) => js_array(items.iter().map(text)),
        None => text(t),
    }
}

/// `typeof`-style name of a JS value, for messages: its tag asked of objects.js (on an error
/// path only), where a chain of type checks was a dozen imports.
fn js_type_name(v: &JsValue) -> &'static str {
    type_of_tag(tag_of(v).bytes().next().map_or('o', char::from))
}

/// Reads and validates a request of `kind` from any JS value, in one crossing
/// (`packedEntries`). Never throws: a value that cannot be read is an `unreadable` issue.
pub fn read_request(kind: Creation, v: &JsValue) -> Result<CloudRequest, Vec<ValidationIssue>> {
    read_packed(kind, &packed(v))
}

/// Reads and validates a request of `kind` and its options (see [`read_options`]), packed in
/// one crossing (`packedCall`), and returns the JSON body to send. Never throws: what cannot
/// be read is an issue.
pub fn read_call(
    kind: Creation,
    request: &JsValue,
    options: &JsValue,
) -> Result<(String, Options), Vec<ValidationIssue>> {
    let both = packed_call(request, options).unwrap_or_default();
    // Always `<length>,<request><options>` (objects.js catches every throw); anything else
    // reads as unreadable, never as `{}`.
    let (mut packed_request, packed_options) = take_counted(&both).unwrap_or(("?", "?"));
    // Every field of a cloud request is optional: `createCloud()` sends `{}`. (Not in
    // `validateCloudRequest`, whose `undefined` is a value that is not a request.)
    if kind == Creation::Cloud && packed_request == "#u" {
        packed_request = "";
    }
    let body = read_packed(kind, packed_request)?.to_json();
    let o = read_options(
        &options::CREATE,
        kind.function_name(),
        Target::Endpoint(kind),
        packed_options,
        options,
    )?;
    Ok((body, o))
}

/// Parses a `baseUrl` with the runtime's `URL` and applies [`base_from_parts`].
pub fn read_base_url(raw: &str) -> Result<String, &'static str> {
    const INVALID: &str = "options.baseUrl is not a valid absolute URL";
    let joined = url_parts(raw.trim()).map_err(|_| INVALID)?;
    let mut it = split(&joined, b'\n').map(str::to_owned);
    let mut part = || it.next().unwrap_or_default();
    base_from_parts(&UrlParts {
        protocol: part(),
        username: part(),
        password: part(),
        hostname: part(),
        host: part(),
        pathname: part(),
        search: part(),
        hash: part(),
    })
}

thread_local! {
    /// The last accepted `baseUrl` and the URL it gave, as a JS string (a refused one is
    /// never kept: it may hold a password). A caller passes the same `baseUrl` on every call,
    /// and parsing it (a `URL`, a crossing, nine strings) was the largest single item of
    /// `prepare` (BENCHMARKS.md, "Crossings per createAccount"); the result is a pure function
    /// of the string. Kept as a JS string, it is not copied out of the wasm again at every
    /// call. One entry per target: each creation's endpoint, and the activation check's base.
    static LAST_ENDPOINT: [RefCell<Option<(String, JsValue)>>; 3] =
        const { [RefCell::new(None), RefCell::new(None), RefCell::new(None)] };
}

/// The URL `raw` gives for `target` (`read_base_url`, then the endpoint's path), through the
/// one-entry cache above.
fn target_url(target: Target, raw: &str) -> Result<JsValue, &'static str> {
    let (slot, path) = match target {
        Target::Endpoint(kind) => (kind as usize, kind.endpoint_path()),
        Target::Base => (2, ""),
    };
    LAST_ENDPOINT.with(|cache| {
        let last = &cache[slot];
        let hit = last
            .borrow()
            .as_ref()
            .filter(|(seen, _)| seen == raw)
            .map(|(_, url)| url.clone());
        if let Some(url) = hit {
            return Ok(url);
        }
        let mut url = read_base_url(raw)?;
        url.push_str(path);
        let url = JsValue::from_str(&url);
        last.replace(Some((raw.to_owned(), url.clone())));
        Ok(url)
    })
}

/// Where a call's `baseUrl` leads: a creation's endpoint, or (the activation check) the base
/// itself, to which the ping's path is added.
#[derive(Clone, Copy)]
pub enum Target {
    /// The endpoint of this creation.
    Endpoint(Creation),
    /// The base URL.
    Base,
}

/// A call's options, read and checked by its `options::OptionSet`.
pub struct Options {
    /// A JS string: the endpoint's URL (the base URL without a trailing slash, then the
    /// creation's path), or the base URL itself (`Target::Base`).
    pub url: JsValue,
    /// Deadline for the whole call, retries included.
    pub timeout_ms: f64,
    /// The caller's abort signal (an `AbortSignal`), or `undefined`.
    pub signal: JsValue,
    /// Whether that signal had already fired when the options were read.
    pub aborted: bool,
    /// How many times a 420/429 is retried.
    pub max_retries: u32,
    /// The longest wait before a retry; a longer `Retry-After` is not waited for.
    pub max_retry_delay_ms: f64,
    /// `waitForActivation`'s shortest pause between two pings.
    pub interval_ms: f64,
    /// The set's callback (`onResponse`, `onCheck`).
    pub on_response: Option<Function>,
}

/// `signalState`'s answers (objects.js): an `AbortSignal` not aborted, one aborted, one whose
/// `aborted` threw. One import where `instanceof` and `Reflect.get` were two.
const SIGNAL_WAITING: f64 = 1.0;
const SIGNAL_ABORTED: f64 = 2.0;
const SIGNAL_THREW: f64 = 3.0;

/// Why an option was refused (the message is built in one place, [`read_options`]).
enum Refused {
    /// Not of its kind: the value's type.
    Wrong(&'static str),
    /// Its getter threw when it was read by itself.
    Threw,
    /// A `baseUrl` refused: why (a sentence naming it).
    Invalid(&'static str),
    /// An `AbortSignal` whose `aborted` threw.
    AbortedThrew,
}

/// Each message of an option that could not be read ends so.
const THREW: &str = " could not be read: a Proxy or getter threw";

/// Reads one option `key` of kind `kind` into `o` (`nums`: the durations by their
/// [`options::Wait`], then `maxRetries`): a string from its packed `value`, anything else
/// read from `v` by itself, only when its tag says it is there.
fn read_option(
    o: &mut Options,
    nums: &mut [f64; 4],
    target: Target,
    kind: OptionKind,
    key: &str,
    value: &PackedValue,
    v: &JsValue,
) -> Result<(), Refused> {
    let tag = match *value {
        PackedValue::Str(_) => 's',
        PackedValue::Tag(tag) => tag,
        PackedValue::List(..) => 'a',
    };
    match (kind, value) {
        (OptionKind::BaseUrl, &PackedValue::Str(raw)) => {
            o.url = target_url(target, raw).map_err(Refused::Invalid)?;
            return Ok(());
        }
        (OptionKind::BaseUrl, _) => return Err(Refused::Wrong(type_of_tag(tag))),
        (OptionKind::Duration(_) | OptionKind::Retries, _) if tag != 'n' => {
            return Err(Refused::Wrong(type_of_tag(tag)))
        }
        (OptionKind::Signal, _) if tag == '0' => return Ok(()),
        _ => {}
    }
    // A getter read twice (packed, then here): what it gives the second time is used.
    let value = own_member(v, key).map_err(|_| Refused::Threw)?;
    let wrong = |value: &JsValue| Refused::Wrong(js_type_name(value));
    match kind {
        OptionKind::Duration(_) | OptionKind::Retries => {
            let n = value.as_f64().unwrap_or(f64::NAN);
            let (slot, ok) = match kind {
                OptionKind::Duration(wait) => (wait as usize, options::duration(n)),
                _ => (3, options::retries(n).map(f64::from)),
            };
            nums[slot] = ok.ok_or_else(|| wrong(&value))?;
        }
        OptionKind::Signal => {
            // `aborted` is read now, in the same call: a Proxy that passes `instanceof
            // AbortSignal` may throw there.
            o.aborted = match signal_state(&value).as_f64() {
                Some(SIGNAL_WAITING) => false,
                Some(SIGNAL_ABORTED) => true,
                Some(SIGNAL_THREW) => return Err(Refused::AbortedThrew),
                _ => return Err(wrong(&value)),
            };
            o.signal = value;
        }
        OptionKind::Callback => {
            o.on_response = Some(value.dyn_into::<Function>().map_err(|v| wrong(&v))?);
        }
        OptionKind::BaseUrl => {}
    }
    Ok(())
}

/// Reads the options object `v` of `call` (named in messages) by `set`, packed by
/// `packedEntries` as `packed` (`undefined` or `null` means all defaults): its strings come
/// packed; a number, the signal or the callback is read by itself, only when given.
pub fn read_options(
    set: &OptionSet,
    call: &str,
    target: Target,
    packed: &str,
    v: &JsValue,
) -> Result<Options, Vec<ValidationIssue>> {
    let pairs = match unpack(packed) {
        Unpacked::Object(pairs) => pairs,
        Unpacked::NotObject("undefined" | "null") => Vec::new(),
        Unpacked::NotObject(ty) => {
            return Err(vec![ValidationIssue {
                field: "options".into(),
                code: IssueCode::NotAnObject,
                message: concat(&["options must be an object, not ", ty]),
            }])
        }
        Unpacked::Unreadable(key) => {
            let field = key.map_or_else(|| "options".into(), |k| concat(&["options.", k]));
            let message = concat(&["`", &field, "`", THREW]);
            return Err(unreadable(&field, message));
        }
    };
    let mut o = Options {
        url: JsValue::UNDEFINED,
        timeout_ms: 0.0,
        signal: JsValue::UNDEFINED,
        aborted: false,
        max_retries: 0,
        max_retry_delay_ms: 0.0,
        interval_ms: 0.0,
        on_response: None,
    };
    // By `options::Wait`, then `maxRetries`.
    let mut nums = [
        set.timeout_ms,
        options::DEFAULT_MAX_RETRY_DELAY_MS,
        options::DEFAULT_INTERVAL_MS,
        options::DEFAULT_MAX_RETRIES.into(),
    ];
    let mut issues = Vec::new();
    for (key, value) in pairs {
        if matches!(value, PackedValue::Tag('u')) {
            continue;
        }
        let field = concat(&["options.", key]);
        let (code, message) = match set.kind(key) {
            None => {
                let hint = match suggest_from(key, set.names) {
                    Some(k) => concat(&["; did you mean `", k, "`?"]),
                    None => concat(&["; the options are ", &join(set.names, ", ")]),
                };
                let message = concat(&["`", key, "` is not an option of ", call, &hint]);
                (IssueCode::UnknownField, message)
            }
            Some(kind) => match read_option(&mut o, &mut nums, target, kind, key, &value, v) {
                Ok(()) => continue,
                Err(Refused::Wrong(ty)) => (
                    IssueCode::WrongType,
                    concat(&[&field, " must be ", kind.wants(), ", not ", ty]),
                ),
                Err(Refused::Threw) => (IssueCode::Unreadable, concat(&[&field, THREW])),
                Err(Refused::Invalid(why)) => (IssueCode::Invalid, why.into()),
                Err(Refused::AbortedThrew) => (
                    IssueCode::Unreadable,
                    concat(&[&field, " could not be read: reading `aborted` threw"]),
                ),
            },
        };
        issues.push(ValidationIssue {
            field,
            code,
            message,
        });
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    if o.url.is_undefined() {
        o.url = target_url(target, DEFAULT_BASE_URL)
            .map_err(|why| unreadable("options.baseUrl", why.into()))?;
    }
    let [timeout_ms, max_retry_delay_ms, interval_ms, max_retries] = nums;
    o.timeout_ms = timeout_ms;
    o.max_retry_delay_ms = max_retry_delay_ms;
    o.interval_ms = interval_ms;
    o.max_retries = max_retries as u32;
    Ok(o)
}

/// Sets `key` of a fresh object Rust builds. The value is converted at the call, so the
/// setting itself is one function, not one per value type.
#[inline]
pub fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    set_value(obj, key, value.into());
}

#[inline(never)]
fn set_value(obj: &JsValue, key: &str, value: JsValue) {
    put(obj, &JsValue::from_str(key), &value);
}

fn set_opt(obj: &JsValue, key: &str, value: Option<impl Into<JsValue>>) {
    if let Some(v) = value {
        set(obj, key, v);
    }
}

/// A new JS array of `items`.
pub fn js_array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    let array: JsValue = Array::new().into();
    for item in items {
        append(&array, &item);
    }
    array
}

/// The issues as a JS array of `{ field, code, message }`.
pub fn issues_to_js(issues: &[ValidationIssue]) -> JsValue {
    js_array(issues.iter().map(|i| {
        let o: JsValue = Object::new().into();
        set(&o, "field", i.field.as_str());
        set(&o, "code", i.code.as_str());
        set(&o, "message", i.message.as_str());
        o
    }))
}

/// The rate-limit headers as `{ limit, remaining, reset }`, or `None` when absent.
fn rate_limit_to_js(meta: &ResponseMeta) -> Option<JsValue> {
    if meta.rate_limit_limit.is_none()
        && meta.rate_limit_remaining.is_none()
        && meta.rate_limit_reset.is_none()
    {
        return None;
    }
    // Integers only: parsing floats would link a float parser into the wasm.
    let num = |s: &Option<String>| {
        s.as_deref()
            .and_then(|v| digits(v.trim()))
            .map(|n| n as f64)
    };
    let o: JsValue = Object::new().into();
    set_opt(&o, "limit", num(&meta.rate_limit_limit));
    set_opt(&o, "remaining", num(&meta.rate_limit_remaining));
    set_opt(&o, "reset", meta.rate_limit_reset.as_deref().map(scrub));
    Some(o)
}

/// What `onResponse` receives: `{ status, requestId?, retryAfterMs?, rateLimit? }`.
pub fn response_info(meta: &ResponseMeta, retry_after_ms: Option<u64>) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "status", meta.status);
    set_opt(&o, "requestId", meta.request_id.as_deref());
    set_opt(&o, "retryAfterMs", retry_after_ms.map(|v| v as f64));
    set_opt(&o, "rateLimit", rate_limit_to_js(meta));
    o
}

/// The one mapping of a Rust error to a JS `AgentAccountError`. The details in the order
/// they always had: status, category, serverCode, requestId, retryAfterMs, issues,
/// mayHaveCreatedAccount, rateLimit (absent ones left out).
pub fn to_js_error(e: &AccountError, meta: Option<&ResponseMeta>) -> JsValue {
    let d: JsValue = Object::new().into();
    set_opt(&d, "status", e.status);
    set_opt(&d, "category", e.category.as_deref());
    set_opt(&d, "serverCode", e.server_code.as_deref());
    set_opt(&d, "requestId", e.request_id.as_deref());
    set_opt(&d, "retryAfterMs", e.retry_after_ms.map(|v| v as f64));
    set(&d, "issues", issues_to_js(&e.issues));
    set(&d, "mayHaveCreatedAccount", e.may_have_created_account);
    set_opt(&d, "rateLimit", meta.and_then(rate_limit_to_js));
    agent_error(
        &JsValue::from_str(&e.message),
        &JsValue::from_str(e.code.as_str()),
        &d,
    )
}

/// An `invalid_input` error for these issues.
pub fn invalid_input(issues: Vec<ValidationIssue>) -> JsValue {
    to_js_error(&AccountError::invalid_input(issues), None)
}
