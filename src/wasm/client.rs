//! The Rust half of `createAccount`: reading and checking the request and options, the body
//! and URL to send, what an answer means (`error::classify_body`), whether and how long to
//! wait before a retry, and every error, all decided here and in `crate::error`.
//!
//! The I/O is `pkg-template/client.js`: `fetch`, the capped body read, the deadline timer,
//! the caller's signal and the retry sleep. In Rust (gloo-net, `Closure` timers, a
//! `future_to_promise` state machine) that flow cost the wasm ~15 KB raw and most of each
//! call's time in closures and boundary crossings (BENCHMARKS.md, "createAccount's fetch in
//! JS, its rules in Rust"). Each export here is one coarse crossing: one `prepare` per call,
//! one `classify` per answer.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::convert::{invalid_input, plain_error, read_call, response_info};
use super::convert::{to_js_error, Js};
use crate::error::{
    classify_body, interrupted_error, is_request_id, should_retry, Body, ErrorCode, Interrupted,
    ResponseMeta, MAX_RESPONSE_BYTES,
};
use crate::wire::headers;

/// First wait when a 420/429 carries no `Retry-After`; doubled on each retry.
const BACKOFF_START_MS: f64 = 1_000.0;

#[wasm_bindgen(module = "/src/wasm/objects.js")]
extern "C" {
    #[wasm_bindgen(js_name = preparedCall)]
    #[allow(clippy::too_many_arguments)]
    fn prepared_call(
        url: &JsValue,
        body: &str,
        timeout_ms: f64,
        max_retries: u32,
        max_retry_delay_ms: f64,
        signal: &JsValue,
        aborted: bool,
        on_response: &JsValue,
    ) -> JsValue;

    /// `headers.get(name)`, `None` when absent; caught, as every call on a value from outside.
    #[wasm_bindgen(catch, js_name = header)]
    fn header(headers: &JsValue, name: &str) -> Result<Option<String>, JsValue>;
}

/// The head of an answer: its status, and its headers read from the runtime's `Headers`.
fn response_meta(status: u16, h: &JsValue) -> ResponseMeta {
    let get = |name: &str| header(h, name).ok().flatten();
    ResponseMeta {
        status,
        request_id: get(headers::REQUEST_ID).filter(|v| is_request_id(v)),
        retry_after: get(headers::RETRY_AFTER),
        rate_limit_limit: get(headers::RATE_LIMIT_LIMIT),
        rate_limit_remaining: get(headers::RATE_LIMIT_REMAINING),
        rate_limit_reset: get(headers::RATE_LIMIT_RESET),
    }
}

/// Reads and checks the request and the options now, synchronously (later changes to the
/// caller's objects cannot affect the call), and returns `{ url, body, timeoutMs,
/// maxRetries, maxRetryDelayMs, signal, aborted, onResponse }`; throws an `invalid_input`
/// `AgentAccountError` naming every problem (nothing is sent then).
#[wasm_bindgen(js_name = __prepareAccount, skip_typescript)]
pub fn prepare(request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (request, o) = read_call(&request, &options).map_err(invalid_input)?;
    let body = serde_json::to_string(&request).map_err(|_| {
        plain_error(
            ErrorCode::InvalidInput,
            "the request could not be serialised",
        )
    })?;
    Ok(prepared_call(
        &o.url,
        &body,
        o.timeout_ms,
        o.max_retries,
        o.max_retry_delay_ms,
        &o.signal,
        o.aborted,
        &o.on_response.map_or(JsValue::UNDEFINED, JsValue::from),
    ))
}

/// What an answer means. `status` is 0 for a browser's opaque redirect; `h` the
/// answer's `Headers`, read only when needed (an error, or `on_response`). `body` is the
/// body parsed by the runtime's `JSON.parse`, `undefined` when it was not JSON (or not read:
/// a redirect, a body over the cap); `size` its length in bytes (over
/// [`MAX_RESPONSE_BYTES`]: refused). `on_response` (a function, or `undefined`) is called
/// with the answer's info; a throw from it is ignored (it must not turn a created account
/// into a failure).
///
/// Returns `undefined` when `body` is the account, a number of milliseconds to wait before
/// sending again, or the `AgentAccountError` to reject with.
#[wasm_bindgen(js_name = __classifyAccount, skip_typescript)]
#[allow(clippy::too_many_arguments)]
pub fn classify(
    status: u16,
    h: JsValue,
    body: JsValue,
    size: f64,
    on_response: JsValue,
    retries: u32,
    max_retries: u32,
    max_retry_delay_ms: f64,
    now_ms: f64,
    deadline_ms: f64,
) -> JsValue {
    let answer = if size > MAX_RESPONSE_BYTES as f64 {
        Body::TooLarge(size as usize)
    } else if body.is_undefined() {
        Body::NotJson { empty: size == 0.0 }
    } else {
        Body::Json(Js(body))
    };
    // An account is told from its status and body alone: its headers are read (five
    // `Headers.get`, most of them absent) only for an error or for `on_response`.
    let on_response = on_response.dyn_ref::<Function>();
    let mut meta = ResponseMeta {
        status,
        ..ResponseMeta::default()
    };
    let mut result = classify_body(&meta, &answer, now_ms);
    if result.is_err() || on_response.is_some() {
        meta = response_meta(status, &h);
        if result.is_err() {
            result = classify_body(&meta, &answer, now_ms);
        }
    }
    if let Some(f) = on_response {
        let retry_after = result.as_ref().err().and_then(|e| e.retry_after_ms);
        let _ = f.call1(&JsValue::UNDEFINED, &response_info(&meta, retry_after));
    }
    // `Ok` only for a JSON body of the documented shape: the caller resolves with it as
    // parsed, every field kept, known or not.
    let Err(err) = result else {
        return JsValue::UNDEFINED;
    };
    // Only a rate-limited request is retried: the server refused it before creating
    // anything. Nothing that may have created an account is ever sent twice.
    if !should_retry(&err) || retries >= max_retries {
        return to_js_error(&err, Some(&meta));
    }
    let wait = err
        .retry_after_ms
        .map(|ms| ms as f64)
        .unwrap_or(BACKOFF_START_MS * f64::from(1u32 << retries.min(10)));
    if wait > max_retry_delay_ms || now_ms + wait >= deadline_ms {
        return to_js_error(&err, Some(&meta));
    }
    JsValue::from_f64(wait)
}

/// The error for an attempt that ended without a complete answer: `kind` 0 timeout, 1
/// aborted, 2 network (`message`: the runtime's words). `sent`: the request had been handed
/// to `fetch` and no 4xx had refused it, so the account may exist.
#[wasm_bindgen(js_name = __interruptedError, skip_typescript)]
pub fn interrupted(kind: u8, message: String, sent: bool, timeout_ms: f64) -> JsValue {
    let why = match kind {
        0 => Interrupted::Timeout,
        1 => Interrupted::Aborted,
        _ => Interrupted::Network(message),
    };
    to_js_error(&interrupted_error(why, sent, timeout_ms), None)
}
