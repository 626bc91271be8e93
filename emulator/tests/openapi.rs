//! The OpenAPI document lists exactly what the router serves, and is what `/openapi.json`
//! serves.

mod common;

use std::collections::BTreeSet;

use agent_account_emulator::app::route_table;
use common::*;
use serde_json::Value;

fn document() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// (METHOD, path) of every operation; `controls` selects operations marked
/// `x-test-control` (Some(true)), the others (Some(false)) or all (None).
fn operations(doc: &Value, controls: Option<bool>) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "put", "delete", "patch", "head", "options"]
                .contains(&method.as_str())
            {
                continue;
            }
            let is_control = op["x-test-control"] == Value::Bool(true);
            if controls.is_none_or(|c| c == is_control) {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

fn table(test_controls: bool) -> BTreeSet<(String, String)> {
    route_table(test_controls)
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect()
}

#[test]
fn document_is_openapi_3_1_and_matches_the_router() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(operations(&doc, None), table(true), "with --test-controls");
    assert_eq!(
        operations(&doc, Some(false)),
        table(false),
        "without --test-controls"
    );
    // Every operation documents its answers.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
        }
    }
    // Every $ref resolves.
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let pointer = r.strip_prefix('#').unwrap();
        assert!(doc.pointer(pointer).is_some(), "unresolved {r}");
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == "$ref" {
                    out.push(v.as_str().unwrap().to_owned());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn served_document_and_every_operation_is_routed() {
    let emu = Emu::start(&["--test-controls", "--rate-limit", "off"]);
    let c = client();
    let res = c.get(emu.at("/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(json_of(res).await, document());
    for (method, path) in operations(&document(), None) {
        let concrete = path
            .replace("{cloud_name}", "dexample")
            .replace("{token}", "abc");
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = c
            .request(method.clone(), emu.at(&concrete))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_ne!(status, 405, "{method} {path}");
        assert!(
            !(status == 404 && text.contains("\"code\":\"not_found\"")),
            "{method} {path} is not routed"
        );
    }
}
