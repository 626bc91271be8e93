//! Every error answer the emulator gives, and its JSON form
//! `{"error":{"category":...,"code":...,"message":...}}` (the core crate's `ErrorBody`).
//!
//! By default the account endpoint answers as Cloudinary's does: a validation or duplicate
//! 400 is `{"error":{"category":"user_error","message":"<Rails errors hash>"}}`, with no
//! `code` (the message is the errors hash serialised as a string,
//! `{"email":["has already been taken"]}`, see `cloudinary_agent_account::rails`); the 403s
//! carry `agent_registration_disabled`, `geo_location_not_permitted` or nothing but
//! `Invalid request`; the 429 carries `ip_rate_limit_exceeded`. With `--extended-errors`
//! every error also carries the emulator's own `code` and, for validation, the `issues`
//! list: an emulator extension the real service does not send.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cloudinary_agent_account::rails;
use cloudinary_agent_account::validate::{Field, IssueCode, ValidationIssue};
use cloudinary_agent_account::wire::{codes, ErrorBody, ErrorDetail};

use crate::http::json_response;
use crate::store::StoreError;

/// The largest request body accepted by the account endpoint.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// An error answer. None of them carries a secret or echoes a value the client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request broke the shared validation rules.
    Validation(Vec<ValidationIssue>),
    /// The body is not JSON (or not UTF-8).
    InvalidJson,
    /// The body is not declared as JSON.
    ContentType,
    /// The body exceeds [`MAX_BODY_BYTES`].
    TooLarge,
    /// The body could not be read.
    BodyRead,
    /// The e-mail domain is a disposable-mail provider.
    DisposableEmail,
    /// An account already exists for the address.
    AccountExists,
    /// Agent sign-up is switched off (`--registration-disabled`, or the test control).
    RegistrationDisabled,
    /// The client address is in a `region` deny rule.
    RegionBlocked,
    /// Any other deny rule. Deliberately generic.
    Blocked,
    /// Too many requests from the client IP (headers are added by the handler).
    RateLimited,
    /// No such route.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// Wrong or missing API credentials.
    BadCredentials,
    /// Right credentials, e-mail not verified yet.
    VerificationPending,
    /// The account was disabled (not verified within 24 hours).
    AccountDisabled,
    /// A test control, the outbox or the verification form was used from another origin.
    CrossOrigin,
    /// A test-control request is wrong.
    BadControl(String),
    /// Something failed inside the emulator; details go to the log only.
    Internal,
    /// A cloud request with more than 3 `delivery_ips`.
    DeliveryIpsTooMany,
    /// A `delivery_ips` entry that is not an address (the entry as sent, cut short; the real
    /// service quotes it too).
    DeliveryIpInvalid(String),
    /// No public address left in `delivery_ips` once private ones are dropped.
    DeliveryIpsNotPublic,
    /// Cloud provisioning switched off (the same switch as agent sign-up; its own message).
    CloudRegistrationDisabled,
    /// The caller or a delivery IP is in a `region` deny rule (the cloud endpoint's message).
    CloudRegionBlocked,
    /// Right credentials of a cloud that expired unclaimed: disabled.
    CloudDisabled,
}

/// `error.category` of the emulator's own errors (not the account endpoint's).
mod category {
    pub const NOT_FOUND: &str = "not_found";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    pub const AUTHENTICATION: &str = "authentication";
    pub const FORBIDDEN: &str = "forbidden";
    pub const INVALID_PARAMETER: &str = "invalid_parameter";
    pub const SERVER_ERROR: &str = "server_error";
}

