//! The Rust half of `checkActivation` and `waitForActivation`: reading and checking the
//! credentials, the ping's path and `Authorization` header, the classification of its answer
//! and the back-off, all decided in `crate::activation`.
//!
//! The fetch, the timers and the polling loop are `pkg-template/activation.js`: written in
//! Rust with gloo-net they cost the client's wasm 7.6 KB gzipped (measured), over its budget,
//! while the same flow is a few lines of the host's own `fetch`.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::convert::{invalid_input, read_base_url, set, Js};
use crate::activation::{classify_ping, read_credentials};
use crate::retry::activation_backoff_ms;

/// Reads the credentials (an account, `{ cloud_name, api_key, api_secret }` or a
/// `CLOUDINARY_URL`) and returns `{ path, authorization }` for the ping; throws an
/// `invalid_input` `AgentAccountError` naming the field (never the value).
#[wasm_bindgen(js_name = __activationRequest, skip_typescript)]
pub fn activation_request(account: JsValue) -> Result<JsValue, JsValue> {
    let creds = read_credentials(&Js(account)).map_err(invalid_input)?;
    let o: JsValue = Object::new().into();
    set(&o, "path", creds.ping_path());
    set(&o, "authorization", creds.basic_authorization());
    Ok(o)
}

/// The activation state a ping answer means: its status and its parsed JSON body
/// (`undefined` when it was not JSON).
#[wasm_bindgen(js_name = __classifyPing, skip_typescript)]
pub fn classify(status: u16, body: JsValue) -> JsValue {
    let body = (!body.is_undefined()).then_some(Js(body));
    JsValue::from_str(classify_ping(status, body.as_ref()).as_str())
}

/// The pause before the next ping (`attempt` pings done so far, minus one).
#[wasm_bindgen(js_name = __activationBackoff, skip_typescript)]
pub fn backoff(interval_ms: f64, attempt: u32) -> f64 {
    activation_backoff_ms(interval_ms, attempt)
}

/// The `baseUrl` option, by createAccount's rules (`crate::base_url`, one source of truth):
/// the base without a trailing slash; throws the rule's message (a string) when refused.
#[wasm_bindgen(js_name = __activationBaseUrl, skip_typescript)]
pub fn base_url(raw: &str) -> Result<String, JsValue> {
    read_base_url(raw).map_err(JsValue::from_str)
}
