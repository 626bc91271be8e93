//! The Rust half of `createAccount` and `createCloud`: reading and checking the request and
//! options, the body and URL to send, what an answer means (`error::classify_answer`),
//! whether and how long to wait before a retry (`retry`), and every error, all decided in the
//! core. Both creations share these exports; the first argument says which (`Creation`).
//!
//! The I/O is `pkg-template/client.js`: `fetch`, the capped body read, the deadline timer,
//! the caller's signal and the retry sleep. In Rust (gloo-net, `Closure` timers, a
//! `future_to_promise` state machine) that flow cost the wasm ~15 KB raw and most of each
//! call's time in closures and boundary crossings (BENCHMARKS.md, "createAccount's fetch in
//! JS, its rules in Rust"). Each export here is one coarse crossing: one `prepare` per call,
//! one `classify` per answer.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::convert::{invalid_input, put, read_call, response_info};
use super::convert::{packed_tree, to_js_error, tree_to_js};
use crate::cloud_shape::Lift;
use crate::creation::Creation;
use crate::error::{
    classify_answer, interrupted_error_of, is_request_id, Body, Interrupted, ResponseMeta,
    MAX_RESPONSE_BYTES,
};
use crate::retry::{retry_wait, RetryBudget};
use crate::wire::headers;

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

/// Reads and checks the request of `kind` (`Creation::from_tag`) and the options now,
/// synchronously (later changes to the caller's objects cannot affect the call), and returns
/// `{ url, body, timeoutMs, maxRetries, maxRetryDelayMs, signal, aborted, onResponse }`;
/// throws an `invalid_input` `AgentAccountError` naming every problem (nothing is sent then).
#[wasm_bindgen(js_name = __prepare, skip_typescript)]
pub fn prepare(kind: u8, request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let kind = Creation::from_tag(kind);
    let (body, o) = read_call(kind, &request, &options).map_err(invalid_input)?;
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
/// Returns `undefined` when `body` is the account or the cloud (a cloud's seven fields are
/// then set at its top level, whichever documented shape it came in), a number of
/// milliseconds to wait before sending again, or the `AgentAccountError` to reject with.
#[wasm_bindgen(js_name = __classify, skip_typescript)]
#[allow(clippy::too_many_arguments)]
pub fn classify(
    kind: u8,
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
    let kind = Creation::from_tag(kind);
    let answer = if size > MAX_RESPONSE_BYTES as f64 {
        Body::TooLarge(size as usize)
    } else if body.is_undefined() {
        Body::NotJson { empty: size == 0.0 }
    } else {
        Body::Json(packed_tree(&body))
    };
    // An account is told from its status and body alone: its headers are read (five
    // `Headers.get`, most of them absent) only for an error or for `on_response`.
    let on_response = on_response.dyn_ref::<Function>();
    let mut meta = ResponseMeta {
        status,
        ..ResponseMeta::default()
    };
    let mut result = classify_answer(kind, &meta, &answer, now_ms);
    if result.is_err() || on_response.is_some() {
        meta = response_meta(status, &h);
        if result.is_err() {
            result = classify_answer(kind, &meta, &answer, now_ms);
        }
    }
    if let Some(f) = on_response {
        let retry_after = result.as_ref().err().and_then(|e| e.retry_after_ms);
        let _ = f.call1(&JsValue::UNDEFINED, &response_info(&meta, retry_after));
    }
    // `Ok` only for a JSON body of the documented shape: the caller resolves with it as
    // parsed, every field kept, known or not, and a cloud's fields lifted to the top level.
    let err = match result {
        Ok(lifts) => {
            for (key, lift) in &lifts {
                let value = match lift {
                    Lift::From(v) => tree_to_js(v),
                    Lift::Built(text) => JsValue::from_str(text),
                };
                put(&body, &JsValue::from_str(key), &value);
            }
            return JsValue::UNDEFINED;
        }
        Err(err) => err,
    };
    // Only a rate-limited request is retried: the server refused it before creating
    // anything. Nothing that may have created an account or a cloud is ever sent twice.
    let budget = RetryBudget {
        retries,
        max_retries,
        max_retry_delay_ms,
        now_ms,
        deadline_ms,
    };
    match retry_wait(&err, &budget) {
        Some(wait) => JsValue::from_f64(wait),
        None => to_js_error(&err, Some(&meta)),
    }
}

/// The error for an attempt of creation `kind` that ended without a complete answer: `how`
/// 0 timeout, 1 aborted, 2 network (`message`: the runtime's words). `sent`: the request had
/// been handed to `fetch` and no 4xx had refused it, so the account or cloud may exist.
#[wasm_bindgen(js_name = __interruptedError, skip_typescript)]
pub fn interrupted(kind: u8, how: u8, message: String, sent: bool, timeout_ms: f64) -> JsValue {
    let why = match how {
        0 => Interrupted::Timeout,
        1 => Interrupted::Aborted,
        _ => Interrupted::Network(message),
    };
    let e = interrupted_error_of(Creation::from_tag(kind), why, sent, timeout_ms);
    to_js_error(&e, None)
}
