//! `GET /{cloud_name}/image/upload/{path}`: media delivery, enough to show a Claimable Cloud's
//! IP lock. An unclaimed cloud delivers only to its `delivery_ips`: any other address gets 401
//! with `x-cld-error: ACL deny` (the symptom Cloudinary documents); a disabled (expired) cloud
//! gets 401 too. Otherwise, and for an account's cloud, the answer is a 1x1 GIF whatever the
//! path names: the emulator stores no media.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::claim::{cloud_status, CloudStatus};
use crate::http::Routes;
use crate::limits::client_ip;
use crate::state::SharedState;

/// The header Cloudinary's delivery sets to say why it refused.
pub const CLD_ERROR: &str = "x-cld-error";

/// Its value when the address is not allowed to deliver.
pub const ACL_DENY: &str = "ACL deny";

/// A transparent 1x1 GIF.
const PIXEL_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// The delivery route.
pub fn routes() -> Routes {
    Routes::new().get("/{cloud_name}/image/upload/{*public_id}", deliver)
}

/// A refusal with no body and the reason in `x-cld-error`.
fn refused(status: StatusCode, reason: &'static str) -> Response {
    let mut res = status.into_response();
    res.headers_mut()
        .insert(CLD_ERROR, HeaderValue::from_static(reason));
    res
}

fn image() -> Response {
    let mut res = (StatusCode::OK, PIXEL_GIF).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/gif"));
    // An IP-locked answer must not be served from a shared cache to another address.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// The handler.
pub async fn deliver(
    State(state): State<SharedState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    // A path that does not decode (not UTF-8) names no cloud.
    let Ok(Path((cloud_name, _public_id))) = path else {
        return refused(StatusCode::NOT_FOUND, "Resource not found");
    };
    if cloud_name.len() > 128 {
        return refused(StatusCode::NOT_FOUND, "Resource not found");
    }
    let cloud = match state.store.cloud_by_name(cloud_name.clone()).await {
        Ok(c) => c,
        Err(e) => return crate::errors::ApiError::from(e).into_response(),
    };
    let Some(cloud) = cloud else {
        // An account's product environment has no IP lock.
        return match state.store.account_by_cloud(cloud_name).await {
            Ok(Some(_)) => image(),
            Ok(None) => refused(StatusCode::NOT_FOUND, "Resource not found"),
            Err(e) => crate::errors::ApiError::from(e).into_response(),
        };
    };
    match cloud_status(&cloud, state.clock.now_ms()) {
        CloudStatus::Claimed => image(),
        CloudStatus::Disabled => refused(StatusCode::UNAUTHORIZED, "Cloud is disabled"),
        CloudStatus::Unclaimed => {
            let ip = client_ip(peer, &headers, state.trusted_proxies).to_canonical();
            let allowed = cloud
                .delivery_ips
                .iter()
                .filter_map(|s| s.parse::<IpAddr>().ok())
                .any(|a| a == ip);
            if allowed {
                image()
            } else {
                refused(StatusCode::UNAUTHORIZED, ACL_DENY)
            }
        }
    }
}
