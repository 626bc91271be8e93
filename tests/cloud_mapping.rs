//! Every mapping of a Claimable Cloud answer: the two documented success shapes normalised to
//! one, the values checked before use, and the cloud endpoint's errors.

#![allow(clippy::result_large_err)]

use cloudinary_agent_account::creation::Creation;
use cloudinary_agent_account::error::{
    classify_as, interrupted_error_of, AccountError, ErrorCode, Interrupted, ResponseMeta,
};
use cloudinary_agent_account::retry::should_retry;
use serde_json::{json, Value};

const FAKE_SECRET: &str = "FAKE-secret-do-not-use-0000000000";
const FAKE_TOKEN: &str = "FAKE-claim-token-0000";
const TOP: [&str; 7] = cloudinary_agent_account::cloud_shape::CLOUD_TOP_FIELDS;

fn env_var() -> String {
    format!("CLOUDINARY_URL=cloudinary://123456789012345:{FAKE_SECRET}@cloud1")
}

/// The flat shape, as Cloudinary's CLI tests show it.
fn flat() -> Value {
    json!({
        "account_id": "acc_1",
        "email": "cloud-x@cloud.cloudinary.invalid",
        "cloud_name": "cloud1",
        "api_key": "123456789012345",
        "api_secret": FAKE_SECRET,
        "api_environment_variable": env_var(),
        "claimed": false,
        "expires_at": "2026-08-19T16:13:09Z",
        "delivery_ips": ["203.0.113.7", "2001:db8::7"],
        "claim_url": format!("https://console.cloudinary.com/claim?token={FAKE_TOKEN}"),
        "guidance": "Claim it.",
    })
}

/// The older shape: credentials in `product_environments[0]` and `api_access_keys[]`.
fn nested() -> Value {
    json!({
        "account_id": "acc_1",
        "expires_at": "2026-08-19T16:13:09Z",
        "claim_url": format!("https://console.cloudinary.com/claim?token={FAKE_TOKEN}"),
        "delivery_ips": ["203.0.113.7"],
        "product_environments": [{
            "cloud_name": "cloud1",
            "api_access_keys": [
                {"key": "999999999999999", "secret": "DISABLED-secret-0000000", "enabled": false},
                {"key": "123456789012345", "secret": FAKE_SECRET, "enabled": true},
            ],
        }],
        "unknown_field": {"kept": true},
    })
}

fn meta(status: u16) -> ResponseMeta {
    ResponseMeta {
        status,
        ..Default::default()
    }
}

fn cloud(body: &Value) -> Result<Value, AccountError> {
    classify_as(
        Creation::Cloud,
        &meta(200),
        body.to_string().as_bytes(),
        0.0,
    )
}

fn cloud_err(status: u16, body: Value) -> AccountError {
    classify_as(
        Creation::Cloud,
        &meta(status),
        body.to_string().as_bytes(),
        0.0,
    )
    .unwrap_err()
}

fn everything(e: &AccountError) -> String {
    format!("{e} {e:?}")
}

#[test]
fn the_flat_shape_is_the_cloud_as_sent() {
    let v = cloud(&flat()).unwrap();
    assert_eq!(v, flat());
}

#[test]
fn the_older_shape_gets_the_seven_fields_at_the_top_level_and_keeps_the_rest() {
    let v = cloud(&nested()).unwrap();
    for key in TOP {
        assert!(v.get(key).is_some(), "{key} missing at the top level");
    }
    assert_eq!(v["cloud_name"], "cloud1");
    // The first enabled access key, not the disabled one before it.
    assert_eq!(v["api_key"], "123456789012345");
    assert_eq!(v["api_secret"], FAKE_SECRET);
    // Built from the three when neither place holds it.
    assert_eq!(v["api_environment_variable"], env_var());
    assert_eq!(v["unknown_field"]["kept"], true);
    assert!(v["product_environments"].is_array(), "the original kept");
}

#[test]
fn product_environments_0_wins_over_the_top_level() {
    let mut body = flat();
    body["product_environments"] = json!([{
        "cloud_name": "cloud2",
        "api_key": "222222222222222",
        "api_secret": FAKE_SECRET,
        "api_environment_variable": format!("CLOUDINARY_URL=cloudinary://222222222222222:{FAKE_SECRET}@cloud2"),
    }]);
    let v = cloud(&body).unwrap();
    assert_eq!(v["cloud_name"], "cloud2");
    assert_eq!(v["api_key"], "222222222222222");
    assert!(v["api_environment_variable"]
        .as_str()
        .unwrap()
        .ends_with("@cloud2"));
}

