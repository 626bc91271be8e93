//! The account endpoint over real HTTP against the binary: success, every error rule,
//! headers, CORS, fault injection.

mod common;

use agent_account_emulator::clock::iso8601;
use cloudinary_agent_account::rails::errors_hash;
use cloudinary_agent_account::validate::{validate_json, UnknownKeys};
use common::*;
use serde_json::{json, Value};

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit())
}

#[tokio::test]
async fn success_has_the_documented_shape_and_headers() {
    let emu = Emu::start(&["--test-controls"]);
    let c = client();
    let before: i64 = json_of(c.get(emu.at("/_emulator/clock")).send().await.unwrap()).await
        ["now_unix_ms"]
        .as_i64()
        .unwrap();
    let mut b = body("  Jane.Doe@Example.com ");
    b["sdk_framework"] = json!("python");
    let res = create(&c, &emu, &b).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(is_hex32(h["x-request-id"].to_str().unwrap()));
    assert_eq!(h["x-featureratelimit-limit"], "10");
    assert_eq!(h["x-featureratelimit-remaining"], "9");
    let reset = h["x-featureratelimit-reset"].to_str().unwrap();
    assert!(
        cloudinary_agent_account::dates::parse_http_date(reset).is_some(),
        "{reset}"
    );
    assert_eq!(h["cache-control"], "no-store");
    let v = json_of(res).await;
    let after: i64 = json_of(c.get(emu.at("/_emulator/clock")).send().await.unwrap()).await
        ["now_unix_ms"]
        .as_i64()
        .unwrap();

    // The core crate's wire type accepts it.
    let account: cloudinary_agent_account::AgentAccount =
        serde_json::from_value(v.clone()).unwrap();
    assert!(is_hex32(&account.external_id));
    assert_eq!(account.email, "Jane.Doe@Example.com", "trimmed, case kept");
    assert_eq!(account.plan_name, "free");
    assert_eq!(account.product_environments.len(), 1);
    let env = &account.product_environments[0];
    assert!(is_hex32(&env.external_id));
    assert_eq!(env.api_key.len(), 15);
    assert!(env.api_key.chars().all(|c| c.is_ascii_digit()));
    assert!(env.api_secret.len() >= 24);
    assert!(!env.cloud_name.is_empty());
    // Compared without printing: both sides hold the secret.
    assert!(
        env.api_environment_variable
            == format!(
                "CLOUDINARY_URL=cloudinary://{}:{}@{}",
                env.api_key, env.api_secret, env.cloud_name
            ),
        "api_environment_variable is not CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD"
    );

    // Guidance: the exact deadline (creation + 24 h, UTC), .env, .gitignore, the SDK.
    let g = &account.guidance;
    let deadline_found =
        (before / 1000..=after / 1000).any(|s| g.contains(&iso8601((s + 86_400) * 1000)));
    assert!(deadline_found, "deadline missing: {g}");
    assert!(g.contains(".env") && g.contains(".gitignore"));
    assert!(g.contains("pip install cloudinary"));
    assert!(
        !g.contains(&env.api_secret),
        "the guidance never repeats the secret"
    );
}

