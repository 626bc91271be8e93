//! The router: every route the emulator serves, its shared state, and the layers around it
//! (request ids, access log, CORS).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{self, MethodRouter};
use axum::{Json, Router};
use cloudinary_agent_account::wire::{headers, ENDPOINT_PATH};
use tower_http::cors::{Any, CorsLayer};

use crate::clock::{iso8601, Clock};
use crate::credentials;
use crate::deny::DenyRules;
use crate::errors::{json, json_response, ApiError};
use crate::faults::{FaultSpec, Faults};
use crate::limits::{DailyCap, IpRateLimiter};
use crate::store::Store;
use crate::{accounts, mail, ping};

/// The OpenAPI 3.1 document of everything served (the file in the repository).
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// The largest clock step one call may make (ten years).
const MAX_ADVANCE_SECONDS: u64 = 10 * 365 * 24 * 3600;

/// What every handler shares.
pub struct AppState {
    /// The emulator clock.
    pub clock: Clock,
    /// The database.
    pub store: Store,
    /// The per-IP rate limiter of the account endpoint.
    pub limiter: IpRateLimiter,
    /// The abuse rules.
    pub deny: DenyRules,
    /// The per-IP daily cap on accounts.
    pub daily_cap: DailyCap,
    /// Injected faults (test controls).
    pub faults: Faults,
    /// Whether `/_emulator/*` test controls are on.
    pub test_controls: bool,
    /// Whether the client IP is taken from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// The address actually listened on (the real port when 0 was asked for).
    pub listen_addr: SocketAddr,
}

type S = Arc<AppState>;

/// Routes being registered, with the table of (method, path) they serve. The table is filled
/// by the same calls that add the handlers, so it cannot drift from the router; the OpenAPI
/// test compares it with `openapi.json`.
struct Routes {
    router: Router<S>,
    table: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<S>) -> Self {
        self.table.push((method, path));
        self.router = self.router.route(path, route);
        self
    }

    fn get<H: Handler<T, S>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, routing::get(h))
    }

    fn post<H: Handler<T, S>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, path, routing::post(h))
    }

    fn delete<H: Handler<T, S>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::DELETE, path, routing::delete(h))
    }
}

fn routes(test_controls: bool) -> Routes {
    let r = Routes::new()
        .get("/", index)
        .get("/openapi.json", openapi)
        .post(ENDPOINT_PATH, accounts::create)
        .get("/v1_1/{cloud_name}/ping", ping::ping)
        .get("/_emulator/outbox", mail::outbox)
        .get("/verify/{token}", mail::verify_page)
        .post("/verify/{token}", mail::verify_submit);
    if !test_controls {
        return r;
    }
    r.get("/_emulator/clock", clock_now)
        .post("/_emulator/clock/advance", clock_advance)
        .post("/_emulator/faults", faults_set)
        .delete("/_emulator/faults", faults_clear)
}

/// Every (method, path template) the router serves with these settings. `HEAD` is also
/// answered wherever `GET` is (axum does that), and `OPTIONS` preflights everywhere (CORS).
pub fn route_table(test_controls: bool) -> Vec<(Method, &'static str)> {
    routes(test_controls).table
}

/// The whole application.
pub fn router(state: Arc<AppState>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .expose_headers(headers::ALL.map(HeaderName::from_static))
        .max_age(Duration::from_secs(600));
    routes(state.test_controls)
        .router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(cors)
        .layer(middleware::from_fn(request_id_and_log))
}

/// Gives every answer an `X-Request-Id` and writes one access-log line (no bodies, no
/// headers, no query strings, verification tokens masked).
async fn request_id_and_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = credentials::request_id();
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    let mut res = next.run(req).await;
    if !res.headers().contains_key(headers::REQUEST_ID) {
        if let Ok(v) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(headers::REQUEST_ID, v);
        }
    }
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if res.status().is_server_error() {
        tracing::warn!(target: "access", %method, path, status, ms, request_id = %id);
    } else {
        tracing::debug!(target: "access", %method, path, status, ms, request_id = %id);
    }
    res
}

/// The path for the log: a verification token is a credential for one account, so it is
/// masked; very long paths are cut.
fn loggable_path(path: &str) -> String {
    if path.starts_with("/verify/") {
        return "/verify/{token}".to_owned();
    }
    path.chars().take(200).collect()
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn index(State(state): State<S>) -> Result<Response, ApiError> {
    let accounts = state.store.count_accounts().await.map_err(|e| {
        tracing::error!("counting accounts failed: {e}");
        ApiError::Internal
    })?;
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

fn clock_body(state: &AppState) -> Response {
    let now = state.clock.now_ms();
    json(
        StatusCode::OK,
        &serde_json::json!({"now": iso8601(now), "now_unix_ms": now}),
    )
}

async fn clock_now(State(state): State<S>) -> Response {
    clock_body(&state)
}

async fn clock_advance(
    State(state): State<S>,
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
    State(state): State<S>,
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

async fn faults_clear(State(state): State<S>) -> impl IntoResponse {
    state.faults.clear();
    json(StatusCode::OK, &serde_json::json!({"remaining": 0}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_depends_on_controls() {
        let without = route_table(false);
        let with = route_table(true);
        assert!(with.len() > without.len());
        assert!(!without
            .iter()
            .any(|(_, p)| p.starts_with("/_emulator/clock")));
        assert!(without.contains(&(Method::GET, "/_emulator/outbox")));
    }

    #[test]
    fn masks_tokens() {
        assert_eq!(loggable_path("/verify/abc"), "/verify/{token}");
        assert_eq!(loggable_path("/v1_1/dx/ping"), "/v1_1/dx/ping");
    }
}