#[test]
fn malformed_clouds_are_unexpected_responses_that_never_quote_values() {
    let with = |f: &dyn Fn(&mut Value)| {
        let mut b = flat();
        f(&mut b);
        b
    };
    let cases: Vec<(Value, &str)> = vec![
        (json!([]), "not a JSON object"),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("claim_url");
            }),
            "`claim_url` is missing",
        ),
        (
            with(&|b| b["claim_url"] = json!("javascript:alert(1)")),
            "`claim_url` is not an http(s) URL",
        ),
        (
            with(&|b| {
                b["claim_url"] = json!(format!("https://x.example/?token={FAKE_TOKEN}\u{1b}[2J"))
            }),
            "`claim_url` is not an http(s) URL",
        ),
        (
            with(&|b| b["expires_at"] = json!("tomorrow")),
            "`expires_at` is not an ISO 8601",
        ),
        (
            with(&|b| b["delivery_ips"] = json!("203.0.113.7")),
            "`delivery_ips` is not an array",
        ),
        (
            with(&|b| b["delivery_ips"] = json!(["203.0.113.7", "requester_ip"])),
            "`delivery_ips[1]` is not an IP address",
        ),
        (
            with(&|b| b["api_secret"] = json!("short")),
            "api_secret must be",
        ),
        (
            with(&|b| b["api_key"] = json!(12345)),
            "`api_key` is not a string",
        ),
        (
            with(&|b| {
                b["api_environment_variable"] =
                    json!(format!("CLOUDINARY_URL=cloudinary://1:{FAKE_SECRET}@evil"))
            }),
            "not the CLOUDINARY_URL of the three",
        ),
        (
            with(&|b| b["email"] = json!("x@y.example\u{1b}[2J")),
            "`email` is not a valid e-mail address",
        ),
        (
            with(&|b| b["product_environments"] = json!([])),
            "`product_environments` is not a non-empty array",
        ),
        (
            with(&|b| b["product_environments"] = json!(["x"])),
            "`product_environments[0]` is not an object",
        ),
    ];
    for (body, why) in cases {
        let e = cloud(&body).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnexpectedResponse, "{body}");
        assert!(
            e.message.contains("the cloud is malformed"),
            "{}",
            e.message
        );
        assert!(e.message.contains(why), "{} does not say {why}", e.message);
        let all = everything(&e);
        for secret in [FAKE_SECRET, FAKE_TOKEN, "evil", "javascript"] {
            assert!(!all.contains(secret), "{secret} leaked: {all}");
        }
        assert!(!e.may_have_created_account);
    }
}

#[test]
fn an_account_answer_is_not_a_cloud_and_a_cloud_is_not_an_account() {
    let account = json!({
        "external_id": "x", "email": "jane@example.com", "plan_name": "free",
        "guidance": "g", "product_environments": [{
            "external_id": "y", "cloud_name": "cloud1", "api_key": "123456789012345",
            "api_secret": FAKE_SECRET, "api_environment_variable": env_var(),
        }],
    });
    assert!(cloud(&account)
        .unwrap_err()
        .message
        .contains("`claim_url` is missing"));
    let e = classify_as(
        Creation::Account,
        &meta(200),
        flat().to_string().as_bytes(),
        0.0,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnexpectedResponse);
}

fn error(code: Option<&str>, message: &str) -> Value {
    let mut e = json!({"category": "user_error", "message": message});
    if let Some(code) = code {
        e["code"] = json!(code);
    }
    json!({ "error": e })
}

#[test]
fn not_public_is_its_own_code_with_or_without_the_server_code() {
    let message = "delivery_ips must contain at least one public IP address";
    for body in [
        error(Some("delivery_ips_not_public"), message),
        error(None, message),
    ] {
        let e = cloud_err(400, body);
        assert_eq!(e.code, ErrorCode::DeliveryIpsNotPublic);
        assert!(e.message.contains("VPN"), "{}", e.message);
        assert!(
            e.message.contains("public address"),
            "the advice: {}",
            e.message
        );
        assert!(!e.may_have_created_account);
        assert!(!should_retry(&e));
    }
}

