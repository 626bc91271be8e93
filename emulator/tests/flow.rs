//! The flow after creation: outbox, verification page, ping states, expiry by the clock.

mod common;

use common::*;
use serde_json::Value;

struct Created {
    cloud: String,
    key: String,
    secret: String,
}

impl Created {
    /// Pings with these credentials and expects the error `status` and `code`.
    async fn ping_fails(&self, c: &reqwest::Client, emu: &Emu, status: u16, code: &str) -> Value {
        ping_fails(c, emu, &self.cloud, &self.key, &self.secret, status, code).await
    }
}

async fn create_account(c: &reqwest::Client, emu: &Emu, email: &str) -> Created {
    let res = create(c, emu, &body(email)).await;
    assert_eq!(res.status(), 200);
    let v = json_of(res).await;
    let env = &v["product_environments"][0];
    Created {
        cloud: env["cloud_name"].as_str().unwrap().to_owned(),
        key: env["api_key"].as_str().unwrap().to_owned(),
        secret: env["api_secret"].as_str().unwrap().to_owned(),
    }
}

/// Pings with these credentials and expects an error: 401 (`authentication`) or 403
/// (`forbidden`) with `code`; returns the error object.
async fn ping_fails(
    c: &reqwest::Client,
    emu: &Emu,
    cloud: &str,
    key: &str,
    secret: &str,
    status: u16,
    code: &str,
) -> Value {
    let category = if status == 401 {
        "authentication"
    } else {
        "forbidden"
    };
    expect_error(
        ping(c, emu, cloud, key, secret).await,
        status,
        category,
        code,
    )
    .await
}

async fn verify_url(c: &reqwest::Client, emu: &Emu, email: &str) -> String {
    let mail = outbox(c, emu, &format!("?to={email}")).await;
    let list = mail.as_array().unwrap();
    // The mail holds a verification link (a credential): not printed.
    assert_eq!(list.len(), 1, "one e-mail to {email}");
    list[0]["verify_url"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn outbox_lists_newest_first_and_filters() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    for email in [
        "first@example.com",
        "second@example.com",
        "third@example.com",
    ] {
        create_account(&c, &emu, email).await;
    }
    let all = outbox(&c, &emu, "").await;
    let all = all.as_array().unwrap();
    let to: Vec<&str> = all.iter().map(|m| m["to"].as_str().unwrap()).collect();
    assert_eq!(
        to,
        [
            "third@example.com",
            "second@example.com",
            "first@example.com"
        ]
    );
    let m = &all[0];
    for key in ["id", "to", "subject", "text", "verify_url", "created_at"] {
        assert!(!m[key].is_null(), "{key} missing in {m}");
    }
    let url = m["verify_url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/verify/", emu.url)),
        "verify_url does not start with the emulator's /verify/"
    );
    assert!(
        m["text"].as_str().unwrap().contains(url),
        "the link is in the text"
    );
    assert!(m["text"].as_str().unwrap().contains("third@example.com"));
    assert!(m["subject"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("verify"));
    let one = outbox(&c, &emu, "?to=SECOND@example.com").await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["to"], "second@example.com");
    let none = outbox(&c, &emu, "?to=nobody@example.com").await;
    assert_eq!(none, Value::Array(vec![]));
    let limited = outbox(&c, &emu, "?limit=2").await;
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let res = c
        .get(emu.at("/_emulator/outbox?limit=0"))
        .send()
        .await
        .unwrap();
    expect_error(res, 400, "invalid_parameter", "invalid_control").await;
}

#[tokio::test]
async fn verification_activates_the_credentials() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    let a = create_account(&c, &emu, "verify.me@example.com").await;

    // Unverified: the right credentials get a 401 that says verification is pending.
    let e = a.ping_fails(&c, &emu, 401, "verification_pending").await;
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("verification is pending"));
    // Wrong credentials: a plain 401.
    ping_fails(
        &c,
        &emu,
        &a.cloud,
        &a.key,
        "wrong-secret",
        401,
        "invalid_credentials",
    )
    .await;
    ping_fails(
        &c,
        &emu,
        &a.cloud,
        "000000000000000",
        &a.secret,
        401,
        "invalid_credentials",
    )
    .await;
    ping_fails(
        &c,
        &emu,
        "dnosuchcloud",
        &a.key,
        &a.secret,
        401,
        "invalid_credentials",
    )
    .await;
    let res = c
        .get(emu.at(&format!("/v1_1/{}/ping", a.cloud)))
        .send()
        .await
        .unwrap();
    expect_error(res, 401, "authentication", "invalid_credentials").await;

    // The page has the form.
    let url = verify_url(&c, &emu, "verify.me@example.com").await;
    let res = c.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("name=\"password\""), "{html}");
    assert!(html.contains("<label for=\"password\">"), "{html}");
    assert!(html.contains(">Set password</button>"), "{html}");
    assert!(html.contains("verify.me@example.com"));

    // Too short: the form again, with the error.
    let res = post_form(&c, &url, &[("password", "short")]).await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("at least 8 characters"), "{html}");
    assert!(html.contains("name=\"password\""));
    let res = post_form(&c, &url, &[("other", "field")]).await;
    assert_eq!(res.status(), 400);
    a.ping_fails(&c, &emu, 401, "verification_pending").await;

    // Eight characters (code points) are enough.
    let res = post_form(&c, &url, &[("password", "pässwörd")]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Your account is active"));
    let res = ping(&c, &emu, &a.cloud, &a.key, &a.secret).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(json_of(res).await, serde_json::json!({"status": "ok"}));
    // Wrong credentials still fail once active.
    ping_fails(
        &c,
        &emu,
        &a.cloud,
        &a.key,
        "nope",
        401,
        "invalid_credentials",
    )
    .await;
    // The link now says the address is verified.
    let res = c.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("already verified"));

    // An unknown token.
    let res = c.get(emu.at("/verify/notarealtoken")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("not valid"));
}

