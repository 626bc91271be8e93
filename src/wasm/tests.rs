//! wasm-bindgen tests of the JS boundary. Run in Node (`wasm-pack test --node`) and in
//! headless Chromium (`WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome`).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{create_account, render_guidance, validate_request};

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

async fn rejection(req: JsValue, options: JsValue) -> JsValue {
    JsFuture::from(create_account(req, Some(options)))
        .await
        .unwrap_err()
}

#[wasm_bindgen_test]
async fn invalid_input_rejects_with_an_agent_account_error() {
    let err = rejection(obj(&[]), JsValue::UNDEFINED).await;
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name").as_string().unwrap(), "AgentAccountError");
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_input");
    assert_eq!(Array::from(&get(&err, "issues")).length(), 4);
    let class = super::agent_account_error_class();
    let ctor: &js_sys::Function = class.unchecked_ref();
    assert!(err
        .unchecked_ref::<Object>()
        .is_instance_of::<js_sys::Error>());
    assert!(
        js_sys::Reflect::get_prototype_of(&err).unwrap()
            == get(ctor, "prototype").unchecked_into::<Object>()
    );
}

#[wasm_bindgen_test]
async fn bad_options_are_invalid_input() {
    let opts = obj(&[
        ("timeoutMs", JsValue::from_f64(-1.0)),
        ("baseURL", "http://x".into()),
    ]);
    let err = rejection(obj(&good_request()), opts).await;
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_input");
    let msg = get(&err, "message").as_string().unwrap();
    assert!(msg.contains("options.timeoutMs"), "{msg}");
    assert!(msg.contains("did you mean `baseUrl`?"), "{msg}");
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error() {
    // Port 9 (discard) on loopback is closed on these machines.
    let opts = obj(&[("baseUrl", "http://127.0.0.1:9".into())]);
    let err = rejection(obj(&good_request()), opts).await;
    assert_eq!(get(&err, "code").as_string().unwrap(), "network");
}

#[wasm_bindgen_test]
async fn an_aborted_signal_rejects_without_sending() {
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let opts = obj(&[
        ("baseUrl", "http://127.0.0.1:9".into()),
        ("signal", controller.signal().into()),
    ]);
    let err = rejection(obj(&good_request()), opts).await;
    assert_eq!(get(&err, "code").as_string().unwrap(), "aborted");
}

#[wasm_bindgen_test]
fn render_guidance_is_safe_and_typed() {
    let html = render_guidance("# Hi <script>x</script> [a](javascript:x)".into()).unwrap();
    assert!(html.contains("<h1>") && !html.contains("<script") && !html.contains("javascript:"));
    assert!(render_guidance(JsValue::from_f64(1.0)).is_err());
}

#[wasm_bindgen_test]
async fn unreadable_values_are_issues_never_throws() {
    let revocable = js_sys::Proxy::revocable(&Object::new(), &Object::new());
    let revoke: js_sys::Function = get(&revocable, "revoke").unchecked_into();
    revoke.call0(&JsValue::UNDEFINED).unwrap();
    let proxy = get(&revocable, "proxy");
    assert_eq!(
        issues(proxy.clone()),
        vec![("request".to_string(), "unreadable".to_string())]
    );
    assert!(!super::is_valid_request(proxy.clone()));
    let err = rejection(obj(&good_request()), proxy).await;
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_input");
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("`options` could not be read"));
}

#[wasm_bindgen_test]
async fn a_base_url_with_credentials_is_refused_without_repeating_them() {
    let opts = obj(&[("baseUrl", "https://user:FAKE-pass-0@api.example.com".into())]);
    let err = rejection(obj(&good_request()), opts).await;
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_input");
    let msg = get(&err, "message").as_string().unwrap();
    assert!(msg.contains("credentials") && !msg.contains("FAKE-pass-0"));
}
