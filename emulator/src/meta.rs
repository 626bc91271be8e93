//! About the emulator itself: `GET /` and `GET /openapi.json`.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cloudinary_agent_account::wire::{CLOUD_ENDPOINT_PATH, ENDPOINT_PATH};
use serde_json::Value;

use crate::errors::ApiError;
use crate::http::{json, json_response, Routes};
use crate::state::SharedState;

/// The OpenAPI 3.1 document of everything served (the file in the repository).
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// `/` and `/openapi.json`.
pub fn routes() -> Routes {
    Routes::new().get("/", index).get("/openapi.json", openapi)
}

async fn index(State(state): State<SharedState>) -> Result<Response, ApiError> {
    let accounts = state.store.count_accounts().await?;
    let clouds = state.store.count_clouds().await?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({
            "name": "agent-account-emulator",
            "description": "A local implementation of Cloudinary's agent account creation API.",
            "endpoint": ENDPOINT_PATH,
            "cloud_endpoint": CLOUD_ENDPOINT_PATH,
            "openapi": "/openapi.json",
            "outbox": "/_emulator/outbox",
            "test_controls": state.test_controls,
            "accounts": accounts,
            "clouds": clouds,
        }),
    ))
}

async fn openapi(State(state): State<SharedState>) -> Response {
    if state.test_controls {
        return json_response(StatusCode::OK, OPENAPI_JSON.as_bytes().to_vec());
    }
    static WITHOUT_CONTROLS: OnceLock<Vec<u8>> = OnceLock::new();
    let doc = WITHOUT_CONTROLS.get_or_init(|| without_test_controls(OPENAPI_JSON));
    json_response(StatusCode::OK, doc.clone())
}

/// The document without the operations marked `x-test-control` (and the paths left empty):
/// what an emulator without `--test-controls` serves, so the document it serves describes
/// exactly its routes.
pub fn without_test_controls(document: &str) -> Vec<u8> {
    let Ok(mut doc) = serde_json::from_str::<Value>(document) else {
        return document.as_bytes().to_vec();
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(ops) = item.as_object_mut() {
                ops.retain(|_, op| op.get("x-test-control") != Some(&Value::Bool(true)));
            }
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_some_and(|ops| ops.keys().any(|k| k != "parameters"))
        });
    }
    serde_json::to_vec(&doc).unwrap_or_else(|_| document.as_bytes().to_vec())
}