#[tokio::test]
async fn guidance_follows_sdk_framework() {
    let emu = Emu::start(&["--daily-cap", "off"]);
    let c = client();
    for (i, (sdk, needle)) in [
        ("Node.js", "npm install cloudinary"),
        ("react", "@cloudinary/react"),
        ("Next.js", "next-cloudinary"),
        ("PHP", "composer require cloudinary/cloudinary_php"),
        ("java", "cloudinary-http5"),
        ("Ruby", "bundle add cloudinary"),
        ("golang", "go get github.com/cloudinary/cloudinary-go/v2"),
        (".NET", "dotnet add package CloudinaryDotNet"),
        ("csharp", "dotnet add package CloudinaryDotNet"),
        ("py", "pip install cloudinary"),
        ("cobol", "There is no specific set-up for `cobol`"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut b = body(&format!("sdk{i}@example.com"));
        b["sdk_framework"] = json!(sdk);
        let v = json_of(create(&c, &emu, &b).await).await;
        let g = v["guidance"].as_str().unwrap();
        assert!(g.contains(needle), "{sdk}: {g}");
    }
    let v = json_of(create(&c, &emu, &body("nosdk@example.com")).await).await;
    assert!(v["guidance"]
        .as_str()
        .unwrap()
        .contains("Set up a Cloudinary SDK"));
}

#[tokio::test]
async fn validation_uses_the_shared_rules() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    let long_goal: String = "é".repeat(301);
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "missing"),
        (
            json!({"email": "nope", "agent_framework": "x"}),
            "invalid_email",
        ),
        (
            json!({"email": "a@example.com", "agent_framework": "lc", "agent_llm_model": "m1", "agent_goal": long_goal}),
            "too_long",
        ),
        (
            json!({"email": "a@example.com", "agent_framework": "l\nc", "agent_llm_model": "m1", "agent_goal": "go"}),
            "control_character",
        ),
        (
            json!({"email": "a@example.com", "agent_framework": 7, "agent_llm_model": "m1", "agent_goal": "go"}),
            "wrong_type",
        ),
        (
            json!({"email": "a@example.com", "agent_framework": "lc", "agent_llm_model": "m1", "agent_goal": "go", "sdk_framework": "p"}),
            "too_short",
        ),
        (json!([1, 2]), "not_an_object"),
        (json!("text"), "not_an_object"),
    ];
    // --extended-errors adds the emulator's code and issues; the message stays the same.
    let extended = Emu::start(&["--extended-errors"]);
    for (b, code) in cases {
        let expected = validate_json(&b, UnknownKeys::Ignore).unwrap_err();
        expect_user_error(create(&c, &emu, &b).await, 400, &errors_hash(&expected)).await;
        let e = expect_error(create(&c, &extended, &b).await, 400, "user_error", code).await;
        assert_eq!(e["message"], errors_hash(&expected), "{b}");
        let issues: Vec<cloudinary_agent_account::ValidationIssue> =
            serde_json::from_value(e["issues"].clone()).unwrap();
        assert_eq!(issues, expected, "{b}");
    }
    // The Rails wording, one key per field.
    let mut b = body("a@example.com");
    b["agent_goal"] = json!("x".repeat(301));
    b["email"] = json!("");
    expect_user_error(
        create(&c, &emu, &b).await,
        400,
        r#"{"email":["can't be blank"],"agent_goal":["is too long (maximum is 300 characters)"]}"#,
    )
    .await;
    // 300 code points (600 bytes) is fine: lengths count characters, not bytes.
    let mut b = body("len@example.com");
    b["agent_goal"] = json!("é".repeat(300));
    assert_eq!(create(&c, &emu, &b).await.status(), 200);
    // Unknown keys are ignored, as Rails does; null sdk_framework means unset.
    let mut b = body("extra@example.com");
    b["favourite_colour"] = json!("blue");
    b["sdk_framework"] = Value::Null;
    assert_eq!(create(&c, &emu, &b).await.status(), 200);
}

