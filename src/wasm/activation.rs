//! The Rust half of `checkActivation` and `waitForActivation`: reading and checking the
//! credentials and the options, the ping's path and `Authorization` header, the
//! classification of its answer and the back-off, all decided in the core
//! (`crate::activation`, `crate::options`, `crate::retry`).
//!
//! The fetch, the timers and the polling loop are `pkg-template/activation.js`: written in
//! Rust with gloo-net they cost the client's wasm 7.6 KB gzipped (measured), over its budget,
//! while the same flow is a few lines of the host's own `fetch`.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::convert::{invalid_input, packed, packed_tree, read_options, set, Target};
use crate::activation::{classify_ping, read_credentials};
use crate::options::{CHECK, WAIT};
use crate::retry::activation_backoff_ms;

/// Reads the credentials (an account, `{ cloud_name, api_key, api_secret }` or a
/// `CLOUDINARY_URL`) and returns `{ path, user }` for the ping (`user`, `api_key:api_secret`, is
/// sent as HTTP Basic, base64 by the host's `btoa` in activation.js); throws an
/// `invalid_input` `AgentAccountError` naming the field (never the value).
#[wasm_bindgen(js_name = __activationRequest, skip_typescript)]
pub fn activation_request(account: JsValue) -> Result<JsValue, JsValue> {
    let creds = read_credentials(&packed_tree(&account)).map_err(invalid_input)?;
    let o: JsValue = Object::new().into();
    set(&o, "path", creds.ping_path());
    set(&o, "user", creds.basic_user());
    Ok(o)
}

/// The activation state a ping answer means: its status and its parsed JSON body
/// (`undefined` when it was not JSON).
#[wasm_bindgen(js_name = __classifyPing, skip_typescript)]
pub fn classify(status: u16, body: JsValue) -> JsValue {
    let body = (!body.is_undefined()).then(|| packed_tree(&body));
    JsValue::from_str(classify_ping(status, body.as_ref()).as_str())
}

/// The pause before the next ping (`attempt` pings done so far, minus one).
#[wasm_bindgen(js_name = __activationBackoff, skip_typescript)]
pub fn backoff(interval_ms: f64, attempt: u32) -> f64 {
    activation_backoff_ms(interval_ms, attempt)
}

/// The options of `checkActivation` (`wait` false) or `waitForActivation`, read and checked
/// by their `options` set as `createAccount`'s are: `{ baseUrl, timeoutMs, intervalMs,
/// signal, onCheck }` with the defaults filled in, or throws an `invalid_input`
/// `AgentAccountError` naming every problem.
#[wasm_bindgen(js_name = __activationOptions, skip_typescript)]
pub fn activation_options(wait: bool, options: JsValue) -> Result<JsValue, JsValue> {
    let (set_of, call) = if wait {
        (&WAIT, "waitForActivation")
    } else {
        (&CHECK, "checkActivation")
    };
    let o = read_options(set_of, call, Target::Base, &packed(&options), &options)
        .map_err(invalid_input)?;
    let out: JsValue = Object::new().into();
    set(&out, "baseUrl", o.url);
    set(&out, "timeoutMs", o.timeout_ms);
    set(&out, "intervalMs", o.interval_ms);
    set(&out, "signal", o.signal);
    set(
        &out,
        "onCheck",
        o.on_response.map_or(JsValue::UNDEFINED, JsValue::from),
    );
    Ok(out)
}
