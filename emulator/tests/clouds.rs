//! The Claimable Cloud endpoint, one test per rule: the flat answer and credentials that work at
//! once, `delivery_ips` (the service's codes and messages, resolution, not-public), the switches
//! and region rules, the clouds' own cap, expiry on the emulator clock, the claim flow through
//! the outbox, the IP-locked delivery route, the taken and disposable addresses.

mod common;

use cloudinary_agent_account::dates::format_iso8601;
use common::*;
use serde_json::{json, Value};

/// The credentials and links of a created cloud.
struct Cloud {
    name: String,
    key: String,
    secret: String,
    claim_url: String,
    body: Value,
}

async fn created(res: reqwest::Response) -> Cloud {
    assert_eq!(res.status(), 200);
    let body = json_of(res).await;
    let s = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    Cloud {
        name: s("cloud_name"),
        key: s("api_key"),
        secret: s("api_secret"),
        claim_url: s("claim_url"),
        body,
    }
}

async fn new_cloud(c: &reqwest::Client, emu: &Emu, body: Value, ip: Option<&str>) -> Cloud {
    created(create_cloud(c, emu, &body, ip).await).await
}

async fn now_secs(c: &reqwest::Client, emu: &Emu) -> i64 {
    let v = json_of(c.get(emu.at("/_emulator/clock")).send().await.unwrap()).await;
    v["now_unix_ms"].as_i64().unwrap() / 1000
}

/// Asserts an error of the cloud endpoint is exactly the real service's envelope.
async fn expect_exact(res: reqwest::Response, status: u16, body: Value) {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(json_of(res).await, body);
}

fn cloud_error(category: &str, code: &str, message: &str) -> Value {
    json!({"error": {"category": category, "code": code, "message": message}})
}

#[tokio::test]
async fn the_answer_is_flat_and_the_credentials_work_at_once() {
    let emu = Emu::start(&["--test-controls"]);
    let c = client();
    let before = now_secs(&c, &emu).await;
    let res = create_cloud(&c, &emu, &json!({}), None).await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers().contains_key("x-featureratelimit-limit"));
    let cloud = created(res).await;
    let after = now_secs(&c, &emu).await;
    let b = &cloud.body;
    let keys: std::collections::BTreeSet<&str> =
        b.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        std::collections::BTreeSet::from([
            "account_id",
            "email",
            "cloud_name",
            "api_key",
            "api_secret",
            "api_environment_variable",
            "claimed",
            "expires_at",
            "delivery_ips",
            "claim_url",
            "guidance"
        ])
    );
    assert_eq!(b["account_id"].as_str().unwrap().len(), 32);
    assert_eq!(
        b["email"],
        format!("cloud-{}@cloud.cloudinary.invalid", cloud.name)
    );
    assert!(cloud.key.len() == 15 && cloud.key.bytes().all(|d| d.is_ascii_digit()));
    assert_eq!(cloud.secret.len(), 32);
    let expected = format!(
        "CLOUDINARY_URL=cloudinary://{}:{}@{}",
        cloud.key, cloud.secret, cloud.name
    );
    assert!(
        b["api_environment_variable"] == expected.as_str(),
        "api_environment_variable is not the whole CLOUDINARY_URL line"
    );
    assert_eq!(b["claimed"], false);
    let expires = b["expires_at"].as_str().unwrap();
    assert!(
        format_iso8601(before + 86_400).as_str() <= expires
            && expires <= format_iso8601(after + 86_400).as_str(),
        "expires_at is 24 hours after creation: {expires}"
    );
    // A loopback caller counts as public, so local use works.
    assert_eq!(b["delivery_ips"], json!(["127.0.0.1"]));
    assert!(cloud.claim_url.starts_with(&emu.at("/claim?token=")));
    let guidance = b["guidance"].as_str().unwrap();
    assert!(guidance.contains("x-cld-error: ACL deny") && guidance.contains(expires));
    assert!(!guidance.contains(&cloud.secret) && !guidance.contains(&cloud.claim_url));
    // Credentials work at once, unlike an account's.
    let res = ping(&c, &emu, &cloud.name, &cloud.key, &cloud.secret).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json_of(res).await, json!({"status": "ok"}));
    let wrong = ping(&c, &emu, &cloud.name, &cloud.key, "wrong-secret").await;
    expect_error(wrong, 401, "authentication", "invalid_credentials").await;
    // The secret and the claim token never reach the log.
    let token = cloud.claim_url.split("token=").nth(1).unwrap();
    let log = emu.log_text();
    assert!(!log.contains(&cloud.secret) && !log.contains(token));
}