#[tokio::test]
async fn unverified_accounts_are_disabled_after_24_hours() {
    let emu = Emu::start(&["--rate-limit", "off", "--test-controls"]);
    let c = client();
    let a = create_account(&c, &emu, "late@example.com").await;
    let url = verify_url(&c, &emu, "late@example.com").await;
    // One minute before the deadline: still pending.
    advance(&c, &emu, 86_400 - 60).await;
    a.ping_fails(&c, &emu, 401, "verification_pending").await;
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    // Past it: disabled.
    advance(&c, &emu, 60).await;
    let e = a.ping_fails(&c, &emu, 403, "account_disabled").await;
    assert!(e["message"].as_str().unwrap().contains("disabled"));
    let res = c.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains("disabled"));
    let res = post_form(&c, &url, &[("password", "long enough now")]).await;
    assert_eq!(res.status(), 410);
    a.ping_fails(&c, &emu, 403, "account_disabled").await;
    // Wrong credentials on a disabled account are still just wrong credentials.
    ping_fails(
        &c,
        &emu,
        &a.cloud,
        &a.key,
        "nope",
        401,
        "invalid_credentials",
    )
    .await;

    // Verified in time: stays active after the 24 hours.
    let b = create_account(&c, &emu, "ontime@example.com").await;
    let url = verify_url(&c, &emu, "ontime@example.com").await;
    advance(&c, &emu, 3600).await;
    assert_eq!(
        post_form(&c, &url, &[("password", "correct horse")])
            .await
            .status(),
        200
    );
    advance(&c, &emu, 2 * 86_400).await;
    assert_eq!(
        ping(&c, &emu, &b.cloud, &b.key, &b.secret).await.status(),
        200
    );
}

#[tokio::test]
async fn pages_escape_what_the_agent_sent() {
    let emu = Emu::start(&["--rate-limit", "off"]);
    let c = client();
    // '&' and '\'' are allowed in the local part of an address.
    let email = "o'neil&co@example.com";
    create_account(&c, &emu, email).await;
    let mail = outbox(&c, &emu, "").await;
    let url = mail[0]["verify_url"].as_str().unwrap().to_owned();
    let res = c.get(&url).send().await.unwrap();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"));
    let html = res.text().await.unwrap();
    assert!(html.contains("o&#39;neil&amp;co@example.com"), "{html}");
    assert!(!html.contains(email));
    assert!(!html.contains("<script"));
}

#[tokio::test]
async fn links_use_the_public_url_never_the_host_header() {
    let c = client();
    for (args, base) in [
        (vec![], None),
        (
            vec!["--public-url", "https://emu.example:8443/base/"],
            Some("https://emu.example:8443/base"),
        ),
    ] {
        let emu = Emu::start(&args);
        let base = base.map_or_else(|| emu.url.clone(), str::to_owned);
        // A request naming another host, as a client (or a DNS-rebinding page) can.
        let res = c
            .post(emu.at(ENDPOINT))
            .header("host", "attacker.example")
            .json(&body("host@example.com"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let guidance = json_of(res).await["guidance"].as_str().unwrap().to_owned();
        assert!(!guidance.contains("attacker.example"), "{guidance}");
        assert!(guidance.contains(&base), "{guidance}");
        // The outbox refuses a foreign Host (DNS rebinding); its links use the public URL.
        let res = c
            .get(emu.at("/_emulator/outbox"))
            .header("host", "attacker.example")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let mail = outbox(&c, &emu, "").await;
        let url = mail[0]["verify_url"].as_str().unwrap();
        // Compared without printing: the link is a credential for the account.
        assert!(
            url.starts_with(&format!("{base}/verify/")),
            "verify_url does not start with {base}/verify/"
        );
        assert!(!mail[0]["text"]
            .as_str()
            .unwrap()
            .contains("attacker.example"));
    }
}

#[tokio::test]
async fn the_verification_form_is_same_origin_and_needs_its_password() {
    let emu = Emu::start(&[]);
    let c = client();
    let a = create_account(&c, &emu, "form@example.com").await;
    let url = verify_url(&c, &emu, "form@example.com").await;
    let form = [("password", "a long enough password")];
    // A page on another origin cannot submit it.
    for headers in [
        &[("origin", "https://evil.example")][..],
        &[("sec-fetch-site", "cross-site")],
        // An opaque origin (a sandboxed frame) from another site.
        &[("origin", "null"), ("sec-fetch-site", "cross-site")],
        &[("origin", "null")],
    ] {
        let mut req = c.post(&url);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.form(&form).send().await.unwrap();
        assert_eq!(res.status(), 403, "{headers:?}");
    }
    a.ping_fails(&c, &emu, 401, "verification_pending").await;
    // The person following the link from any mail client still sees the form.
    let res = c
        .get(&url)
        .header("sec-fetch-site", "cross-site")
        .header("sec-fetch-mode", "navigate")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The page itself posts with the emulator's own origin; Chromium sends `Origin: null`
    // with `Sec-Fetch-Site: same-origin`, because the page's referrer policy is no-referrer.
    let res = c
        .post(&url)
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        ping(&c, &emu, &a.cloud, &a.key, &a.secret).await.status(),
        200
    );
    // Without its field (or too short) the form is refused, whatever the link's state.
    for body in ["", "other=x", "password=short"] {
        let res = c
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{body:?}");
    }
    let res = post_form(&c, &emu.at("/verify/not-a-token"), &[("password", "")]).await;
    assert_eq!(res.status(), 400);
}
