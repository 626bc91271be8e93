//! The JavaScript API of the npm package: `validateRequest`, `validateCloudRequest`, `renderGuidance`,
//! `renderGuidanceText`, the `AgentAccountError` class, and the Rust halves of `createAccount`
//! and `createCloud` (`client`; their fetch is `pkg-template/client.js`) and of the activation check
//! (`activation`). Everything here is glue; the rules live in `validate`, `error`, `activation` and `guidance`.

#[cfg(feature = "client")]
mod activation;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
pub(crate) mod convert;
#[cfg(any(feature = "client", feature = "rules"))]
mod packed;

#[cfg(any(feature = "client", feature = "markdown"))]
use wasm_bindgen::prelude::*;

#[cfg(feature = "client")]
use crate::creation::Creation;
#[cfg(feature = "client")]
pub(crate) use convert::packed_json;
#[cfg(feature = "client")]
use convert::{issues_to_js, read_request};

// Types that are not serde wire types: the options, the callback's argument and the error
// class. `createAccount` itself is pkg-template/client.js over the exports of `client`; its
// declaration is here with the rest of the API's types. The wire types (`AgentAccountRequest`, `AgentAccount`, `ValidationIssue`, ...) are
// generated from their Rust definitions by tsify.
#[cfg(feature = "client")]
#[wasm_bindgen(typescript_custom_section)]
const TS_API: &'static str = r#"
/** The rate-limit headers of an answer (`X-FeatureRateLimit-*`). */
export interface RateLimitInfo {
  /** Requests allowed in the window. */
  limit?: number;
  /** Requests left in the window. */
  remaining?: number;
  /** When the window resets, as the server's HTTP date. */
  reset?: string;
}

/** What `onResponse` receives for every HTTP answer (retries included). */
export interface ResponseInfo {
  status: number;
  /** The `X-Request-Id` header: quote it when contacting support. */
  requestId?: string;
  retryAfterMs?: number;
  rateLimit?: RateLimitInfo;
}

/** Options of {@link createAccount} and {@link createCloud}. */
export interface CreateAccountOptions {
  /**
   * Default `https://api.cloudinary.com`; point it at the emulator for tests. Parsed as a URL:
   * `https:` for any host, `http:` only for `localhost`, `127.0.0.0/8` and `[::1]`; no
   * credentials, query or fragment; a path prefix is kept (`https://proxy.example/cld`).
   */
  baseUrl?: string;
  /**
   * Deadline for the whole call, retries included. Default 30000. Values above 2147483647
   * (about 24.8 days, the longest timer) are clamped to it, like `maxRetryDelayMs`.
   */
  timeoutMs?: number;
  /** Aborts the call; it then rejects with code `aborted`. */
  signal?: AbortSignal;
  /** Retries of a 420/429 (never of anything that may have created an account). Default 0, at most 10. */
  maxRetries?: number;
  /** A `Retry-After` longer than this is not waited for. Default 60000. */
  maxRetryDelayMs?: number;
  /** Called with the status, request id and rate-limit headers of every answer. */
  onResponse?: (info: ResponseInfo) => void;
}

/**
 * Validates the request, creates the account and resolves to it: the response object exactly
 * as the server sent it (snake_case fields, unknown ones kept). Rejects with an
 * {@link AgentAccountError}; with code `invalid_input` nothing was sent.
 *
 * @example
 * const account = await createAccount(
 *   { email: "jane@example.com", agent_framework: "langchain",
 *     agent_llm_model: "claude-opus-4-8", agent_goal: "Host product images" },
 *   { timeoutMs: 20_000 },
 * );
 */
export function createAccount(request: AgentAccountRequest, options?: CreateAccountOptions): Promise<AgentAccount>;

/**
 * Creates a Claimable Cloud and resolves to it: credentials that work at once, media delivery
 * locked to `delivery_ips` until a person claims the cloud at `claim_url`, and the cloud
 * disabled at `expires_at` unless claimed. The answer as the server sent it (unknown fields
 * kept), with `cloud_name`, `api_key`, `api_secret`, `api_environment_variable`, `claim_url`,
 * `expires_at` and `delivery_ips` always at the top level, whichever documented shape the
 * server used. Every field of the request is optional (`createCloud()` sends `{}`). Rejects with an
 * {@link AgentAccountError}; with code `invalid_input` nothing was sent.
 *
 * `claim_url` is returned once and is the only way to keep the cloud: give it to the person
 * before `expires_at`. Its token is as sensitive as `api_secret`.
 *
 * @example
 * const cloud = await createCloud({ delivery_ips: ["requester_ip"], agent_framework: "langchain" });
 */
export function createCloud(request?: CloudRequest, options?: CreateAccountOptions): Promise<ClaimableCloud>;

/**
 * Checks any value against the cloud request's rules, without sending anything; returns
 * every issue, empty when valid. Never throws.
 */
export function validateCloudRequest(input: unknown): ValidationIssue[];

/** Whether `input` is a valid cloud request (`validateCloudRequest(input)` is empty); never throws. */
export function isValidCloudRequest(input: unknown): input is CloudRequest;

/**
 * Checks any value (a form's fields, a model's tool call) against the request rules, without
 * sending anything; returns every issue, empty when valid. Never throws: a value that cannot
 * be read (a throwing getter, a revoked Proxy) is an `unreadable` issue.
 */
export function validateRequest(input: unknown): ValidationIssue[];

/** Whether `input` is a valid request (`validateRequest(input)` is empty); never throws. */
export function isValidRequest(input: unknown): input is AgentAccountRequest;

