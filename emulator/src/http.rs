//! HTTP helpers every route module uses: the route builder that records the route table,
//! JSON answers, and the public base URL links are written with.

use axum::handler::Handler;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{self, MethodRouter};
use axum::Router;

use crate::state::{AppState, SharedState};

/// Routes being registered, with the table of (method, path) they serve. The table is filled
/// by the same calls that add the handlers, so it cannot drift from the router; the OpenAPI
/// test compares it with `openapi.json`.
pub struct Routes {
    /// The routes.
    pub router: Router<SharedState>,
    /// (method, path template) of each.
    pub table: Vec<(Method, &'static str)>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    /// No routes.
    pub fn new() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<SharedState>) -> Self {
        self.table.push((method, path));
        self.router = self.router.route(path, route);
        self
    }

    /// Adds a `GET` (axum answers `HEAD` too).
    pub fn get<H: Handler<T, SharedState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, routing::get(h))
    }

    /// Adds a `POST`.
    pub fn post<H: Handler<T, SharedState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, path, routing::post(h))
    }

    /// Adds a `DELETE`.
    pub fn delete<H: Handler<T, SharedState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::DELETE, path, routing::delete(h))
    }

    /// Both sets of routes.
    pub fn merge(mut self, other: Routes) -> Self {
        self.table.extend(other.table);
        self.router = self.router.merge(other.router);
        self
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
            json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                br#"{"error":{"category":"server_error","message":"Internal server error"}}"#
                    .to_vec(),
            )
        }
    }
}

/// The base URL links in the guidance and the outbox start with: `--public-url`, else the
/// listen address. Never the request's `Host` header, which the client chooses.
pub fn base_url(state: &AppState) -> &str {
    &state.public_url
}

/// The public URL when `--public-url` is not given: `http://` and the listen address, with a
/// wildcard address (`0.0.0.0`, `[::]`) replaced by loopback, since no link can point at it.
pub fn default_public_url(listen: std::net::SocketAddr) -> String {
    let mut addr = listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{addr}")
}

/// A `--public-url` value: an `http:` or `https:` URL without credentials, query or fragment,
/// kept without its trailing `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(pub String);

impl std::str::FromStr for PublicUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| Err(format!("`{s}` is not a usable public URL: {why}"));
        let lower = s.to_ascii_lowercase();
        let Some(rest) = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"))
        else {
            return bad("it must start with http:// or https://");
        };
        let authority = rest.split('/').next().unwrap_or("");
        if authority.is_empty() {
            return bad("it has no host");
        }
        if authority.contains('@') {
            return bad("it must not hold credentials");
        }
        if s.contains(['?', '#']) {
            return bad("it must not have a query or a fragment");
        }
        // Links are written into Markdown and HTML: only characters that need no escaping.
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/[]%!$&'()*+,;=".contains(c))
            || s.contains(['\'', '(', ')'])
        {
            return bad("it holds a character a link cannot carry as is");
        }
        Ok(PublicUrl(s.trim_end_matches('/').to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_public_urls_are_linkable() {
        let url = |s: &str| default_public_url(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:8787"), "http://127.0.0.1:8787");
        assert_eq!(url("0.0.0.0:8787"), "http://127.0.0.1:8787");
        assert_eq!(url("[::]:8787"), "http://[::1]:8787");
        assert_eq!(url("192.0.2.4:80"), "http://192.0.2.4:80");
    }

    #[test]
    fn public_urls() {
        let ok = |s: &str| s.parse::<PublicUrl>().map(|u| u.0);
        assert_eq!(ok("https://emu.example/"), Ok("https://emu.example".into()));
        assert_eq!(
            ok("http://127.0.0.1:8787/base"),
            Ok("http://127.0.0.1:8787/base".into())
        );
        for bad in [
            "ftp://x",
            "https://",
            "https://u:p@h",
            "https://h/?q",
            "https://h/#f",
            "https://h/a b",
            "https://h/\"x",
            "https://h/<x>",
            "https://h/x)",
        ] {
            assert!(ok(bad).is_err(), "{bad}");
        }
    }
}
