//! Every mapping from an HTTP answer to an account or an error code.

use cloudinary_agent_account::dates::{format_http_date, parse_http_date};
use cloudinary_agent_account::error::{
    classify, retry_after_ms, ErrorCode, ResponseMeta, MAX_RESPONSE_BYTES,
};
use cloudinary_agent_account::validate::IssueCode;
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
    let mut cases: Vec<(String, &str)> = vec![
        ("not json".into(), "not JSON"),
        (
            "<html><body>502 Bad Gateway</body></html>".into(),
            "not JSON",
        ),
        (String::new(), "not JSON"),
        ("[]".into(), "not a JSON object"),
    ];
    for key in [
        "external_id",
        "email",
        "plan_name",
        "guidance",
        "product_environments",
    ] {
        let mut v = account();
        v.as_object_mut().unwrap().remove(key);
        cases.push((v.to_string(), "missing"));
    }
    let mut v = account();
    v["product_environments"] = json!([]);
    cases.push((v.to_string(), "`product_environments` is empty"));
    let mut v = account();
    v["product_environments"] = json!(FAKE_SECRET);
    cases.push((v.to_string(), "is not an array"));
    let mut v = account();
    v["product_environments"][0]["api_secret"] = json!(12345);
    cases.push((
        v.to_string(),
        "`product_environments[0].api_secret` is not a string",
    ));
    let mut v = account();
    v["product_environments"][0]["api_key"] = json!(FAKE_SECRET.len());
    v["product_environments"][0]
        .as_object_mut()
        .unwrap()
        .remove("cloud_name");
    cases.push((
        v.to_string(),
        "product_environments[0].cloud_name` is missing",
    ));
    for (body, want) in cases {
        let e = classify(&meta(200), body.as_bytes(), 0.0).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnexpectedResponse, "{body}");
        assert!(e.message.contains(want), "{} / {want}", e.message);
        assert!(!e.message.contains(FAKE_SECRET));
        assert_eq!(e.status, Some(200));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
    }
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
}

#[test]
fn every_code_has_a_stable_name() {
    let all = [
        ErrorCode::InvalidInput,
        ErrorCode::InvalidRequest,
        ErrorCode::AccountExists,
        ErrorCode::DisposableEmail,
        ErrorCode::Blocked,
        ErrorCode::RateLimited,
        ErrorCode::ServerError,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::UnexpectedResponse,
    ];
    for c in all {
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
