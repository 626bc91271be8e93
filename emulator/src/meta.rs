//! About the emulator itself: `GET /` and `GET /openapi.json`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cloudinary_agent_account::wire::ENDPOINT_PATH;

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
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({
            "name": "agent-account-emulator",
            "description": "A local implementation of Cloudinary's agent account creation API.",
            "endpoint": ENDPOINT_PATH,
            "openapi": "/openapi.json",
            "outbox": "/_emulator/outbox",
            "test_controls": state.test_controls,
            "accounts": accounts,
        }),
    ))
}

async fn openapi() -> Response {
    json_response(StatusCode::OK, OPENAPI_JSON.as_bytes().to_vec())
}
