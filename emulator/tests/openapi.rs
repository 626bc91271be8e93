//! The OpenAPI document lists exactly what the router serves, is what `/openapi.json`
//! serves, and agrees with the Rust definitions: the request's fields and lengths
//! (`validate::Field`), the error codes, categories and statuses (`errors::ApiError`) and the
//! bodies of the account endpoint's errors.

mod common;

use std::collections::BTreeSet;

use agent_account_emulator::app::route_table;
use agent_account_emulator::errors::ApiError;
use cloudinary_agent_account::validate::{CloudField, Field, IssueCode};
use cloudinary_agent_account::wire::MAX_DELIVERY_IPS;
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

/// The router's table, its wildcard segments (`{*public_id}`, which may hold slashes) written
/// as OpenAPI path parameters.
fn table(test_controls: bool) -> BTreeSet<(String, String)> {
    route_table(test_controls)
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.replace("{*", "{")))
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
            .replace("{token}", "abc")
            .replace("{public_id}", "v1/sample.jpg");
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
        // A method the path does not serve: 405 with Allow, never 404.
        let trace = reqwest::Method::from_bytes(b"TRACE").unwrap();
        let res = c.request(trace, emu.at(&concrete)).send().await.unwrap();
        assert_eq!(res.status(), 405, "TRACE {path}");
        assert!(res.headers().contains_key("allow"), "TRACE {path}");
    }
}

/// Every operation of the document, by `operationId`.
fn operation<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .find(|op| op["operationId"] == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn request_schema_is_the_shared_rules() {
    let doc = document();
    let schema = &doc["components"]["schemas"]["AgentAccountRequest"];
    let props = schema["properties"].as_object().unwrap();
    let names: BTreeSet<&str> = props.keys().map(String::as_str).collect();
    let fields: BTreeSet<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names, fields,
        "the request's properties are validate::Field"
    );
    for f in Field::ALL {
        let (min, max) = f.length();
        let p = &props[f.name()];
        assert_eq!(p["minLength"], min, "{} minLength", f.name());
        assert_eq!(p["maxLength"], max, "{} maxLength", f.name());
    }
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = Field::ALL
        .iter()
        .filter(|f| f.required())
        .map(|f| f.name())
        .collect();
    assert_eq!(required, expected);
}

#[test]
fn cloud_request_schema_is_the_shared_rules() {
    let doc = document();
    let schema = &doc["components"]["schemas"]["CloudRequest"];
    let props = schema["properties"].as_object().unwrap();
    let names: BTreeSet<&str> = props.keys().map(String::as_str).collect();
    let fields: BTreeSet<&str> = CloudField::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names, fields,
        "the cloud request's properties are CloudField"
    );
    assert!(schema.get("required").is_none(), "every field is optional");
    for f in CloudField::ALL {
        let p = &props[f.name()];
        match f.text_rule() {
            Some(rule) => {
                let (min, max) = rule.length();
                assert_eq!(p["minLength"], min, "{} minLength", f.name());
                assert_eq!(p["maxLength"], max, "{} maxLength", f.name());
            }
            None => assert_eq!(p["maxItems"], MAX_DELIVERY_IPS),
        }
    }
}

#[test]
fn error_codes_categories_and_statuses_are_what_the_emulator_sends() {
    let doc = document();
    let error = &doc["components"]["schemas"]["ErrorBody"]["properties"]["error"]["properties"];
    let set = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    let issue_codes: BTreeSet<String> = IssueCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let issue_enum = &doc["components"]["schemas"]["ValidationIssue"]["properties"]["code"]["enum"];
    assert_eq!(
        set(issue_enum),
        issue_codes,
        "ValidationIssue.code is IssueCode"
    );

    let mut codes = issue_codes.clone();
    let mut categories = BTreeSet::new();
    for (e, operations) in ApiError::documented() {
        categories.insert(e.category().to_owned());
        if !matches!(e, ApiError::Validation(_)) {
            codes.insert(e.extended_code().to_owned());
        }
        if let Some(code) = e.code() {
            codes.insert(code.to_owned());
        }
        let status = e.status().as_u16().to_string();
        for id in operations {
            assert!(
                operation(&doc, id)["responses"].get(&status).is_some(),
                "{id} does not document {status} for {e:?}"
            );
        }
    }
    assert_eq!(set(&error["code"]["enum"]), codes, "error.code");
    assert_eq!(
        set(&error["category"]["enum"]),
        categories,
        "error.category"
    );
    // Every operation documents the 405 of its path's other methods.
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method != "parameters" {
                assert!(op["responses"].get("405").is_some(), "{method}");
            }
        }
    }
}

#[test]
fn account_error_examples_are_the_bodies_sent() {
    let doc = document();
    let responses = &operation(&doc, "createAgentAccount")["responses"];
    let body = |e: ApiError| serde_json::to_value(e.body(false)).unwrap();
    let example = |status: &str, name: &str| {
        responses[status]["content"]["application/json"]["examples"][name]["value"].clone()
    };
    assert_eq!(example("400", "taken"), body(ApiError::AccountExists));
    assert_eq!(
        example("403", "registration_disabled"),
        body(ApiError::RegistrationDisabled)
    );
    assert_eq!(
        example("403", "geo_location"),
        body(ApiError::RegionBlocked)
    );
    assert_eq!(example("403", "generic"), body(ApiError::Blocked));
    let single = |status: &str| responses[status]["content"]["application/json"]["example"].clone();
    assert_eq!(single("413"), body(ApiError::TooLarge));
    assert_eq!(single("429"), body(ApiError::RateLimited));
    assert_eq!(single("500"), body(ApiError::Internal));
}

#[test]
fn cloud_error_examples_are_the_bodies_sent() {
    let doc = document();
    let responses = &operation(&doc, "createCloud")["responses"];
    let body = |e: ApiError| serde_json::to_value(e.body(false)).unwrap();
    let example = |status: &str, name: &str| {
        responses[status]["content"]["application/json"]["examples"][name]["value"].clone()
    };
    assert_eq!(
        example("400", "too_many"),
        body(ApiError::DeliveryIpsTooMany)
    );
    assert_eq!(
        example("400", "invalid"),
        body(ApiError::DeliveryIpInvalid("not-an-ip".into()))
    );
    assert_eq!(
        example("400", "not_public"),
        body(ApiError::DeliveryIpsNotPublic)
    );
    assert_eq!(
        example("403", "registration_disabled"),
        body(ApiError::CloudRegistrationDisabled)
    );
    assert_eq!(
        example("403", "geo_location"),
        body(ApiError::CloudRegionBlocked)
    );
    let single = |status: &str| responses[status]["content"]["application/json"]["example"].clone();
    assert_eq!(single("413"), body(ApiError::TooLarge));
    assert_eq!(single("429"), body(ApiError::RateLimited));
    assert_eq!(single("500"), body(ApiError::Internal));
}

#[tokio::test]
async fn without_test_controls_the_served_document_omits_them() {
    let emu = Emu::start(&[]);
    let c = client();
    let served = json_of(c.get(emu.at("/openapi.json")).send().await.unwrap()).await;
    assert_eq!(operations(&served, None), table(false));
    assert_eq!(
        operations(&served, None),
        operations(&document(), Some(false))
    );
    assert_eq!(served["components"], document()["components"]);
}
