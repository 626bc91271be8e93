//! `POST /v1_1/provisioning/agents/accounts`: account creation.
//!
//! Order of the checks, each answering at the first failure:
//! 1. an injected fault (test controls), which replaces the answer without counting;
//! 2. the per-IP rate limit (429): every request to this endpoint counts, valid or not, the
//!    way an edge rate limiter in front of the real application counts requests before the
//!    application reads them;
//! 3. body size (413), content type, JSON syntax and shape, then the shared validation (400);
//! 4. the deny rules (403);
//! 5. disposable e-mail domains (400 `disposable_email`);
//! 6. in the database, in one step: the daily cap per IP (403) and the unique e-mail
//!    (400 `account_exists`), then the insert.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudinary_agent_account::dates::format_http_date;
use cloudinary_agent_account::validate::{validate_json, UnknownKeys};
use cloudinary_agent_account::wire::{
    headers, AgentAccount, AgentAccountRequest, ProductEnvironment,
};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::app::AppState;
use crate::clock::iso8601;
use crate::credentials::{self, ApiSecret};
use crate::errors::{json_response, ApiError, MAX_BODY_BYTES};
use crate::faults::{Fault, Replacement};
use crate::guidance::{self, GuidanceInput};
use crate::limits::{client_ip, RateDecision, DAILY_WINDOW_MS};
use crate::mail::{self, VERIFY_WINDOW_MS};
use crate::store::{CreateOutcome, NewAccount};

/// The handler.
pub async fn create(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let fault = if state.test_controls {
        state.faults.take()
    } else {
        None
    };
    if let Some(delay) = fault.as_ref().and_then(|f| f.delay) {
        tokio::time::sleep(delay).await;
    }
    if let Some(Fault {
        replace: Some(replacement),
        headers: extra,
        ..
    }) = &fault
    {
        return injected(replacement, extra);
    }
    let ip = client_ip(peer, &headers, state.trust_forwarded_for);
    let decision = state.limiter.check(ip);
    let mut res = match decision {
        RateDecision::Limited { .. } => {
            tracing::debug!(%ip, "rate limited");
            ApiError::RateLimited.into_response()
        }
        RateDecision::Unlimited | RateDecision::Allowed { .. } => {
            let suffix = fault.as_ref().and_then(|f| f.guidance_suffix.as_deref());
            match handle(&state, ip, &headers, body, suffix).await {
                Ok(res) => res,
                Err(e) => e.into_response(),
            }
        }
    };
    rate_headers(res.headers_mut(), decision);
    if let Some(f) = &fault {
        for (name, value) in &f.headers {
            res.headers_mut().insert(name.clone(), value.clone());
        }
    }
    res
}

/// The answer a fault injects.
fn injected(r: &Replacement, extra: &[(header::HeaderName, HeaderValue)]) -> Response {
    let mut res = (r.status, r.body.clone()).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, r.content_type.clone());
    for (name, value) in extra {
        res.headers_mut().insert(name.clone(), value.clone());
    }
    res
}

/// `X-FeatureRateLimit-*` on every answer the limiter saw, and `Retry-After` on a 429.
fn rate_headers(h: &mut HeaderMap, decision: RateDecision) {
    let (limit, remaining, reset, retry) = match decision {
        RateDecision::Unlimited => return,
        RateDecision::Allowed {
            limit,
            remaining,
            reset_unix,
        } => (limit, remaining, reset_unix, None),
        RateDecision::Limited {
            limit,
            retry_after_secs,
            reset_unix,
        } => (limit, 0, reset_unix, Some(retry_after_secs)),
    };
    h.insert(headers::RATE_LIMIT_LIMIT, HeaderValue::from(limit));
    h.insert(headers::RATE_LIMIT_REMAINING, HeaderValue::from(remaining));
    if let Ok(v) = HeaderValue::from_str(&format_http_date(reset)) {
        h.insert(headers::RATE_LIMIT_RESET, v);
    }
    if let Some(secs) = retry {
        h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}

/// Whether a `Content-Type` value is JSON (`application/json`, any parameters, any case).
fn is_json_content_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<bytes::Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(ApiError::TooLarge);
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(ApiError::TooLarge),
        Err(_) => Err(ApiError::BodyRead),
    }
}

