//! The request as JSON Schema, generated from the rules in [`crate::validate`]: the input
//! schema of the agent tool (`cloudinary-agent-account/tool`) and of the MCP server.
//!
//! `scripts/build-pkg.sh` writes it into the package with `cargo run --example
//! request-schema`. JSON Schema 2020-12 compatible, without `$ref` (several tool-calling
//! APIs do not resolve references). What it cannot say, and so where its verdict may differ
//! from [`crate::validate::validate_json`], is listed in [`SCHEMA_CANNOT_EXPRESS`].

use serde_json::{json, Map, Value};

use crate::validate::{CloudField, Field};
use crate::wire::{MAX_DELIVERY_IPS, REQUESTER_IP};

/// Rules of `validate` that the schema cannot express exactly: there a validator that follows
/// the schema alone may decide differently from the client, which has the last word.
pub const SCHEMA_CANNOT_EXPRESS: [&str; 3] = [
    "surrounding white space is trimmed before the length and control-character checks \
     (the schema counts the raw string, and refuses a trailing line break)",
    "an unknown key gets a \"did you mean\" suggestion (the schema only refuses it)",
    "`format: email` means RFC 5321 to a strict validator, which refuses some addresses the \
     WHATWG grammar (and so Cloudinary) accepts, such as dots anywhere in the local part; \
     `pattern` carries the WHATWG grammar itself",
];

/// The WHATWG "valid e-mail address" grammar (what `<input type=email>` and Rails'
/// `URI::MailTo::EMAIL_REGEXP` accept), with at least one dot in the domain as
/// `validate::is_valid_email` requires; ECMA-262 syntax.
pub const EMAIL_PATTERN: &str = concat!(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@",
    r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?",
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$"
);

/// No control character (Unicode category Cc, as `char::is_control`) and none of the
/// invisible or direction-changing characters of [`crate::validate::INVISIBLE`], ECMA-262
/// syntax.
pub fn no_control_pattern() -> String {
    let mut p = String::from(r"^[^\u0000-\u001F\u007F-\u009F");
    for (lo, hi) in crate::validate::INVISIBLE {
        p.push_str(&format!("\\u{:04X}", lo as u32));
        if hi != lo {
            p.push_str(&format!("-\\u{:04X}", hi as u32));
        }
    }
    p.push_str("]*$");
    p
}

/// What each field is, for a model filling it in.
pub const fn description(field: Field) -> &'static str {
    match field {
        Field::Email => "The e-mail address of the person who will own the account. They receive the verification e-mail there. Ask them for it; never invent one.",
        Field::AgentFramework => "The framework or tool you, the agent, run in (for example langchain, claude-code, cursor).",
        Field::AgentLlmModel => "The language model you are (for example claude-opus-4-8, gpt-5).",
        Field::AgentGoal => "What the person wants to do with Cloudinary, in one sentence.",
        Field::SdkFramework => "Optional: the Cloudinary SDK or web framework the project will use (for example nextjs, python).",
    }
}

/// The schema of one text field by its rule, `required` or not.
fn text_property(field: Field, required: bool, description: &str) -> Value {
    let (min, max) = field.length();
    let mut p = json!({
        "type": if required { json!("string") } else { json!(["string", "null"]) },
        "description": description,
        "minLength": min,
        "maxLength": max,
    });
    if field == Field::Email {
        p["format"] = json!("email");
        p["pattern"] = json!(EMAIL_PATTERN);
    } else {
        p["pattern"] = json!(no_control_pattern());
    }
    p
}