#[tokio::test]
async fn the_fields_follow_the_shared_rules_and_unknown_keys_are_ignored() {
    let emu = Emu::start(&[]);
    let c = client();
    let full = json!({
        "email": "  jane@example.com ",
        "agent_framework": "langchain",
        "agent_llm_model": "claude-opus-4-8",
        "agent_goal": "Host product images for a test shop",
        "sdk_framework": "python",
        "unknown": 1,
    });
    let cloud = new_cloud(&c, &emu, full, None).await;
    assert_eq!(cloud.body["email"], "jane@example.com");
    assert!(cloud.body["guidance"]
        .as_str()
        .unwrap()
        .contains("pip install cloudinary"));
    for (body, message) in [
        (
            json!({"agent_goal": "x"}),
            r#"{"agent_goal":["is too short (minimum is 2 characters)"]}"#,
        ),
        (
            json!({"email": "not-an-address"}),
            r#"{"email":["is invalid"]}"#,
        ),
        (
            json!({"agent_framework": 7}),
            r#"{"agent_framework":["is invalid"]}"#,
        ),
    ] {
        let res = create_cloud(&c, &emu, &body, None).await;
        expect_user_error(res, 400, message).await;
    }
    // Not JSON, a JSON body without its content type, not an object.
    let res = post_raw(&c, &emu, CLOUD_ENDPOINT, Some("application/json"), "{").await;
    expect_user_error(res, 400, r#"{"base":["is not valid JSON"]}"#).await;
    let res = post_raw(&c, &emu, CLOUD_ENDPOINT, Some("text/plain"), "{}").await;
    expect_user_error(
        res,
        400,
        r#"{"base":["content type must be application/json"]}"#,
    )
    .await;
    let res = create_cloud(&c, &emu, &json!([]), None).await;
    assert_eq!(res.status(), 400);
    // No body at all is `{}`.
    let res = c.post(emu.at(CLOUD_ENDPOINT)).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn delivery_ips_answer_with_the_services_codes_and_messages() {
    let emu = Emu::start(&[]);
    let c = client();
    let four =
        json!({"delivery_ips": ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]});
    expect_exact(
        create_cloud(&c, &emu, &four, None).await,
        400,
        cloud_error(
            "user_error",
            "delivery_ips_too_many",
            "At most 3 delivery_ips are allowed",
        ),
    )
    .await;
    for (entry, quoted) in [
        (json!("not-an-ip"), "not-an-ip"),
        (json!("203.0.113.0/24"), "203.0.113.0/24"),
        (json!("example.com"), "example.com"),
        (json!(7), "7"),
    ] {
        let body = json!({ "delivery_ips": ["198.51.100.2", entry] });
        expect_exact(
            create_cloud(&c, &emu, &body, None).await,
            400,
            cloud_error(
                "user_error",
                "delivery_ips_invalid",
                &format!("Invalid delivery IP: {quoted}"),
            ),
        )
        .await;
    }
    // A list, not a string.
    let res = create_cloud(&c, &emu, &json!({"delivery_ips": "198.51.100.2"}), None).await;
    expect_error(res, 400, "user_error", "delivery_ips_invalid").await;
    // Resolved: requester_ip is the caller, the caller is appended once, private addresses
    // are dropped, repeats are dropped, IPv6 is kept in canonical form.
    let body = json!({"delivery_ips": ["requester_ip", "10.0.0.1", "2001:DB8:0:0:0:0:0:7"]});
    let cloud = new_cloud(&c, &emu, body, None).await;
    assert_eq!(
        cloud.body["delivery_ips"],
        json!(["127.0.0.1", "2001:db8::7"])
    );
    let body = json!({"delivery_ips": ["203.0.113.7", " 203.0.113.7", "192.168.1.9"]});
    let cloud = new_cloud(&c, &emu, body, None).await;
    assert_eq!(
        cloud.body["delivery_ips"],
        json!(["203.0.113.7", "127.0.0.1"])
    );
}

#[tokio::test]
async fn a_caller_that_is_not_public_needs_a_public_delivery_ip() {
    let not_public = cloud_error(
        "user_error",
        "delivery_ips_not_public",
        "delivery_ips must contain at least one public IP address",
    );
    let emu = Emu::start(&["--caller-not-public"]);
    let c = client();
    for body in [
        json!({}),
        json!({"delivery_ips": ["requester_ip", "10.1.2.3"]}),
    ] {
        expect_exact(
            create_cloud(&c, &emu, &body, None).await,
            400,
            not_public.clone(),
        )
        .await;
    }
    let cloud = new_cloud(&c, &emu, json!({"delivery_ips": ["203.0.113.7"]}), None).await;
    assert_eq!(cloud.body["delivery_ips"], json!(["203.0.113.7"]));
    // Without the switch, a request arriving from a private address (a VPN, a gateway).
    let emu = Emu::start(&["--trust-forwarded-for"]);
    let res = create_cloud(&c, &emu, &json!({}), Some("10.8.0.2")).await;
    expect_exact(res, 400, not_public).await;
    let res = create_cloud(&c, &emu, &json!({}), Some("100.64.1.2")).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn registration_switch_and_region_rules() {
    let emu = Emu::start(&["--registration-disabled", "--test-controls"]);
    let c = client();
    let closed = cloud_error(
        "user_error",
        "agent_registration_disabled",
        "Agent account registration is currently unavailable",
    );
    expect_exact(create_cloud(&c, &emu, &json!({}), None).await, 403, closed).await;
    let res = c
        .post(emu.at("/_emulator/registration"))
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(create_cloud(&c, &emu, &json!({}), None).await.status(), 200);

    let dir = tempfile::tempdir().unwrap();
    let rules = temp_file(dir.path(), "deny.txt", "region 192.0.2.0/24\n");
    let emu = Emu::start(&[
        "--trust-forwarded-for",
        "--deny-file",
        rules.to_str().unwrap(),
    ]);
    let geo = cloud_error(
        "user_error",
        "geo_location_not_permitted",
        "Location not permitted",
    );
    // The caller's address, and every delivery IP supplied.
    let res = create_cloud(&c, &emu, &json!({}), Some("192.0.2.9")).await;
    expect_exact(res, 403, geo.clone()).await;
    let body = json!({"delivery_ips": ["203.0.113.7", "192.0.2.10"]});
    expect_exact(
        create_cloud(&c, &emu, &body, Some("198.51.100.2")).await,
        403,
        geo,
    )
    .await;
    assert_eq!(
        create_cloud(&c, &emu, &json!({}), Some("198.51.100.2"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn clouds_have_their_own_cap_per_ip_a_day() {
    let emu = Emu::start(&[
        "--test-controls",
        "--trust-forwarded-for",
        "--cloud-daily-cap",
        "2",
        "--daily-cap",
        "1",
    ]);
    let c = client();
    let ip = Some("203.0.113.20");
    for remaining in ["1", "0"] {
        let res = create_cloud(&c, &emu, &json!({}), ip).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["x-featureratelimit-limit"], "2");
        assert_eq!(res.headers()["x-featureratelimit-remaining"], remaining);
    }
    let res = create_cloud(&c, &emu, &json!({}), ip).await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 86_000 && retry <= 86_401, "{retry}");
    expect_exact(
        res,
        429,
        cloud_error(
            "rate_limit",
            "ip_rate_limit_exceeded",
            "Rate limit exceeded",
        ),
    )
    .await;
    // Another address, and the accounts' own count, are not touched.
    assert_eq!(
        create_cloud(&c, &emu, &json!({}), Some("203.0.113.21"))
            .await
            .status(),
        200
    );
    let res = create_from(&c, &emu, &body("cap-owner@example.com"), "203.0.113.20").await;
    assert_eq!(res.status(), 200);
    // A day later the window has moved on.
    advance(&c, &emu, 86_401).await;
    assert_eq!(create_cloud(&c, &emu, &json!({}), ip).await.status(), 200);

    let emu = Emu::start(&["--cloud-daily-cap", "off"]);
    for _ in 0..12 {
        let res = create_cloud(&c, &emu, &json!({}), None).await;
        assert_eq!(res.status(), 200);
        assert!(!res.headers().contains_key("x-featureratelimit-limit"));
    }
}

#[tokio::test]
async fn an_unclaimed_cloud_is_disabled_when_it_expires() {
    let emu = Emu::start(&["--test-controls", "--cloud-lifetime", "3600"]);
    let c = client();
    let before = now_secs(&c, &emu).await;
    let cloud = new_cloud(&c, &emu, json!({}), None).await;
    let expires = cloud.body["expires_at"].as_str().unwrap().to_owned();
    assert!(expires >= format_iso8601(before + 3600) && expires <= format_iso8601(before + 3602));
    advance(&c, &emu, 3500).await;
    assert_eq!(
        ping(&c, &emu, &cloud.name, &cloud.key, &cloud.secret)
            .await
            .status(),
        200
    );
    advance(&c, &emu, 200).await;
    let e = expect_error(
        ping(&c, &emu, &cloud.name, &cloud.key, &cloud.secret).await,
        401,
        "authentication",
        "cloud_disabled",
    )
    .await;
    assert!(e["message"].as_str().unwrap().contains("disabled"));
    let page = c.get(&cloud.claim_url).send().await.unwrap();
    assert_eq!(page.status(), 410);
    let res = c
        .get(emu.at(&format!("/{}/image/upload/sample.jpg", cloud.name)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_claim_page_sends_a_confirmation_whose_link_claims_the_cloud() {
    let emu = Emu::start(&["--test-controls", "--trust-forwarded-for"]);
    let c = client();
    let body = json!({"email": "o'hara+claim&co@example.com"});
    let cloud = new_cloud(&c, &emu, body, None).await;
    // The page: e-mail pre-filled (escaped), the terms checkbox, an optional password.
    let res = c.get(&cloud.claim_url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"o&#39;hara+claim&amp;co@example.com\""));
    assert!(html.contains("name=\"terms\"") && html.contains("name=\"password\""));
    assert!(
        !html.contains("required minlength"),
        "the password is optional"
    );
    // Nothing sent yet; the terms are required; a short password is refused.
    let outbox = |to: &str| {
        let url = emu.at(&format!("/_emulator/outbox?to={}", urlencode(to)));
        let c = c.clone();
        async move { json_of(c.get(url).send().await.unwrap()).await }
    };
    assert_eq!(outbox("claimer@example.com").await, json!([]));
    for form in [
        vec![("email", "claimer@example.com")],
        vec![
            ("email", "claimer@example.com"),
            ("terms", "accepted"),
            ("password", "short"),
        ],
        vec![("email", "not an address"), ("terms", "accepted")],
    ] {
        let res = post_form(&c, &cloud.claim_url, &form).await;
        assert_eq!(res.status(), 400);
    }
    // From another origin: refused.
    let res = c
        .post(&cloud.claim_url)
        .header("origin", "https://evil.example")
        .form(&[("email", "claimer@example.com"), ("terms", "accepted")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .post(&cloud.claim_url)
        .header("origin", &emu.url)
        .form(&[
            ("email", "claimer@example.com"),
            ("terms", "accepted"),
            ("password", "long enough"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Check your e-mail"));
    // The confirmation e-mail and its link.
    let mail = outbox("claimer@example.com").await;
    let list = mail.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["kind"], "claim");
    let link = list[0]["verify_url"].as_str().unwrap().to_owned();
    assert!(link.starts_with(&emu.at("/claim/confirm/")));
    assert!(list[0]["text"].as_str().unwrap().contains(&link));
    // Still unclaimed until the link is used: IP-locked, expiring.
    let other_ip = "198.51.100.77";
    let image = |ip: &'static str| {
        let url = emu.at(&format!("/{}/image/upload/v1/sample.png", cloud.name));
        let c = c.clone();
        async move {
            c.get(url)
                .header("x-forwarded-for", ip)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(image(other_ip).await.status(), 401);
    let res = c.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Confirm the claim"));
    let res = c
        .post(&link)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c.post(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Your cloud is claimed"));
    // Claimed: same credentials, no expiry, no IP lock; the pages say so.
    advance(&c, &emu, 3 * 86_400).await;
    assert_eq!(
        ping(&c, &emu, &cloud.name, &cloud.key, &cloud.secret)
            .await
            .status(),
        200
    );
    assert_eq!(image(other_ip).await.status(), 200);
    for url in [&cloud.claim_url, &link] {
        let res = c.get(url).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Already claimed"));
    }
    // Tokens are credentials: not in the log.
    let log = emu.log_text();
    let token = cloud.claim_url.split("token=").nth(1).unwrap();
    let confirm = link.rsplit('/').next().unwrap();
    assert!(!log.contains(token) && !log.contains(confirm));
    // Wrong tokens.
    let bad = emu.at("/claim?token=1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(c.get(bad).send().await.unwrap().status(), 404);
    assert_eq!(c.get(emu.at("/claim")).send().await.unwrap().status(), 404);
    let bad = emu.at("/claim/confirm/1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(c.post(bad).send().await.unwrap().status(), 404);
    let bad = emu.at("/claim/confirm/%FF");
    assert_eq!(c.get(bad).send().await.unwrap().status(), 404);
}

/// Percent-encodes a query value (the addresses here are ASCII).
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn delivery_is_locked_to_the_delivery_ips_until_the_claim() {
    let emu = Emu::start(&["--trust-forwarded-for"]);
    let c = client();
    let ips = json!({"delivery_ips": ["2001:db8::7"]});
    let cloud = new_cloud(&c, &emu, ips, Some("203.0.113.7")).await;
    assert_eq!(
        cloud.body["delivery_ips"],
        json!(["2001:db8::7", "203.0.113.7"])
    );
    let get = |ip: &'static str, path: &str| {
        let url = emu.at(path);
        let c = c.clone();
        async move {
            c.get(url)
                .header("x-forwarded-for", ip)
                .send()
                .await
                .unwrap()
        }
    };
    let path = format!("/{}/image/upload/w_100/folder/sample.jpg", cloud.name);
    for ip in ["203.0.113.7", "2001:db8::7"] {
        let res = get(ip, &path).await;
        assert_eq!(res.status(), 200, "{ip}");
        assert_eq!(res.headers()["content-type"], "image/gif");
        assert!(!res.headers().contains_key("x-cld-error"));
        assert!(res.bytes().await.unwrap().starts_with(b"GIF89a"));
    }
    let res = get("198.51.100.9", &path).await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["x-cld-error"], "ACL deny");
    // Uploads are not locked: the credentials still work from there.
    let res = c
        .get(emu.at(&format!("/v1_1/{}/ping", cloud.name)))
        .basic_auth(&cloud.key, Some(&cloud.secret))
        .header("x-forwarded-for", "198.51.100.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for path in [
        "/dnosuchcloud/image/upload/sample.jpg",
        "/%FF/image/upload/x.jpg",
    ] {
        let res = get("198.51.100.9", path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["x-cld-error"], "Resource not found");
    }
    // An account's product environment has no IP lock.
    let res = create_from(&c, &emu, &body("delivery-owner@example.com"), "203.0.113.8").await;
    let account = json_of(res).await;
    let name = account["product_environments"][0]["cloud_name"]
        .as_str()
        .unwrap();
    let res = get("198.51.100.9", &format!("/{name}/image/upload/sample.jpg")).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn taken_and_disposable_addresses_are_refused() {
    let emu = Emu::start(&[]);
    let c = client();
    assert_eq!(
        create(&c, &emu, &body("owner@example.com")).await.status(),
        200
    );
    for email in ["OWNER@example.com", "owner@example.com"] {
        let res = create_cloud(&c, &emu, &json!({ "email": email }), None).await;
        expect_account_exists(res).await;
    }
    let cloud_owner = json!({"email": "cloud-owner@example.com"});
    new_cloud(&c, &emu, cloud_owner.clone(), None).await;
    expect_account_exists(create_cloud(&c, &emu, &cloud_owner, None).await).await;
    let res = create_cloud(&c, &emu, &json!({"email": "x@mailinator.com"}), None).await;
    expect_user_error(res, 400, r#"{"email":["is a disposable email address"]}"#).await;
    // Placeholders never collide.
    new_cloud(&c, &emu, json!({}), None).await;
    new_cloud(&c, &emu, json!({}), None).await;
    let index = json_of(c.get(emu.at("/")).send().await.unwrap()).await;
    assert_eq!(
        (index["accounts"].as_u64(), index["clouds"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(index["cloud_endpoint"], CLOUD_ENDPOINT);
}

#[tokio::test]
async fn clouds_survive_a_restart_and_a_schema_1_file_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    // A file as the schema-1 emulator left it.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
             CREATE TABLE accounts (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL,
                email TEXT NOT NULL, cloud_name TEXT NOT NULL, env_external_id TEXT NOT NULL,
                api_key TEXT NOT NULL, secret_hash BLOB NOT NULL, verify_token TEXT NOT NULL,
                client_ip TEXT NOT NULL, agent_framework TEXT NOT NULL,
                agent_llm_model TEXT NOT NULL, agent_goal TEXT NOT NULL, sdk_framework TEXT,
                created_at INTEGER NOT NULL, verified_at INTEGER);
             CREATE UNIQUE INDEX accounts_email_lower ON accounts(lower(email));
             CREATE TABLE outbox (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,
                to_addr TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
                verify_token TEXT NOT NULL, created_at INTEGER NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let db = format!("--db={}", path.display());
    let mut emu = Emu::start(&[&db]);
    let c = client();
    assert_eq!(
        create(&c, &emu, &body("migrated@example.com"))
            .await
            .status(),
        200
    );
    let cloud = new_cloud(&c, &emu, json!({}), None).await;
    let mail = outbox(&c, &emu, "").await;
    assert_eq!(mail[0]["kind"], "verification");
    assert!(emu.terminate().success());
    let emu = Emu::start(&[&db]);
    assert_eq!(
        ping(&c, &emu, &cloud.name, &cloud.key, &cloud.secret)
            .await
            .status(),
        200
    );
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
}
