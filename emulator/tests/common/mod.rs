//! What the emulator's integration tests share: the emulator itself (tests/support/emulator.rs,
//! the twin of the JS and Python launchers) and requests to it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

#[path = "../../../tests/support/emulator.rs"]
mod emulator;
pub use emulator::Emu;

use serde_json::{json, Value};

/// The account endpoint.
pub const ENDPOINT: &str = "/v1_1/provisioning/agents/accounts";

/// The Claimable Cloud endpoint.
pub const CLOUD_ENDPOINT: &str = "/v1_1/provisioning/clouds";

/// A client that never goes through a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A valid request body for `email`.
pub fn body(email: &str) -> Value {
    json!({
        "email": email,
        "agent_framework": "langchain",
        "agent_llm_model": "claude-opus-4-8",
        "agent_goal": "Host product images for a test shop",
    })
}

/// POSTs a JSON value to the account endpoint.
pub async fn create(c: &reqwest::Client, emu: &Emu, body: &Value) -> reqwest::Response {
    c.post(emu.at(ENDPOINT)).json(body).send().await.unwrap()
}

/// POSTs with an `X-Forwarded-For` header.
pub async fn create_from(
    c: &reqwest::Client,
    emu: &Emu,
    body: &Value,
    ip: &str,
) -> reqwest::Response {
    c.post(emu.at(ENDPOINT))
        .header("x-forwarded-for", ip)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The JSON of an answer.
pub async fn json_of(res: reqwest::Response) -> Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts an error answer's status, category and code; returns the `error` object.
pub async fn expect_error(
    res: reqwest::Response,
    status: u16,
    category: &str,
    code: &str,
) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    assert!(res.headers().contains_key("x-request-id"));
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/json"), "{ct}");
    let v = json_of(res).await;
    let e = v["error"].clone();
    assert_eq!(e["category"], category, "{v}");
    assert_eq!(e["code"], code, "{v}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    e
}

/// Asserts an error answer is exactly `{"error":{"category":"user_error","message":...}}`,
/// the real service's shape for validation and duplicate 400s and the generic 403: no
/// `code`, no `issues`, no other key.
pub async fn expect_user_error(res: reqwest::Response, status: u16, message: &str) {
    assert_eq!(res.status().as_u16(), status, "status");
    assert!(res.headers().contains_key("x-request-id"));
    let v = json_of(res).await;
    assert_eq!(
        v,
        json!({"error": {"category": "user_error", "message": message}}),
        "the body is exactly the documented envelope"
    );
}

/// The message of the duplicate-address 400 (a Rails errors hash, which the CLI recognises).
pub const TAKEN_MESSAGE: &str = r#"{"email":["has already been taken"]}"#;

/// Asserts the answer is the duplicate-address error, exactly as the real service sends it.
pub async fn expect_account_exists(res: reqwest::Response) {
    expect_user_error(res, 400, TAKEN_MESSAGE).await;
}

/// A temporary file with `text`.
pub fn temp_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// POSTs a JSON value to the cloud endpoint, from `ip` when given (`X-Forwarded-For`: the
/// emulator must trust it).
pub async fn create_cloud(
    c: &reqwest::Client,
    emu: &Emu,
    body: &Value,
    ip: Option<&str>,
) -> reqwest::Response {
    let mut req = c.post(emu.at(CLOUD_ENDPOINT)).json(body);
    if let Some(ip) = ip {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.unwrap()
}

/// The Admin API ping with these credentials.
pub async fn ping(
    c: &reqwest::Client,
    emu: &Emu,
    cloud: &str,
    key: &str,
    secret: &str,
) -> reqwest::Response {
    c.get(emu.at(&format!("/v1_1/{cloud}/ping")))
        .basic_auth(key, Some(secret))
        .send()
        .await
        .unwrap()
}

/// Moves the emulator clock forward (needs `--test-controls`).
pub async fn advance(c: &reqwest::Client, emu: &Emu, seconds: u64) {
    let res = c
        .post(emu.at(&format!("/_emulator/clock/advance?seconds={seconds}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// The outbox's mails, newest first (needs `--test-controls`); `query` is `""` or starts
/// with `?` (`?to=ADDRESS`, `?limit=N`).
pub async fn outbox(c: &reqwest::Client, emu: &Emu, query: &str) -> Value {
    json_of(
        c.get(emu.at(&format!("/_emulator/outbox{query}")))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// POSTs `body` as it is to `path`, with `content_type` when given.
pub async fn post_raw(
    c: &reqwest::Client,
    emu: &Emu,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut req = c.post(emu.at(path)).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    req.send().await.unwrap()
}

/// POSTs an HTML form (`application/x-www-form-urlencoded`) to `url`.
pub async fn post_form(c: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(url).form(form).send().await.unwrap()
}
