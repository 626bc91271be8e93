//! wasm-bindgen tests of the JS boundary. Run in Node and in headless Chromium by
//! `make test-wasm` (`cargo test` with wasm-bindgen's test runner; see the Makefile).

//!
//! `createAccount`'s I/O is pkg-template/client.js, tested through the installed package
//! (tests/js: refused connections, aborts, timeouts, redirects, capped bodies); here are its
//! Rust halves: `prepare`, `classify` and `interrupted`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use super::client;

/// The account's halves (creation 0), as these tests call them; the cloud's are in
/// `cloud_tests` below.
fn prepare(request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    client::prepare(0, request, options)
}

#[allow(clippy::too_many_arguments)]
fn classify(
    status: u16,
    h: JsValue,
    body: JsValue,
    size: f64,
    on_response: JsValue,
    retries: u32,
    max_retries: u32,
    max_retry_delay_ms: f64,
    now_ms: f64,
    deadline_ms: f64,
) -> JsValue {
    client::classify(
        0,
        status,
        h,
        body,
        size,
        on_response,
        retries,
        max_retries,
        max_retry_delay_ms,
        now_ms,
        deadline_ms,
    )
}

fn interrupted(how: u8, message: String, sent: bool, timeout_ms: f64) -> JsValue {
    client::interrupted(0, how, message, sent, timeout_ms)
}
use super::{render_guidance, render_guidance_text, validate_request};

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn good_request() -> Vec<(&'static str, JsValue)> {
    vec![
        ("email", "jane@example.com".into()),
        ("agent_framework", "langchain".into()),
        ("agent_llm_model", "claude-opus-4-8".into()),
        ("agent_goal", "Host product images".into()),
    ]
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn issues(req: JsValue) -> Vec<(String, String)> {
    Array::from(&validate_request(req))
        .iter()
        .map(|i| {
            (
                get(&i, "field").as_string().unwrap(),
                get(&i, "code").as_string().unwrap(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
fn valid_request_has_no_issues() {
    assert!(issues(obj(&good_request())).is_empty());
}

#[wasm_bindgen_test]
fn js_types_and_unknown_keys_are_issues() {
    let mut req = good_request();
    req[0] = ("email", JsValue::from_f64(3.0));
    req.push(("sdkFramework", "python".into()));
    req.push(("sdk_framework", JsValue::UNDEFINED));
    let got = issues(obj(&req));
    assert_eq!(
        got,
        vec![
            ("sdkFramework".to_string(), "unknown_field".to_string()),
            ("email".to_string(), "wrong_type".to_string()),
        ]
    );
    assert_eq!(
        issues(JsValue::NULL),
        vec![("request".into(), "not_an_object".into())]
    );
    assert_eq!(
        issues(Array::new().into()),
        vec![("request".into(), "not_an_object".into())]
    );
}

/// What `prepare` throws (it must throw: these inputs are invalid).
fn rejection(req: JsValue, options: JsValue) -> JsValue {
    prepare(req, options).unwrap_err()
}

fn code(err: &JsValue) -> String {
    get(err, "code").as_string().unwrap()
}

#[wasm_bindgen_test]
fn invalid_input_throws_an_agent_account_error() {
    let err = rejection(obj(&[]), JsValue::UNDEFINED);
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name").as_string().unwrap(), "AgentAccountError");
    assert_eq!(code(&err), "invalid_input");
    assert_eq!(Array::from(&get(&err, "issues")).length(), 4);
    assert_eq!(get(&err, "mayHaveCreatedAccount"), JsValue::FALSE);
    let class = super::agent_account_error_class();
    let ctor: &js_sys::Function = class.unchecked_ref();
    assert!(
        js_sys::Reflect::get_prototype_of(&err).unwrap()
            == get(ctor, "prototype").unchecked_into::<Object>()
    );
}

#[wasm_bindgen_test]
fn bad_options_are_invalid_input() {
    let opts = obj(&[
        ("timeoutMs", JsValue::from_f64(-1.0)),
        ("baseURL", "http://x".into()),
    ]);
    let err = rejection(obj(&good_request()), opts);
    assert_eq!(code(&err), "invalid_input");
    let msg = get(&err, "message").as_string().unwrap();
    assert!(msg.contains("options.timeoutMs"), "{msg}");
    assert!(msg.contains("did you mean `baseUrl`?"), "{msg}");
    let not_a_signal = obj(&[("signal", obj(&[("aborted", JsValue::TRUE)]))]);
    let err = rejection(obj(&good_request()), not_a_signal);
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("options.signal must be an AbortSignal"));
    // Options that are not an object: the issue names `options` itself.
    let err = rejection(obj(&good_request()), JsValue::from_f64(5.0));
    let issues = Array::from(&get(&err, "issues"));
    let first = issues.get(0);
    assert_eq!(get(&first, "field").as_string().unwrap(), "options");
    assert_eq!(get(&first, "code").as_string().unwrap(), "not_an_object");
    assert!(get(&first, "message")
        .as_string()
        .unwrap()
        .contains("options must be an object, not a number"));
}

#[wasm_bindgen_test]
fn options_are_read_from_one_packed_string_and_their_other_values_by_themselves() {
    // Strings come packed; a number, the signal or the callback is read on its own, once its
    // tag says it is there. Each wrong type is named, as the caller wrote it.
    let messages = |options: &str| messages_of(&rejection(obj(&good_request()), js(options)));
    assert_eq!(
        messages(r#"{ timeoutMs: "5", maxRetries: null, onResponse: 1, baseUrl: 7 }"#),
        [
            "options.timeoutMs must be a positive, finite number of milliseconds, not a string",
            "options.maxRetries must be a whole number from 0 to 10, not null",
            "options.onResponse must be a function, not a number",
            "options.baseUrl must be a string, not a number",
        ]
    );
    // A getter read twice (packed, then by itself): what it gives the second time is used,
    // and a throw then is `unreadable`, never a crash.
    let call = prepare(
        obj(&good_request()),
        js("{ get timeoutMs() { return 4000; }, signal: null, onResponse: undefined }"),
    )
    .unwrap();
    assert_eq!(get(&call, "timeoutMs").as_f64(), Some(4000.0));
    let flaky = js("(() => { let n = 0; return { get maxRetries() { if (n++) throw new Error('x'); return 1; } }; })()");
    assert_eq!(
        messages_of(&rejection(obj(&good_request()), flaky)),
        ["options.maxRetries could not be read: a Proxy or getter threw"]
    );
}

fn messages_of(err: &JsValue) -> Vec<String> {
    Array::from(&get(err, "issues"))
        .iter()
        .map(|i| get(&i, "message").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn prepare_returns_the_call() {
    let on_response = js_sys::Function::new_no_args("");
    let opts = obj(&[
        ("baseUrl", "http://127.0.0.1:9/prefix/".into()),
        ("timeoutMs", JsValue::from_f64(1e300)),
        ("maxRetries", JsValue::from_f64(2.0)),
        ("onResponse", on_response.clone().into()),
    ]);
    let call = prepare(obj(&good_request()), opts).unwrap();
    assert_eq!(
        get(&call, "url").as_string().unwrap(),
        "http://127.0.0.1:9/prefix/v1_1/provisioning/agents/accounts"
    );
    let body = get(&call, "body").as_string().unwrap();
    assert!(
        body.starts_with(r#"{"email":"jane@example.com","#),
        "{body}"
    );
    // Clamped to the longest timer, never one that fires at once.
    assert_eq!(get(&call, "timeoutMs").as_f64(), Some(2_147_483_647.0));
    assert_eq!(get(&call, "maxRetries").as_f64(), Some(2.0));
    assert_eq!(get(&call, "maxRetryDelayMs").as_f64(), Some(60_000.0));
    assert!(get(&call, "signal").is_undefined());
    assert_eq!(get(&call, "aborted"), JsValue::FALSE);
    assert_eq!(get(&call, "onResponse"), JsValue::from(on_response));
    let defaults = prepare(obj(&good_request()), JsValue::NULL).unwrap();
    assert_eq!(
        get(&defaults, "url").as_string().unwrap(),
        "https://api.cloudinary.com/v1_1/provisioning/agents/accounts"
    );
    assert_eq!(get(&defaults, "timeoutMs").as_f64(), Some(30_000.0));
    assert!(get(&defaults, "onResponse").is_undefined());
}

#[wasm_bindgen_test]
fn an_aborted_signal_is_read_at_call_time() {
    let signal =
        js_sys::eval("(() => { const c = new AbortController(); c.abort(); return c.signal; })()")
            .unwrap();
    let call = prepare(obj(&good_request()), obj(&[("signal", signal.clone())])).unwrap();
    assert_eq!(get(&call, "signal"), signal);
    assert_eq!(get(&call, "aborted"), JsValue::TRUE);
}

/// `classify` of an answer with these headers and body, no retry allowed.
#[allow(clippy::too_many_arguments)]
fn answer(
    status: u16,
    retry_after: Option<&str>,
    body: JsValue,
    size: f64,
    retries: u32,
) -> JsValue {
    let mut pairs = vec![
        ("x-request-id", "req-1"),
        ("x-featureratelimit-limit", "100"),
    ];
    if let Some(r) = retry_after {
        pairs.push(("retry-after", r));
    }
    classify(
        status,
        headers(&pairs),
        body,
        size,
        JsValue::UNDEFINED,
        retries,
        1,
        60_000.0,
        0.0,
        30_000.0,
    )
}

/// A `Headers` of these names and values.
fn headers(pairs: &[(&str, &str)]) -> JsValue {
    let h = js("new Headers()");
    let append: js_sys::Function = get(&h, "append").into();
    for (k, v) in pairs {
        append.call2(&h, &(*k).into(), &(*v).into()).unwrap();
    }
    h
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
fn classify_maps_answers_to_an_account_a_wait_or_an_error() {
    let account = json(
        r#"{"external_id":"x","email":"jane@example.com","plan_name":"free","guidance":"g",
            "product_environments":[{"external_id":"e","cloud_name":"c","api_key":"1",
            "api_secret":"FAKE-secret-00000","api_environment_variable":"CLOUDINARY_URL=cloudinary://1:FAKE-secret-00000@c"}]}"#,
    );
    assert!(answer(200, None, account, 300.0, 0).is_undefined());
    // A malformed account, a redirect (opaque: status 0) and a body over the cap.
    for (status, body, size) in [
        (200, json(r#"{"email":"x"}"#), 13.0),
        (0, JsValue::UNDEFINED, 0.0),
        (302, JsValue::UNDEFINED, 0.0),
        (200, JsValue::UNDEFINED, 2e6),
    ] {
        let err = answer(status, None, body, size, 0);
        assert_eq!(code(&err), "unexpected_response", "{status}");
        assert_eq!(get(&err, "mayHaveCreatedAccount"), JsValue::FALSE);
    }
    let limited = r#"{"error":{"message":"Rate limit exceeded"}}"#;
    // A 429 with retries left: the wait, from Retry-After; then without: the error.
    assert_eq!(
        answer(429, Some("2"), json(limited), 40.0, 0).as_f64(),
        Some(2000.0)
    );
    assert_eq!(
        answer(429, None, json(limited), 40.0, 0).as_f64(),
        Some(1000.0)
    );
    let err = answer(429, Some("2"), json(limited), 40.0, 1);
    assert_eq!(code(&err), "rate_limited");
    assert_eq!(get(&err, "retryAfterMs").as_f64(), Some(2000.0));
    assert_eq!(get(&err, "requestId").as_string().unwrap(), "req-1");
    assert_eq!(get(&get(&err, "rateLimit"), "limit").as_f64(), Some(100.0));
    // A wait past the deadline (30 s here) is not waited for.
    assert_eq!(
        code(&answer(429, Some("31"), json(limited), 40.0, 0)),
        "rate_limited"
    );
    // Never retried: a 5xx may have created the account.
    let err = answer(503, Some("1"), JsValue::UNDEFINED, 0.0, 0);
    assert_eq!(code(&err), "server_error");
    assert_eq!(get(&err, "mayHaveCreatedAccount"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn classify_calls_on_response_and_ignores_its_throw() {
    let seen = Array::new();
    let record = js_sys::Function::new_with_args(
        "seen",
        "return (i) => { seen.push(i); throw new Error('x'); }",
    )
    .call1(&JsValue::UNDEFINED, &seen)
    .unwrap();
    let got = classify(
        429,
        headers(&[("x-request-id", "r"), ("retry-after", "3")]),
        JsValue::UNDEFINED,
        0.0,
        record,
        0,
        0,
        60_000.0,
        0.0,
        30_000.0,
    );
    assert_eq!(code(&got), "rate_limited");
    assert_eq!(seen.length(), 1);
    let info = seen.get(0);
    assert_eq!(get(&info, "status").as_f64(), Some(429.0));
    assert_eq!(get(&info, "requestId").as_string().unwrap(), "r");
    assert_eq!(get(&info, "retryAfterMs").as_f64(), Some(3000.0));
}

#[wasm_bindgen_test]
fn interrupted_errors_say_whether_the_account_may_exist() {
    for (kind, sent, want, may) in [
        (0, true, "timeout", true),
        (1, false, "aborted", false),
        (2, true, "network", true),
        (2, false, "network", false),
    ] {
        let err = interrupted(kind, "fetch failed".into(), sent, 5_000.0);
        assert_eq!(code(&err), want);
        assert_eq!(get(&err, "mayHaveCreatedAccount"), JsValue::from_bool(may));
    }
    let msg = get(&interrupted(0, String::new(), false, 5_000.0), "message");
    assert!(msg.as_string().unwrap().contains("5000 ms"));
}

#[wasm_bindgen_test]
fn headers_are_read_only_for_an_error_or_on_response() {
    // A Headers whose every `get` is counted.
    let seen = Array::new();
    let counting = js_sys::Function::new_with_args(
        "seen",
        "return { get(name) { seen.push(name); return name === 'x-request-id' ? 'req-9' : null; } };",
    )
    .call1(&JsValue::UNDEFINED, &seen)
    .unwrap();
    let account = json(
        r#"{"external_id":"x","email":"jane@example.com","plan_name":"free","guidance":"g",
            "product_environments":[{"external_id":"e","cloud_name":"c","api_key":"1",
            "api_secret":"FAKE-secret-00000","api_environment_variable":"CLOUDINARY_URL=cloudinary://1:FAKE-secret-00000@c"}]}"#,
    );
    let run = |status: u16, body: JsValue, on_response: JsValue| {
        classify(
            status,
            counting.clone(),
            body,
            300.0,
            on_response,
            0,
            0,
            60_000.0,
            0.0,
            30_000.0,
        )
    };
    assert!(run(200, account.clone(), JsValue::UNDEFINED).is_undefined());
    assert_eq!(seen.length(), 0, "an account is told without its headers");
    let err = run(500, JsValue::UNDEFINED, JsValue::UNDEFINED);
    assert_eq!(get(&err, "requestId").as_string().unwrap(), "req-9");
    let names: Vec<String> = seen.iter().map(|h| h.as_string().unwrap()).collect();
    assert_eq!(names, crate::wire::headers::ALL);
    seen.set_length(0);
    let noop = js_sys::Function::new_no_args("");
    assert!(run(200, account, noop.into()).is_undefined());
    assert_eq!(seen.length(), 5, "onResponse is given the headers");
}

#[wasm_bindgen_test]
fn render_guidance_is_safe_and_typed() {
    let html = render_guidance("# Hi <script>x</script> [a](javascript:x)".into()).unwrap();
    assert!(html.contains("<h1>") && !html.contains("<script") && !html.contains("javascript:"));
    assert!(render_guidance(JsValue::from_f64(1.0)).is_err());
}

#[wasm_bindgen_test]
fn render_guidance_text_keeps_code_and_is_typed() {
    let md = || JsValue::from_str("**Set** `CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@x`");
    let plain = render_guidance_text(md(), None).unwrap();
    assert_eq!(
        plain,
        "Set CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@x\n"
    );
    assert_eq!(render_guidance_text(md(), Some(false)).unwrap(), plain);
    let bold = render_guidance_text(md(), Some(true)).unwrap();
    assert!(bold.starts_with("\x1b[1mSet\x1b[22m"), "{bold:?}");
    assert!(render_guidance_text(JsValue::from_f64(1.0), None).is_err());
}

#[wasm_bindgen_test]
fn unreadable_values_are_issues_never_throws() {
    let revocable = js_sys::Proxy::revocable(&Object::new(), &Object::new());
    let revoke: js_sys::Function = get(&revocable, "revoke").unchecked_into();
    revoke.call0(&JsValue::UNDEFINED).unwrap();
    let proxy = get(&revocable, "proxy");
    assert_eq!(
        issues(proxy.clone()),
        vec![("request".to_string(), "unreadable".to_string())]
    );
    assert!(!super::is_valid_request(proxy.clone()));
    let err = rejection(obj(&good_request()), proxy);
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_input");
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("`options` could not be read"));
}

#[wasm_bindgen_test]
fn a_base_url_with_credentials_is_refused_without_repeating_them() {
    let opts = obj(&[("baseUrl", "https://user:FAKE-pass-0@api.example.com".into())]);
    let err = rejection(obj(&good_request()), opts);
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_input");
    let msg = get(&err, "message").as_string().unwrap();
    assert!(msg.contains("credentials") && !msg.contains("FAKE-pass-0"));
}

#[wasm_bindgen_test]
fn the_base_url_cache_answers_each_string_as_parsing_it_would() {
    // The one-entry `baseCache` of `read_options`: the same string, another one, back again, and
    // a refused one in between (not cached: refused each time, with the same message).
    let url = |base: &str| {
        let opts = obj(&[("baseUrl", base.into())]);
        get(&prepare(obj(&good_request()), opts).unwrap(), "url")
            .as_string()
            .unwrap()
    };
    let path = "/v1_1/provisioning/agents/accounts";
    for _ in 0..2 {
        assert_eq!(
            url("http://127.0.0.1:9/a/"),
            format!("http://127.0.0.1:9/a{path}")
        );
        assert_eq!(
            url("http://127.0.0.1:9/a/"),
            format!("http://127.0.0.1:9/a{path}")
        );
        assert_eq!(
            url("https://h.example/b"),
            format!("https://h.example/b{path}")
        );
        for _ in 0..2 {
            let opts = obj(&[("baseUrl", "http://example.com".into())]);
            let msg = get(&rejection(obj(&good_request()), opts), "message")
                .as_string()
                .unwrap();
            assert!(msg.contains("must use https:"), "{msg}");
        }
    }
}

/// A JS value made by JS source (lone surrogates, symbols, bigints, getters: what a Rust
/// string or `JsValue` constructor cannot make).
fn js(source: &str) -> JsValue {
    js_sys::Function::new_no_args(&format!("return ({source});"))
        .call0(&JsValue::UNDEFINED)
        .unwrap()
}

/// Every issue, with its message.
fn issues_in_full(req: JsValue) -> Vec<(String, String, String)> {
    Array::from(&validate_request(req))
        .iter()
        .map(|i| {
            let text = |k| get(&i, k).as_string().unwrap();
            (text("field"), text("code"), text("message"))
        })
        .collect()
}

#[wasm_bindgen_test]
fn any_key_and_value_crosses_into_the_wasm_intact() {
    // packedEntries counts in UTF-16 units: astral characters (two units), lone surrogates
    // (U+FFFD in Rust, one unit as in JS), NUL, commas and digits, an empty key.
    let req = js(
        r#"{ email: "jane@example.com", agent_framework: "lang😀chain,12,",
        agent_llm_model: "model\uD800x", agent_goal: "1,Host 😀 images:", "": 1,
        "3,ab:": "x", "\uDFFF😀": "\u0000", "\u0000,": null }"#,
    );
    let got = issues_in_full(req);
    let fields: Vec<&str> = got.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(fields, vec!["", "3,ab:", "\u{FFFD}😀", "\u{0},"]);
    assert!(got.iter().all(|(_, code, _)| code == "unknown_field"));
    // The values were read whole: valid, and their lengths in code points as Rust counts.
    let valid = js(
        r#"{ email: "jane@example.com", agent_framework: "lang😀chain,12,",
        agent_llm_model: "model\uD800x", agent_goal: "1,Host 😀 images:" }"#,
    );
    assert!(issues_in_full(valid).is_empty());
    let long = js(
        r#"{ email: "jane@example.com", agent_framework: "😀".repeat(101),
        agent_llm_model: "model", agent_goal: "Host images" }"#,
    );
    assert_eq!(
        issues_in_full(long)[0].2,
        "agent_framework must be 2-100 characters long (Unicode code points); it has 101"
    );
}

#[wasm_bindgen_test]
fn every_js_type_is_named_in_its_wrong_type_issue() {
    let req = js(
        r#"{ email: () => 1, agent_framework: 10n, agent_llm_model: Symbol("s"),
        agent_goal: true, sdk_framework: [] }"#,
    );
    let messages: Vec<String> = issues_in_full(req).into_iter().map(|(_, _, m)| m).collect();
    assert_eq!(
        messages,
        vec![
            "email must be a string, not a function",
            "agent_framework must be a string, not a bigint",
            "agent_llm_model must be a string, not a symbol",
            "agent_goal must be a string, not a boolean",
            "sdk_framework must be a string, not an array",
        ]
    );
    let req = js(r#"{ email: 3, agent_framework: {}, agent_llm_model: null,
        agent_goal: undefined, sdk_framework: Proxy.revocable([], {}) }"#);
    let got = issues_in_full(req);
    assert_eq!(got[0].2, "email must be a string, not a number");
    assert_eq!(got[1].2, "agent_framework must be a string, not an object");
    assert_eq!(got[2].1, "missing");
    assert_eq!(got[3].1, "missing");
    // A revoked Proxy's Array.isArray throws: still a value of the wrong type, not a throw.
    let revoked = js(r#"(() => { const r = Proxy.revocable([], {}); r.revoke();
        return { email: "jane@example.com", agent_framework: "langchain",
          agent_llm_model: "model", agent_goal: "Host images", sdk_framework: r.proxy }; })()"#);
    assert_eq!(
        issues_in_full(revoked),
        vec![(
            "sdk_framework".to_string(),
            "wrong_type".to_string(),
            "sdk_framework must be a string, not an object".to_string()
        )]
    );
    // A getter that throws names its key.
    let getter =
        js(r#"{ email: "jane@example.com", get agent_goal() { throw new Error("no"); } }"#);
    assert_eq!(
        issues(getter),
        vec![("agent_goal".to_string(), "unreadable".to_string())]
    );
}

#[wasm_bindgen_test]
fn an_account_is_checked_field_by_field_in_one_crossing() {
    let classify_body = |body: &str| {
        let verdict = classify(
            200,
            headers(&[]),
            js(body),
            100.0,
            JsValue::UNDEFINED,
            0,
            0,
            0.0,
            0.0,
            1.0,
        );
        if verdict.is_undefined() {
            String::new()
        } else {
            get(&verdict, "message").as_string().unwrap()
        }
    };
    let env = r#"{ external_id: "e", cloud_name: "c", api_key: "1", api_secret: "FAKE-secret-00000", api_environment_variable: "CLOUDINARY_URL=cloudinary://1:FAKE-secret-00000@c" }"#;
    let account = |email: &str, envs: &str| {
        format!(
            r#"{{ external_id: "x", email: {email}, plan_name: "free", guidance: "g", product_environments: {envs} }}"#
        )
    };
    assert_eq!(
        classify_body(&account(r#""j@example.com""#, &format!("[{env}]"))),
        ""
    );
    assert!(classify_body(&account("1", &format!("[{env}]"))).ends_with("`email` is not a string"));
    assert!(
        classify_body(&account("undefined", &format!("[{env}]"))).ends_with("`email` is missing")
    );
    let inherited = r#"Object.assign(Object.create({ email: "j@example.com" }), { external_id: "x", plan_name: "free", guidance: "g", product_environments: [] })"#;
    assert!(classify_body(inherited).ends_with("`email` is missing"));
    let second = format!(
        r#"[{env}, {{ external_id: "e", cloud_name: "c", api_key: 1, api_secret: "FAKE", api_environment_variable: "v" }}]"#
    );
    let msg = classify_body(&account(r#""j@example.com""#, &second));
    assert!(
        msg.ends_with("`product_environments[1].api_key` is not a string"),
        "{msg}"
    );
    assert!(classify_body(&account(r#""j@example.com""#, "[[]]"))
        .ends_with("`product_environments[0]` is not an object"));
    assert!(classify_body("[]").ends_with("the body is not a JSON object"));
    assert!(!msg.contains("FAKE"));
    // Values checked through JS values too (the same rules as natively).
    let crafted = env.replace("cloud_name: \"c\"", "cloud_name: \"c\\u2028X=1\"");
    let msg = classify_body(&account(r#""j@example.com""#, &format!("[{crafted}]")));
    assert!(
        msg.contains("`product_environments[0]`: cloud_name may hold only"),
        "{msg}"
    );
    let msg = classify_body(&account(r#""j@example.com\u001b[2J""#, &format!("[{env}]")));
    assert!(msg.contains("`email`"), "{msg}");
}

#[wasm_bindgen_test]
fn an_error_has_its_details_in_a_fixed_order() {
    let limited = json(
        r#"{"error":{"message":"Rate limit exceeded","category":"limits","code":"too_many"}}"#,
    );
    let err = answer(429, Some("2"), limited, 80.0, 1);
    assert!(err.is_instance_of::<js_sys::Error>());
    let keys: Vec<String> = js_sys::Object::keys(err.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "code",
            "status",
            "category",
            "serverCode",
            "requestId",
            "retryAfterMs",
            "issues",
            "mayHaveCreatedAccount",
            "rateLimit"
        ]
    );
    // Absent details are left out, not undefined.
    let err = interrupted(1, String::new(), false, 5000.0);
    let keys: Vec<String> = js_sys::Object::keys(err.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(keys, ["name", "code", "issues", "mayHaveCreatedAccount"]);
}

/// The cloud's halves: the same exports, creation 1.
mod cloud_tests {
    use super::*;
    use crate::wasm::activation::activation_options;
    use crate::wasm::validate_cloud_request;

    fn classify_cloud(status: u16, body: JsValue) -> JsValue {
        client::classify(
            1,
            status,
            headers(&[]),
            body,
            100.0,
            JsValue::UNDEFINED,
            0,
            0,
            60_000.0,
            0.0,
            30_000.0,
        )
    }

    #[wasm_bindgen_test]
    fn no_request_is_an_empty_one_sent_to_the_clouds_endpoint() {
        let call = client::prepare(1, JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&call, "body").as_string().unwrap(), "{}");
        assert_eq!(
            get(&call, "url").as_string().unwrap(),
            "https://api.cloudinary.com/v1_1/provisioning/clouds"
        );
        // validateCloudRequest judges a value: `undefined` is not a request.
        assert_eq!(
            Array::from(&validate_cloud_request(JsValue::UNDEFINED)).length(),
            1
        );
        let call = client::prepare(
            1,
            js("({ delivery_ips: [' 203.0.113.7 '] })"),
            JsValue::NULL,
        );
        let body = get(&call.unwrap(), "body").as_string().unwrap();
        assert_eq!(body, r#"{"delivery_ips":["203.0.113.7"]}"#);
        let err = client::prepare(1, js("({})"), js("({ timeout: 1 })")).unwrap_err();
        let msg = get(&err, "message").as_string().unwrap();
        assert!(msg.contains("not an option of createCloud"), "{msg}");
    }

    #[wasm_bindgen_test]
    fn a_cloud_in_the_older_shape_gets_its_fields_at_the_top_level() {
        let body = json(
            r#"{"claim_url":"https://c.example/claim?token=FAKE","expires_at":"2026-08-19T16:13:09Z",
            "delivery_ips":["203.0.113.7"],"product_environments":[{"cloud_name":"c1",
            "api_access_keys":[{"key":"123456789012345","secret":"FAKE-secret-0000000","enabled":true}]}]}"#,
        );
        assert!(classify_cloud(200, body.clone()).is_undefined());
        assert_eq!(get(&body, "cloud_name"), "c1");
        assert_eq!(get(&body, "api_secret"), "FAKE-secret-0000000");
        assert_eq!(
            get(&body, "api_environment_variable"),
            "CLOUDINARY_URL=cloudinary://123456789012345:FAKE-secret-0000000@c1"
        );
        let not_public = json(
            r#"{"error":{"category":"user_error","message":"delivery_ips must contain at least one public IP address"}}"#,
        );
        assert_eq!(
            code(&classify_cloud(400, not_public)),
            "delivery_ips_not_public"
        );
        let malformed = classify_cloud(200, json(r#"{"cloud_name":"c1"}"#));
        assert_eq!(code(&malformed), "unexpected_response");
    }

    #[wasm_bindgen_test]
    fn an_answer_crosses_once_packed_whole_and_bounded() {
        use crate::error::JsonNode;
        use crate::packed_tree::{Tree, MAX_TREE_ITEMS};
        use crate::wasm::convert::packed_tree;
        // Keys and strings of any characters (astral ones are two UTF-16 units), whole.
        let odd = r"a,b:c{d}[e]x\u{1F600}\u2028é\u0000";
        let t = packed_tree(&js(&format!(
            "({{ '{odd}': ['{odd}', {{ k: '{odd}', f: false, t: true, n: 1, z: null, u: undefined }}] }})"
        )));
        let want = js(&format!("'{odd}'")).as_string().unwrap();
        let list = t.member(&want).and_then(|l| l.elements()).unwrap();
        assert_eq!(list[0].text(), Some(want.clone()));
        assert_eq!(list[1].member("k").and_then(|k| k.text()), Some(want));
        assert!(list[1].member("f").unwrap().is_false());
        assert!(!list[1].member("t").unwrap().is_false());
        assert!(list[1].member("u").is_none(), "undefined is absent");
        // A long array: its first elements, then one no check accepts.
        let long = packed_tree(&js(
            "({ a: Array.from({ length: 100000 }, (_, i) => String(i)) })",
        ));
        let items = long.member("a").and_then(|l| l.elements()).unwrap();
        assert_eq!(items.len(), MAX_TREE_ITEMS + 1);
        assert!(items[MAX_TREE_ITEMS].text().is_none());
        // Deep nesting: packed empty past the depth, never deep-recursive on either side.
        let deep = packed_tree(&js(
            "(() => { let v = 's'; for (let i = 0; i < 100000; i++) v = [v]; return v; })()",
        ));
        let mut n = deep;
        let mut levels = 0;
        while let Some(first) = n.elements().and_then(|l| l.into_iter().next()) {
            n = first;
            levels += 1;
        }
        assert_eq!(levels, 6, "five arrays opened, the sixth read as `[x]`");
        // A hostile caller's value (checkActivation's credentials): a throwing getter is
        // absent, a revoked Proxy no object; never a throw.
        let getter = packed_tree(&js(
            "({ cloud_name: 'c', get api_key() { throw new Error('no'); } })",
        ));
        assert!(getter.member("api_key").is_none());
        assert_eq!(
            getter.member("cloud_name").and_then(|c| c.text()),
            Some("c".into())
        );
        let revoked = packed_tree(&js(
            "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()",
        ));
        assert!(!revoked.is_object() && revoked.text().is_none());
        // A Rails errors hash sent as a JSON string is parsed by the runtime, packed the same.
        let parsed = <Tree as JsonNode>::parse(r#"{"email":["has already been taken"]}"#).unwrap();
        assert!(parsed.member("email").and_then(|e| e.elements()).is_some());
        assert!(<Tree as JsonNode>::parse("not json").is_none());
        // A cloud whose delivery_ips were cut is refused, never resolved with part of them.
        let many = json(&format!(
            r#"{{"cloud_name":"c1","api_key":"123456789012345","api_secret":"FAKE-secret-0000000",
            "api_environment_variable":"CLOUDINARY_URL=cloudinary://123456789012345:FAKE-secret-0000000@c1",
            "claim_url":"https://c.example/claim?token=FAKE","expires_at":"2026-08-19T16:13:09Z",
            "delivery_ips":[{}]}}"#,
            vec!["\"203.0.113.7\""; MAX_TREE_ITEMS + 1].join(",")
        ));
        assert_eq!(code(&classify_cloud(200, many)), "unexpected_response");
    }

    #[wasm_bindgen_test]
    fn the_activation_options_come_from_the_core() {
        let o = activation_options(true, JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&o, "timeoutMs").as_f64(), Some(900_000.0));
        assert_eq!(get(&o, "intervalMs").as_f64(), Some(5_000.0));
        assert_eq!(get(&o, "baseUrl"), "https://api.cloudinary.com");
        let o = activation_options(false, js("({ timeoutMs: 2 ** 40 })")).unwrap();
        assert_eq!(get(&o, "timeoutMs").as_f64(), Some(2_147_483_647.0));
        let err = activation_options(false, js("({ intervalMs: 5 })")).unwrap_err();
        assert_eq!(code(&err), "invalid_input");
        let msg = get(&err, "message").as_string().unwrap();
        assert!(msg.contains("not an option of checkActivation"), "{msg}");
    }
}
