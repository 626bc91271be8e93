//! The request and response bodies, exactly as they travel on the wire.
//!
//! Field names are snake_case because the server's are; the TypeScript declarations of the
//! npm package are generated from these types (via `tsify` on wasm32), so there is one
//! definition for Rust, the emulator and TypeScript.

use serde::{Deserialize, Serialize};

#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The JSON body of `POST /v1_1/provisioning/agents/accounts`.
///
/// Build one and check it with [`crate::validate::validate_request`], which also trims it.
///
/// ```
/// use cloudinary_agent_account::wire::AgentAccountRequest;
/// let req = AgentAccountRequest {
///     email: "jane@example.com".into(),
///     agent_framework: "langchain".into(),
///     agent_llm_model: "claude-opus-4-8".into(),
///     agent_goal: "Host product images".into(),
///     sdk_framework: None,
/// };
/// // An unset sdk_framework is left out of the body entirely.
/// assert!(!serde_json::to_string(&req).unwrap().contains("sdk_framework"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct AgentAccountRequest {
    /// E-mail address of the person who will own the account; the verification e-mail goes here.
    pub email: String,
    /// The framework or platform the agent runs on, e.g. `langchain`. 2-100 characters.
    pub agent_framework: String,
    /// The LLM model and version the agent uses, e.g. `claude-opus-4-8`. 2-100 characters.
    pub agent_llm_model: String,
    /// The reason to create the account. 2-300 characters.
    pub agent_goal: String,
    /// The SDK the agent plans to use, e.g. `python` or `nodejs`; tailors the guidance.
    /// 2-100 characters when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sdk_framework: Option<String>,
}

/// A successful answer: the new account, its product environment(s) and the guidance.
///
/// The client keeps any field the server adds beyond these (it hands the caller the whole
/// parsed object); this type names the fields it checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct AgentAccount {
    /// The account's external id.
    pub external_id: String,
    /// The account's e-mail address.
    pub email: String,
    /// The plan the account is on (`free`).
    pub plan_name: String,
    /// The product environments created with the account (one by default; never empty).
    pub product_environments: Vec<ProductEnvironment>,
    /// Markdown that guides the agent through e-mail verification and SDK set-up.
    /// Untrusted: render it with `renderGuidance`, never as raw HTML.
    pub guidance: String,
}

/// One product environment and its credentials.
///
/// `Debug` masks the secret and the URL that carries it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ProductEnvironment {
    /// The product environment's external id.
    pub external_id: String,
    /// Its cloud name.
    pub cloud_name: String,
    /// Its API key (public half of the credentials).
    pub api_key: String,
    /// Its API secret. Sensitive: store it in `.env`, never print it.
    pub api_secret: String,
    /// A whole `.env` line, `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD`. Sensitive.
    pub api_environment_variable: String,
}

impl std::fmt::Debug for ProductEnvironment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProductEnvironment")
            .field("external_id", &self.external_id)
            .field("cloud_name", &self.cloud_name)
            .field("api_key", &self.api_key)
            .field("api_secret", &"<redacted>")
            .field("api_environment_variable", &"<redacted>")
            .finish()
    }
}

/// The JSON body of `POST /v1_1/provisioning/clouds` (a Claimable Cloud). Every field is
/// optional and `{}` is a valid request; an unset field is left out of the body.
///
/// Check one with [`crate::validate::validate_cloud_request`], which also trims it.
///
/// ```
/// use cloudinary_agent_account::wire::CloudRequest;
/// assert_eq!(serde_json::to_string(&CloudRequest::default()).unwrap(), "{}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct CloudRequest {
    /// Up to 3 more addresses allowed to deliver media (IPv4 or IPv6 literals, no ranges);
    /// `"requester_ip"` stands for the caller's address, which the server always adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub delivery_ips: Option<Vec<String>>,
    /// Pre-fills the claim page; never verified, no mail is sent at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email: Option<String>,
    /// The framework or platform the agent runs on. 2-100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub agent_framework: Option<String>,
    /// The LLM model and version the agent uses. 2-100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub agent_llm_model: Option<String>,
    /// What the cloud is for. 2-300 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub agent_goal: Option<String>,
    /// The SDK the agent plans to use. 2-100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sdk_framework: Option<String>,
}

