//! `checkActivation` and `waitForActivation`: the Admin API ping through `fetch`. What the
//! answer means, the credentials' rules and the back-off are decided in `crate::activation`.
//!
//! The secret goes into the `Authorization` header only: never into the URL, a message, an
//! error or the `onCheck` argument.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use js_sys::{Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal, RequestRedirect};

use super::convert::{invalid_input, to_js_error, Js};
use super::timer::{sleep, AbortListener, Timeout};
use crate::activation::{
    backoff_ms, classify_ping, read_credentials, ActivationState, Credentials, DEFAULT_INTERVAL_MS,
};
use crate::error::{AccountError, ErrorCode};
use crate::validate::{suggest_from, IssueCode, ValidationIssue};
use crate::wire::{headers, DEFAULT_BASE_URL};

#[wasm_bindgen(typescript_custom_section)]
const TS_ACTIVATION: &'static str = r#"
/** Whether the person has verified the e-mail yet, from one ping. */
export type ActivationState = "active" | "pending" | "disabled" | "unknown";

/** What {@link checkActivation} resolves to. */
export interface ActivationResult {
  /** `active`: the credentials work. `pending`: not verified yet. `disabled`: not verified
   * within 24 hours. `unknown`: any other answer (wrong key, 404, 5xx...). */
  state: ActivationState;
  /** The ping's HTTP status (0 for an opaque redirect in a browser). */
  status: number;
  /** The answer's `X-Request-Id`. */
  requestId?: string;
}

/** The credentials a ping needs: an account from {@link createAccount}, its product
 * environment's three fields, or a `CLOUDINARY_URL` (`cloudinary://KEY:SECRET@CLOUD`). */
export type ActivationCredentials =
  | AgentAccount
  | { cloud_name: string; api_key: string; api_secret: string }
  | string;

/** Options of {@link checkActivation}. */
export interface CheckActivationOptions {
  /** Default `https://api.cloudinary.com`. */
  baseUrl?: string;
  /** Deadline of the ping. Default 10000. */
  timeoutMs?: number;
  /** Aborts the ping; it then rejects with code `aborted`. */
  signal?: AbortSignal;
}

/** What `onCheck` receives after every ping of {@link waitForActivation} (never a secret). */
export interface ActivationCheck {
  /** 1 for the first ping. */
  attempt: number;
  state: ActivationState;
  /** The HTTP status; absent when the ping got no answer (then `errorCode` says why). */
  status?: number;
  requestId?: string;
  /** `network` or `timeout` when this ping got no answer (polling goes on). */
  errorCode?: ErrorCode;
  /** Milliseconds since the wait started. */
  elapsedMs: number;
}

/** Options of {@link waitForActivation}. */
export interface WaitForActivationOptions {
  /** Default `https://api.cloudinary.com`. */
  baseUrl?: string;
  /** The shortest pause between two pings (the pause grows by half each time, up to 60 s).
   * Default 5000. */
  intervalMs?: number;
  /** Give up after this long (rejects with code `timeout`). Default 900000 (15 minutes). */
  timeoutMs?: number;
  /** Stops waiting; rejects with code `aborted`. */
  signal?: AbortSignal;
  /** Called after every ping. */
  onCheck?: (check: ActivationCheck) => void;
}

/**
 * One Admin API ping (`GET {baseUrl}/v1_1/{cloud_name}/ping`, HTTP Basic) with the new
 * credentials: resolves to their state. Rejects only when no answer came (`network`,
 * `timeout`, `aborted`) or the credentials are malformed (`invalid_input`).
 */
export function checkActivation(account: ActivationCredentials, options?: CheckActivationOptions): Promise<ActivationResult>;

/**
 * Pings until the person has verified the e-mail (resolves with the `active` result), never
 * more often than `intervalMs`. Rejects with code `account_disabled` when the account was
 * disabled, `timeout` after `timeoutMs`, `aborted` on the signal.
 */
export function waitForActivation(account: ActivationCredentials, options?: WaitForActivationOptions): Promise<ActivationResult>;
"#;

/// Default deadline of one ping.
const CHECK_TIMEOUT_MS: f64 = 10_000.0;
/// Default deadline of a whole wait.
const WAIT_TIMEOUT_MS: f64 = 15.0 * 60_000.0;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

struct Opts {
    base_url: String,
    timeout_ms: f64,
    interval_ms: f64,
    signal: Option<AbortSignal>,
    on_check: Option<Function>,
}

fn option_issue(key: &str, code: IssueCode, message: String) -> ValidationIssue {
    ValidationIssue {
        field: format!("options.{key}"),
        code,
        message,
    }
}

