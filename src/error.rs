//! The error taxonomy, and the one mapping from an HTTP answer (status, headers, body) to a
//! typed account or a typed error. Used by the wasm client; the emulator produces the
//! server side of the same codes.

use crate::text::{concat, decimal};
use serde::Serialize;
use serde_json::Value;

use crate::account_shape::check_account;
use crate::cloud_shape::{check_cloud, Lift};
use crate::creation::Creation;
pub use crate::json_node::JsonNode;
use crate::rails;
use crate::scrub::{is_sensitive_key, scrub, REDACTED};
use crate::validate::{summarize, IssueCode, ValidationIssue};
use crate::wire::codes;

/// Largest response body the client accepts (a real answer is a few kilobytes).
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Longest server message quoted inside our own message.
const MAX_QUOTED: usize = 300;

/// What went wrong, as one stable code (the `code` of the JS `AgentAccountError`; its
/// TypeScript union type is generated from this enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request failed client-side validation; nothing was sent. Carries `issues`.
    InvalidInput,
    /// The server rejected the request (400 or another 4xx not listed below).
    InvalidRequest,
    /// An account already exists for the e-mail (400 or 409).
    AccountExists,
    /// The e-mail's domain is a disposable-mail provider.
    DisposableEmail,
    /// Abuse controls refused the request (403); the message is generic by design.
    Blocked,
    /// Agent sign-up is switched off for now (403 `agent_registration_disabled`): do not
    /// retry soon; the person can sign up themselves.
    RegistrationDisabled,
    /// Requests from this region are not served (403 `geo_location_not_permitted`).
    RegionBlocked,
    /// Too many requests from this IP address (420 or 429); see `retry_after_ms`.
    RateLimited,
    /// The server failed (5xx).
    ServerError,
    /// The request could not be sent or the connection broke.
    Network,
    /// No complete answer within `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// An answer that is not what the API documents (not JSON, wrong shape, too large...).
    UnexpectedResponse,
    /// `waitForActivation`: the account was disabled (its e-mail was not verified within 24
    /// hours); the person asks for a new link from the sign-in page.
    AccountDisabled,
    /// `createCloud`: no public address was left for `delivery_ips` (400
    /// `delivery_ips_not_public`): the request reached Cloudinary from a private address (a
    /// VPN, proxy or gateway), which `delivery_ips` cannot work around; retry from a network
    /// with a public address.
    DeliveryIpsNotPublic,
}

impl ErrorCode {
    /// Every code, in declaration order (the TypeScript union and the README's table list
    /// these; tests check both against this).
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::InvalidInput,
        ErrorCode::InvalidRequest,
        ErrorCode::AccountExists,
        ErrorCode::DisposableEmail,
        ErrorCode::Blocked,
        ErrorCode::RegistrationDisabled,
        ErrorCode::RegionBlocked,
        ErrorCode::RateLimited,
        ErrorCode::ServerError,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::UnexpectedResponse,
        ErrorCode::AccountDisabled,
        ErrorCode::DeliveryIpsNotPublic,
    ];

    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::AccountExists => "account_exists",
            ErrorCode::DisposableEmail => "disposable_email",
            ErrorCode::Blocked => "blocked",
            ErrorCode::RegistrationDisabled => "registration_disabled",
            ErrorCode::RegionBlocked => "region_blocked",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ServerError => "server_error",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::UnexpectedResponse => "unexpected_response",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::DeliveryIpsNotPublic => "delivery_ips_not_public",
        }
    }
}

/// A failed account creation. Its `Display` is the message: it names the field and the
/// rule, or the HTTP status, and never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AccountError {
    /// The stable code.
    pub code: ErrorCode,
    /// A sentence for people.
    pub message: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The server's `error.category`.
    pub category: Option<String>,
    /// The server's `error.code`.
    pub server_code: Option<String>,
    /// The `X-Request-Id` of the answer.
    pub request_id: Option<String>,
    /// How long to wait before retrying, from `Retry-After`.
    pub retry_after_ms: Option<u64>,
    /// Field problems (client validation, or the server's when it lists them).
    pub issues: Vec<ValidationIssue>,
    /// The request was sent but its answer was lost (timeout after sending, broken
    /// connection, 5xx): the account may exist, and its secret is gone. Do not retry; the
    /// person checks their inbox and, once verified, takes the key from the Console.
    pub may_have_created_account: bool,
}