fn issue(field: &str, code: IssueCode, message: &str) -> ValidationIssue {
    ValidationIssue {
        field: field.to_owned(),
        code,
        message: message.to_owned(),
    }
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson
            | ApiError::ContentType
            | ApiError::BodyRead
            | ApiError::DisposableEmail
            | ApiError::AccountExists
            | ApiError::BadControl(_)
            | ApiError::DeliveryIpsTooMany
            | ApiError::DeliveryIpInvalid(_)
            | ApiError::DeliveryIpsNotPublic => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RegistrationDisabled
            | ApiError::RegionBlocked
            | ApiError::Blocked
            | ApiError::AccountDisabled
            | ApiError::CrossOrigin
            | ApiError::CloudRegistrationDisabled
            | ApiError::CloudRegionBlocked => StatusCode::FORBIDDEN,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BadCredentials | ApiError::VerificationPending | ApiError::CloudDisabled => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// `error.category`.
    pub fn category(&self) -> &'static str {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson
            | ApiError::ContentType
            | ApiError::TooLarge
            | ApiError::BodyRead
            | ApiError::DisposableEmail
            | ApiError::AccountExists
            | ApiError::RegistrationDisabled
            | ApiError::RegionBlocked
            | ApiError::Blocked
            | ApiError::DeliveryIpsTooMany
            | ApiError::DeliveryIpInvalid(_)
            | ApiError::DeliveryIpsNotPublic
            | ApiError::CloudRegistrationDisabled
            | ApiError::CloudRegionBlocked => codes::CATEGORY_USER_ERROR,
            ApiError::RateLimited => codes::CATEGORY_RATE_LIMIT,
            ApiError::NotFound => category::NOT_FOUND,
            ApiError::MethodNotAllowed => category::METHOD_NOT_ALLOWED,
            ApiError::BadCredentials | ApiError::VerificationPending | ApiError::CloudDisabled => {
                category::AUTHENTICATION
            }
            ApiError::AccountDisabled | ApiError::CrossOrigin => category::FORBIDDEN,
            ApiError::BadControl(_) => category::INVALID_PARAMETER,
            ApiError::Internal => category::SERVER_ERROR,
        }
    }

    /// `error.code` as the real service sends it: none on the validation and duplicate 400s,
    /// the generic 403 and 5xx.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson
            | ApiError::ContentType
            | ApiError::TooLarge
            | ApiError::BodyRead
            | ApiError::DisposableEmail
            | ApiError::AccountExists
            | ApiError::Blocked
            | ApiError::Internal => None,
            _ => Some(self.extended_code()),
        }
    }

    /// The emulator's own code for every error (sent with `--extended-errors`).
    pub fn extended_code(&self) -> &'static str {
        match self {
            ApiError::Validation(issues) => issues
                .first()
                .map(|i| i.code.as_str())
                .unwrap_or("invalid_parameter"),
            ApiError::InvalidJson => "invalid_json",
            ApiError::ContentType => "invalid_content_type",
            ApiError::TooLarge => "payload_too_large",
            ApiError::BodyRead => "invalid_body",
            ApiError::DisposableEmail => codes::DISPOSABLE_EMAIL,
            ApiError::AccountExists => codes::ACCOUNT_EXISTS,
            ApiError::RegistrationDisabled => codes::AGENT_REGISTRATION_DISABLED,
            ApiError::RegionBlocked => codes::GEO_LOCATION_NOT_PERMITTED,
            ApiError::Blocked => "blocked",
            ApiError::RateLimited => codes::IP_RATE_LIMIT_EXCEEDED,
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::BadCredentials => "invalid_credentials",
            ApiError::VerificationPending => "verification_pending",
            ApiError::AccountDisabled => "account_disabled",
            ApiError::CrossOrigin => "cross_origin",
            ApiError::BadControl(_) => "invalid_control",
            ApiError::Internal => "internal_error",
            ApiError::DeliveryIpsTooMany => codes::DELIVERY_IPS_TOO_MANY,
            ApiError::DeliveryIpInvalid(_) => codes::DELIVERY_IPS_INVALID,
            ApiError::DeliveryIpsNotPublic => codes::DELIVERY_IPS_NOT_PUBLIC,
            ApiError::CloudRegistrationDisabled => codes::AGENT_REGISTRATION_DISABLED,
            ApiError::CloudRegionBlocked => codes::GEO_LOCATION_NOT_PERMITTED,
            ApiError::CloudDisabled => "cloud_disabled",
        }
    }

    /// The problems a 400 of the account endpoint reports, by field (what its errors hash
    /// holds); empty for other errors.
    pub fn issues(&self) -> Vec<ValidationIssue> {
        let email = Field::Email.name();
        match self {
            ApiError::Validation(issues) => issues.clone(),
            ApiError::InvalidJson => vec![issue(rails::BASE, IssueCode::Other, rails::NOT_JSON)],
            ApiError::ContentType => vec![issue(
                rails::BASE,
                IssueCode::Other,
                "content type must be application/json",
            )],
            ApiError::BodyRead => vec![issue(rails::BASE, IssueCode::Other, "could not be read")],
            ApiError::DisposableEmail => {
                vec![issue(email, IssueCode::Disposable, rails::DISPOSABLE)]
            }
            ApiError::AccountExists => vec![issue(email, IssueCode::Taken, codes::TAKEN)],
            _ => Vec::new(),
        }
    }

    /// `error.message`.
    pub fn message(&self) -> String {
        let issues = self.issues();
        if !issues.is_empty() {
            return rails::errors_hash(&issues);
        }
        match self {
            ApiError::TooLarge => {
                format!("Request body is too large (maximum is {MAX_BODY_BYTES} bytes)")
            }
            ApiError::RegistrationDisabled => "Agent registration is temporarily disabled".into(),
            ApiError::RegionBlocked => "Requests from your location are not permitted".into(),
            ApiError::Blocked => codes::INVALID_REQUEST_MESSAGE.into(),
            ApiError::RateLimited => codes::RATE_LIMIT_MESSAGE.into(),
            ApiError::NotFound => "Not found".into(),
            ApiError::MethodNotAllowed => "Method not allowed".into(),
            ApiError::BadCredentials => "Invalid credentials".into(),
            ApiError::VerificationPending => "E-mail verification is pending: the account owner must open the verification e-mail and set a password before these credentials work".into(),
            ApiError::AccountDisabled => "The account is disabled: its e-mail address was not verified within 24 hours of creation".into(),
            ApiError::CrossOrigin => "This route of the emulator refuses requests from other origins".into(),
            ApiError::BadControl(m) => m.clone(),
            ApiError::DeliveryIpsTooMany => codes::DELIVERY_IPS_TOO_MANY_MESSAGE.into(),
            ApiError::DeliveryIpInvalid(entry) => {
                format!("{}{entry}", codes::DELIVERY_IPS_INVALID_PREFIX)
            }
            ApiError::DeliveryIpsNotPublic => codes::DELIVERY_IPS_NOT_PUBLIC_MESSAGE.into(),
            ApiError::CloudRegistrationDisabled => {
                codes::CLOUD_REGISTRATION_DISABLED_MESSAGE.into()
            }
            ApiError::CloudRegionBlocked => codes::CLOUD_LOCATION_MESSAGE.into(),
            ApiError::CloudDisabled => "The cloud is disabled: it was not claimed before it expired".into(),
            _ => "Internal server error".into(),
        }
    }

    /// The body: as the real service sends it, or with the emulator's `code` and `issues`
    /// when `extended`.
    pub fn body(&self, extended: bool) -> ErrorBody {
        let (code, issues) = if extended {
            let issues = match self {
                ApiError::Validation(issues) => issues.clone(),
                _ => Vec::new(),
            };
            (Some(self.extended_code().to_owned()), issues)
        } else {
            (self.code().map(str::to_owned), Vec::new())
        };
        ErrorBody {
            error: ErrorDetail {
                category: Some(self.category().to_owned()),
                code,
                message: self.message(),
                issues,
            },
        }
    }

    /// The answer, extended or not.
    pub fn response(&self, extended: bool) -> Response {
        // Serialising ErrorBody (strings only) cannot fail; fall back to a fixed body anyway.
        let body = serde_json::to_vec(&self.body(extended)).unwrap_or_else(|_| {
            br#"{"error":{"category":"server_error","message":"Internal server error"}}"#.to_vec()
        });
        json_response(self.status(), body)
    }

    /// One error of each kind, with the operations (`operationId` in `openapi.json`) that
    /// can answer it; the OpenAPI test holds the document to this list.
    pub fn documented() -> Vec<(ApiError, &'static [&'static str])> {
        const ACCOUNT: &[&str] = &["createAgentAccount"];
        const BOTH: &[&str] = &["createAgentAccount", "createCloud"];
        const CLOUD: &[&str] = &["createCloud"];
        let every = vec![
            (
                ApiError::Validation(vec![issue("email", IssueCode::Missing, "")]),
                BOTH,
            ),
            (ApiError::InvalidJson, BOTH),
            (ApiError::ContentType, BOTH),
            (ApiError::TooLarge, BOTH),
            (ApiError::BodyRead, BOTH),
            (ApiError::DisposableEmail, BOTH),
            (ApiError::AccountExists, BOTH),
            (ApiError::RegistrationDisabled, ACCOUNT),
            (ApiError::RegionBlocked, ACCOUNT),
            (ApiError::Blocked, ACCOUNT),
            (ApiError::RateLimited, BOTH),
            (ApiError::NotFound, &[]),
            (ApiError::MethodNotAllowed, &[]),
            (ApiError::BadCredentials, &["ping"]),
            (ApiError::VerificationPending, &["ping"]),
            (ApiError::AccountDisabled, &["ping"]),
            (
                ApiError::CrossOrigin,
                &[
                    "listOutbox",
                    "setPassword",
                    "submitClaim",
                    "confirmClaim",
                    "getClock",
                    "advanceClock",
                    "injectFault",
                    "clearFaults",
                    "setRegistration",
                ],
            ),
            (
                ApiError::BadControl(String::new()),
                &[
                    "listOutbox",
                    "advanceClock",
                    "injectFault",
                    "setRegistration",
                ],
            ),
            (ApiError::Internal, BOTH),
            (ApiError::DeliveryIpsTooMany, CLOUD),
            (ApiError::DeliveryIpInvalid("not-an-ip".into()), CLOUD),
            (ApiError::DeliveryIpsNotPublic, CLOUD),
            (ApiError::CloudRegistrationDisabled, CLOUD),
            (ApiError::CloudRegionBlocked, CLOUD),
            (ApiError::CloudDisabled, &["ping"]),
        ];
        // Exhaustive: a new variant fails to compile here until it is listed above too.
        for (e, _) in &every {
            match e {
                ApiError::Validation(_)
                | ApiError::InvalidJson
                | ApiError::ContentType
                | ApiError::TooLarge
                | ApiError::BodyRead
                | ApiError::DisposableEmail
                | ApiError::AccountExists
                | ApiError::RegistrationDisabled
                | ApiError::RegionBlocked
                | ApiError::Blocked
                | ApiError::RateLimited
                | ApiError::NotFound
                | ApiError::MethodNotAllowed
                | ApiError::BadCredentials
                | ApiError::VerificationPending
                | ApiError::AccountDisabled
                | ApiError::CrossOrigin
                | ApiError::BadControl(_)
                | ApiError::Internal
                | ApiError::DeliveryIpsTooMany
                | ApiError::DeliveryIpInvalid(_)
                | ApiError::DeliveryIpsNotPublic
                | ApiError::CloudRegistrationDisabled
                | ApiError::CloudRegionBlocked
                | ApiError::CloudDisabled => {}
            }
        }
        every
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.response(false)
    }
}

