//! The test controls (`--test-controls` only): the emulator clock, fault injection, and
//! switching agent sign-up off and on.

use std::collections::HashMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::clock::iso8601;
use crate::errors::ApiError;
use crate::faults::FaultSpec;
use crate::http::{json, Routes};
use crate::state::{AppState, SharedState};

/// The largest clock step one call may make (ten years).
const MAX_ADVANCE_SECONDS: u64 = 10 * 365 * 24 * 3600;

/// The test-control routes.
pub fn routes() -> Routes {
    Routes::new()
        .get("/_emulator/clock", clock_now)
        .post("/_emulator/clock/advance", clock_advance)
        .post("/_emulator/faults", faults_set)
        .delete("/_emulator/faults", faults_clear)
        .post("/_emulator/registration", registration_set)
}

/// The JSON body of `POST /_emulator/registration`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistrationSpec {
    /// Whether agents may sign up.
    enabled: bool,
}

async fn registration_set(
    State(state): State<SharedState>,
    spec: Result<Json<RegistrationSpec>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(spec) = spec.map_err(|e| ApiError::BadControl(e.body_text()))?;
    state.set_registration_open(spec.enabled);
    tracing::info!(enabled = spec.enabled, "agent registration switched");
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({"enabled": state.registration_open()}),
    ))
}

fn clock_body(state: &AppState) -> Response {
    let now = state.clock.now_ms();
    json(
        StatusCode::OK,
        &serde_json::json!({"now": iso8601(now), "now_unix_ms": now}),
    )
}

async fn clock_now(State(state): State<SharedState>) -> Response {
    clock_body(&state)
}

async fn clock_advance(
    State(state): State<SharedState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let seconds = query
        .get("seconds")
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s <= MAX_ADVANCE_SECONDS)
        .ok_or_else(|| {
            ApiError::BadControl(format!(
                "seconds must be a whole number from 0 to {MAX_ADVANCE_SECONDS}; the clock only moves forward"
            ))
        })?;
    state.clock.advance(seconds).ok_or_else(|| {
        ApiError::BadControl(format!(
            "the clock can be moved at most {} years ahead in all",
            crate::clock::MAX_OFFSET_SECS / (365 * 24 * 3600)
        ))
    })?;
    tracing::info!(seconds, "clock advanced");
    Ok(clock_body(&state))
}

async fn faults_set(
    State(state): State<SharedState>,
    spec: Result<Json<FaultSpec>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(spec) = spec.map_err(|e| ApiError::BadControl(e.body_text()))?;
    let (count, fault) = spec
        .into_fault()
        .map_err(|e| ApiError::BadControl(e.to_string()))?;
    state.faults.set(count, fault);
    tracing::info!(count, "fault installed");
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({"remaining": state.faults.remaining()}),
    ))
}

async fn faults_clear(State(state): State<SharedState>) -> impl IntoResponse {
    state.faults.clear();
    json(StatusCode::OK, &serde_json::json!({"remaining": 0}))
}
