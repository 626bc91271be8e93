//! Every mapping from an HTTP answer to an account or an error code.

use cloudinary_agent_account::dates::{format_http_date, parse_http_date};
use cloudinary_agent_account::error::{
    classify, interrupted_error, retry_after_ms, should_retry, AccountError, ErrorCode,
    Interrupted, ResponseMeta, MAX_RESPONSE_BYTES,
};
use cloudinary_agent_account::validate::IssueCode;
use cloudinary_agent_account::wire::AgentAccount;
use serde_json::json;

const FAKE_SECRET: &str = "FAKE-secret-do-not-use-0000000000";

fn account() -> serde_json::Value {
    json!({
        "external_id": "0aaaaa1bbbbb2ccccc3ddddd4eeeee5f",
        "email": "jane@example.com",
        "plan_name": "free",
        "product_environments": [{
            "external_id": "abcde1fghij2klmno3pqrst4uvwxy5z",
            "cloud_name": "product1",
            "api_key": "123456789012345",
            "api_secret": FAKE_SECRET,
            "api_environment_variable": format!("CLOUDINARY_URL=cloudinary://123456789012345:{FAKE_SECRET}@product1"),
        }],
        "guidance": "Verify your e-mail.",
    })
}

/// The keys of `wire::AgentAccount` and of its `ProductEnvironment`, as they serialize: the
/// fields the account check must ask for, no more, no fewer.
fn wire_keys() -> (Vec<String>, Vec<String>) {
    let typed: AgentAccount = serde_json::from_value(account()).unwrap();
    let v = serde_json::to_value(typed).unwrap();
    let keys = |o: &serde_json::Value| o.as_object().unwrap().keys().cloned().collect();
    (keys(&v), keys(&v["product_environments"][0]))
}

#[test]
fn the_account_check_accepts_exactly_what_wire_agent_account_serializes() {
    let typed: AgentAccount = serde_json::from_value(account()).unwrap();
    let body = serde_json::to_string(&typed).unwrap();
    assert!(classify(&meta(200), body.as_bytes(), 0.0).is_ok(), "{body}");
    // The fixture has those keys and no other, so removing each of them (below) covers them.
    let (top, env) = wire_keys();
    let fixture = account();
    assert_eq!(top.len(), fixture.as_object().unwrap().len());
    let fixture_env = fixture["product_environments"][0].as_object().unwrap();
    assert_eq!(env.len(), fixture_env.len());
}

fn meta(status: u16) -> ResponseMeta {
    ResponseMeta {
        status,
        request_id: Some("req-1".into()),
        ..Default::default()
    }
}

fn code_of(status: u16, body: &str) -> ErrorCode {
    classify(&meta(status), body.as_bytes(), 0.0)
        .unwrap_err()
        .code
}

fn err_body(category: &str, code: &str, message: &str) -> String {
    json!({"error": {"category": category, "code": code, "message": message}}).to_string()
}

#[test]
fn a_well_formed_200_is_the_account_with_unknown_fields_kept() {
    let mut body = account();
    body["brand_new_field"] = json!({"x": 1});
    let v = classify(&meta(200), body.to_string().as_bytes(), 0.0).unwrap();
    assert_eq!(v["brand_new_field"]["x"], 1);
    assert_eq!(v["product_environments"][0]["cloud_name"], "product1");
}

