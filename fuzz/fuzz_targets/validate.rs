//! Validation over arbitrary input: raw bytes parsed as JSON, and objects whose fields (those
//! of `Field::ALL`, each present or not) hold arbitrary strings (which reach the rules far more often than random bytes do).
//! Oracles: no panic; every issue names a field; an accepted request is accepted again, unchanged,
//! by `validate_request` (the client's path) and by the server's `Ignore` mode.
#![no_main]

use arbitrary::Arbitrary;
use cloudinary_agent_account::validate::{validate_json, validate_request, Field, UnknownKeys};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Bytes(&'a [u8]),
    Fields {
        values: [Option<String>; Field::ALL.len()],
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
                    let known =
                        issue.field == "request" || Field::from_name(&issue.field).is_some();
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
        Input::Fields { values, extra } => {
            let mut map = Map::new();
            for (field, v) in Field::ALL.into_iter().zip(values) {
                if let Some(v) = v {
                    map.insert(field.name().to_owned(), json!(v));
                }
            }
            if let Some((k, v)) = extra {
                map.insert(k, json!(v));
            }
            check(&Value::Object(map));
        }
    }
});
