//! `POST /v1_1/provisioning/agents/accounts`: account creation.
//!
//! Order of the checks, each answering at the first failure:
//! 1. an injected fault (test controls), which replaces the answer without counting;
//! 2. the short-burst rate limit, only when `--rate-limit` sets one (429): every request
//!    counts, valid or not, as an edge rate limiter would count it;
//! 3. agent sign-up switched off (403 `agent_registration_disabled`), then a `region` deny
//!    rule on the client address (403 `geo_location_not_permitted`): both known before the
//!    body is read;
//! 4. body size (413), content type, JSON syntax and shape, then the shared validation (400);
//! 5. the other deny rules (403, generic `Invalid request`);
//! 6. disposable e-mail domains (400);
//! 7. in the database, in one step: the per-IP cap of accounts in any 24 hours (429
//!    `ip_rate_limit_exceeded`) and the unique e-mail (400 `has already been taken`), then
//!    the insert.
//!
//! The per-IP limits count by [`IpKey`]: an IPv4 address or an IPv6 /64.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudinary_agent_account::dates::format_http_date;
use cloudinary_agent_account::validate::{validate_json, UnknownKeys};
use cloudinary_agent_account::wire::{
    headers, AgentAccount, AgentAccountRequest, ProductEnvironment, ENDPOINT_PATH,
};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::clock::iso8601;
use crate::credentials::{self, ApiSecret};
use crate::errors::{ApiError, MAX_BODY_BYTES};
use crate::faults::{Fault, Replacement};
use crate::guidance::{self, GuidanceInput};
use crate::http::{base_url, json_response, Routes};
use crate::limits::{client_ip, IpKey, RateDecision, DAILY_WINDOW_MS};
use crate::mail::{self, VERIFY_WINDOW_MS};
use crate::state::{AppState, SharedState};
use crate::store::{CreateOutcome, NewAccount};

/// The account endpoint's route.
pub fn routes() -> Routes {
    Routes::new().post(ENDPOINT_PATH, create)
}