#[tokio::test]
async fn malformed_bodies_and_content_types() {
    let emu = Emu::start(&[]);
    let c = client();
    let raw =
        |body: &'static [u8], ct: Option<&'static str>| post_raw(&c, &emu, ENDPOINT, ct, body);
    let not_json = r#"{"base":["is not valid JSON"]}"#;
    let json_ct = Some("application/json");
    for bad in [
        &b"{\"email\": "[..],
        b"",
        b"{\"email\": \"a\xff@example.com\"}",
    ] {
        expect_user_error(raw(bad, json_ct).await, 400, not_json).await;
    }
    let wrong_type = r#"{"base":["content type must be application/json"]}"#;
    expect_user_error(
        raw(
            b"email=a@example.com",
            Some("application/x-www-form-urlencoded"),
        )
        .await,
        400,
        wrong_type,
    )
    .await;
    expect_user_error(raw(b"{}", None).await, 400, wrong_type).await;
    // Parameters and case in the media type are fine.
    let ok = serde_json::to_string(&body("ct@example.com")).unwrap();
    let res = post_raw(
        &c,
        &emu,
        ENDPOINT,
        Some("Application/JSON; charset=utf-8"),
        ok,
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn body_limit_is_64_kib() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    let base = serde_json::to_string(&body("big@example.com")).unwrap();
    let exactly = format!("{base}{}", " ".repeat(64 * 1024 - base.len()));
    assert_eq!(exactly.len(), 65_536);
    let res = post_raw(&c, &emu, ENDPOINT, Some("application/json"), exactly).await;
    assert_eq!(res.status(), 200, "64 KiB exactly is accepted");
    let over = format!("{base}{}", " ".repeat(64 * 1024 + 1 - base.len()));
    let res = post_raw(&c, &emu, ENDPOINT, Some("application/json"), over).await;
    assert_eq!(res.status(), 413);
    assert_eq!(
        json_of(res).await,
        json!({"error": {"category": "user_error", "message": "Request body is too large (maximum is 65536 bytes)"}})
    );
    // Also without a Content-Length (chunked): the limit applies while reading.
    let addr = emu.url.trim_start_matches("http://").to_owned();
    let mut req = format!(
        "POST {ENDPOINT} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for _ in 0..80 {
        req.push_str(&format!("400\r\n{}\r\n", " ".repeat(1024)));
    }
    req.push_str("0\r\n\r\n");
    let answer = raw_http(&addr, req.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("Request body is too large"), "{answer}");
}

/// Sends raw bytes and reads the answer until the server closes.
fn raw_http(addr: &str, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    // The server may answer and close before reading everything: ignore write errors.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json() {
    let emu = Emu::start(&[]);
    let c = client();
    let res = c.get(emu.at("/no/such/path")).send().await.unwrap();
    expect_error(res, 404, "not_found", "not_found").await;
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let res = c
            .request(method.clone(), emu.at(ENDPOINT))
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["allow"], "POST", "{method}");
        expect_error(res, 405, "method_not_allowed", "method_not_allowed").await;
    }
    // Test controls are absent without the flag.
    let res = c
        .post(emu.at("/_emulator/clock/advance?seconds=1"))
        .send()
        .await
        .unwrap();
    expect_error(res, 404, "not_found", "not_found").await;
    let res = c
        .post(emu.at("/_emulator/faults"))
        .json(&json!({"count": 1}))
        .send()
        .await
        .unwrap();
    expect_error(res, 404, "not_found", "not_found").await;
}

#[tokio::test]
async fn disposable_domains_are_refused() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    for email in ["someone@mailinator.com", "someone@sub.10minutemail.com"] {
        expect_user_error(
            create(&c, &emu, &body(email)).await,
            400,
            r#"{"email":["is a disposable email address"]}"#,
        )
        .await;
    }
}