#[test]
fn malformed_successes_are_unexpected_responses_that_never_quote_values() {
    let mut cases: Vec<(String, String)> = [
        ("not json", "not JSON"),
        ("<html><body>502 Bad Gateway</body></html>", "not JSON"),
        ("", "not JSON"),
        ("[]", "not a JSON object"),
    ]
    .map(|(body, want)| (body.to_owned(), want.to_owned()))
    .into();
    let (top, env) = wire_keys();
    for key in &top {
        let mut v = account();
        v.as_object_mut().unwrap().remove(key);
        cases.push((v.to_string(), format!("`{key}` is missing")));
    }
    for key in &env {
        let mut v = account();
        v["product_environments"][0]
            .as_object_mut()
            .unwrap()
            .remove(key);
        cases.push((
            v.to_string(),
            format!("`product_environments[0].{key}` is missing"),
        ));
    }
    let mut v = account();
    v["product_environments"] = json!([]);
    cases.push((v.to_string(), "`product_environments` is empty".into()));
    let mut v = account();
    v["product_environments"] = json!(FAKE_SECRET);
    cases.push((v.to_string(), "is not an array".into()));
    let mut v = account();
    let env = v["product_environments"][0].clone();
    v["product_environments"] = json!([env, 7]);
    cases.push((
        v.to_string(),
        "`product_environments[1]` is not an object".into(),
    ));
    let mut v = account();
    v["product_environments"][0]["api_secret"] = json!(12345);
    cases.push((
        v.to_string(),
        "`product_environments[0].api_secret` is not a string".into(),
    ));
    let mut v = account();
    v["product_environments"][0]["api_key"] = json!(FAKE_SECRET.len());
    v["product_environments"][0]
        .as_object_mut()
        .unwrap()
        .remove("cloud_name");
    cases.push((
        v.to_string(),
        "product_environments[0].cloud_name` is missing".into(),
    ));
    for (body, want) in cases {
        let e = classify(&meta(200), body.as_bytes(), 0.0).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnexpectedResponse, "{body}");
        assert!(e.message.contains(&want), "{} / {want}", e.message);
        assert!(!e.message.contains(FAKE_SECRET));
        assert_eq!(e.status, Some(200));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
    }
}

#[test]
fn crafted_credential_values_are_unexpected_responses_that_never_quote_them() {
    let url = |k: &str, s: &str, c: &str| format!("CLOUDINARY_URL=cloudinary://{k}:{s}@{c}");
    let env_field = |field: &str, value: &str| {
        let mut v = account();
        let env = &mut v["product_environments"][0];
        env[field] = json!(value);
        let (k, s, c) = (
            env["api_key"].as_str().unwrap_or_default().to_owned(),
            env["api_secret"].as_str().unwrap_or_default().to_owned(),
            env["cloud_name"].as_str().unwrap_or_default().to_owned(),
        );
        // The URL agrees with the crafted field: the field's own rule is what refuses it.
        env["api_environment_variable"] = json!(url(&k, &s, &c));
        v
    };
    let mut cases = vec![];
    for (field, value) in [
        (
            "cloud_name",
            "product1\u{2028}NODE_OPTIONS=--require=./evil.js #",
        ),
        ("cloud_name", "x$(touch pwned)"),
        ("cloud_name", "\u{1b}]52;c;Zm9v\u{7}"),
        ("cloud_name", ""),
        ("api_key", "12345678901234a"),
        ("api_key", "123456789012345678901234567890123"),
        ("api_secret", "FAKE-short"),
        ("api_secret", "FAKE-secret-with-a-quote'-000000"),
        ("api_secret", "FAKE-secret-with-a-dollar$HOME-00"),
    ] {
        cases.push((env_field(field, value), field));
    }
    let mut v = account();
    v["email"] = json!("jane@example.com\u{2028}NODE_OPTIONS=--require=./evil.js #");
    cases.push((v, "email"));
    let mut v = account();
    v["email"] = json!("jane@example.com\u{1b}[2J");
    cases.push((v, "email"));
    let mut v = account();
    v["product_environments"][0]["api_environment_variable"] =
        json!(url("123456789012345", FAKE_SECRET, "othercloud"));
    cases.push((v, "api_environment_variable"));
    let mut v = account();
    v["product_environments"][0]["api_environment_variable"] = json!(format!(
        "{}\nEVIL=1",
        url("123456789012345", FAKE_SECRET, "product1")
    ));
    cases.push((v, "api_environment_variable"));
    for (body, field) in cases {
        let e = classify(&meta(200), body.to_string().as_bytes(), 0.0).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnexpectedResponse, "{field}");
        assert!(e.message.contains(field), "{} / {field}", e.message);
        assert!(!e.message.contains(FAKE_SECRET));
        for bad in ["evil", "pwned", "\u{1b}", "$", "'"] {
            assert!(!e.message.contains(bad), "{}", e.message);
        }
    }
    // Real values pass: the SDK's sample, and the bare URL without the name.
    let mut v = account();
    v["product_environments"][0]["cloud_name"] = json!("dka770o32n");
    v["product_environments"][0]["api_secret"] = json!("asdf1JKL2xyz3ABc4s3c5reT01DfaKez");
    v["product_environments"][0]["api_environment_variable"] =
        json!("cloudinary://123456789012345:asdf1JKL2xyz3ABc4s3c5reT01DfaKez@dka770o32n");
    assert!(classify(&meta(200), v.to_string().as_bytes(), 0.0).is_ok());
}