async fn handle(
    state: &AppState,
    ip: IpAddr,
    headers: &HeaderMap,
    body: Body,
    guidance_suffix: Option<&str>,
) -> Result<Response, ApiError> {
    let bytes = read_body(headers, body).await?;
    match headers.get(header::CONTENT_TYPE) {
        Some(v) if v.to_str().is_ok_and(is_json_content_type) => {}
        Some(v) => {
            let shown: String = String::from_utf8_lossy(v.as_bytes())
                .chars()
                .take(100)
                .collect();
            return Err(ApiError::ContentType(format!("`{shown}`")));
        }
        None => return Err(ApiError::ContentType("no Content-Type header".into())),
    }
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    let req = validate_json(&value, UnknownKeys::Ignore).map_err(ApiError::Validation)?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    if state.deny.blocks_ip(ip) || state.deny.blocks_request(&req, user_agent) {
        tracing::info!(%ip, "request blocked by a deny rule");
        return Err(ApiError::Blocked);
    }
    if crate::disposable::is_disposable(&req.email) {
        return Err(ApiError::DisposableEmail);
    }
    let secret = ApiSecret::generate();
    let now = state.clock.now_ms();
    let deadline = iso8601(now + VERIFY_WINDOW_MS);
    let account = new_account(state, &req, ip, &secret, now, &deadline);
    let (external_id, env_external_id) =
        (account.external_id.clone(), account.env_external_id.clone());
    let outcome = state.store.create(account).await.map_err(|e| {
        tracing::error!("creating an account failed: {e}");
        ApiError::Internal
    })?;
    let created = match outcome {
        CreateOutcome::Created(a) => a,
        CreateOutcome::AccountExists => return Err(ApiError::AccountExists),
        CreateOutcome::DailyCapReached => {
            tracing::info!(%ip, "request blocked by the daily cap");
            return Err(ApiError::Blocked);
        }
    };
    tracing::debug!(cloud_name = %created.cloud_name, "account created");
    let base = mail::base_url(headers, state);
    let mut guidance = guidance::render(&GuidanceInput {
        email: &req.email,
        cloud_name: &created.cloud_name,
        deadline: &deadline,
        sdk_framework: req.sdk_framework.as_deref(),
        base_url: &base,
    });
    if let Some(suffix) = guidance_suffix {
        guidance.push('\n');
        guidance.push_str(suffix);
    }
    let answer = AgentAccount {
        external_id,
        email: req.email,
        plan_name: "free".into(),
        product_environments: vec![ProductEnvironment {
            external_id: env_external_id,
            cloud_name: created.cloud_name.clone(),
            api_key: created.api_key.clone(),
            api_secret: secret.expose().to_owned(),
            api_environment_variable: format!(
                "CLOUDINARY_URL=cloudinary://{}:{}@{}",
                created.api_key,
                secret.expose(),
                created.cloud_name
            ),
        }],
        guidance,
    };
    let body = serde_json::to_vec(&answer).map_err(|_| ApiError::Internal)?;
    let mut res = json_response(StatusCode::OK, body);
    // The answer carries a secret: no cache may keep it.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn new_account(
    state: &AppState,
    req: &AgentAccountRequest,
    ip: IpAddr,
    secret: &ApiSecret,
    now: i64,
    deadline: &str,
) -> NewAccount {
    NewAccount {
        external_id: credentials::external_id(),
        email: req.email.clone(),
        env_external_id: credentials::external_id(),
        secret_hash: secret.hash(),
        client_ip: ip.to_string(),
        agent_framework: req.agent_framework.clone(),
        agent_llm_model: req.agent_llm_model.clone(),
        agent_goal: req.agent_goal.clone(),
        sdk_framework: req.sdk_framework.clone(),
        created_at_ms: now,
        daily_cap: state
            .daily_cap
            .0
            .map(|cap| (cap.get(), now - DAILY_WINDOW_MS)),
        mail_subject: mail::SUBJECT.to_owned(),
        mail_body: mail::mail_body(
            &req.email,
            &req.agent_framework,
            &req.agent_llm_model,
            deadline,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(!is_json_content_type("text/plain"));
        assert!(!is_json_content_type("application/x-www-form-urlencoded"));
    }
}