#[tokio::test]
async fn existing_account_any_case() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    assert_eq!(
        create(&c, &emu, &body("dup@example.com")).await.status(),
        200
    );
    for again in ["dup@example.com", "DUP@Example.COM", " dup@example.com "] {
        expect_account_exists(create(&c, &emu, &body(again)).await).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_hundred_concurrent_requests_create_one_account() {
    let emu = Emu::start(&["--rate-limit", "off", "--daily-cap", "off"]);
    let c = client();
    let url = emu.at(ENDPOINT);
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let c = c.clone();
            let url = url.clone();
            // Mixed case: the rule is case-insensitive.
            let email = if i % 2 == 0 {
                "race@example.com"
            } else {
                "RACE@example.com"
            };
            tokio::spawn(async move {
                let res = c.post(url).json(&body(email)).send().await.unwrap();
                let status = res.status().as_u16();
                let v: Value = res.json().await.unwrap();
                (status, v)
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        let (status, v) = t.await.unwrap();
        match status {
            200 => ok += 1,
            400 => assert_eq!(v["error"]["message"], TAKEN_MESSAGE),
            // Only the error part: a success body would hold a secret.
            other => panic!("unexpected {other}: {}", v["error"]),
        }
    }
    assert_eq!(ok, 1, "exactly one account");
    let mail = outbox(&c, &emu, "?to=race@example.com").await;
    assert_eq!(
        mail.as_array().unwrap().len(),
        1,
        "exactly one verification e-mail"
    );
}

#[tokio::test]
async fn rate_limit_counts_exactly_and_every_request_counts() {
    let emu = Emu::start(&[
        "--rate-limit",
        "3/3600",
        "--daily-cap",
        "off",
        "--test-controls",
        "--trust-forwarded-for",
    ]);
    let c = client();
    let ip = "198.51.100.7";
    // An invalid request counts as much as a valid one.
    let res = c
        .post(emu.at(ENDPOINT))
        .header("x-forwarded-for", ip)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["x-featureratelimit-remaining"], "2");
    let res = create_from(&c, &emu, &body("rl1@example.com"), ip).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-featureratelimit-limit"], "3");
    assert_eq!(res.headers()["x-featureratelimit-remaining"], "1");
    let res = create_from(&c, &emu, &body("rl2@example.com"), ip).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-featureratelimit-remaining"], "0");
    // The fourth is refused, with the documented body and headers.
    let res = create_from(&c, &emu, &body("rl3@example.com"), ip).await;
    assert_eq!(res.status(), 429);
    let h = res.headers().clone();
    let retry: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=1200).contains(&retry), "{retry}");
    assert_eq!(h["x-featureratelimit-limit"], "3");
    assert_eq!(h["x-featureratelimit-remaining"], "0");
    assert!(cloudinary_agent_account::dates::parse_http_date(
        h["x-featureratelimit-reset"].to_str().unwrap()
    )
    .is_some());
    assert!(h.contains_key("x-request-id"));
    let v = json_of(res).await;
    assert_eq!(
        v,
        json!({"error": {"category": "rate_limit", "code": "ip_rate_limit_exceeded", "message": "Rate limit exceeded"}})
    );
    // The core client maps it to rate_limited with the wait.
    // Another address has its own allowance.
    assert_eq!(
        create_from(&c, &emu, &body("rl4@example.com"), "198.51.100.8")
            .await
            .status(),
        200
    );
    // Time (the emulator clock) gives one request back every 1200 s.
    advance(&c, &emu, 1200).await;
    assert_eq!(
        create_from(&c, &emu, &body("rl5@example.com"), ip)
            .await
            .status(),
        200
    );
    assert_eq!(
        create_from(&c, &emu, &body("rl6@example.com"), ip)
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let emu = Emu::start(&["--rate-limit", "1/3600"]);
    let c = client();
    assert_eq!(
        create_from(&c, &emu, &body("f1@example.com"), "203.0.113.1")
            .await
            .status(),
        200
    );
    // A different X-Forwarded-For does not buy a new allowance.
    assert_eq!(
        create_from(&c, &emu, &body("f2@example.com"), "203.0.113.2")
            .await
            .status(),
        429
    );
}

/// The 429 of the per-IP cap, exactly as documented, with its headers; returns Retry-After.
async fn expect_cap_429(res: reqwest::Response, cap: &str) -> u64 {
    assert_eq!(res.status(), 429);
    let h = res.headers().clone();
    assert_eq!(h["x-featureratelimit-limit"], cap);
    assert_eq!(h["x-featureratelimit-remaining"], "0");
    assert!(cloudinary_agent_account::dates::parse_http_date(
        h["x-featureratelimit-reset"].to_str().unwrap()
    )
    .is_some());
    let retry: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(
        json_of(res).await,
        json!({"error": {"category": "rate_limit", "code": "ip_rate_limit_exceeded", "message": "Rate limit exceeded"}})
    );
    retry
}