/** Every failure of the package. `code` says which; `message` names the field and the rule. */
export declare class AgentAccountError extends Error {
  readonly name: "AgentAccountError";
  readonly code: ErrorCode;
  /** Field problems: client-side validation (`invalid_input`) or the server's list. */
  readonly issues: ValidationIssue[];
  /** HTTP status, when an answer came. */
  readonly status?: number;
  /** The server's `error.category`. */
  readonly category?: string;
  /** The server's `error.code`. */
  readonly serverCode?: string;
  /** The answer's `X-Request-Id`. */
  readonly requestId?: string;
  /** For `rate_limited`: how long to wait, from `Retry-After`. */
  readonly retryAfterMs?: number;
  /** The answer's rate-limit headers. */
  readonly rateLimit?: RateLimitInfo;
  /**
   * `true` when the request was sent but its answer was lost (a timeout, abort or network
   * failure after the request was handed to `fetch`, or a 5xx): the account may exist and its
   * secret is gone. Do not retry (it would only get "already taken"); the person checks their
   * inbox and, once verified, takes the key from the Console. For `createCloud`: a cloud may
   * exist whose credentials and claim link are lost (it expires unclaimed); a new call creates
   * another, counted in the per-IP daily cap. `false` when nothing was sent or
   * the server refused the request (validation, 4xx, abort before sending). A refused
   * connection also gives `true`: `fetch` does not say whether any byte left.
   */
  readonly mayHaveCreatedAccount: boolean;
  /**
   * For `unexpected_response` to a 2xx: the parsed answer the checks refused (a malformed
   * or crafted account, which may still hold credentials). Non-enumerable, so no message,
   * `JSON.stringify` or `util.inspect` of the error shows it; treat it as untrusted.
   */
  readonly body?: unknown;
}
"#;

#[cfg(feature = "client")]
/// Checks any value against the request rules without sending it; returns every issue
/// (empty when valid). Never throws. Its TypeScript signature is in TS_API above.
///
/// For live form validation: synchronous, no network.
#[wasm_bindgen(js_name = validateRequest, skip_typescript)]
pub fn validate_request(request: JsValue) -> JsValue {
    issues_of(read_request(Creation::Account, &request).map(drop))
}

#[cfg(feature = "client")]
/// The issues of a reading as a JS array, empty when it succeeded.
fn issues_of(read: Result<(), Vec<crate::validate::ValidationIssue>>) -> JsValue {
    match read {
        Ok(()) => js_sys::Array::new().into(),
        Err(issues) => issues_to_js(&issues),
    }
}

#[cfg(feature = "client")]
/// Whether a value is a valid request; a type guard in TypeScript (signature in TS_API).
#[wasm_bindgen(js_name = isValidRequest, skip_typescript)]
pub fn is_valid_request(input: JsValue) -> bool {
    read_request(Creation::Account, &input).is_ok()
}

#[cfg(feature = "client")]
/// Checks any value against the cloud request's rules without sending it; returns every
/// issue (empty when valid). Never throws. Its TypeScript signature is in TS_API above.
#[wasm_bindgen(js_name = validateCloudRequest, skip_typescript)]
pub fn validate_cloud_request(request: JsValue) -> JsValue {
    issues_of(read_request(Creation::Cloud, &request).map(drop))
}

#[cfg(feature = "client")]
/// Whether a value is a valid cloud request; a type guard in TypeScript (signature in TS_API).
#[wasm_bindgen(js_name = isValidCloudRequest, skip_typescript)]
pub fn is_valid_cloud_request(input: JsValue) -> bool {
    read_request(Creation::Cloud, &input).is_ok()
}

#[cfg(feature = "client")]
/// The `AgentAccountError` class, for the package's entry points to export.
#[wasm_bindgen(js_name = __agentAccountErrorClass, skip_typescript)]
pub fn agent_account_error_class() -> JsValue {
    convert::ERROR_CLASS.with(JsValue::clone)
}

/// Renders the guidance Markdown to HTML that is safe to insert (see `guidance`).
#[cfg(feature = "markdown")]
#[wasm_bindgen(js_name = renderGuidance)]
pub fn render_guidance(
    #[wasm_bindgen(unchecked_param_type = "string")] markdown: JsValue,
) -> Result<String, JsValue> {
    match markdown.as_string() {
        Some(md) => Ok(crate::guidance::render_html(&md)),
        None => Err(js_sys::TypeError::new("renderGuidance expects a string of Markdown").into()),
    }
}

// The terminal writer's signature, written here for its optional argument's name.
#[cfg(feature = "markdown")]
#[wasm_bindgen(typescript_custom_section)]
const TS_TEXT: &'static str = r#"
/**
 * Renders the guidance Markdown as plain text for a terminal: code kept verbatim, links as
 * `text (url)`, raw HTML shown as text, and no control character or escape sequence of the
 * source passed through. `color: true` allows bold (ANSI `ESC[1m` ... `ESC[22m`) for headings
 * and strong text; default false. Throws a `TypeError` when `markdown` is not a string.
 */
export function renderGuidanceText(markdown: string, color?: boolean): string;
"#;

/// Renders the guidance Markdown as terminal text (see `guidance::render_text`); its
/// TypeScript signature is in TS_TEXT above. A boolean rather than an options object: reading
/// an object's member costs the renderer's glue five imports (measured: +340 B gzipped).
#[cfg(feature = "markdown")]
#[wasm_bindgen(js_name = renderGuidanceText, skip_typescript)]
pub fn render_guidance_text(markdown: JsValue, color: Option<bool>) -> Result<String, JsValue> {
    match markdown.as_string() {
        Some(md) => Ok(crate::guidance::render_text(&md, color == Some(true))),
        None => {
            Err(js_sys::TypeError::new("renderGuidanceText expects a string of Markdown").into())
        }
    }
}

#[cfg(all(test, feature = "client", feature = "markdown"))]
mod tests;