impl AccountError {
    /// An error with only a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AccountError {
            code,
            message: message.into(),
            status: None,
            category: None,
            server_code: None,
            request_id: None,
            retry_after_ms: None,
            issues: Vec::new(),
            may_have_created_account: false,
        }
    }

    /// The error for a request that failed validation.
    pub fn invalid_input(issues: Vec<ValidationIssue>) -> Self {
        let mut e = AccountError::new(
            ErrorCode::InvalidInput,
            concat(&["invalid request: ", &summarize(&issues)]),
        );
        e.issues = issues;
        e
    }
}

/// The parts of an HTTP answer's head that the mapping reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    /// The status code.
    pub status: u16,
    /// `X-Request-Id`.
    pub request_id: Option<String>,
    /// `Retry-After`, raw.
    pub retry_after: Option<String>,
    /// `X-FeatureRateLimit-Limit`.
    pub rate_limit_limit: Option<String>,
    /// `X-FeatureRateLimit-Remaining`.
    pub rate_limit_remaining: Option<String>,
    /// `X-FeatureRateLimit-Reset` (an HTTP date).
    pub rate_limit_reset: Option<String>,
}

/// Whether a status means "rate limited" (Cloudinary uses 420 as well as 429).
pub const fn is_rate_limit_status(status: u16) -> bool {
    status == 420 || status == 429
}

/// Milliseconds to wait from a `Retry-After` value: delta-seconds or an HTTP-date
/// (`now_ms` is the current Unix time in milliseconds). A date in the past gives 0.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let v = value.trim();
    if let Some(secs) = crate::text::digits(v) {
        // Saturating, but not `saturating_mul` (a 128-bit multiply on wasm32).
        return Some(if secs > u64::MAX / 1000 {
            u64::MAX
        } else {
            secs * 1000
        });
    }
    let at = crate::dates::parse_http_date(v)?;
    let delta = at as f64 * 1000.0 - now_ms;
    Some(if delta > 0.0 { delta.ceil() as u64 } else { 0 })
}