/// Reads the options; `allowed` are the names this function takes.
fn read_opts(v: &JsValue, allowed: &[&str], timeout_ms: f64) -> Result<Opts, Vec<ValidationIssue>> {
    let mut o = Opts {
        base_url: DEFAULT_BASE_URL.to_owned(),
        timeout_ms,
        interval_ms: DEFAULT_INTERVAL_MS,
        signal: None,
        on_check: None,
    };
    if v.is_undefined() || v.is_null() {
        return Ok(o);
    }
    if !v.is_object() || v.is_function() || js_sys::Array::is_array(v) {
        return Err(vec![option_issue(
            "",
            IssueCode::NotAnObject,
            "options must be an object".into(),
        )]);
    }
    let obj: &Object = v.unchecked_ref();
    let mut issues = Vec::new();
    for key in Object::keys(obj).iter().filter_map(|k| k.as_string()) {
        let value = Reflect::get(obj, &JsValue::from_str(&key)).unwrap_or_default();
        if value.is_undefined() {
            continue;
        }
        let wrong = |want: &str| {
            option_issue(
                &key,
                IssueCode::WrongType,
                format!("options.{key} must be {want}"),
            )
        };
        match key.as_str() {
            k if !allowed.contains(&k) => {
                let hint = match suggest_from(k, allowed) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!("; the options are {}", allowed.join(", ")),
                };
                issues.push(option_issue(
                    k,
                    IssueCode::UnknownField,
                    format!("`{k}` is not an option here{hint}"),
                ));
            }
            "baseUrl" => match value.as_string() {
                Some(s) if s.trim().starts_with("http://") || s.trim().starts_with("https://") => {
                    o.base_url = s.trim().trim_end_matches('/').to_owned();
                }
                _ => issues.push(wrong("an http:// or https:// URL")),
            },
            "timeoutMs" | "intervalMs" => match value.as_f64() {
                Some(n) if n.is_finite() && n > 0.0 => {
                    if key == "timeoutMs" {
                        o.timeout_ms = n;
                    } else {
                        o.interval_ms = n;
                    }
                }
                _ => issues.push(wrong("a positive, finite number of milliseconds")),
            },
            "signal" => {
                if !value.is_null() {
                    match value.dyn_into::<AbortSignal>() {
                        Ok(s) => o.signal = Some(s),
                        Err(_) => issues.push(wrong("an AbortSignal")),
                    }
                }
            }
            "onCheck" => match value.dyn_into::<Function>() {
                Ok(f) => o.on_check = Some(f),
                Err(_) => issues.push(wrong("a function")),
            },
            _ => {}
        }
    }
    if issues.is_empty() {
        Ok(o)
    } else {
        Err(issues)
    }
}

/// One ping's answer.
struct Answer {
    state: ActivationState,
    status: u16,
    request_id: Option<String>,
}

fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

fn answer_to_js(a: &Answer) -> JsValue {
    let o = Object::new();
    set(&o, "state", a.state.as_str());
    set(&o, "status", a.status);
    if let Some(id) = &a.request_id {
        set(&o, "requestId", id.as_str());
    }
    o.into()
}

fn aborted() -> AccountError {
    AccountError::new(
        ErrorCode::Aborted,
        "the check was aborted by its AbortSignal",
    )
}

/// One ping, bounded by `deadline` (a `Date.now()` value) and the caller's signal.
async fn ping(
    creds: &Credentials,
    base_url: &str,
    deadline: f64,
    signal: Option<&AbortSignal>,
) -> Result<Answer, AccountError> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let controller = AbortController::new().map_err(|_| {
        AccountError::new(ErrorCode::Network, "this runtime has no AbortController")
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
    let why = |e: gloo_net::Error| {
        if signal.is_some_and(AbortSignal::aborted) {
            aborted()
        } else if timed_out.get() {
            AccountError::new(ErrorCode::Timeout, "the ping got no answer in time")
        } else {
            let detail = match e {
                gloo_net::Error::JsError(j) => j.message,
                _ => String::from("fetch failed"),
            };
            AccountError::new(
                ErrorCode::Network,
                format!("the ping could not be completed: {detail}"),
            )
        }
    };
    let url = format!("{base_url}{}", creds.ping_path());
    let resp = Request::get(&url)
        .header("Authorization", &creds.basic_authorization())
        .header("Accept", "application/json")
        // A redirect would carry the Authorization header elsewhere: take it as the answer.
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&controller.signal()))
        .build()
        .map_err(why)?
        .send()
        .await
        .map_err(why)?;
    let status = resp.status();
    let request_id = resp.headers().get(headers::REQUEST_ID);
    // The body is small; the deadline's abort bounds how long reading it may take.
    let text = resp.text().await.map_err(why)?;
    let parsed = JSON::parse(&text).ok().map(Js);
    Ok(Answer {
        state: classify_ping(status, parsed.as_ref()),
        status,
        request_id,
    })
}

