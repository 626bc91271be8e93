//! Prints the request's JSON Schema (`cloudinary_agent_account::schema`), which
//! `scripts/build-pkg.sh` writes into the package for the agent tool and the MCP server.
//!
//! With the argument `vectors`, prints instead the requests of `tests/validate.rs` (every
//! rule, at its bounds) each with the verdict of `validate_json`: the agent tests run the
//! generated schema through a real JSON Schema validator (ajv) on them and require the same
//! verdicts, except where `schema::SCHEMA_CANNOT_EXPRESS` says the schema cannot follow.

use cloudinary_agent_account::schema::{request_json_schema, SCHEMA_CANNOT_EXPRESS};
use cloudinary_agent_account::validate::{validate_json, Field, UnknownKeys};
use serde_json::{json, Value};

fn ok_body() -> Value {
    json!({
        "email": "jane@example.com",
        "agent_framework": "langchain",
        "agent_llm_model": "claude-opus-4-8",
        "agent_goal": "Host the product images of a shop",
    })
}

fn with(key: &str, value: Value) -> Value {
    let mut v = ok_body();
    v[key] = value;
    v
}

fn without(key: &str) -> Value {
    let mut v = ok_body();
    if let Some(m) = v.as_object_mut() {
        m.remove(key);
    }
    v
}

fn vectors() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = vec![("a valid request".into(), ok_body())];
    let strings = ["email", "agent_framework", "agent_llm_model", "agent_goal"];
    for f in strings {
        out.push((format!("{f} missing"), without(f)));
        out.push((format!("{f} null"), with(f, Value::Null)));
    }
    out.push((
        "sdk_framework null".into(),
        with("sdk_framework", Value::Null),
    ));
    out.push((
        "sdk_framework python".into(),
        with("sdk_framework", json!("python")),
    ));
    for f in strings.iter().chain(&["sdk_framework"]) {
        for bad in [json!(12), json!(true), json!(["a"]), json!({"a": 1})] {
            out.push((format!("{f} = {bad}"), with(f, bad)));
        }
    }
    for (f, min, max) in [
        ("agent_framework", 2, 100),
        ("agent_llm_model", 2, 100),
        ("agent_goal", 2, 300),
        ("sdk_framework", 2, 100),
    ] {
        for ch in ["a", "é", "🦀"] {
            for n in [min - 1, min, max, max + 1] {
                out.push((format!("{f} = {ch} x {n}"), with(f, json!(ch.repeat(n)))));
            }
        }
    }
    out.push((
        "whitespace around values".into(),
        json!({
        "email": "  jane@example.com\n", "agent_framework": "\tlangchain ",
        "agent_llm_model": " m1 ", "agent_goal": "goal\r\n"}),
    ));
    out.push((
        "agent_framework only spaces".into(),
        with("agent_framework", json!("   ")),
    ));
    out.push((
        "agent_framework one char in spaces".into(),
        with("agent_framework", json!(" a ")),
    ));
    for bad in [
        "a\nb",
        "a\tb",
        "a\u{0}b",
        "a\u{7f}b",
        "a\u{85}b",
        "a\u{1b}[31mb",
    ] {
        for f in strings.iter().chain(&["sdk_framework"]) {
            let v = if *f == "email" {
                format!("{bad}@example.com")
            } else {
                bad.to_owned()
            };
            out.push((format!("{f} with control {bad:?}"), with(f, json!(v))));
        }
    }
    let long_ok = format!("x@{}.com", "a".repeat(63));
    let long_label = format!("x@{}.com", "a".repeat(64));
    let ok_emails = [
        "jane@example.com",
        "j.a.n.e@example.co.uk",
        "a+tag@sub.example.com",
        "!#$%&'*+/=?^_`{|}~-@example.com",
        "x@a-b.example",
        "x@123.example",
        "UPPER@EXAMPLE.COM",
        "..@example.com",
        &long_ok,
    ];
    let bad_emails = [
        "plainaddress",
        "@example.com",
        "jane@",
        "jane@@example.com",
        "jane@exa@mple.com",
        "jane@localhost",
        "jane@example..com",
        "jane@.example.com",
        "jane@example.com.",
        "jane@-example.com",
        "jane@example-.com",
        "jane@exa_mple.com",
        "ja ne@example.com",
        "jane(x)@example.com",
        "\"jane\"@example.com",
        "jané@example.com",
        "jane@exämple.com",
        "jane@[127.0.0.1]",
        &long_label,
        "",
    ];
    for e in ok_emails.iter().chain(&bad_emails) {
        out.push((format!("email {e:?}"), with("email", json!(e))));
    }
    let (local, label) = ("a".repeat(64), "b".repeat(60));
    let mut email = format!("{local}@{label}.{label}.{label}.com");
    out.push((
        "email of 247 characters".into(),
        with("email", json!(email.clone())),
    ));
    while email.len() < 255 {
        email.insert(local.len() + 1, 'c');
    }
    out.push((
        "email of 255 characters".into(),
        with("email", json!(email)),
    ));
    out.push((
        "unknown key sdkFramework".into(),
        with("sdkFramework", json!("python")),
    ));
    for v in [json!(null), json!([]), json!("x"), json!(3)] {
        out.push((format!("request = {v}"), v));
    }
    out.push((
        "several issues at once".into(),
        json!({"email": "x", "agent_goal": 5, "extra": 1}),
    ));
    out
}

fn main() {
    let out = if std::env::args().nth(1).as_deref() == Some("vectors") {
        let cases: Vec<Value> = vectors()
            .into_iter()
            .map(|(name, body)| {
                let valid = validate_json(&body, UnknownKeys::Reject).is_ok();
                json!({ "name": name, "body": body, "valid": valid })
            })
            .collect();
        json!({ "schemaCannotExpress": SCHEMA_CANNOT_EXPRESS, "vectors": cases })
    } else {
        request_json_schema()
    };
    println!("{}", ordered(&out));
}

/// JSON text with the request's properties in the document's order (serde_json's map sorts
/// its keys; a model reads the fields in the order written).
fn ordered(v: &Value) -> String {
    let Some(props) = v.get("properties").and_then(Value::as_object) else {
        return v.to_string();
    };
    let fields: Vec<String> = Field::ALL
        .iter()
        .filter_map(|f| Some(format!("    {}: {}", json!(f.name()), props.get(f.name())?)))
        .collect();
    format!(
        "{{\n  \"type\": \"object\",\n  \"properties\": {{\n{}\n  }},\n  \"required\": {},\n  \"additionalProperties\": false\n}}",
        fields.join(",\n"),
        v["required"]
    )
}