/// The JSON Schema of a request.
pub fn request_json_schema() -> Value {
    let mut properties = Map::new();
    for field in Field::ALL {
        let p = text_property(field, field.required(), description(field));
        properties.insert(field.name().to_owned(), p);
    }
    let required: Vec<&str> = Field::ALL
        .into_iter()
        .filter(|f| f.required())
        .map(Field::name)
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// Rules of the cloud request's `validate` that its schema cannot express exactly, beyond
/// [`SCHEMA_CANNOT_EXPRESS`].
pub const CLOUD_SCHEMA_CANNOT_EXPRESS: [&str; 2] = [
    "a repeated delivery IP is found as an address (`2001:db8::7` and `2001:DB8:0:0:0:0:0:7` are \
     the same); `uniqueItems` compares the strings",
    "a delivery IP is trimmed before it is read (the schema's formats take the raw string)",
];

/// What each field of the cloud request is, for a model filling it in.
pub const fn cloud_description(field: CloudField) -> &'static str {
    match field {
        CloudField::DeliveryIps => "Optional: up to 3 more IP addresses (IPv4 or IPv6, no ranges, no host names) allowed to deliver the cloud's media, or \"requester_ip\" for your own. Your own address is always added: usually leave this out.",
        CloudField::Email => "Optional: the person's e-mail address, to pre-fill the claim page. Never verified and no mail is sent. Ask them for it; never invent one.",
        CloudField::AgentFramework => "Optional: the framework or tool you, the agent, run in (for example langchain, claude-code, cursor).",
        CloudField::AgentLlmModel => "Optional: the language model you are (for example claude-opus-4-8, gpt-5).",
        CloudField::AgentGoal => "Optional: what the person wants to do with Cloudinary, in one sentence.",
        CloudField::SdkFramework => "Optional: the Cloudinary SDK or web framework the project will use (for example nextjs, python).",
    }
}

/// The JSON Schema of a Claimable Cloud request: every field optional, the text fields by the
/// account request's rules.
pub fn cloud_request_json_schema() -> Value {
    let mut properties = Map::new();
    for field in CloudField::ALL {
        let p = match field.text_rule() {
            Some(rule) => text_property(rule, false, cloud_description(field)),
            None => json!({
                "type": ["array", "null"],
                "description": cloud_description(field),
                "maxItems": MAX_DELIVERY_IPS,
                "uniqueItems": true,
                "items": {
                    "type": "string",
                    "anyOf": [
                        {"format": "ipv4"},
                        {"format": "ipv6"},
                        {"const": REQUESTER_IP},
                    ],
                },
            }),
        };
        properties.insert(field.name().to_owned(), p);
    }
    json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_with_its_bounds_and_requiredness() {
        let s = request_json_schema();
        assert_eq!(s["type"], "object");
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(
            s["required"],
            json!(["email", "agent_framework", "agent_llm_model", "agent_goal"])
        );
        let props = s["properties"].as_object().unwrap();
        assert_eq!(props.len(), Field::ALL.len());
        for f in Field::ALL {
            let p = &props[f.name()];
            let (min, max) = f.length();
            assert_eq!(p["minLength"], min, "{f:?}");
            assert_eq!(p["maxLength"], max, "{f:?}");
        }
        assert_eq!(props["email"]["format"], "email");
        assert_eq!(props["agent_goal"]["maxLength"], 300);
        assert_eq!(props["sdk_framework"]["type"], json!(["string", "null"]));
    }

    #[test]
    fn no_reference_anywhere() {
        for schema in [request_json_schema(), cloud_request_json_schema()] {
            let text = schema.to_string();
            assert!(!text.contains("$ref") && !text.contains("$defs"), "{text}");
        }
    }

    #[test]
    fn the_cloud_request_has_every_field_optional_with_the_account_bounds() {
        let s = cloud_request_json_schema();
        assert!(s.get("required").is_none());
        assert_eq!(s["additionalProperties"], false);
        let props = s["properties"].as_object().unwrap();
        assert_eq!(props.len(), CloudField::ALL.len());
        for f in CloudField::ALL {
            let p = &props[f.name()];
            match f.text_rule() {
                Some(rule) => {
                    let (min, max) = rule.length();
                    assert_eq!(
                        (&p["minLength"], &p["maxLength"]),
                        (&json!(min), &json!(max))
                    );
                    assert_eq!(p["type"], json!(["string", "null"]), "{f:?}");
                }
                None => {
                    assert_eq!(p["maxItems"], MAX_DELIVERY_IPS);
                    assert_eq!(p["items"]["anyOf"][2]["const"], REQUESTER_IP);
                }
            }
        }
        assert_eq!(props["email"]["pattern"], EMAIL_PATTERN);
    }
}
