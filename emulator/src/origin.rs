//! The same-origin check of the emulator's own routes (test controls, the outbox, the
//! verification form). They carry no CORS headers, so no other origin can read them; this
//! also refuses the requests a page on another origin can send without reading the answer
//! (a form POST, a `no-cors` fetch), which would otherwise still change state.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;
use crate::state::{AppState, SharedState};

/// Refuses a request made by a page on another origin: an `Origin` header that is not one of
/// the emulator's own, or `Sec-Fetch-Site: cross-site`/`same-site` (another port of the same
/// host is another origin) on anything but the person opening a link (a top-level `GET`
/// navigation, which shows the answer to the person and to no page). Requests without
/// either header (curl, SDKs, tests) are not from a browser page and pass. A `Host` that is
/// not the emulator's own is refused too: a page whose name was re-pointed at this address
/// (DNS rebinding) is "same origin" to the browser, but names its own host.
pub fn check(state: &AppState, method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    if let Some(host) = headers.get(header::HOST) {
        let host = host.to_str().unwrap_or("").to_ascii_lowercase();
        let known = state
            .own_origins()
            .iter()
            .any(|o| o.split_once("://").is_some_and(|(_, h)| h == host));
        if !known {
            return Err(ApiError::CrossOrigin);
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("").to_ascii_lowercase();
        if origin == "null" {
            // An opaque origin: what a browser sends for a form POST from a page with
            // `Referrer-Policy: no-referrer` (the verification page), and for sandboxed frames.
            // The browser's own `Sec-Fetch-Site`, which no page can set, then decides.
            let same = headers
                .get("sec-fetch-site")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"same-origin"));
            return if same {
                Ok(())
            } else {
                Err(ApiError::CrossOrigin)
            };
        }
        return if state.own_origins().contains(&origin) {
            Ok(())
        } else {
            Err(ApiError::CrossOrigin)
        };
    }
    let site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
        let navigation = (method == Method::GET || method == Method::HEAD)
            && headers
                .get("sec-fetch-mode")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"navigate"));
        if !navigation {
            return Err(ApiError::CrossOrigin);
        }
    }
    Ok(())
}

/// [`check`] as a layer.
pub async fn same_origin_only(
    State(state): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    match check(&state, req.method(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => {
            tracing::info!("cross-origin request refused");
            e.into_response()
        }
    }
}