#[test]
fn a_body_over_one_mebibyte_is_refused() {
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_RESPONSE_BYTES));
    let e = classify(&meta(200), big.as_bytes(), 0.0).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnexpectedResponse);
    assert!(
        e.message.contains("over the 1048576-byte limit"),
        "{}",
        e.message
    );
}

#[test]
fn an_existing_account_is_account_exists_as_400_or_409() {
    assert_eq!(
        code_of(
            400,
            &err_body(
                "invalid_parameter",
                "account_exists",
                "Email has already been taken"
            )
        ),
        ErrorCode::AccountExists
    );
    // The Rails message alone is enough (the CLI checks it too).
    assert_eq!(
        code_of(
            400,
            r#"{"error":{"message":"Email has already been taken"}}"#
        ),
        ErrorCode::AccountExists
    );
    assert_eq!(
        code_of(409, r#"{"error":{"message":"Conflict"}}"#),
        ErrorCode::AccountExists
    );
    assert_eq!(code_of(409, ""), ErrorCode::AccountExists);
}

#[test]
fn disposable_domains_are_their_own_code() {
    assert_eq!(
        code_of(
            400,
            &err_body("invalid_parameter", "disposable_email", "Disposable e-mail")
        ),
        ErrorCode::DisposableEmail
    );
}

#[test]
fn other_400s_are_invalid_request_with_server_issues() {
    let body = json!({"error": {"category": "invalid_parameter", "code": "invalid_email", "message": "email must be valid",
        "issues": [{"field": "email", "code": "invalid_email", "message": "email must be valid"}]}});
    let e = classify(&meta(400), body.to_string().as_bytes(), 0.0).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert_eq!(e.category.as_deref(), Some("invalid_parameter"));
    assert_eq!(e.server_code.as_deref(), Some("invalid_email"));
    assert_eq!(e.issues.len(), 1);
    assert_eq!(e.issues[0].code, IssueCode::InvalidEmail);
    assert!(
        e.message.contains("email must be valid") && e.message.contains("HTTP 400"),
        "{}",
        e.message
    );
    for s in [401, 404, 405, 413, 422] {
        assert_eq!(code_of(s, "{}"), ErrorCode::InvalidRequest, "{s}");
    }
}

#[test]
fn forbidden_is_blocked() {
    assert_eq!(
        code_of(403, &err_body("forbidden", "blocked", "Request blocked")),
        ErrorCode::Blocked
    );
    assert_eq!(
        code_of(403, "<html>Access denied</html>"),
        ErrorCode::Blocked
    );
}

#[test]
fn rate_limits_are_420_and_429_with_retry_after() {
    for status in [420, 429] {
        let mut m = meta(status);
        m.retry_after = Some("7".into());
        let e = classify(
            &m,
            err_body(
                "rate_limit",
                "ip_rate_limit_exceeded",
                "Rate limit exceeded",
            )
            .as_bytes(),
            0.0,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert_eq!(e.retry_after_ms, Some(7000));
        assert_eq!(e.category.as_deref(), Some("rate_limit"));
        assert!(e.message.contains("retry after 7 s"), "{}", e.message);
    }
}

#[test]
fn server_failures_are_server_error_even_with_html_bodies() {
    for s in [500, 502, 503, 504] {
        let e = classify(&meta(s), b"<html><h1>Bad gateway</h1></html>", 0.0).unwrap_err();
        assert_eq!(e.code, ErrorCode::ServerError);
        assert!(
            e.message.contains("not the documented JSON error"),
            "{}",
            e.message
        );
        assert!(e.message.contains(&format!("HTTP {s}")));
    }
}

#[test]
fn other_statuses_are_unexpected() {
    for s in [101, 204, 302, 304] {
        let code = code_of(s, "");
        if (200..300).contains(&s) {
            assert_eq!(code, ErrorCode::UnexpectedResponse);
        } else {
            assert_eq!(code, ErrorCode::UnexpectedResponse, "{s}");
        }
    }
}

#[test]
fn long_server_messages_are_cut() {
    let e = classify(
        &meta(400),
        err_body("x", "y", &"m".repeat(5000)).as_bytes(),
        0.0,
    )
    .unwrap_err();
    assert!(e.message.len() < 500, "{}", e.message.len());
}

#[test]
fn retry_after_takes_seconds_or_an_http_date() {
    assert_eq!(retry_after_ms("0", 0.0), Some(0));
    assert_eq!(retry_after_ms(" 120 ", 0.0), Some(120_000));
    let now = 1_700_000_000_000.0;
    let in_30s = format_http_date(1_700_000_030);
    assert_eq!(retry_after_ms(&in_30s, now), Some(30_000));
    assert_eq!(
        retry_after_ms(&format_http_date(1_600_000_000), now),
        Some(0)
    );
    assert_eq!(retry_after_ms("soon", now), None);
    assert_eq!(retry_after_ms("-5", now), None);
    // Saturating, as `u64::saturating_mul` is.
    assert_eq!(
        retry_after_ms("18446744073709551", now),
        Some(18_446_744_073_709_551_000)
    );
    assert_eq!(retry_after_ms("18446744073709552", now), Some(u64::MAX));
}

#[test]
fn http_dates_round_trip() {
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784111777)
    );
    assert_eq!(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    for t in [0i64, 951_782_400, 1_709_164_800, 4_102_444_799] {
        assert_eq!(parse_http_date(&format_http_date(t)), Some(t));
    }
    assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
    assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    assert_eq!(parse_http_date("Sun, 32 Nov 1994 08:49:37 GMT"), None);
    // Every month (a date each 15 days of 2024); a name that is not one, or only part of one.
    for t in (0..24).map(|m| 1_704_067_200 + m * 15 * 86_400 + 3_661) {
        assert_eq!(parse_http_date(&format_http_date(t)), Some(t), "{t}");
    }
    for month in ["Foo", "JanF", "Ja", "nFe", "jan", ""] {
        let date = format!("Mon, 01 {month} 2024 00:00:00 GMT");
        assert_eq!(parse_http_date(&date), None, "{date}");
    }
}

#[test]
fn every_code_has_a_stable_name() {
    for c in ErrorCode::ALL {
        assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
    }
}

#[test]
fn debug_output_of_credentials_masks_the_secret() {
    let v: cloudinary_agent_account::AgentAccount = serde_json::from_value(account()).unwrap();
    let dbg = format!("{v:?}");
    assert!(!dbg.contains(FAKE_SECRET), "secret leaked into Debug");
    assert!(dbg.contains("<redacted>") && dbg.contains("product1"));
}

/// The real service's envelope: `category` and `message` only.
fn real(category: &str, message: serde_json::Value) -> String {
    json!({"error": {"category": category, "message": message}}).to_string()
}

fn classify_err(status: u16, body: &str) -> AccountError {
    classify(&meta(status), body.as_bytes(), 0.0).unwrap_err()
}

/// Everything of an error a caller can see, as one string (no value is printed on failure).
fn everything(e: &AccountError) -> String {
    format!("{e:?}")
}

#[test]
fn the_real_duplicate_answer_is_account_exists_with_an_email_issue() {
    let hash = r#"{"email":["has already been taken"]}"#;
    for body in [
        real("user_error", json!(hash)),
        real("user_error", serde_json::from_str(hash).unwrap()),
    ] {
        let e = classify_err(400, &body);
        assert_eq!(e.code, ErrorCode::AccountExists, "{body}");
        assert_eq!(e.category.as_deref(), Some("user_error"));
        assert_eq!(e.server_code, None);
        assert_eq!(e.issues.len(), 1);
        assert_eq!(e.issues[0].field, "email");
        assert_eq!(e.issues[0].code, IssueCode::Taken);
        assert_eq!(e.issues[0].message, "email has already been taken");
        // The fields in plain words, not the JSON.
        assert!(
            e.message.contains("email has already been taken"),
            "{}",
            e.message
        );
        assert!(
            !e.message.contains('{') && !e.message.contains('['),
            "{}",
            e.message
        );
        assert!(!e.may_have_created_account);
    }
}

#[test]
fn a_rails_validation_hash_becomes_one_issue_per_entry() {
    let hash = json!({
        "agent_goal": ["is too long (maximum is 300 characters)"],
        "email": ["is invalid"],
        "agent_framework": ["can't be blank", "is too short (minimum is 2 characters)"],
        "sdk_framework": ["is odd in a way nobody documented"],
    });
    for message in [json!(hash.to_string()), hash.clone()] {
        let e = classify_err(400, &real("user_error", message));
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        let got: Vec<(&str, IssueCode)> = e
            .issues
            .iter()
            .map(|i| (i.field.as_str(), i.code))
            .collect();
        for want in [
            ("agent_goal", IssueCode::TooLong),
            ("email", IssueCode::InvalidEmail),
            ("agent_framework", IssueCode::Missing),
            ("agent_framework", IssueCode::TooShort),
            ("sdk_framework", IssueCode::Other),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
        assert_eq!(got.len(), 5);
        assert!(
            e.message
                .contains("agent_goal is too long (maximum is 300 characters)"),
            "{}",
            e.message
        );
        assert!(
            !e.message.contains('{') && !e.message.contains("[\""),
            "{}",
            e.message
        );
    }
}

#[test]
fn a_disposable_domain_in_the_rails_form_is_disposable_email() {
    let e = classify_err(
        400,
        &real(
            "user_error",
            json!(r#"{"email":["is a disposable email address"]}"#),
        ),
    );
    assert_eq!(e.code, ErrorCode::DisposableEmail);
    assert_eq!(e.issues[0].code, IssueCode::Disposable);
}

#[test]
fn the_real_403s_and_429() {
    let with_code = |status, code: &str, message: &str| {
        json!({"error": {"category": "user_error", "code": code, "message": message}})
            .to_string()
            .pipe(|b| classify_err(status, &b))
    };
    let e = with_code(
        403,
        "agent_registration_disabled",
        "Agent registration is disabled",
    );
    assert_eq!(e.code, ErrorCode::RegistrationDisabled);
    assert_eq!(
        e.server_code.as_deref(),
        Some("agent_registration_disabled")
    );
    assert!(e.message.contains("do not retry soon"), "{}", e.message);
    let e = with_code(403, "geo_location_not_permitted", "Not permitted");
    assert_eq!(e.code, ErrorCode::RegionBlocked);
    let e = classify_err(403, &real("user_error", json!("Invalid request")));
    assert_eq!(e.code, ErrorCode::Blocked);
    assert!(e.message.contains("Invalid request"), "{}", e.message);
    let e = json!({"error": {"category": "rate_limit", "code": "ip_rate_limit_exceeded", "message": "Rate limit exceeded"}})
        .to_string()
        .pipe(|b| classify_err(429, &b));
    assert_eq!(e.code, ErrorCode::RateLimited);
    for e in [
        with_code(403, "agent_registration_disabled", "x"),
        classify_err(403, "{}"),
        classify_err(429, "{}"),
        classify_err(400, "{}"),
    ] {
        assert!(!e.may_have_created_account, "{:?}", e.code);
    }
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

#[test]
fn odd_error_shapes_are_handled_and_leak_nothing() {
    let secret = json!(FAKE_SECRET);
    let bodies = [
        json!({"error": {"category": "user_error", "message": 42}}),
        json!({"error": {"category": "user_error", "message": [FAKE_SECRET]}}),
        json!({"error": {"category": "user_error", "message": null}}),
        json!({"error": {"category": "user_error", "message": {"x": 1}}}),
        json!({"error": {"category": "user_error", "message": {"api_secret": [FAKE_SECRET]}}}),
        json!({"error": {"category": "user_error", "message": {"email": {"nested": FAKE_SECRET}}}}),
        json!({"error": {"category": "user_error"}}),
        json!({"error": {"message": "no category here"}}),
        json!({"error": {"category": 7, "code": [FAKE_SECRET], "message": "x"}}),
        json!({"error": "a bare string error"}),
        json!({"error": r#"{"email":["has already been taken"]}"#}),
        json!({"error": 12}),
        json!({"error": null}),
        json!({"error": [FAKE_SECRET]}),
        json!({"error": {"category": "user_error", "message": "x", "details": secret}}),
        json!({"error": {"category": "user_error", "message": "x", "details": {"api_secret": FAKE_SECRET}}}),
        json!({"error": {"category": "user_error", "message": "x", "details": [1, [2, {"s": FAKE_SECRET}]]}}),
        json!({"error": {"category": "user_error", "message": "x", "details": null}}),
        json!({"error": {"category": "user_error", "message": "x", "issues": FAKE_SECRET}}),
        json!({"error": {"category": "user_error", "message": "{not json"}}),
        json!({"error": {"category": "user_error", "message": "{}"}}),
        json!([FAKE_SECRET]),
        json!(FAKE_SECRET),
        json!(null),
    ];
    for status in [400, 403, 409, 422, 429, 500] {
        for body in &bodies {
            let e = classify_err(status, &body.to_string());
            assert!(
                !everything(&e).contains(FAKE_SECRET),
                "status {status}: a value leaked"
            );
        }
    }
    let e = classify_err(400, &json!({"error": "a bare string error"}).to_string());
    assert!(e.message.contains("a bare string error"), "{}", e.message);
    let e = classify_err(
        400,
        &json!({"error": r#"{"email":["has already been taken"]}"#}).to_string(),
    );
    assert_eq!(e.code, ErrorCode::AccountExists);
    let e = classify_err(
        400,
        &json!({"error": {"message": "no category here"}}).to_string(),
    );
    assert_eq!((e.code, e.category), (ErrorCode::InvalidRequest, None));
}

#[test]
fn credentials_a_server_echoes_never_reach_the_error() {
    let url = format!("cloudinary://123456789012345:{FAKE_SECRET}@product1");
    let messages = [
        format!("Invalid CLOUDINARY_URL={url}"),
        format!("bad credentials {url}"),
        format!("api_secret={FAKE_SECRET} is wrong"),
        format!(r#"{{"api_secret":["{FAKE_SECRET}"]}}"#),
        format!(r#"{{"email":["is invalid; api_secret: {FAKE_SECRET}"]}}"#),
        format!("Authorization: Basic {FAKE_SECRET}"),
        format!("{}{url}", "x".repeat(290)), // straddles the 300-character cut
    ];
    for m in &messages {
        for status in [400, 403, 429, 500] {
            let body = json!({"error": {"category": format!("c api_secret={FAKE_SECRET}"), "code": url, "message": m}});
            let mut mt = meta(status);
            mt.request_id = Some(format!("id token={FAKE_SECRET}"));
            let e = classify(&mt, body.to_string().as_bytes(), 0.0).unwrap_err();
            assert!(
                !everything(&e).contains(FAKE_SECRET),
                "status {status}: a secret leaked"
            );
            assert!(everything(&e).contains("[redacted]"));
        }
    }
}

#[test]
fn redirects_are_refused_never_followed() {
    for status in [0, 300, 301, 302, 303, 307, 308] {
        let mut m = meta(status);
        m.retry_after = Some("1".into());
        let e = classify(&m, fake_account_bytes().as_slice(), 0.0).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnexpectedResponse, "{status}");
        assert!(e.message.contains("redirect"), "{}", e.message);
        assert!(!should_retry(&e));
    }
}

fn fake_account_bytes() -> Vec<u8> {
    account().to_string().into_bytes()
}

/// The retry decision, pinned: over every status and several bodies, only 420 and 429 are
/// retried; over every code, only `rate_limited`, and never one that may have created an account.
#[test]
fn only_420_and_429_are_ever_retried() {
    let bodies = [
        String::new(),
        "<html>busy</html>".into(),
        err_body(
            "rate_limit",
            "ip_rate_limit_exceeded",
            "Rate limit exceeded",
        ),
        real(
            "user_error",
            json!(r#"{"email":["has already been taken"]}"#),
        ),
        account().to_string(),
    ];
    for status in 100..=599u16 {
        for body in &bodies {
            let retried = match classify(&meta(status), body.as_bytes(), 0.0) {
                Ok(_) => false,
                Err(e) => should_retry(&e),
            };
            assert_eq!(retried, status == 420 || status == 429, "status {status}");
        }
    }
    for code in ErrorCode::ALL {
        let mut e = AccountError::new(code, "x");
        assert_eq!(should_retry(&e), code == ErrorCode::RateLimited, "{code:?}");
        e.may_have_created_account = true;
        assert!(!should_retry(&e), "{code:?}");
    }
    for why in [
        Interrupted::Timeout,
        Interrupted::Aborted,
        Interrupted::Network("x".into()),
    ] {
        for sent in [false, true] {
            assert!(!should_retry(&interrupted_error(why.clone(), sent, 1000.0)));
        }
    }
}

#[test]
fn a_lost_answer_may_have_created_the_account() {
    for s in [500, 502, 503, 504, 599] {
        let e = classify_err(s, "<html>Bad gateway</html>");
        assert!(e.may_have_created_account, "{s}");
        assert!(e.message.contains("may exist"), "{}", e.message);
    }
    for why in [
        Interrupted::Timeout,
        Interrupted::Aborted,
        Interrupted::Network("reset".into()),
    ] {
        assert!(interrupted_error(why.clone(), true, 1000.0).may_have_created_account);
        let before = interrupted_error(why, false, 1000.0);
        assert!(!before.may_have_created_account);
        assert!(!before.message.contains("may exist"));
    }
    assert!(!classify_err(400, "{}").may_have_created_account);
    assert!(!classify_err(200, "not json").may_have_created_account);
}

#[test]
fn a_hostile_body_is_bounded() {
    let mut hash = serde_json::Map::new();
    for i in 0..10_000 {
        hash.insert(format!("f{i}"), json!(["is invalid"]));
    }
    let e = classify_err(
        400,
        &real(
            "user_error",
            json!(serde_json::Value::Object(hash).to_string()),
        ),
    );
    assert!(e.issues.len() <= 50, "{}", e.issues.len());
    assert!(e.message.len() < 500);
}

#[test]
fn request_ids_are_kept_only_when_shaped_like_one() {
    use cloudinary_agent_account::error::is_request_id;
    for ok in ["req-1", "0aaaaa1bbbbb2ccccc3ddddd4eeeee5f", "a.b_c:d-e"] {
        assert!(is_request_id(ok), "{ok}");
    }
    let long = "a".repeat(129);
    for bad in [
        "",
        "Basic MTIzOkZBS0U=",
        "id\u{1b}[2J",
        "a b",
        "x/y+z",
        long.as_str(),
    ] {
        assert!(!is_request_id(bad), "{bad}");
    }
}
