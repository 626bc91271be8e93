//! The application: the route groups of the other modules merged, and the layers each group
//! needs (CORS on the public API only; request ids and the access log on everything).

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use cloudinary_agent_account::wire::headers;
use tower_http::cors::{Any, CorsLayer};

use crate::errors::ApiError;
use crate::http::Routes;
use crate::state::SharedState;
use crate::{accounts, claim, clouds, controls, delivery, mail, meta, origin, ping, verify};

pub use crate::meta::OPENAPI_JSON;

/// The public API: what a browser on any origin may call (CORS), media delivery included.
fn public_routes() -> Routes {
    accounts::routes()
        .merge(clouds::routes())
        .merge(ping::routes())
        .merge(delivery::routes())
}

/// The emulator's own pages and documents. The verification form checks its origin itself
/// (the page it posts from must stay reachable from any e-mail client).
fn page_routes() -> Routes {
    meta::routes()
        .merge(verify::routes())
        .merge(claim::routes())
}

/// What only the person running the emulator may use: the outbox (it holds every
/// verification link) and the test controls. Same-origin only.
fn private_routes(test_controls: bool) -> Routes {
    if test_controls {
        mail::routes().merge(controls::routes())
    } else {
        mail::routes()
    }
}

/// Every (method, path template) the router serves with these settings. `HEAD` is also
/// answered wherever `GET` is (axum does that), and `OPTIONS` preflights on the public API.
pub fn route_table(test_controls: bool) -> Vec<(Method, &'static str)> {
    let mut table = public_routes().table;
    table.extend(page_routes().table);
    table.extend(private_routes(test_controls).table);
    table
}

/// The whole application.
pub fn router(state: SharedState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .expose_headers(
            headers::ALL
                .into_iter()
                .chain([delivery::CLD_ERROR])
                .map(HeaderName::from_static)
                .collect::<Vec<_>>(),
        )
        .max_age(Duration::from_secs(600));
    // Each group gets its 405 answer before its layers: a fallback set on the merged router
    // would replace the layered one, and CORS preflights (OPTIONS) would get a 405.
    let public = public_routes()
        .router
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors);
    let pages = page_routes()
        .router
        .method_not_allowed_fallback(method_not_allowed);
    let private = private_routes(state.test_controls)
        .router
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            origin::same_origin_only,
        ));
    public
        .merge(pages)
        .merge(private)
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(request_id_and_log))
}

/// Gives every answer an `X-Request-Id` and writes one access-log line (no bodies, no
/// headers, no query strings, verification tokens masked).
async fn request_id_and_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = crate::credentials::request_id();
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

/// The path for the log: a verification or claim confirmation token is a credential, so it
/// is masked (the claim page's token is in the query, which is never logged); very long
/// paths are cut.
fn loggable_path(path: &str) -> String {
    if path.starts_with("/verify/") {
        return "/verify/{token}".to_owned();
    }
    if path.starts_with("/claim/confirm/") {
        return "/claim/confirm/{token}".to_owned();
    }
    path.chars().take(200).collect()
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
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
        assert_eq!(
            loggable_path("/claim/confirm/1-abc"),
            "/claim/confirm/{token}"
        );
        assert_eq!(loggable_path("/v1_1/dx/ping"), "/v1_1/dx/ping");
    }
}