/// Whether a request id header looks like one (1-128 of `[A-Za-z0-9._:-]`): it is quoted to
/// people and models, so anything else (an echoed `Authorization` value, escape sequences) is
/// dropped rather than passed on.
pub fn is_request_id(v: &str) -> bool {
    (1..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// What the client reads from an error answer's body. Every string in it has been through
/// [`scrub`], so none carries a credential the server echoed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorReport {
    /// `error.category`, when a string.
    pub category: Option<String>,
    /// `error.code`, when a string.
    pub code: Option<String>,
    /// The message in plain words: a Rails errors hash becomes its issues' messages joined;
    /// `None` when `message` is absent or neither text nor a hash.
    pub message: Option<String>,
    /// Field problems: the emulator's `issues` list when present, else the Rails hash's.
    pub issues: Vec<ValidationIssue>,
}

/// Most issues read from one answer (a hostile body could hold millions).
const MAX_ISSUES: usize = 50;

/// A server string fit to quote: credentials scrubbed, then cut to [`MAX_QUOTED`] characters.
fn quote(s: &str) -> String {
    let s = scrub(s.trim());
    if s.chars().count() <= MAX_QUOTED {
        return s;
    }
    let cut: String = s.chars().take(MAX_QUOTED).collect();
    cut + "..."
}

/// The issues of a Rails errors hash, `{"field": ["message", ...], ...}` (a message may also
/// be a bare string); `None` when the value is not such a hash.
pub fn rails_issues<N: JsonNode>(hash: &N) -> Option<Vec<ValidationIssue>> {
    let mut out = Vec::new();
    for (field, value) in &hash.entries()? {
        let field = quote(field);
        let items = value.elements();
        let items = items.as_deref().unwrap_or(std::slice::from_ref(value));
        for text in items.iter().filter_map(JsonNode::text) {
            if out.len() >= MAX_ISSUES {
                break;
            }
            // A field named like a credential: its text could be the credential itself.
            let text = if is_sensitive_key(&field) {
                String::from(REDACTED)
            } else {
                quote(&text)
            };
            out.push(rails::issue_from_text(&field, &text));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Reads a `message`: text (a Rails hash serialised into it is read as the hash), or a hash
/// itself. Anything else (array, number, null) yields nothing: it is not quoted.
fn read_message<N: JsonNode>(m: &N) -> (Option<String>, Vec<ValidationIssue>) {
    let text = m.text();
    let issues = match &text {
        Some(t) if t.trim_start().starts_with('{') => N::parse(t).as_ref().and_then(rails_issues),
        Some(_) => None,
        None if m.is_object() => rails_issues(m),
        None => None,
    };
    match issues {
        Some(issues) => (Some(quote(&summarize(&issues))), issues),
        None => (text.map(|t| quote(&t)), Vec::new()),
    }
}

/// Reads `{"error": ...}` from an error answer: the documented object
/// (`category`, `message`, `code`?, `details`?, and the emulator's optional `issues`), or an
/// `error` that is a bare string. `None` when the body has no `error` of either kind.
/// `details` is never read (its shape is not documented, and it could carry anything).
pub fn read_error_body<N: JsonNode>(v: &N) -> Option<ErrorReport> {
    let e = v.member("error")?;
    if e.is_text() {
        let (message, issues) = read_message(&e);
        return Some(ErrorReport {
            message,
            issues,
            ..ErrorReport::default()
        });
    }
    if !e.is_object() {
        return None;
    }
    let text = |k: &str| e.text_of(k).map(|t| quote(&t));
    let mut listed = Vec::new();
    for i in e
        .elements_of("issues")
        .unwrap_or_default()
        .iter()
        .take(MAX_ISSUES)
    {
        let code = i.text_of("code").and_then(|c| IssueCode::from_name(&c));
        if let (Some(field), Some(code), Some(message)) =
            (i.text_of("field"), code, i.text_of("message"))
        {
            listed.push(ValidationIssue {
                field: quote(&field),
                code,
                message: quote(&message),
            });
        }
    }
    let (message, from_hash) = match e.member("message") {
        Some(m) => read_message(&m),
        None => (None, Vec::new()),
    };
    Some(ErrorReport {
        category: text("category"),
        code: text("code"),
        message,
        issues: if listed.is_empty() { from_hash } else { listed },
    })
}

/// The body of an answer, as far as the client could parse it.
pub enum Body<N> {
    /// Parsed JSON.
    Json(N),
    /// Not JSON (an HTML page from a proxy, say), or empty.
    NotJson {
        /// Whether the body was empty.
        empty: bool,
    },
    /// Over [`MAX_RESPONSE_BYTES`]; its length.
    TooLarge(usize),
}

fn answer_error(meta: &ResponseMeta, code: ErrorCode, message: String) -> AccountError {
    let mut e = AccountError::new(code, message);
    e.status = Some(meta.status);
    e.request_id = meta.request_id.as_deref().map(quote);
    e
}

/// The error for an answer whose body is (or declares itself) over [`MAX_RESPONSE_BYTES`].
pub fn body_too_large(meta: &ResponseMeta, len: usize) -> AccountError {
    answer_error(
        meta,
        ErrorCode::UnexpectedResponse,
        concat(&[
            "the server answered HTTP ",
            &decimal(meta.status.into()),
            " with a body of ",
            &decimal(len as u64),
            " bytes, over the ",
            &decimal(MAX_RESPONSE_BYTES as u64),
            "-byte limit",
        ]),
    )
}

/// The error for a redirect (3xx, or a browser's opaque redirect): the endpoint never
/// redirects, and following one would send the person's e-mail to another host.
pub fn redirect_refused(meta: &ResponseMeta) -> AccountError {
    let mut e = answer_error(
        meta,
        ErrorCode::UnexpectedResponse,
        String::from(
            "the server answered with a redirect, which this API never sends; it was not followed",
        ),
    );
    // An opaque redirect (browsers) exposes no status.
    e.status = Some(meta.status).filter(|s| *s != 0);
    e
}

pub use crate::retry::should_retry;

/// How an attempt ended without an HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interrupted {
    /// The deadline (`timeoutMs`) passed.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The runtime's `fetch` failed; its message.
    Network(String),
}

/// The error for an attempt that ended without a complete answer. `sent`: the request had
/// been handed to `fetch` (and was not known to be refused before any byte left), so the
/// server may have created the account: `may_have_created_account` is set.
pub fn interrupted_error(why: Interrupted, sent: bool, timeout_ms: f64) -> AccountError {
    interrupted_error_of(Creation::Account, why, sent, timeout_ms)
}

/// [`interrupted_error`] for either creation: the lost answer's advice is the creation's.
pub fn interrupted_error_of(
    kind: Creation,
    why: Interrupted,
    sent: bool,
    timeout_ms: f64,
) -> AccountError {
    let mut e = match why {
        Interrupted::Timeout => AccountError::new(
            ErrorCode::Timeout,
            concat(&[
                "no complete answer within timeoutMs (",
                &decimal(timeout_ms as u64),
                " ms)",
            ]),
        ),
        Interrupted::Aborted => AccountError::new(
            ErrorCode::Aborted,
            "the request was aborted by its AbortSignal",
        ),
        Interrupted::Network(m) => AccountError::new(
            ErrorCode::Network,
            concat(&["the request could not be completed: ", &m]),
        ),
    };
    if sent {
        e.may_have_created_account = true;
        e.message.push_str(lost_answer(kind));
    }
    e
}

/// Appended to the message of an error whose answer was lost.
const fn lost_answer(kind: Creation) -> &'static str {
    match kind {
        Creation::Account => {
            "; the request was sent, so the account may exist: do not retry, check the inbox"
        }
        // A lost cloud cannot be found again (no read endpoint) and expires unclaimed.
        Creation::Cloud => {
            "; the request was sent, so a cloud may exist whose credentials and claim link are lost (it expires unclaimed); a new call makes another, counted in the daily cap"
        }
    }
}

/// Maps an HTTP answer (status and headers, parsed body) to `Ok(())` when it is a
/// well-formed account, or to a typed error. `now_ms` (Unix milliseconds) resolves an
/// HTTP-date `Retry-After`.
pub fn classify_body<N: JsonNode>(
    meta: &ResponseMeta,
    body: &Body<N>,
    now_ms: f64,
) -> Result<(), AccountError> {
    classify_answer(Creation::Account, meta, body, now_ms).map(drop)
}

/// One rule of what an error answer means: the status it applies to (420 for both rate-limit
/// statuses; 4 and 5 for any other 4xx and 5xx), what chooses it (the server's `code`, words
/// of its message, an issue's code: any one; none of them, any answer of that status), the
/// error code, and the plain words for an account and for a cloud.
struct Rule {
    status: u16,
    code: Option<&'static str>,
    says: Option<&'static str>,
    issue: Option<IssueCode>,
    error: ErrorCode,
    account: &'static str,
    cloud: &'static str,
}

const EXISTS: &str = "an account already exists for this e-mail address";

/// In order: the first that applies is the answer's (`classify_answer`); an answer no rule
/// takes is `unexpected_response`. The cloud endpoint's messages choose its rules when its
/// answer carries no code.
const RULES: [Rule; 11] = [
    Rule {
        status: 409,
        code: None,
        says: None,
        issue: None,
        error: ErrorCode::AccountExists,
        account: EXISTS,
        cloud: EXISTS,
    },
    Rule {
        status: 400,
        code: Some(codes::ACCOUNT_EXISTS),
        says: Some(codes::TAKEN),
        issue: Some(IssueCode::Taken),
        error: ErrorCode::AccountExists,
        account: EXISTS,
        cloud: EXISTS,
    },
    Rule {
        status: 400,
        code: Some(codes::DISPOSABLE_EMAIL),
        says: None,
        issue: Some(IssueCode::Disposable),
        error: ErrorCode::DisposableEmail,
        account: DISPOSABLE,
        cloud: DISPOSABLE,
    },
    Rule {
        status: 400,
        code: Some(codes::DELIVERY_IPS_NOT_PUBLIC),
        says: Some(codes::DELIVERY_IPS_NOT_PUBLIC_MESSAGE),
        issue: None,
        error: ErrorCode::DeliveryIpsNotPublic,
        account: NOT_PUBLIC,
        cloud: NOT_PUBLIC,
    },
    Rule {
        status: 403,
        code: Some(codes::AGENT_REGISTRATION_DISABLED),
        says: Some(codes::CLOUD_REGISTRATION_DISABLED_MESSAGE),
        issue: None,
        error: ErrorCode::RegistrationDisabled,
        account: DISABLED,
        cloud: DISABLED,
    },
    Rule {
        status: 403,
        code: Some(codes::GEO_LOCATION_NOT_PERMITTED),
        says: Some(codes::CLOUD_LOCATION_MESSAGE),
        issue: None,
        error: ErrorCode::RegionBlocked,
        account: "the service does not accept sign-ups from this region",
        cloud: "the service does not accept this location (the caller's or a delivery IP's)",
    },
    Rule {
        status: 403,
        code: None,
        says: None,
        issue: None,
        error: ErrorCode::Blocked,
        account: BLOCKED,
        cloud: BLOCKED,
    },
    Rule {
        status: 420,
        code: Some(codes::GLOBAL_RATE_LIMIT_EXCEEDED),
        says: None,
        issue: None,
        error: ErrorCode::RateLimited,
        account: GLOBAL_LIMIT,
        cloud: GLOBAL_LIMIT,
    },
    Rule {
        status: 420,
        code: None,
        says: None,
        issue: None,
        error: ErrorCode::RateLimited,
        account: "too many account creation requests from this IP address",
        cloud: "too many cloud creation requests from this IP address",
    },
    Rule {
        status: 4,
        code: None,
        says: None,
        issue: None,
        error: ErrorCode::InvalidRequest,
        account: REJECTED,
        cloud: REJECTED,
    },
    Rule {
        status: 5,
        code: None,
        says: None,
        issue: None,
        error: ErrorCode::ServerError,
        account: FAILED,
        cloud: FAILED,
    },
];

const DISPOSABLE: &str =
    "the e-mail domain belongs to a disposable-mail provider; use a permanent address";
const NOT_PUBLIC: &str = "the request came from a private address (a VPN, proxy or gateway), so no delivery IP is public; delivery_ips cannot fix that: retry from a network with a public address";
const DISABLED: &str = "agent sign-up is switched off for now; do not retry soon";
const BLOCKED: &str = "the request was refused by the service's abuse controls";
const GLOBAL_LIMIT: &str = "too many creations across the service (a service-wide limit)";
const REJECTED: &str = "the server rejected the request";
const FAILED: &str = "the server failed";

/// [`classify_body`] for either creation. A well-formed account is `Ok` with nothing to
/// change; a well-formed cloud is `Ok` with the fields to set at its top level
/// (`cloud_shape::check_cloud`: none for the flat shape).
pub fn classify_answer<N: JsonNode>(
    kind: Creation,
    meta: &ResponseMeta,
    body: &Body<N>,
    now_ms: f64,
) -> Result<Vec<(&'static str, Lift<N>)>, AccountError> {
    let status = meta.status;
    let fail = |code: ErrorCode, message: String| answer_error(meta, code, message);
    if status == 0 || (300..400).contains(&status) {
        return Err(redirect_refused(meta));
    }
    let json = match body {
        Body::TooLarge(len) => return Err(body_too_large(meta, *len)),
        Body::Json(v) => Some(v),
        Body::NotJson { .. } => None,
    };
    if (200..300).contains(&status) {
        let Some(v) = json else {
            return Err(fail(
                ErrorCode::UnexpectedResponse,
                concat(&[
                    "the server answered HTTP ",
                    &decimal(status.into()),
                    " with a body that is not JSON",
                ]),
            ));
        };
        let checked = match kind {
            Creation::Account => check_account(v).map(|()| Vec::new()),
            Creation::Cloud => check_cloud(v),
        };
        return checked.map_err(|why| {
            let noun = kind.noun();
            fail(
                ErrorCode::UnexpectedResponse,
                concat(&[
                    "the server answered HTTP ",
                    &decimal(status.into()),
                    " but the ",
                    noun,
                    " is malformed: ",
                    &why,
                ]),
            )
        });
    }
    let detail = json.and_then(read_error_body);
    let server_message = detail.as_ref().and_then(|d| d.message.as_deref());
    let server_code = detail.as_ref().and_then(|d| d.code.as_deref());
    let has_issue = |code: IssueCode| {
        detail
            .as_ref()
            .is_some_and(|d| d.issues.iter().any(|i| i.code == code))
    };
    let says = |text: &str| server_message.is_some_and(|m| crate::text::contains(m, text));
    // The first rule whose status is this one and which the answer's `code`, message or an
    // issue chooses (a rule with none of the three: any answer of its status).
    let key = if is_rate_limit_status(status) {
        420
    } else {
        status
    };
    let rule = RULES.iter().find(|r| {
        (r.status == key || r.status == status / 100)
            && match (r.code, r.says, r.issue) {
                (None, None, None) => true,
                (code, text, issue) => {
                    (code.is_some() && server_code == code)
                        || text.is_some_and(says)
                        || issue.is_some_and(has_issue)
                }
            }
    });
    let (code, plain) = match rule {
        Some(r) => (
            r.error,
            match kind {
                Creation::Account => r.account,
                Creation::Cloud => r.cloud,
            },
        ),
        None => (
            ErrorCode::UnexpectedResponse,
            "the server gave an unexpected answer",
        ),
    };
    // What the server said, after `plain`: its message, or what its body was.
    let said: [&str; 2] = match (server_message, &detail, body) {
        (Some(""), _, _) | (None, Some(_), _) => ["", ""],
        (Some(m), _, _) => [": ", m],
        (None, None, Body::NotJson { empty: true }) => [" (empty body)", ""],
        (None, None, _) => [" (the body is not the documented JSON error)", ""],
    };
    let retry_after = meta
        .retry_after
        .as_deref()
        .and_then(|v| retry_after_ms(v, now_ms));
    let wait = match (code, retry_after) {
        (ErrorCode::RateLimited, Some(ms)) => ["; retry after ", &decimal(ms.div_ceil(1000)), " s"],
        _ => ["", "", ""],
    };
    let mut e = fail(
        code,
        concat(&[
            plain,
            said[0],
            said[1],
            " (HTTP ",
            &decimal(status.into()),
            ")",
            wait[0],
            wait[1],
            wait[2],
        ]),
    );
    e.retry_after_ms = retry_after;
    if code == ErrorCode::ServerError {
        // The server may have failed after creating the account (its answer is then lost).
        e.may_have_created_account = true;
        e.message.push_str(lost_answer(kind));
    }
    if let Some(d) = detail {
        e.category = d.category;
        e.server_code = d.code;
        e.issues = d.issues;
    }
    Err(e)
}

/// [`classify_body`] over raw bytes, parsed with serde_json; on success, the whole parsed
/// object (unknown fields kept).
///
/// ```
/// use cloudinary_agent_account::error::{classify, ErrorCode, ResponseMeta};
/// let meta = ResponseMeta { status: 409, ..Default::default() };
/// let err = classify(&meta, br#"{"error":{"message":"Email has already been taken"}}"#, 0.0)
///     .unwrap_err();
/// assert_eq!(err.code, ErrorCode::AccountExists);
/// ```
pub fn classify(meta: &ResponseMeta, bytes: &[u8], now_ms: f64) -> Result<Value, AccountError> {
    classify_as(Creation::Account, meta, bytes, now_ms)
}

/// [`classify`] for either creation; a cloud comes back with its seven fields at the top
/// level whichever shape it came in.
pub fn classify_as(
    kind: Creation,
    meta: &ResponseMeta,
    bytes: &[u8],
    now_ms: f64,
) -> Result<Value, AccountError> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(body_too_large(meta, bytes.len()));
    }
    let Ok(mut v) = serde_json::from_slice::<Value>(bytes) else {
        let body = Body::NotJson {
            empty: bytes.is_empty(),
        };
        return classify_answer::<&Value>(kind, meta, &body, now_ms).map(|_| Value::Null);
    };
    let lifts: Vec<(&str, Value)> = classify_answer(kind, meta, &Body::Json(&v), now_ms)?
        .into_iter()
        .map(|(key, lift)| match lift {
            Lift::From(found) => (key, found.clone()),
            Lift::Built(text) => (key, Value::String(text)),
        })
        .collect();
    if let Some(top) = v.as_object_mut() {
        for (key, value) in lifts {
            top.insert(key.to_owned(), value);
        }
    }
    Ok(v)
}