#[tokio::test]
async fn ten_accounts_per_ip_a_day_by_default_then_429() {
    // Default flags: no short-burst limit, the cap of 10 in any 24 hours.
    let emu = Emu::start(&["--test-controls", "--trust-forwarded-for"]);
    let c = client();
    let ip = "192.0.2.50";
    for i in 0..10 {
        let res = create_from(&c, &emu, &body(&format!("cap{i}@example.com")), ip).await;
        assert_eq!(res.status(), 200, "account {i}");
        assert_eq!(res.headers()["x-featureratelimit-limit"], "10");
        let left = (9 - i).to_string();
        assert_eq!(res.headers()["x-featureratelimit-remaining"], left.as_str());
    }
    let retry = expect_cap_429(
        create_from(&c, &emu, &body("cap10@example.com"), ip).await,
        "10",
    )
    .await;
    assert!((86_000..=86_401).contains(&retry), "{retry}");
    // Failed attempts do not count toward the cap; another IP is unaffected.
    assert_eq!(
        create_from(&c, &emu, &body("other@example.com"), "192.0.2.51")
            .await
            .status(),
        200
    );
    advance(&c, &emu, 86400).await;
    assert_eq!(
        create_from(&c, &emu, &body("capnext@example.com"), ip)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn ipv6_clients_are_counted_by_their_64_prefix() {
    let emu = Emu::start(&["--daily-cap", "2", "--trust-forwarded-for"]);
    let c = client();
    // Three addresses of one /64: one client.
    for (i, ip) in ["2001:db8:5:6::1", "2001:db8:5:6:ffff::2"]
        .iter()
        .enumerate()
    {
        let res = create_from(&c, &emu, &body(&format!("v6-{i}@example.com")), ip).await;
        assert_eq!(res.status(), 200);
    }
    expect_cap_429(
        create_from(&c, &emu, &body("v6-2@example.com"), "2001:db8:5:6:1234::9").await,
        "2",
    )
    .await;
    // The next /64 is another client.
    assert_eq!(
        create_from(&c, &emu, &body("v6-3@example.com"), "2001:db8:5:7::1")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn forwarded_for_takes_the_address_the_proxy_appended() {
    let dir = tempfile::tempdir().unwrap();
    let deny = temp_file(dir.path(), "deny.txt", "ip 198.51.100.7\n");
    let deny = deny.to_str().unwrap();
    let emu = Emu::start(&["--trust-forwarded-for", "--deny-file", deny]);
    let c = client();
    // The client wrote 203.0.113.9 itself; the proxy appended the address it saw.
    expect_user_error(
        create_from(
            &c,
            &emu,
            &body("xff@example.com"),
            "203.0.113.9, 198.51.100.7",
        )
        .await,
        403,
        "Invalid request",
    )
    .await;
    // Two proxies: the client is the second address from the right.
    let emu = Emu::start(&[
        "--trust-forwarded-for",
        "--trusted-proxies",
        "2",
        "--deny-file",
        deny,
    ]);
    expect_user_error(
        create_from(
            &c,
            &emu,
            &body("xff2@example.com"),
            "203.0.113.9, 198.51.100.7, 10.0.0.1",
        )
        .await,
        403,
        "Invalid request",
    )
    .await;
    assert_eq!(
        create_from(
            &c,
            &emu,
            &body("xff3@example.com"),
            "198.51.100.7, 203.0.113.9, 10.0.0.1"
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn deny_rules_answer_the_three_documented_403s() {
    let dir = tempfile::tempdir().unwrap();
    let deny = temp_file(
        dir.path(),
        "deny.txt",
        "# test rules\ndomain blocked.example.com\nemail mallory@example.com\nip 192.0.2.0/24\nagent ÉVIL-BOT\nregion 203.0.113.0/24\n",
    );
    let emu = Emu::start(&[
        "--trust-forwarded-for",
        "--deny-file",
        deny.to_str().unwrap(),
    ]);
    let c = client();
    for b in [
        body("x@blocked.example.com"),
        body("x@deep.blocked.example.com"),
        body("Mallory@Example.com"),
        {
            // Decomposed, upper case, full width: the same agent.
            let mut b = body("agent@example.com");
            b["agent_framework"] = json!("E\u{301}VIL-ｂｏｔ 2");
            b
        },
    ] {
        expect_user_error(create(&c, &emu, &b).await, 403, "Invalid request").await;
    }
    expect_user_error(
        create_from(&c, &emu, &body("ip@example.com"), "192.0.2.9").await,
        403,
        "Invalid request",
    )
    .await;
    let res = c
        .post(emu.at(ENDPOINT))
        .header("user-agent", "Évil-Bot/1.0")
        .json(&body("ua@example.com"))
        .send()
        .await
        .unwrap();
    expect_user_error(res, 403, "Invalid request").await;
    // A region rule: its own code, even for a body that is not valid.
    for b in [body("geo@example.com"), json!({})] {
        let res = create_from(&c, &emu, &b, "203.0.113.77").await;
        assert_eq!(res.status(), 403);
        assert_eq!(
            json_of(res).await,
            json!({"error": {"category": "user_error", "code": "geo_location_not_permitted", "message": "Requests from your location are not permitted"}})
        );
    }
    assert_eq!(
        create(&c, &emu, &body("fine@example.com")).await.status(),
        200
    );
}

#[tokio::test]
async fn registration_can_be_switched_off_by_flag_and_control() {
    let disabled = json!({"error": {"category": "user_error", "code": "agent_registration_disabled", "message": "Agent registration is temporarily disabled"}});
    let c = client();
    let emu = Emu::start(&["--registration-disabled"]);
    let res = create(&c, &emu, &body("off@example.com")).await;
    assert_eq!(res.status(), 403);
    assert_eq!(json_of(res).await, disabled);

    let emu = Emu::start(&["--test-controls"]);
    let switch = |enabled: bool| {
        c.post(emu.at("/_emulator/registration"))
            .json(&json!({ "enabled": enabled }))
            .send()
    };
    assert_eq!(
        json_of(switch(false).await.unwrap()).await,
        json!({"enabled": false})
    );
    let res = create(&c, &emu, &body("off@example.com")).await;
    assert_eq!(res.status(), 403);
    assert_eq!(json_of(res).await, disabled);
    assert_eq!(
        json_of(switch(true).await.unwrap()).await,
        json!({"enabled": true})
    );
    assert_eq!(
        create(&c, &emu, &body("on@example.com")).await.status(),
        200
    );
}

#[tokio::test]
async fn extended_errors_are_opt_in() {
    let c = client();
    let plain = Emu::start(&[]);
    let extended = Emu::start(&["--extended-errors"]);
    for emu in [&plain, &extended] {
        assert_eq!(
            create(&c, emu, &body("ext@example.com")).await.status(),
            200
        );
    }
    expect_account_exists(create(&c, &plain, &body("ext@example.com")).await).await;
    let e = expect_error(
        create(&c, &extended, &body("ext@example.com")).await,
        400,
        "user_error",
        "account_exists",
    )
    .await;
    assert_eq!(e["message"], TAKEN_MESSAGE);
}

#[tokio::test]
async fn cors_only_on_the_public_api() {
    let emu = Emu::start(&[]);
    let c = client();
    let res = c
        .request(reqwest::Method::OPTIONS, emu.at(ENDPOINT))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    let allow_headers = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(allow_headers.contains("content-type") && allow_headers.contains("authorization"));
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert!(h.contains_key("x-request-id"));
    // The ping preflight with Authorization.
    let res = c
        .request(reqwest::Method::OPTIONS, emu.at("/v1_1/dsomething/ping"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    // A real answer exposes the headers a browser client must read.
    let res = c
        .post(emu.at(ENDPOINT))
        .header("origin", "https://app.example.com")
        .json(&body("cors@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for name in [
        "x-request-id",
        "retry-after",
        "x-featureratelimit-limit",
        "x-featureratelimit-remaining",
        "x-featureratelimit-reset",
    ] {
        assert!(exposed.contains(name), "{name} not in {exposed}");
    }
    // Nothing else answers CORS: no preflight, no header on an answer.
    for path in ["/", "/openapi.json", "/_emulator/outbox", "/verify/abc"] {
        let res = c
            .request(reqwest::Method::OPTIONS, emu.at(path))
            .header("origin", "https://app.example.com")
            .header("access-control-request-method", "GET")
            .send()
            .await
            .unwrap();
        assert!(
            !res.headers().contains_key("access-control-allow-origin"),
            "{path}"
        );
        let res = c.get(emu.at(path)).send().await.unwrap();
        assert!(
            !res.headers().contains_key("access-control-allow-origin"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn test_controls_and_outbox_refuse_other_origins() {
    let emu = Emu::start(&["--test-controls"]);
    let c = client();
    let foreign = [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ];
    for (name, value) in foreign {
        let requests = [
            c.post(emu.at("/_emulator/faults"))
                .json(&json!({"count": 1, "guidance_suffix": "[x](https://phish.example)"})),
            c.post(emu.at("/_emulator/clock/advance?seconds=60")),
            c.post(emu.at("/_emulator/registration"))
                .json(&json!({"enabled": false})),
            c.delete(emu.at("/_emulator/faults")),
            c.get(emu.at("/_emulator/outbox")),
            c.get(emu.at("/_emulator/clock")),
        ];
        for r in requests {
            let res = r.header(name, value).send().await.unwrap();
            assert!(!res.headers().contains_key("access-control-allow-origin"));
            expect_error(res, 403, "forbidden", "cross_origin").await;
        }
    }
    // Nothing was changed: the next account has the real guidance.
    let v = json_of(create(&c, &emu, &body("origin@example.com")).await).await;
    assert!(!v["guidance"].as_str().unwrap().contains("phish"));
    // The emulator's own origin, a tool without those headers, and a person opening the
    // outbox from a link all pass.
    let own = emu.url.clone();
    for (name, value) in [("origin", own.as_str()), ("sec-fetch-site", "same-origin")] {
        let res = c
            .get(emu.at("/_emulator/outbox"))
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{name}: {value}");
    }
    let res = c
        .get(emu.at("/_emulator/outbox"))
        .header("sec-fetch-site", "cross-site")
        .header("sec-fetch-mode", "navigate")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        c.get(emu.at("/_emulator/clock"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn every_answer_has_a_request_id() {
    let emu = Emu::start(&[]);
    let c = client();
    let mut ids = std::collections::HashSet::new();
    for res in [
        c.get(emu.url.clone()).send().await.unwrap(),
        c.get(emu.at("/openapi.json")).send().await.unwrap(),
        c.get(emu.at("/nowhere")).send().await.unwrap(),
        c.delete(emu.at(ENDPOINT)).send().await.unwrap(),
        c.get(emu.at("/verify/abc")).send().await.unwrap(),
        c.get(emu.at("/_emulator/outbox")).send().await.unwrap(),
        c.get(emu.at("/v1_1/dnone/ping")).send().await.unwrap(),
    ] {
        let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert!(is_hex32(&id));
        assert!(ids.insert(id), "ids are unique");
    }
}

#[tokio::test]
async fn fault_injection() {
    let emu = Emu::start(&["--test-controls", "--rate-limit", "off"]);
    let c = client();
    let set = |v: Value| c.post(emu.at("/_emulator/faults")).json(&v).send();
    // A replacement answer, twice, then the real one.
    let res = set(json!({"count": 2, "status": 503, "body": "upstream down", "content_type": "text/plain", "headers": {"Retry-After": "7", "X-Test": "yes"}})).await.unwrap();
    assert_eq!(json_of(res).await["remaining"], 2);
    for _ in 0..2 {
        let res = create(&c, &emu, &body("fault@example.com")).await;
        assert_eq!(res.status(), 503);
        assert_eq!(res.headers()["content-type"], "text/plain");
        assert_eq!(res.headers()["retry-after"], "7");
        assert_eq!(res.headers()["x-test"], "yes");
        assert!(res.headers().contains_key("x-request-id"));
        assert_eq!(res.text().await.unwrap(), "upstream down");
    }
    assert_eq!(
        create(&c, &emu, &body("fault@example.com")).await.status(),
        200
    );
    // A delay alone delays the real answer.
    set(json!({"count": 1, "delay_ms": 400})).await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        create(&c, &emu, &body("slow@example.com")).await.status(),
        200
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));
    // A guidance suffix is appended to the real guidance.
    set(json!({"count": 1, "guidance_suffix": "<img src=x onerror=alert(1)>"}))
        .await
        .unwrap();
    let v = json_of(create(&c, &emu, &body("suffix@example.com")).await).await;
    let g = v["guidance"].as_str().unwrap();
    assert!(g.ends_with("<img src=x onerror=alert(1)>"));
    assert!(g.contains("## 1."));
    // DELETE clears.
    set(json!({"count": 5, "status": 500})).await.unwrap();
    let res = c.delete(emu.at("/_emulator/faults")).send().await.unwrap();
    assert_eq!(json_of(res).await["remaining"], 0);
    assert_eq!(
        create(&c, &emu, &body("cleared@example.com"))
            .await
            .status(),
        200
    );
    // Invalid specifications.
    for bad in [
        json!({"status": 500}),
        json!({"count": 1, "status": 999}),
        json!({"count": 1, "headers": {"bad header": "x"}}),
        json!({"count": 1, "colour": "red"}),
    ] {
        let res = set(bad.clone()).await.unwrap();
        expect_error(res, 400, "invalid_parameter", "invalid_control").await;
    }
}

#[tokio::test]
async fn clock_controls() {
    let emu = Emu::start(&["--test-controls"]);
    let c = client();
    let before = json_of(c.get(emu.at("/_emulator/clock")).send().await.unwrap()).await
        ["now_unix_ms"]
        .as_i64()
        .unwrap();
    let v = json_of(
        c.post(emu.at("/_emulator/clock/advance?seconds=3600"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let after = v["now_unix_ms"].as_i64().unwrap();
    assert!(after - before >= 3_600_000 && after - before < 3_700_000);
    assert_eq!(v["now"], iso8601(after));
    for bad in ["", "?seconds=-5", "?seconds=abc"] {
        let res = c
            .post(emu.at(&format!("/_emulator/clock/advance{bad}")))
            .send()
            .await
            .unwrap();
        expect_error(res, 400, "invalid_parameter", "invalid_control").await;
    }
    // The total offset is bounded (the rate limiter counts 64-bit nanoseconds): moving far
    // ahead is refused, and the server keeps working, rate limiter included.
    let mut refused = false;
    for _ in 0..20 {
        let res = c
            .post(emu.at("/_emulator/clock/advance?seconds=315360000"))
            .send()
            .await
            .unwrap();
        if res.status() == 400 {
            refused = true;
            break;
        }
        assert_eq!(res.status(), 200);
    }
    assert!(refused, "a total offset over 100 years is refused");
    assert_eq!(
        create(&c, &emu, &body("future@example.com")).await.status(),
        200
    );
    assert_eq!(
        c.get(emu.at("/_emulator/clock"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn secrets_never_reach_the_log() {
    let emu = Emu::start_with_env(&["--rate-limit", "off"], &[("RUST_LOG", "trace")]);
    let c = client();
    let v = json_of(create(&c, &emu, &body("quiet@example.com")).await).await;
    let env = &v["product_environments"][0];
    let secret = env["api_secret"].as_str().unwrap();
    let auth = c
        .get(emu.at(&format!(
            "/v1_1/{}/ping",
            env["cloud_name"].as_str().unwrap()
        )))
        .basic_auth(env["api_key"].as_str().unwrap(), Some(secret))
        .send()
        .await
        .unwrap();
    assert_eq!(auth.status(), 401);
    let mail = outbox(&c, &emu, "").await;
    let token = mail[0]["verify_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    c.get(emu.at(&format!("/verify/{token}")))
        .send()
        .await
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let log = emu.log_text();
    assert!(!log.is_empty(), "trace logging is on");
    assert!(!log.contains(secret), "the secret is in the log");
    assert!(
        !log.contains("cloudinary://"),
        "a CLOUDINARY_URL is in the log"
    );
    assert!(!log.contains(&token), "a verification token is in the log");
}
