//! `GET /v1_1/{cloud_name}/ping`: the Admin API's cheapest call, to check credentials.
//!
//! HTTP Basic `api_key:api_secret`. Wrong or missing credentials: 401. Right credentials
//! while the e-mail is unverified: 401 saying verification is pending. Unverified 24 hours
//! after creation: 403 (disabled). Verified: `{"status":"ok"}`.
//!
//! A Claimable Cloud's credentials work at once: `{"status":"ok"}` until `expires_at`, and for
//! good once claimed; expired unclaimed, 401 `cloud_disabled`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::credentials::{constant_time_eq, hash_secret, parse_basic_auth};
use crate::errors::ApiError;
use crate::http::{json, Routes};
use crate::state::{AppState, SharedState};
use crate::verify::{activation, Activation};

/// The ping route.
pub fn routes() -> Routes {
    Routes::new().get("/v1_1/{cloud_name}/ping", ping)
}

/// The handler.
pub async fn ping(
    State(state): State<SharedState>,
    Path(cloud_name): Path<String>,
    headers: HeaderMap,
) -> Response {
    match check(&state, cloud_name, &headers).await {
        Ok(()) => json(StatusCode::OK, &serde_json::json!({"status": "ok"})),
        // No WWW-Authenticate: the demo page polls this with fetch, and that header can make
        // a browser pop up its own sign-in dialog.
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, cloud_name: String, headers: &HeaderMap) -> Result<(), ApiError> {
    let (key, secret) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_basic_auth)
        .ok_or(ApiError::BadCredentials)?;
    if cloud_name.len() > 128 {
        return Err(ApiError::BadCredentials);
    }
    let Some(account) = state.store.account_by_cloud(cloud_name.clone()).await? else {
        return check_cloud(state, cloud_name, &key, &secret).await;
    };
    let key_ok = constant_time_eq(key.as_bytes(), account.api_key.as_bytes());
    let secret_ok = constant_time_eq(&hash_secret(&secret), &account.secret_hash);
    if !(key_ok && secret_ok) {
        return Err(ApiError::BadCredentials);
    }
    match activation(&account, state.clock.now_ms()) {
        Activation::Active => Ok(()),
        Activation::Pending => Err(ApiError::VerificationPending),
        Activation::Disabled => Err(ApiError::AccountDisabled),
    }
}

/// The ping of a Claimable Cloud's credentials.
async fn check_cloud(
    state: &AppState,
    cloud_name: String,
    key: &str,
    secret: &str,
) -> Result<(), ApiError> {
    let cloud = state
        .store
        .cloud_by_name(cloud_name)
        .await?
        .ok_or(ApiError::BadCredentials)?;
    let key_ok = constant_time_eq(key.as_bytes(), cloud.api_key.as_bytes());
    let secret_ok = constant_time_eq(&hash_secret(secret), &cloud.secret_hash);
    if !(key_ok && secret_ok) {
        return Err(ApiError::BadCredentials);
    }
    match crate::claim::cloud_status(&cloud, state.clock.now_ms()) {
        crate::claim::CloudStatus::Disabled => Err(ApiError::CloudDisabled),
        crate::claim::CloudStatus::Unclaimed | crate::claim::CloudStatus::Claimed => Ok(()),
    }
}