impl CloudRequest {
    /// The request as a JSON body: byte for byte what `serde_json::to_string` writes (the
    /// keys in the fields' order, an unset field left out, strings escaped as serde_json
    /// escapes them). Also an account request's body: checked, it is a `CloudRequest`
    /// without `delivery_ips` (`validate::validate_fields`), whose other fields are the
    /// account's, in the same order.
    ///
    /// Hand-written for the client wasm, which writes no other JSON: serde_json's writer
    /// cost it about 1 KB gzipped for this flat object (BENCHMARKS.md, "The request body
    /// written by hand").
    /// `tests/request_json.rs` compares the two on many generated requests.
    ///
    /// ```
    /// use cloudinary_agent_account::wire::CloudRequest;
    /// let req = CloudRequest {
    ///     delivery_ips: Some(vec!["203.0.113.7".into()]),
    ///     agent_goal: Some("Say \"hi\"".into()),
    ///     ..CloudRequest::default()
    /// };
    /// assert_eq!(req.to_json(), r#"{"delivery_ips":["203.0.113.7"],"agent_goal":"Say \"hi\""}"#);
    /// assert_eq!(req.to_json(), serde_json::to_string(&req).unwrap());
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        if let Some(ips) = &self.delivery_ips {
            out.push_str("\"delivery_ips\":[");
            for (i, ip) in ips.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_string(&mut out, ip);
            }
            out.push(']');
        }
        let mut text = |key: &str, value: &Option<String>| {
            if let Some(value) = value {
                if out.len() > 1 {
                    out.push(',');
                }
                push_json_string(&mut out, key);
                out.push(':');
                push_json_string(&mut out, value);
            }
        };
        text("email", &self.email);
        text("agent_framework", &self.agent_framework);
        text("agent_llm_model", &self.agent_llm_model);
        text("agent_goal", &self.agent_goal);
        text("sdk_framework", &self.sdk_framework);
        out.push('}');
        out
    }
}

/// Issues as a JSON array of `{"field","code","message"}`: byte for byte what
/// `serde_json::to_string` writes. What the rules wasm answers an invalid request with
/// (`packed::validate_packed`); hand-written, as [`CloudRequest::to_json`], so that wasm
/// holds no serde_json writer (BENCHMARKS.md, "The request body written by hand").
/// `tests/request_json.rs` compares the two.
pub fn issues_json(issues: &[crate::issue::ValidationIssue]) -> String {
    let mut out = String::from("[");
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"field\":");
        push_json_string(&mut out, &issue.field);
        out.push_str(",\"code\":");
        push_json_string(&mut out, issue.code.as_str());
        out.push_str(",\"message\":");
        push_json_string(&mut out, &issue.message);
        out.push('}');
    }
    out.push(']');
    out
}

