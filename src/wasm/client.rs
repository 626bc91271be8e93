//! `createAccount`: validate, POST through `fetch` (gloo-net), classify, retry 420/429.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Request, Response};
use js_sys::{IteratorNext, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, ReadableStreamDefaultReader, RequestRedirect, ResponseType,
};

use super::convert::{plain_error, response_info, to_js_error, CallerSignal, Js, Options};
use super::timer::{sleep, AbortListener, Timeout};
use crate::error::{
    classify_body, interrupted_error, should_retry, AccountError, Body, ErrorCode, Interrupted,
    ResponseMeta, MAX_RESPONSE_BYTES,
};
use crate::wire::{headers, AgentAccountRequest, ENDPOINT_PATH};

/// First wait when a 420/429 carries no `Retry-After`; doubled on each retry.
const BACKOFF_START_MS: f64 = 1_000.0;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn header(resp: &Response, name: &str) -> Option<String> {
    resp.headers().get(name)
}

fn meta_of(resp: &Response) -> ResponseMeta {
    ResponseMeta {
        status: resp.status(),
        request_id: header(resp, headers::REQUEST_ID),
        retry_after: header(resp, headers::RETRY_AFTER),
        rate_limit_limit: header(resp, headers::RATE_LIMIT_LIMIT),
        rate_limit_remaining: header(resp, headers::RATE_LIMIT_REMAINING),
        rate_limit_reset: header(resp, headers::RATE_LIMIT_RESET),
    }
}

fn js_message(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(j) => j.message.clone(),
        // Not formatted: their Display would link in serde_json's error formatting.
        _ => String::from("fetch failed"),
    }
}

/// One HTTP exchange, bounded by `deadline` (a `Date.now()` value) and the caller's signal.
/// An `Err` says how it was interrupted, and whether the request may have reached the server
/// (`true` once it was handed to `fetch`, unless a 4xx answer had already refused it).
async fn attempt(
    url: &str,
    body: &str,
    deadline: f64,
    signal: Option<&AbortSignal>,
) -> Result<(ResponseMeta, Body<Js>), (Interrupted, bool)> {
    let controller = AbortController::new().map_err(|_| {
        (
            Interrupted::Network("this runtime has no AbortController".into()),
            false,
        )
    })?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (flag, c) = (timed_out.clone(), controller.clone());
        Timeout::new((deadline - now_ms()).max(0.0), move || {
            flag.set(true);
            c.abort();
        })
    };
    let _listener = signal.map(|s| {
        let c = controller.clone();
        AbortListener::new(s, move || c.abort())
    });
    let why = |e: &gloo_net::Error| {
        if signal.is_some_and(AbortSignal::aborted) {
            Interrupted::Aborted
        } else if timed_out.get() {
            Interrupted::Timeout
        } else {
            Interrupted::Network(js_message(e))
        }
    };
    // The endpoint never redirects: a redirect is not followed (it would re-send the person's
    // e-mail to whatever host it names) but refused by `classify_body`.
    let request = Request::post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&controller.signal()))
        .body(body)
        .map_err(|e| (Interrupted::Network(js_message(&e)), false))?;
    let resp = request.send().await.map_err(|e| (why(&e), true))?;
    let meta = meta_of(&resp);
    if resp.type_() == ResponseType::Opaqueredirect || (300..400).contains(&meta.status) {
        controller.abort(); // nothing of a redirect is read
        return Ok((meta, Body::NotJson { empty: true }));
    }
    let declared = header(&resp, "content-length").and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(len) = declared.filter(|n| *n > MAX_RESPONSE_BYTES) {
        controller.abort(); // do not download what will be refused
        return Ok((meta, Body::TooLarge(len)));
    }
    match read_capped(&resp, declared).await {
        Ok(Ok(bytes)) => Ok((meta, parse_body(bytes))),
        Ok(Err(len)) => {
            controller.abort(); // stop the download at the cap
            Ok((meta, Body::TooLarge(len)))
        }
        // A 4xx had refused the request before the body broke; anything else may have created it.
        Err(e) => Err((
            why(&gloo_net::Error::JsError(e.into())),
            !(400..500).contains(&meta.status),
        )),
    }
}

