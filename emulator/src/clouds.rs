//! `POST /v1_1/provisioning/clouds`: a Claimable Cloud, answered in the flat shape.
//!
//! Order of the checks, each answering at the first failure:
//! 1. provisioning switched off (403 `agent_registration_disabled`, the same switch as agent
//!    sign-up), then a `region` deny rule on the caller (403 `geo_location_not_permitted`);
//! 2. body size (413), content type and JSON (400; an empty body reads as `{}`);
//! 3. `delivery_ips`, with the real service's codes and messages: more than 3 entries (400
//!    `delivery_ips_too_many`), then each entry by the core's rule (`parse_delivery_ip`): one
//!    that is not an address (400 `delivery_ips_invalid`, `Invalid delivery IP: <entry>`);
//!    a repeated entry is dropped, not refused;
//! 4. the other fields by the shared rules (`validate_cloud_json`, unknown keys ignored): 400
//!    with a Rails errors hash, as the account endpoint answers;
//! 5. a `region` rule on any delivery IP (403);
//! 6. resolution: `requester_ip` becomes the caller's address, the caller's address is
//!    appended, private addresses are dropped; none left: 400 `delivery_ips_not_public`;
//! 7. a disposable e-mail domain (400);
//! 8. in the database, in one step: the clouds' own per-IP cap (429 `ip_rate_limit_exceeded`)
//!    and the given address taken by an account or a cloud (400), then the insert.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use cloudinary_agent_account::validate::{
    parse_delivery_ip, validate_cloud_json, CloudField, DeliveryIp, UnknownKeys,
};
use cloudinary_agent_account::wire::{ClaimableCloud, CLOUD_ENDPOINT_PATH, MAX_DELIVERY_IPS};
use serde_json::Value;

use crate::accounts::{cap_reached_response, created_response, is_json_content_type, read_body};
use crate::clock::iso8601;
use crate::credentials::{self, ApiSecret};
use crate::errors::ApiError;
use crate::guidance::{render_cloud, CloudGuidanceInput};
use crate::http::{base_url, Routes};
use crate::limits::{client_ip, IpKey, DAILY_WINDOW_MS};
use crate::state::{AppState, SharedState};
use crate::store::{CloudOutcome, NewCloud};

/// The domain of the address shown when a request gives none (as Cloudinary's CLI expects).
pub const PLACEHOLDER_EMAIL_DOMAIN: &str = "cloud.cloudinary.invalid";

/// The longest part of a refused entry quoted back in `Invalid delivery IP: ...`.
const MAX_QUOTED_ENTRY: usize = 100;

/// The cloud endpoint's route.
pub fn routes() -> Routes {
    Routes::new().post(CLOUD_ENDPOINT_PATH, create)
}

/// The claim page's URL for a token.
pub fn claim_url(base: &str, token: &str) -> String {
    format!("{base}/claim?token={token}")
}

/// The address shown for a cloud created without one.
pub fn placeholder_email(cloud_name: &str) -> String {
    format!("cloud-{cloud_name}@{PLACEHOLDER_EMAIL_DOMAIN}")
}

/// The handler.
pub async fn create(
    State(state): State<SharedState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let caller = client_ip(peer, &headers, state.trusted_proxies);
    match handle(&state, caller, &headers, body).await {
        Ok(res) => res,
        Err(e) => e.response(state.extended_errors),
    }
}

/// Whether `ip` is an address media can be delivered to from the internet: not loopback,
/// private (RFC 1918, fc00::/7), link-local, shared (100.64.0.0/10, where carrier and VPN
/// gateways sit), unspecified, broadcast, multicast or reserved. The documentation ranges
/// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) count as public here, so
/// examples and tests can use them: an emulator choice, not a known rule of the service.
pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let this_network = a == 0;
    let reserved = a >= 240;
    let protocol = a == 192 && b == 0 && ip.octets()[2] == 0;
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || shared
        || this_network
        || reserved
        || protocol)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    let site_local = first & 0xffc0 == 0xfec0;
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || unique_local
        || link_local
        || site_local)
}