/// Appends `s` as a JSON string (RFC 8259), escaped as serde_json's compact writer escapes
/// it: `"` and `\` with a backslash, U+0008, U+0009, U+000A, U+000C and U+000D by their short
/// escapes, the other controls below U+0020 as `\u00xx` (lower-case hex), everything else as
/// it is.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => '"',
            b'\\' => '\\',
            0x08 => 'b',
            0x09 => 't',
            0x0A => 'n',
            0x0C => 'f',
            0x0D => 'r',
            0..=0x1F => 'u',
            _ => continue,
        };
        // `i` is at an ASCII byte, so a character boundary: `get` never fails here.
        out.push_str(s.get(start..i).unwrap_or_default());
        out.push('\\');
        out.push(short);
        if short == 'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// A successful cloud answer, in the flat shape Cloudinary's CLI tests show (what
/// `createCloud` resolves to: `cloud_shape` lifts the older shape's fields to this one). Its credentials
/// work at once; media delivery is locked to `delivery_ips` until a person claims it at
/// `claim_url`, and unclaimed it is disabled at `expires_at`.
///
/// `Debug` masks the secret, the URL that carries it and the claim URL (its token is the
/// only way to keep the cloud).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ClaimableCloud {
    /// The account's id. (Optional in the TypeScript type: the older shape may lack it, and
    /// `createCloud` guarantees only the seven fields every shape has.)
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub account_id: String,
    /// The e-mail the claim page is pre-filled with (a placeholder when none was given).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email: String,
    /// The cloud name.
    pub cloud_name: String,
    /// The API key.
    pub api_key: String,
    /// The API secret. Sensitive.
    pub api_secret: String,
    /// A whole `.env` line, `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD`. Sensitive.
    pub api_environment_variable: String,
    /// Whether a person has claimed it (`false` in a creation's answer).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub claimed: bool,
    /// When it is disabled unless claimed: ISO 8601 UTC, e.g. `2026-08-19T16:13:09Z`.
    pub expires_at: String,
    /// The addresses media may be delivered to, as the server resolved them.
    pub delivery_ips: Vec<String>,
    /// The page where a person claims the cloud; returned once. Sensitive.
    pub claim_url: String,
    /// Markdown on the cloud's limits and what to do next. Untrusted.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub guidance: String,
}

impl std::fmt::Debug for ClaimableCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimableCloud")
            .field("account_id", &self.account_id)
            .field("email", &self.email)
            .field("cloud_name", &self.cloud_name)
            .field("api_key", &self.api_key)
            .field("api_secret", &"<redacted>")
            .field("api_environment_variable", &"<redacted>")
            .field("claimed", &self.claimed)
            .field("expires_at", &self.expires_at)
            .field("delivery_ips", &self.delivery_ips)
            .field("claim_url", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Most entries `delivery_ips` may hold (the caller's own address is added on top).
pub const MAX_DELIVERY_IPS: usize = 3;

/// The `delivery_ips` entry that stands for the caller's own address.
pub const REQUESTER_IP: &str = "requester_ip";

/// The body of every error answer: `{"error": {...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error itself.
    pub error: ErrorDetail,
}

/// The inside of an error answer. `message` is always there; `category` and `code` usually.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Broad class, e.g. `invalid_parameter` or `rate_limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Machine-readable code, e.g. `account_exists` or `ip_rate_limit_exceeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Human-readable message.
    pub message: String,
    /// Per-field problems, when the server (the emulator) reports several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<crate::issue::ValidationIssue>,
}