#[test]
fn the_other_delivery_ip_400s_are_invalid_request_with_their_server_code() {
    for (code, message) in [
        ("delivery_ips_invalid", "Invalid delivery IP: not-an-ip"),
        (
            "delivery_ips_too_many",
            "At most 3 delivery_ips are allowed",
        ),
        ("delivery_ips_required", "delivery_ips is required"),
    ] {
        let e = cloud_err(400, error(Some(code), message));
        assert_eq!(e.code, ErrorCode::InvalidRequest, "{code}");
        assert_eq!(e.server_code.as_deref(), Some(code));
        assert!(e.message.contains(message), "{}", e.message);
    }
}

#[test]
fn the_cloud_403s_by_code_or_by_their_real_messages() {
    let disabled = "Agent account registration is currently unavailable";
    let location = "Location not permitted";
    for (body, want) in [
        (
            error(Some("agent_registration_disabled"), disabled),
            ErrorCode::RegistrationDisabled,
        ),
        (error(None, disabled), ErrorCode::RegistrationDisabled),
        (
            error(Some("geo_location_not_permitted"), location),
            ErrorCode::RegionBlocked,
        ),
        (error(None, location), ErrorCode::RegionBlocked),
        (error(None, "Invalid request"), ErrorCode::Blocked),
    ] {
        assert_eq!(cloud_err(403, body.clone()).code, want, "{body}");
    }
}

#[test]
fn both_rate_limits_are_rate_limited_and_server_code_tells_which() {
    for (status, code) in [
        (429, "ip_rate_limit_exceeded"),
        (420, "ip_rate_limit_exceeded"),
        (429, "global_rate_limit_exceeded"),
    ] {
        let body = json!({"error": {"category": "rate_limit", "code": code, "message": "Rate limit exceeded"}});
        let e = cloud_err(status, body);
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert_eq!(e.server_code.as_deref(), Some(code));
        assert!(should_retry(&e));
        let says_service = e.message.contains("service-wide");
        assert_eq!(
            says_service,
            code == "global_rate_limit_exceeded",
            "{}",
            e.message
        );
    }
    let e = cloud_err(429, error(None, "Rate limit exceeded"));
    assert!(e.message.contains("cloud creation"), "{}", e.message);
}

#[test]
fn a_taken_address_and_a_5xx_mean_what_they_mean_for_accounts() {
    let e = cloud_err(400, error(None, r#"{"email":["has already been taken"]}"#));
    assert_eq!(e.code, ErrorCode::AccountExists);
    let e = cloud_err(500, json!({"error": {"message": "boom"}}));
    assert_eq!(e.code, ErrorCode::ServerError);
    assert!(e.may_have_created_account);
    assert!(e.message.contains("a cloud may exist"), "{}", e.message);
    assert!(!should_retry(&e));
}

#[test]
fn a_lost_cloud_answer_says_so_and_is_never_retried() {
    for why in [
        Interrupted::Timeout,
        Interrupted::Aborted,
        Interrupted::Network("reset".into()),
    ] {
        let e = interrupted_error_of(Creation::Cloud, why.clone(), true, 1000.0);
        assert!(e.may_have_created_account);
        assert!(e.message.contains("claim link are lost"), "{}", e.message);
        assert!(!should_retry(&e));
        let e = interrupted_error_of(Creation::Cloud, why, false, 1000.0);
        assert!(!e.message.contains("lost"), "{}", e.message);
    }
}

#[test]
fn every_code_is_listed_once_with_a_stable_name() {
    let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    for (i, c) in ErrorCode::ALL.iter().enumerate() {
        assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
        assert!(!names[..i].contains(&c.as_str()), "{c:?} twice");
        // Exhaustive: a new variant stops this compiling, a reminder to list it in ALL.
        match c {
            ErrorCode::InvalidInput
            | ErrorCode::InvalidRequest
            | ErrorCode::AccountExists
            | ErrorCode::DisposableEmail
            | ErrorCode::Blocked
            | ErrorCode::RegistrationDisabled
            | ErrorCode::RegionBlocked
            | ErrorCode::RateLimited
            | ErrorCode::ServerError
            | ErrorCode::Network
            | ErrorCode::Timeout
            | ErrorCode::Aborted
            | ErrorCode::UnexpectedResponse
            | ErrorCode::AccountDisabled
            | ErrorCode::DeliveryIpsNotPublic => {}
        }
    }
    // The package README's error table lists every code.
    let readme = include_str!("../pkg-template/README.md");
    for name in names {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README's error table lacks {name}"
        );
    }
}