/// The handler.
pub async fn create(
    State(state): State<SharedState>,
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
    let ip = client_ip(peer, &headers, state.trusted_proxies);
    let key = IpKey::of(ip);
    let decision = state.limiter.check(key);
    let extended = state.extended_errors;
    let mut res = match decision {
        RateDecision::Limited { .. } => {
            tracing::debug!(%key, "rate limited");
            ApiError::RateLimited.response(extended)
        }
        RateDecision::Unlimited | RateDecision::Allowed { .. } => {
            let suffix = fault.as_ref().and_then(|f| f.guidance_suffix.as_deref());
            match handle(&state, ip, key, &headers, body, suffix).await {
                Ok(res) => res,
                Err(e) => e.response(extended),
            }
        }
    };
    // The daily cap's headers, when it answered, take precedence over the burst limiter's.
    if !res.headers().contains_key(headers::RATE_LIMIT_LIMIT) {
        rate_headers(res.headers_mut(), decision);
    }
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
pub(crate) fn is_json_content_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

pub(crate) async fn read_body(headers: &HeaderMap, body: Body) -> Result<bytes::Bytes, ApiError> {
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

/// The 429 of a creation refused by a per-IP daily cap, with the cap's headers (`Retry-After`
/// when the oldest counted leaves the window).
pub(crate) fn cap_reached_response(
    state: &AppState,
    cap: Option<u32>,
    oldest_ms: i64,
    now_ms: i64,
) -> Response {
    let mut res = ApiError::RateLimited.response(state.extended_errors);
    if let Some(cap) = cap {
        cap_headers(res.headers_mut(), cap, cap, oldest_ms, now_ms);
    }
    res
}

/// The 200 of a creation (an account or a cloud): the answer, never cached (it carries a
/// secret), and the cap's headers when a cap counted it (`cap_window`: how many the window
/// held before this one, and when its oldest was made).
pub(crate) fn created_response(
    answer: &impl serde::Serialize,
    cap: Option<u32>,
    cap_window: Option<(u32, i64)>,
    now_ms: i64,
) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(answer).map_err(|_| ApiError::Internal)?;
    let mut res = json_response(StatusCode::OK, body);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let (Some(cap), Some((before, oldest_ms))) = (cap, cap_window) {
        cap_headers(
            res.headers_mut(),
            cap,
            before.saturating_add(1),
            oldest_ms,
            now_ms,
        );
    }
    Ok(res)
}

/// The cap's `X-FeatureRateLimit-*` headers: `Reset` is when the oldest account counted
/// leaves the 24-hour window, giving one back.
pub(crate) fn cap_headers(h: &mut HeaderMap, cap: u32, used: u32, oldest_ms: i64, now_ms: i64) {
    let reset_ms = oldest_ms.saturating_add(DAILY_WINDOW_MS);
    h.insert(headers::RATE_LIMIT_LIMIT, HeaderValue::from(cap));
    h.insert(
        headers::RATE_LIMIT_REMAINING,
        HeaderValue::from(cap.saturating_sub(used)),
    );
    if let Ok(v) = HeaderValue::from_str(&format_http_date(reset_ms.div_euclid(1000) + 1)) {
        h.insert(headers::RATE_LIMIT_RESET, v);
    }
    if used >= cap {
        let wait_ms = reset_ms.saturating_sub(now_ms).max(1);
        let secs = u64::try_from(wait_ms.div_euclid(1000) + 1).unwrap_or(1);
        h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}

async fn handle(
    state: &AppState,
    ip: std::net::IpAddr,
    key: IpKey,
    headers: &HeaderMap,
    body: Body,
    guidance_suffix: Option<&str>,
) -> Result<Response, ApiError> {
    if !state.registration_open() {
        return Err(ApiError::RegistrationDisabled);
    }
    if state.deny.blocks_region(ip) {
        tracing::info!(%key, "request refused by a region rule");
        return Err(ApiError::RegionBlocked);
    }
    let bytes = read_body(headers, body).await?;
    match headers.get(header::CONTENT_TYPE) {
        Some(v) if v.to_str().is_ok_and(is_json_content_type) => {}
        _ => return Err(ApiError::ContentType),
    }
    // Invalid UTF-8 is refused here too: serde_json reads UTF-8 only.
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| ApiError::InvalidJson)?;
    let req = validate_json(&value, UnknownKeys::Ignore).map_err(ApiError::Validation)?;
    // As UTF-8, not only visible ASCII: a rule on a non-ASCII agent name must see it.
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok());
    if state.deny.check(ip, &req, user_agent).is_some() {
        tracing::info!(%key, "request blocked by a deny rule");
        return Err(ApiError::Blocked);
    }
    if crate::disposable::is_disposable(&req.email) {
        return Err(ApiError::DisposableEmail);
    }
    let secret = ApiSecret::generate();
    let now = state.clock.now_ms();
    let deadline = iso8601(now + VERIFY_WINDOW_MS);
    let account = new_account(state, &req, key, &secret, now, &deadline);
    let (external_id, env_external_id) =
        (account.external_id.clone(), account.env_external_id.clone());
    let outcome = state.store.create(account).await?;
    let cap = state.daily_cap.0.map(|c| c.get());
    let created = match outcome {
        CreateOutcome::Created(a) => a,
        CreateOutcome::AccountExists => return Err(ApiError::AccountExists),
        CreateOutcome::DailyCapReached { oldest_ms } => {
            tracing::info!(%key, "refused by the daily cap");
            return Ok(cap_reached_response(state, cap, oldest_ms, now));
        }
    };
    tracing::debug!(cloud_name = %created.cloud_name, "account created");
    let mut guidance = guidance::render(&GuidanceInput {
        email: &req.email,
        cloud_name: &created.cloud_name,
        deadline: &deadline,
        sdk_framework: req.sdk_framework.as_deref(),
        base_url: base_url(state),
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
    created_response(&answer, cap, created.cap_window, now)
}

fn new_account(
    state: &AppState,
    req: &AgentAccountRequest,
    key: IpKey,
    secret: &ApiSecret,
    now: i64,
    deadline: &str,
) -> NewAccount {
    NewAccount {
        external_id: credentials::external_id(),
        email: req.email.clone(),
        env_external_id: credentials::external_id(),
        secret_hash: secret.hash(),
        // The key, not the address: the cap counts an IPv6 /64 as one client.
        client_ip: key.to_string(),
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