/// Server error codes and messages the client recognises; the emulator answers with these.
pub mod codes {
    /// `error.code` of a 400 for an address that already has an account.
    pub const ACCOUNT_EXISTS: &str = "account_exists";
    /// `error.code` of a 400 for a disposable-mail domain.
    pub const DISPOSABLE_EMAIL: &str = "disposable_email";
    /// Rails' uniqueness message: a duplicate address even without a code (the CLI checks it).
    pub const TAKEN: &str = "has already been taken";
    /// `error.code` of a 403 while agent sign-up is switched off.
    pub const AGENT_REGISTRATION_DISABLED: &str = "agent_registration_disabled";
    /// `error.code` of a 403 for a request from a region that is not served.
    pub const GEO_LOCATION_NOT_PERMITTED: &str = "geo_location_not_permitted";
    /// `error.code` of the per-IP 429.
    pub const IP_RATE_LIMIT_EXCEEDED: &str = "ip_rate_limit_exceeded";
    /// `error.category` of the validation and duplicate 400s and of the 403s.
    pub const CATEGORY_USER_ERROR: &str = "user_error";
    /// `error.category` of the 429.
    pub const CATEGORY_RATE_LIMIT: &str = "rate_limit";
    /// `error.message` of the generic 403 (deliberately says nothing).
    pub const INVALID_REQUEST_MESSAGE: &str = "Invalid request";
    /// `error.message` of the 429.
    pub const RATE_LIMIT_MESSAGE: &str = "Rate limit exceeded";
    /// `error.code` of the cloud endpoint's 400 when `delivery_ips` is required (seen in
    /// Cloudinary's clients; the emulator never requires it).
    pub const DELIVERY_IPS_REQUIRED: &str = "delivery_ips_required";
    /// `error.code` of the cloud endpoint's 400 for more than 3 `delivery_ips`.
    pub const DELIVERY_IPS_TOO_MANY: &str = "delivery_ips_too_many";
    /// `error.message` of that 400.
    pub const DELIVERY_IPS_TOO_MANY_MESSAGE: &str = "At most 3 delivery_ips are allowed";
    /// `error.code` of the cloud endpoint's 400 for an entry that is not an address.
    pub const DELIVERY_IPS_INVALID: &str = "delivery_ips_invalid";
    /// How that 400's `error.message` starts; the entry as sent follows
    /// (`Invalid delivery IP: not-an-ip`).
    pub const DELIVERY_IPS_INVALID_PREFIX: &str = "Invalid delivery IP: ";
    /// `error.code` of the cloud endpoint's 400 when no public address is left (the request
    /// reached Cloudinary from a private address: a VPN or a gateway).
    pub const DELIVERY_IPS_NOT_PUBLIC: &str = "delivery_ips_not_public";
    /// `error.message` of that 400.
    pub const DELIVERY_IPS_NOT_PUBLIC_MESSAGE: &str =
        "delivery_ips must contain at least one public IP address";
    /// `error.code` of a service-wide 429 (seen in Cloudinary's clients for the cloud endpoint).
    pub const GLOBAL_RATE_LIMIT_EXCEEDED: &str = "global_rate_limit_exceeded";
    /// `error.message` of the cloud endpoint's `agent_registration_disabled` 403.
    pub const CLOUD_REGISTRATION_DISABLED_MESSAGE: &str =
        "Agent account registration is currently unavailable";
    /// `error.message` of the cloud endpoint's `geo_location_not_permitted` 403.
    pub const CLOUD_LOCATION_MESSAGE: &str = "Location not permitted";
}

/// Response headers the client reads and the emulator writes (lower case, as `fetch` and
/// HTTP/2 name them).
pub mod headers {
    /// The answer's id, to quote to support.
    pub const REQUEST_ID: &str = "x-request-id";
    /// Seconds or an HTTP date to wait after a 420/429.
    pub const RETRY_AFTER: &str = "retry-after";
    /// Requests allowed in the window.
    pub const RATE_LIMIT_LIMIT: &str = "x-featureratelimit-limit";
    /// Requests left in the window.
    pub const RATE_LIMIT_REMAINING: &str = "x-featureratelimit-remaining";
    /// When the window resets (an HTTP date).
    pub const RATE_LIMIT_RESET: &str = "x-featureratelimit-reset";
    /// All of them: what CORS must expose for a browser client to read them.
    pub const ALL: [&str; 5] = [
        REQUEST_ID,
        RETRY_AFTER,
        RATE_LIMIT_LIMIT,
        RATE_LIMIT_REMAINING,
        RATE_LIMIT_RESET,
    ];
}

/// The path of the endpoint, appended to a base URL such as `https://api.cloudinary.com`.
pub const ENDPOINT_PATH: &str = "/v1_1/provisioning/agents/accounts";

/// The path of the Claimable Cloud endpoint, appended to a base URL.
pub const CLOUD_ENDPOINT_PATH: &str = "/v1_1/provisioning/clouds";

/// The default base URL of the real service.
pub const DEFAULT_BASE_URL: &str = "https://api.cloudinary.com";