/// Reads the body chunk by chunk, stopping as soon as it passes [`MAX_RESPONSE_BYTES`]
/// (`Err(bytes seen)`), so an endless or huge body is neither waited for nor buffered.
///
/// Always through the stream, even when `declared` (the Content-Length, already checked
/// against the cap) is known: that is the length on the wire, and `fetch` decodes gzip or br
/// transparently, so one `arrayBuffer()` could buffer far more than it says (in browsers the
/// Content-Encoding header is not even visible cross-origin). `declared` only sizes the
/// buffer up front.
async fn read_capped(
    resp: &Response,
    declared: Option<usize>,
) -> Result<Result<Vec<u8>, usize>, js_sys::Error> {
    let Some(stream) = resp.body() else {
        return Ok(Ok(Vec::new()));
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut buf = Vec::with_capacity(declared.unwrap_or(0).min(MAX_RESPONSE_BYTES));
    loop {
        // `{ done, value }`, read through typed getters: no property-name string is
        // built and sent to JS per chunk, as `Reflect::get` needed.
        let chunk: IteratorNext = JsFuture::from(reader.read())
            .await
            .map_err(js_sys::Error::from)?
            .unchecked_into();
        if chunk.done() {
            return Ok(Ok(buf));
        }
        let value: Uint8Array = chunk.value().unchecked_into();
        let start = buf.len();
        let end = start + value.length() as usize;
        if end > MAX_RESPONSE_BYTES {
            let _ = reader.cancel();
            return Ok(Err(end));
        }
        buf.resize(end, 0);
        value.copy_to(&mut buf[start..]);
    }
}

/// Parses a body with the runtime's own `JSON.parse` (no JSON parser in the wasm).
fn parse_body(bytes: Vec<u8>) -> Body<Js> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Body::TooLarge(bytes.len());
    }
    let empty = bytes.is_empty();
    match String::from_utf8(bytes)
        .ok()
        .and_then(|t| JSON::parse(&t).ok())
    {
        Some(v) => Body::Json(Js(v)),
        None => Body::NotJson { empty },
    }
}

/// The whole call. `Ok` is the parsed response object (unknown fields kept).
pub async fn create_account(
    request: AgentAccountRequest,
    opts: Options,
) -> Result<JsValue, JsValue> {
    let url = format!("{}{ENDPOINT_PATH}", opts.base_url);
    let body = serde_json::to_string(&request).map_err(|_| {
        plain_error(
            ErrorCode::InvalidInput,
            "the request could not be serialised",
        )
    })?;
    let signal = opts.signal.as_ref().map(CallerSignal::signal);
    let signal = signal.as_ref();
    let deadline = now_ms() + opts.timeout_ms;
    let mut retries = 0;
    loop {
        if signal.is_some_and(AbortSignal::aborted) {
            return Err(to_js_error(
                &interrupted_error(Interrupted::Aborted, false, opts.timeout_ms),
                None,
            ));
        }
        let (meta, answer) =
            attempt(&url, &body, deadline, signal)
                .await
                .map_err(|(why, sent)| {
                    to_js_error(&interrupted_error(why, sent, opts.timeout_ms), None)
                })?;
        let result = classify_body(&meta, &answer, now_ms());
        if let Some(f) = &opts.on_response {
            let retry_after = result.as_ref().err().and_then(|e| e.retry_after_ms);
            // A throwing callback must not turn a created account into a failure.
            let _ = f.call1(&JsValue::UNDEFINED, &response_info(&meta, retry_after));
        }
        let err = match (result, answer) {
            // The object exactly as parsed: every field kept, known or not.
            (Ok(()), Body::Json(Js(v))) => return Ok(v),
            (Ok(()), _) => AccountError::new(ErrorCode::UnexpectedResponse, "no JSON body"),
            (Err(e), _) => e,
        };
        // Only a rate-limited request is retried: the server refused it before creating
        // anything. Nothing that may have created an account is ever sent twice.
        if !should_retry(&err) || retries >= opts.max_retries {
            return Err(to_js_error(&err, Some(&meta)));
        }
        let wait = err
            .retry_after_ms
            .map(|ms| ms as f64)
            .unwrap_or(BACKOFF_START_MS * f64::from(1u32 << retries.min(10)));
        if wait > opts.max_retry_delay_ms || now_ms() + wait >= deadline {
            return Err(to_js_error(&err, Some(&meta)));
        }
        if sleep(wait, signal).await.is_err() {
            return Err(to_js_error(
                &interrupted_error(Interrupted::Aborted, false, opts.timeout_ms),
                None,
            ));
        }
        retries += 1;
    }
}