/// The delivery list as stored: the entries (with `requester_ip` resolved), then the caller,
/// each once, without the addresses that are not public. The caller's own address counts as
/// public when it is loopback (local use), and as not public with `--caller-not-public`.
pub fn resolve_delivery_ips(
    entries: &[DeliveryIp],
    caller: IpAddr,
    caller_not_public: bool,
) -> Vec<IpAddr> {
    let caller = caller.to_canonical();
    let mut out: Vec<IpAddr> = Vec::with_capacity(entries.len() + 1);
    let wanted = entries
        .iter()
        .map(|e| match e {
            DeliveryIp::Requester => caller,
            DeliveryIp::Addr(ip) => ip.to_canonical(),
        })
        .chain(std::iter::once(caller));
    for ip in wanted {
        let public = if ip == caller {
            !caller_not_public && (ip.is_loopback() || is_public(ip))
        } else {
            is_public(ip)
        };
        if public && !out.contains(&ip) {
            out.push(ip);
        }
    }
    out
}

/// A refused entry as the error message quotes it: a string as sent, anything else as JSON;
/// control characters removed and cut short, so the answer stays one readable line.
fn quoted_entry(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUOTED_ENTRY)
        .collect()
}

/// Step 3: `delivery_ips` read by the core's rule, answered with the service's own errors.
fn read_delivery_ips(body: &serde_json::Map<String, Value>) -> Result<Vec<DeliveryIp>, ApiError> {
    let items = match body.get(CloudField::DeliveryIps.name()) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(ApiError::DeliveryIpInvalid(quoted_entry(other))),
    };
    if items.len() > MAX_DELIVERY_IPS {
        return Err(ApiError::DeliveryIpsTooMany);
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let parsed = item
            .as_str()
            .map(|s| parse_delivery_ip(cloudinary_agent_account::text::trim(s)));
        match parsed {
            Some(Ok(ip)) => out.push(ip),
            _ => return Err(ApiError::DeliveryIpInvalid(quoted_entry(item))),
        }
    }
    Ok(out)
}

