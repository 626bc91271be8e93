//! Prints the request's JSON Schema (`cloudinary_agent_account::schema`), which
//! `scripts/build-pkg.sh` writes into the package for the agent tool and the MCP server.
//! With the argument `cloud`, the Claimable Cloud request's schema instead.
//!
//! With the argument `vectors`, prints instead the requests of `tests/validate.rs` (every
//! rule, at its bounds) each with the verdict of `validate_json`: the agent tests run the
//! generated schema through a real JSON Schema validator (ajv) on them and require the same
//! verdicts, except where `schema::SCHEMA_CANNOT_EXPRESS` says the schema cannot follow.
//! The e-mail, length, every-field and whole-request vectors are read from `tests/vectors/`,
//! the files `tests/validate.rs` reads, so a vector added there reaches ajv too.

use cloudinary_agent_account::schema::{
    cloud_request_json_schema, request_json_schema, SCHEMA_CANNOT_EXPRESS,
};
use cloudinary_agent_account::validate::{validate_json, CloudField, Field, UnknownKeys};
use serde_json::{json, Value};

#[path = "../tests/vectors/mod.rs"]
mod vectors;

use vectors::{ok_body, with};

fn without(key: &str) -> Value {
    let mut v = ok_body();
    if let Some(m) = v.as_object_mut() {
        m.remove(key);
    }
    v
}

fn all_vectors() -> Result<Vec<(String, Value)>, String> {
    let mut out: Vec<(String, Value)> = vec![("a valid request".into(), ok_body())];
    for f in Field::ALL
        .into_iter()
        .filter(|f| f.required())
        .map(Field::name)
    {
        out.push((format!("{f} missing"), without(f)));
        out.push((format!("{f} null"), with(f, Value::Null)));
    }
    for f in Field::ALL
        .into_iter()
        .filter(|f| !f.required())
        .map(Field::name)
    {
        out.push((format!("{f} null"), with(f, Value::Null)));
        out.push((format!("{f} python"), with(f, json!("python"))));
    }
    for (_, value) in vectors::field_values()? {
        for f in Field::ALL {
            let v = vectors::in_field(f, &value);
            // Rust's escapes, to keep control characters visible in the name.
            let shown = v
                .as_str()
                .map_or_else(|| v.to_string(), |s| format!("{s:?}"));
            out.push((format!("{} = {shown}", f.name()), with(f.name(), v)));
        }
    }
    let vectors::Lengths { bounds, units } = vectors::lengths()?;
    for (f, min, max) in bounds {
        for ch in &units {
            for n in [min - 1, min, max, max + 1] {
                out.push((
                    format!("{} = {ch} x {n}", f.name()),
                    with(f.name(), json!(ch.repeat(n))),
                ));
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
    for (_, e) in vectors::emails()? {
        let name = match e.chars().count() {
            n if n > 100 => format!("email of {n} characters"),
            _ => format!("email {e:?}"),
        };
        out.push((name, with("email", json!(e))));
    }
    out.push((
        "unknown key sdkFramework".into(),
        with("sdkFramework", json!("python")),
    ));
    for (_, v) in vectors::requests()? {
        out.push((format!("request = {v}"), v));
    }
    out.push((
        "several issues at once".into(),
        json!({"email": "x", "agent_goal": 5, "extra": 1}),
    ));
    Ok(out)
}

fn main() -> Result<(), String> {
    let account_fields: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let cloud_fields: Vec<&str> = CloudField::ALL.iter().map(|f| f.name()).collect();
    let arg = std::env::args().nth(1);
    let text = match arg.as_deref() {
        Some("vectors") => {
            let cases: Vec<Value> = all_vectors()?
                .into_iter()
                .map(|(name, body)| {
                    let valid = validate_json(&body, UnknownKeys::Reject).is_ok();
                    json!({ "name": name, "body": body, "valid": valid })
                })
                .collect();
            json!({ "schemaCannotExpress": SCHEMA_CANNOT_EXPRESS, "vectors": cases }).to_string()
        }
        Some("cloud") => ordered(&cloud_request_json_schema(), &cloud_fields),
        _ => ordered(&request_json_schema(), &account_fields),
    };
    println!("{text}");
    Ok(())
}

/// JSON text with the request's properties in the document's order (serde_json's map sorts
/// its keys; a model reads the fields in the order written).
fn ordered(v: &Value, names: &[&str]) -> String {
    let Some(props) = v.get("properties").and_then(Value::as_object) else {
        return v.to_string();
    };
    let fields: Vec<String> = names
        .iter()
        .filter_map(|n| Some(format!("    {}: {}", json!(n), props.get(*n)?)))
        .collect();
    let required = v
        .get("required")
        .map(|r| format!(",\n  \"required\": {r}"))
        .unwrap_or_default();
    format!(
        "{{\n  \"type\": \"object\",\n  \"properties\": {{\n{}\n  }}{required},\n  \"additionalProperties\": false\n}}",
        fields.join(",\n"),
    )
}