fn credentials(account: &JsValue) -> Result<Credentials, JsValue> {
    read_credentials(&Js(account.clone())).map_err(invalid_input)
}

/// One ping with the credentials; resolves to `{ state, status, requestId }`.
#[wasm_bindgen(js_name = checkActivation, skip_typescript)]
pub fn check_activation(account: JsValue, options: Option<JsValue>) -> js_sys::Promise {
    let parsed = credentials(&account).and_then(|c| {
        read_opts(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["baseUrl", "timeoutMs", "signal"],
            CHECK_TIMEOUT_MS,
        )
        .map(|o| (c, o))
        .map_err(invalid_input)
    });
    wasm_bindgen_futures::future_to_promise(async move {
        let (creds, o) = parsed?;
        let deadline = now_ms() + o.timeout_ms;
        match ping(&creds, &o.base_url, deadline, o.signal.as_ref()).await {
            Ok(a) => Ok(answer_to_js(&a)),
            Err(e) => Err(to_js_error(&e, None)),
        }
    })
}

/// Pings with back-off until active; rejects when disabled, on timeout and on abort.
#[wasm_bindgen(js_name = waitForActivation, skip_typescript)]
pub fn wait_for_activation(account: JsValue, options: Option<JsValue>) -> js_sys::Promise {
    let parsed = credentials(&account).and_then(|c| {
        read_opts(
            &options.unwrap_or(JsValue::UNDEFINED),
            &["baseUrl", "intervalMs", "timeoutMs", "signal", "onCheck"],
            WAIT_TIMEOUT_MS,
        )
        .map(|o| (c, o))
        .map_err(invalid_input)
    });
    wasm_bindgen_futures::future_to_promise(async move {
        let (creds, o) = parsed?;
        wait(creds, o).await.map_err(|e| to_js_error(&e, None))
    })
}

async fn wait(creds: Credentials, o: Opts) -> Result<JsValue, AccountError> {
    let start = now_ms();
    let deadline = start + o.timeout_ms;
    let signal = o.signal.as_ref();
    let timeout = || {
        AccountError::new(
            ErrorCode::Timeout,
            format!(
                "the account was not active within timeoutMs ({} ms): the person has not verified the e-mail yet",
                o.timeout_ms as u64
            ),
        )
    };
    let mut attempt: u32 = 0;
    loop {
        let per_ping = deadline.min(now_ms() + CHECK_TIMEOUT_MS);
        let result = ping(&creds, &o.base_url, per_ping, signal).await;
        attempt += 1;
        let info = Object::new();
        set(&info, "attempt", attempt);
        set(&info, "elapsedMs", (now_ms() - start).round());
        match &result {
            Ok(a) => {
                set(&info, "state", a.state.as_str());
                set(&info, "status", a.status);
                if let Some(id) = &a.request_id {
                    set(&info, "requestId", id.as_str());
                }
            }
            Err(e) if e.code == ErrorCode::Aborted => return Err(aborted()),
            Err(e) => {
                set(&info, "state", ActivationState::Unknown.as_str());
                set(&info, "errorCode", e.code.as_str());
            }
        }
        if let Some(f) = &o.on_check {
            // A throwing callback must not end the wait.
            let _ = f.call1(&JsValue::UNDEFINED, &info);
        }
        match result {
            Ok(a) if a.state == ActivationState::Active => return Ok(answer_to_js(&a)),
            Ok(a) if a.state == ActivationState::Disabled => {
                let mut e = AccountError::new(
                    ErrorCode::AccountDisabled,
                    "the account is disabled: its e-mail was not verified within 24 hours; the person can ask for a new link from the sign-in page",
                );
                e.status = Some(a.status);
                e.request_id = a.request_id;
                return Err(e);
            }
            // Pending, unknown, or no answer this time (network, timeout): keep polling.
            _ => {}
        }
        let left = deadline - now_ms();
        if left <= 0.0 {
            return Err(timeout());
        }
        let pause = backoff_ms(o.interval_ms, attempt - 1);
        if sleep(pause.min(left), signal).await.is_err() {
            return Err(aborted());
        }
        if now_ms() >= deadline {
            return Err(timeout());
        }
    }
}
