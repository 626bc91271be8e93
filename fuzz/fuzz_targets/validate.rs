//! Validation over arbitrary input: raw bytes parsed as JSON, and objects whose five fields
//! hold arbitrary strings (which reach the rules far more often than random bytes do).
//! Oracles: no panic; every issue names a field; an accepted request is accepted again, unchanged,
//! by `validate_request` (the client's path) and by the server's `Ignore` mode.
#![no_main]

use arbitrary::Arbitrary;
use cloudinary_agent_account::validate::{validate_json, validate_request, UnknownKeys};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const FIELDS: [&str; 5] = [
    "email",
    "agent_framework",
    "agent_llm_model",
    "agent_goal",
    "sdk_framework",
];

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Bytes(&'a [u8]),
    Fields {
        email: String,
        agent_framework: String,
        agent_llm_model: String,
        agent_goal: String,
        sdk_framework: Option<String>,
        extra: Option<(String, String)>,
    },
}

fn check(value: &Value) {
    for mode in [UnknownKeys::Reject, UnknownKeys::Ignore] {
        match validate_json(value, mode) {
            Ok(req) => {
                let again = validate_request(&req);
                assert_eq!(again.as_ref(), Ok(&req), "accepted once, not twice");
                let round = serde_json::to_value(&req).unwrap();
                assert_eq!(validate_json(&round, mode).as_ref(), Ok(&req));
            }
            Err(issues) => {
                assert!(!issues.is_empty(), "rejected without an issue");
                for issue in &issues {
                    assert!(!issue.message.is_empty());
                    let known = issue.field == "request" || FIELDS.contains(&issue.field.as_str());
                    // Reject mode names unknown keys themselves.
                    assert!(known || matches!(mode, UnknownKeys::Reject), "{issue:?}");
                }
            }
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    match input {
        Input::Bytes(bytes) => {
            if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
                check(&value);
            }
        }
        Input::Fields {
            email,
            agent_framework,
            agent_llm_model,
            agent_goal,
            sdk_framework,
            extra,
        } => {
            let mut value = json!({
                "email": email,
                "agent_framework": agent_framework,
                "agent_llm_model": agent_llm_model,
                "agent_goal": agent_goal,
            });
            if let Some(sdk) = sdk_framework {
                value["sdk_framework"] = json!(sdk);
            }
            if let Some((k, v)) = extra {
                value[k] = json!(v);
            }
            check(&value);
        }
    }
});