async fn handle(
    state: &AppState,
    caller: IpAddr,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let key = IpKey::of(caller);
    if !state.registration_open() {
        return Err(ApiError::CloudRegistrationDisabled);
    }
    if state.deny.blocks_region(caller) {
        tracing::info!(%key, "cloud request refused by a region rule");
        return Err(ApiError::CloudRegionBlocked);
    }
    let bytes = read_body(headers, body).await?;
    let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        // No body at all: every field is optional, so it reads as `{}`.
        Value::Object(serde_json::Map::new())
    } else {
        match headers.get(header::CONTENT_TYPE) {
            Some(v) if v.to_str().is_ok_and(is_json_content_type) => {}
            _ => return Err(ApiError::ContentType),
        }
        serde_json::from_slice(&bytes).map_err(|_| ApiError::InvalidJson)?
    };
    let Value::Object(mut fields) = value else {
        return Err(validate_cloud_json(&value, UnknownKeys::Ignore)
            .err()
            .map_or(ApiError::InvalidJson, ApiError::Validation));
    };
    let entries = read_delivery_ips(&fields)?;
    // The other fields by the shared rules; delivery_ips was answered above in the service's
    // own terms.
    fields.remove(CloudField::DeliveryIps.name());
    let req = validate_cloud_json(&Value::Object(fields), UnknownKeys::Ignore)
        .map_err(ApiError::Validation)?;
    let region_blocked = entries.iter().any(|e| match e {
        DeliveryIp::Addr(ip) => state.deny.blocks_region(*ip),
        DeliveryIp::Requester => false,
    });
    if region_blocked {
        tracing::info!(%key, "cloud request refused by a region rule on a delivery IP");
        return Err(ApiError::CloudRegionBlocked);
    }
    let delivery_ips: Vec<String> =
        resolve_delivery_ips(&entries, caller, state.clouds.caller_not_public)
            .iter()
            .map(IpAddr::to_string)
            .collect();
    if delivery_ips.is_empty() {
        return Err(ApiError::DeliveryIpsNotPublic);
    }
    if req
        .email
        .as_deref()
        .is_some_and(crate::disposable::is_disposable)
    {
        return Err(ApiError::DisposableEmail);
    }
    let secret = ApiSecret::generate();
    let now = state.clock.now_ms();
    let expires_at_ms = now.saturating_add(state.clouds.lifetime_ms);
    let cap = state.clouds.daily_cap.0.map(|c| c.get());
    let new = NewCloud {
        account_id: credentials::external_id(),
        email: req.email.clone(),
        secret_hash: secret.hash(),
        // The key, not the address: the cap counts an IPv6 /64 as one client.
        client_ip: key.to_string(),
        delivery_ips: delivery_ips.clone(),
        agent_framework: req.agent_framework.clone(),
        agent_llm_model: req.agent_llm_model.clone(),
        agent_goal: req.agent_goal.clone(),
        sdk_framework: req.sdk_framework.clone(),
        created_at_ms: now,
        expires_at_ms,
        daily_cap: cap.map(|c| (c, now - DAILY_WINDOW_MS)),
    };
    let account_id = new.account_id.clone();
    let created = match state.store.create_cloud(new).await? {
        CloudOutcome::Created(c) => c,
        CloudOutcome::EmailTaken => return Err(ApiError::AccountExists),
        CloudOutcome::DailyCapReached { oldest_ms } => {
            tracing::info!(%key, "cloud refused by the clouds' daily cap");
            return Ok(cap_reached_response(state, cap, oldest_ms, now));
        }
    };
    tracing::debug!(cloud_name = %created.cloud_name, "cloud created");
    let expires_at = iso8601(expires_at_ms);
    let base = base_url(state);
    let guidance = render_cloud(&CloudGuidanceInput {
        cloud_name: &created.cloud_name,
        expires_at: &expires_at,
        delivery_ips: &delivery_ips,
        sdk_framework: req.sdk_framework.as_deref(),
        base_url: base,
    });
    let answer = ClaimableCloud {
        account_id,
        email: req
            .email
            .unwrap_or_else(|| placeholder_email(&created.cloud_name)),
        api_environment_variable: format!(
            "CLOUDINARY_URL=cloudinary://{}:{}@{}",
            created.api_key,
            secret.expose(),
            created.cloud_name
        ),
        api_secret: secret.expose().to_owned(),
        cloud_name: created.cloud_name,
        api_key: created.api_key,
        claimed: false,
        expires_at,
        delivery_ips,
        claim_url: claim_url(base, &created.claim_token),
        guidance,
    };
    // The answer carries the secret and the claim token: created_response says no-store.
    created_response(&answer, cap, created.cap_window, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn public_addresses() {
        for s in [
            "8.8.8.8",
            "203.0.113.7",
            "198.51.100.2",
            "2001:db8::7",
            "2606:4700::1111",
            "::ffff:8.8.4.4",
        ] {
            assert!(is_public(ip(s)), "{s}");
        }
        for s in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.0.8",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip(s)), "{s}");
        }
        assert!(is_public(ip("100.128.0.1")) && is_public(ip("172.32.0.1")));
    }

    #[test]
    fn resolution_appends_the_caller_resolves_requester_ip_and_drops_private() {
        let a = DeliveryIp::Addr(ip("203.0.113.7"));
        let private = DeliveryIp::Addr(ip("10.0.0.1"));
        let caller = ip("198.51.100.2");
        assert_eq!(
            resolve_delivery_ips(&[a, private], caller, false),
            [ip("203.0.113.7"), caller]
        );
        assert_eq!(
            resolve_delivery_ips(&[DeliveryIp::Requester, a], caller, false),
            [caller, ip("203.0.113.7")]
        );
        // A loopback caller counts as public unless told otherwise.
        let local = ip("127.0.0.1");
        assert_eq!(resolve_delivery_ips(&[], local, false), [local]);
        assert!(resolve_delivery_ips(&[DeliveryIp::Requester], local, true).is_empty());
        assert_eq!(resolve_delivery_ips(&[a], local, true), [ip("203.0.113.7")]);
        // A private caller (behind a VPN) never counts.
        assert!(resolve_delivery_ips(&[private], ip("10.0.0.9"), false).is_empty());
        // IPv4-mapped IPv6 is the IPv4 address.
        let mapped = DeliveryIp::Addr(ip("::ffff:203.0.113.7"));
        assert_eq!(resolve_delivery_ips(&[a, mapped], caller, false).len(), 2);
    }

    #[test]
    fn quoted_entries_are_one_short_line() {
        assert_eq!(
            quoted_entry(&Value::String("not-an-ip".into())),
            "not-an-ip"
        );
        assert_eq!(quoted_entry(&serde_json::json!(7)), "7");
        assert_eq!(quoted_entry(&Value::String("a\nb".into())), "ab");
        assert_eq!(
            quoted_entry(&Value::String("x".repeat(500))).len(),
            MAX_QUOTED_ENTRY
        );
    }
}