impl From<StoreError> for ApiError {
    /// A database failure: logged here, once, and answered with a bare 500.
    fn from(e: StoreError) -> Self {
        tracing::error!("database failure: {e}");
        ApiError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bodies_are_the_real_services() {
        let dup = serde_json::to_value(ApiError::AccountExists.body(false)).unwrap();
        assert_eq!(
            dup,
            serde_json::json!({"error": {"category": "user_error", "message": "{\"email\":[\"has already been taken\"]}"}})
        );
        let blocked = serde_json::to_value(ApiError::Blocked.body(false)).unwrap();
        assert_eq!(
            blocked,
            serde_json::json!({"error": {"category": "user_error", "message": "Invalid request"}})
        );
        let geo = serde_json::to_value(ApiError::RegionBlocked.body(false)).unwrap();
        assert_eq!(geo["error"]["code"], "geo_location_not_permitted");
        let json = serde_json::to_value(ApiError::InvalidJson.body(false)).unwrap();
        assert_eq!(
            json["error"]["message"],
            "{\"base\":[\"is not valid JSON\"]}"
        );
    }

    #[test]
    fn extended_bodies_add_code_and_issues() {
        let i = issue("agent_goal", IssueCode::TooLong, "agent_goal is too long");
        let v = serde_json::to_value(ApiError::Validation(vec![i.clone()]).body(true)).unwrap();
        assert_eq!(v["error"]["code"], "too_long");
        assert_eq!(
            v["error"]["message"],
            "{\"agent_goal\":[\"is too long (maximum is 300 characters)\"]}"
        );
        assert_eq!(v["error"]["issues"][0]["field"], "agent_goal");
    }
}
