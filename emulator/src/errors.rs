//! Every error answer the emulator gives, and its JSON form
//! `{"error":{"category":...,"code":...,"message":...}}` (the core crate's `ErrorBody`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudinary_agent_account::validate::{summarize, ValidationIssue};
use cloudinary_agent_account::wire::{codes, ErrorBody, ErrorDetail};

/// The largest request body accepted by the account endpoint.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// An error answer. `Display` is the message sent; none of them carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request broke the shared validation rules.
    #[error("{}", summarize(.0))]
    Validation(Vec<ValidationIssue>),
    /// The body is not JSON.
    #[error("the request body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The body is not declared as JSON.
    #[error("Content-Type must be application/json, got {0}")]
    ContentType(String),
    /// The body exceeds [`MAX_BODY_BYTES`].
    #[error("the request body is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// The body could not be read.
    #[error("the request body could not be read")]
    BodyRead,
    /// The e-mail domain is a disposable-mail provider.
    #[error("Email belongs to a disposable e-mail provider; use a permanent address")]
    DisposableEmail,
    /// An account already exists for the address (Rails' uniqueness message, which the CLI
    /// recognises).
    #[error("Email {}", codes::TAKEN)]
    AccountExists,
    /// Abuse controls (deny rules or the daily cap). Deliberately generic.
    #[error("Request blocked")]
    Blocked,
    /// Too many requests from the client IP (headers are added by the handler).
    #[error("Rate limit exceeded")]
    RateLimited,
    /// No such route.
    #[error("Not found")]
    NotFound,
    /// The route exists but not with this method.
    #[error("Method not allowed")]
    MethodNotAllowed,
    /// Wrong or missing API credentials.
    #[error("Invalid credentials")]
    BadCredentials,
    /// Right credentials, e-mail not verified yet.
    #[error("E-mail verification is pending: the account owner must open the verification e-mail and set a password before these credentials work")]
    VerificationPending,
    /// The account was disabled (not verified within 24 hours).
    #[error(
        "The account is disabled: its e-mail address was not verified within 24 hours of creation"
    )]
    AccountDisabled,
    /// A test-control request is wrong.
    #[error("{0}")]
    BadControl(String),
    /// Something failed inside the emulator; details go to the log only.
    #[error("Internal server error")]
    Internal,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson(_)
            | ApiError::ContentType(_)
            | ApiError::BodyRead
            | ApiError::DisposableEmail
            | ApiError::AccountExists
            | ApiError::BadControl(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Blocked | ApiError::AccountDisabled => StatusCode::FORBIDDEN,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BadCredentials | ApiError::VerificationPending => StatusCode::UNAUTHORIZED,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// `error.category`.
    pub fn category(&self) -> &'static str {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson(_)
            | ApiError::ContentType(_)
            | ApiError::TooLarge
            | ApiError::BodyRead
            | ApiError::DisposableEmail
            | ApiError::AccountExists
            | ApiError::BadControl(_) => "invalid_parameter",
            ApiError::Blocked | ApiError::AccountDisabled => "forbidden",
            ApiError::RateLimited => "rate_limit",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::BadCredentials | ApiError::VerificationPending => "authentication",
            ApiError::Internal => "server_error",
        }
    }

    /// `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(issues) => issues
                .first()
                .map(|i| i.code.as_str())
                .unwrap_or("invalid_parameter"),
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::ContentType(_) => "invalid_content_type",
            ApiError::TooLarge => "payload_too_large",
            ApiError::BodyRead => "invalid_body",
            ApiError::DisposableEmail => codes::DISPOSABLE_EMAIL,
            ApiError::AccountExists => codes::ACCOUNT_EXISTS,
            ApiError::Blocked => "blocked",
            ApiError::RateLimited => "ip_rate_limit_exceeded",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::BadCredentials => "invalid_credentials",
            ApiError::VerificationPending => "verification_pending",
            ApiError::AccountDisabled => "account_disabled",
            ApiError::BadControl(_) => "invalid_control",
            ApiError::Internal => "internal_error",
        }
    }

    /// The body.
    pub fn body(&self) -> ErrorBody {
        let issues = match self {
            ApiError::Validation(issues) => issues.clone(),
            _ => Vec::new(),
        };
        ErrorBody {
            error: ErrorDetail {
                category: Some(self.category().to_owned()),
                code: Some(self.code().to_owned()),
                message: self.to_string(),
                issues,
            },
        }
    }
}

/// The `Content-Type` of every JSON answer.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A JSON answer from bytes already serialised.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    res
}

/// Serialises a value as a JSON answer.
pub fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_response(status, body),
        Err(e) => {
            tracing::error!("serialising an answer failed: {e}");
            ApiError::Internal.into_response()
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        // Serialising ErrorBody (strings only) cannot fail; fall back to a fixed body anyway.
        let body = serde_json::to_vec(&self.body()).unwrap_or_else(|_| {
            br#"{"error":{"category":"server_error","code":"internal_error","message":"Internal server error"}}"#.to_vec()
        });
        json_response(status, body)
    }
}
