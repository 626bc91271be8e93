//! Every validation rule, one test (or table) each. The tables that the agent tool's ajv
//! test shares (`examples/request-schema.rs vectors`) are in `tests/vectors/`.

mod vectors;

use vectors::{ok_body, with};

use cloudinary_agent_account::validate::{
    check_field, is_valid_email, suggest, validate_cloud_json, validate_json, validate_request,
    CloudField, Field, IssueCode, UnknownKeys,
};
use cloudinary_agent_account::wire::AgentAccountRequest;
use serde_json::{json, Value};

fn codes(v: &Value, unknown: UnknownKeys) -> Vec<(String, IssueCode)> {
    match validate_json(v, unknown) {
        Ok(_) => vec![],
        Err(issues) => issues.into_iter().map(|i| (i.field, i.code)).collect(),
    }
}

#[test]
fn a_valid_request_passes_and_omits_an_unset_sdk_framework() {
    let req = validate_json(&ok_body(), UnknownKeys::Reject).unwrap();
    assert_eq!(req.sdk_framework, None);
    let body = serde_json::to_string(&req).unwrap();
    assert!(!body.contains("sdk_framework"), "{body}");
}

#[test]
fn each_required_field_is_required() {
    for field in Field::ALL
        .into_iter()
        .filter(|f| f.required())
        .map(Field::name)
    {
        let mut v = ok_body();
        v.as_object_mut().unwrap().remove(field);
        assert_eq!(
            codes(&v, UnknownKeys::Reject),
            vec![(field.to_string(), IssueCode::Missing)]
        );
        // null means absent too
        assert_eq!(
            codes(&with(field, Value::Null), UnknownKeys::Reject),
            vec![(field.to_string(), IssueCode::Missing)]
        );
    }
}

#[test]
fn sdk_framework_is_optional_and_null_means_unset() {
    assert!(codes(&with("sdk_framework", Value::Null), UnknownKeys::Reject).is_empty());
    let req = validate_json(
        &with("sdk_framework", json!(" python ")),
        UnknownKeys::Reject,
    )
    .unwrap();
    assert_eq!(req.sdk_framework.as_deref(), Some("python"));
}

#[test]
fn values_every_field_refuses_are_refused_in_each_field() {
    // tests/vectors/field-values.txt: values of the wrong type, control characters inside.
    let values = vectors::field_values().unwrap();
    for code in [
        IssueCode::WrongType,
        IssueCode::ControlCharacter,
        IssueCode::InvisibleCharacter,
    ] {
        assert!(values.iter().any(|(c, _)| *c == code), "none for {code:?}");
    }
    for (code, value) in values {
        for field in Field::ALL {
            let name = field.name();
            let v = vectors::in_field(field, &value);
            let issues = validate_json(&with(name, v.clone()), UnknownKeys::Reject).unwrap_err();
            assert_eq!(issues.len(), 1, "{name} {v}");
            assert_eq!(
                (issues[0].field.as_str(), issues[0].code),
                (name, code),
                "{v}"
            );
            if code == IssueCode::WrongType {
                assert!(issues[0]
                    .message
                    .starts_with(&format!("{name} must be a string")));
            }
            if let Some(s) = v.as_str() {
                assert_eq!(
                    check_field(field, s).unwrap_err().code,
                    code,
                    "{name} {s:?}"
                );
            }
        }
    }
}

#[test]
fn lengths_count_code_points_at_both_bounds() {
    // tests/vectors/lengths.txt: 'é' is 2 bytes and '🦀' 4, so a byte count would reject
    // them at the top bound.
    let vectors::Lengths { bounds, units } = vectors::lengths().unwrap();
    assert!(!bounds.is_empty() && !units.is_empty());
    for (field, min, max) in bounds {
        let field = field.name();
        for ch in &units {
            let ok_min = ch.repeat(min);
            let ok_max = ch.repeat(max);
            assert!(codes(&with(field, json!(ok_min)), UnknownKeys::Reject).is_empty());
            assert!(codes(&with(field, json!(ok_max)), UnknownKeys::Reject).is_empty());
            assert_eq!(
                codes(&with(field, json!(ch.repeat(min - 1))), UnknownKeys::Reject),
                vec![(field.to_string(), IssueCode::TooShort)]
            );
            assert_eq!(
                codes(&with(field, json!(ch.repeat(max + 1))), UnknownKeys::Reject),
                vec![(field.to_string(), IssueCode::TooLong)]
            );
        }
    }
}

#[test]
fn length_messages_name_field_rule_and_count() {
    let e = check_field(Field::AgentGoal, "x").unwrap_err();
    assert_eq!(e.field, "agent_goal");
    assert!(e.message.contains("2-300"), "{}", e.message);
    assert!(e.message.contains("it has 1"), "{}", e.message);
}

#[test]
fn surrounding_whitespace_is_trimmed_before_checks_and_sending() {
    let req = validate_json(
        &json!({
            "email": "  jane@example.com\n",
            "agent_framework": "\tlangchain ",
            "agent_llm_model": " m1 ",
            "agent_goal": "goal\r\n",
        }),
        UnknownKeys::Reject,
    )
    .unwrap();
    assert_eq!(req.email, "jane@example.com");
    assert_eq!(req.agent_framework, "langchain");
    assert_eq!(req.agent_llm_model, "m1");
    assert_eq!(req.agent_goal, "goal");
    // Whitespace alone is empty once trimmed: too short, not "present".
    assert_eq!(
        check_field(Field::AgentFramework, "   ").unwrap_err().code,
        IssueCode::TooShort
    );
    // " a " is one character after trimming.
    assert_eq!(
        check_field(Field::AgentFramework, " a ").unwrap_err().code,
        IssueCode::TooShort
    );
}

#[test]
fn emails_get_the_verdicts_of_emails_txt() {
    // tests/vectors/emails.txt: the WHATWG grammar's accepts and refusals, empty, and the
    // 254-character bound.
    let emails = vectors::emails().unwrap();
    for want in [
        None,
        Some(IssueCode::InvalidEmail),
        Some(IssueCode::TooLong),
    ] {
        assert!(emails.iter().any(|(c, _)| *c == want), "none for {want:?}");
    }
    for (want, email) in emails {
        match want {
            None => {
                assert!(is_valid_email(&email), "{email}");
                assert_eq!(check_field(Field::Email, &email).ok(), Some(email.as_str()));
            }
            Some(code) => {
                assert!(!is_valid_email(&email), "{email}");
                let e = check_field(Field::Email, &email).unwrap_err();
                assert_eq!(e.code, code, "{email}");
                if code == IssueCode::InvalidEmail {
                    assert!(
                        e.message
                            .starts_with("email must be a valid e-mail address"),
                        "{}",
                        e.message
                    );
                }
                if code == IssueCode::TooLong {
                    assert!(email.chars().count() > 254, "{email}");
                }
            }
        }
    }
}

#[test]
fn unknown_keys_are_rejected_by_the_client_and_ignored_by_the_server() {
    let v = with("sdkFramework", json!("python"));
    let issues = validate_json(&v, UnknownKeys::Reject).unwrap_err();
    assert_eq!(issues[0].code, IssueCode::UnknownField);
    assert_eq!(issues[0].field, "sdkFramework");
    assert!(
        issues[0].message.contains("did you mean `sdk_framework`?"),
        "{}",
        issues[0].message
    );
    assert!(validate_json(&v, UnknownKeys::Ignore).is_ok());
}

#[test]
fn did_you_mean_covers_case_separators_and_typos() {
    assert_eq!(suggest("agentGoal"), Some(Field::AgentGoal));
    assert_eq!(suggest("AGENT-LLM-MODEL"), Some(Field::AgentLlmModel));
    assert_eq!(suggest("emial"), Some(Field::Email));
    assert_eq!(suggest("agent_framwork"), Some(Field::AgentFramework));
    assert_eq!(suggest("colour"), None);
}

#[test]
fn whole_requests_get_one_clear_issue() {
    // tests/vectors/requests.txt: a request that is not an object.
    let requests = vectors::requests().unwrap();
    assert!(requests.iter().any(|(c, _)| *c == IssueCode::NotAnObject));
    for (code, v) in requests {
        let issues = validate_json(&v, UnknownKeys::Reject).unwrap_err();
        assert_eq!(issues.len(), 1, "{v}");
        assert_eq!(issues[0].code, code, "{v}");
        if code == IssueCode::NotAnObject {
            assert_eq!(issues[0].field, "request");
        }
    }
}

#[test]
fn all_issues_are_reported_at_once() {
    let issues = validate_json(
        &json!({"email": "x", "agent_goal": 5, "extra": 1}),
        UnknownKeys::Reject,
    )
    .unwrap_err();
    let fields: Vec<_> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "extra",
            "email",
            "agent_framework",
            "agent_llm_model",
            "agent_goal"
        ]
    );
}

#[test]
fn typed_requests_are_validated_and_trimmed() {
    let req = AgentAccountRequest {
        email: " jane@example.com ".into(),
        agent_framework: "crewai".into(),
        agent_llm_model: "gpt".into(),
        agent_goal: "store photos".into(),
        sdk_framework: Some("x".into()),
    };
    let issues = validate_request(&req).unwrap_err();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].field, "sdk_framework");
    let good = AgentAccountRequest {
        sdk_framework: None,
        ..req
    };
    assert_eq!(validate_request(&good).unwrap().email, "jane@example.com");
}

#[test]
fn issue_codes_round_trip_through_their_names() {
    for c in IssueCode::ALL {
        assert_eq!(IssueCode::from_name(c.as_str()), Some(c));
        assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
    }
}

#[test]
fn invisible_and_direction_changing_characters_are_rejected_in_every_field() {
    let invisible = [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{2029}',
        '\u{200B}', '\u{FEFF}',
    ];
    let ok = ok_body();
    for field in Field::ALL {
        let base = ok[field.name()].as_str().unwrap_or("python").to_string();
        for c in invisible {
            // Inside the value (at an end, U+2028/U+2029 are white space and trimmed).
            let value = match field {
                Field::Email => format!("ja{c}ne@example.com"),
                _ => format!("{}{c}{}", &base[..1], &base[1..]),
            };
            let got = codes(&with(field.name(), json!(value)), UnknownKeys::Reject);
            assert_eq!(
                got,
                vec![(field.name().to_string(), IssueCode::InvisibleCharacter)],
                "U+{:04X} in {}",
                c as u32,
                field.name()
            );
        }
    }
    let e = check_field(Field::AgentGoal, "fw\u{202E}gnp.exe").unwrap_err();
    assert_eq!(e.code, IssueCode::InvisibleCharacter);
    assert!(e.message.contains("agent_goal") && e.message.contains("invisible"));
    // Joiners stay allowed: scripts and emoji sequences need them.
    assert!(check_field(
        Field::AgentGoal,
        "Host images \u{1F469}\u{200D}\u{1F4BB} \u{0915}\u{094D}\u{200C}\u{0937}"
    )
    .is_ok());
}

/// Names as the messages list them: "a, b and c".
fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The lists the messages spell out are `Field::ALL` and `CloudField::ALL`, in their order.
#[test]
fn the_messages_list_the_fields_of_the_definitions() {
    let message = |r: Result<_, Vec<cloudinary_agent_account::ValidationIssue>>| match r {
        Err(issues) => issues[0].message.clone(),
        Ok(_) => panic!("accepted"),
    };
    let unknown = with("zzzzzzzzzz", json!("x"));
    let all = listed(Field::ALL.map(Field::name));
    let m = message(validate_json(&unknown, UnknownKeys::Reject).map(|_| ()));
    assert!(m.ends_with(&format!("; the fields are {all}")), "{m}");
    let (required, optional): (Vec<Field>, Vec<Field>) =
        Field::ALL.into_iter().partition(|f| f.required());
    let required: Vec<&str> = required.into_iter().map(Field::name).collect();
    let optional = listed(optional.into_iter().map(Field::name));
    let m = message(validate_json(&json!([]), UnknownKeys::Reject).map(|_| ()));
    let want = format!(
        "with the fields {} and optionally {optional}, not",
        required.join(", ")
    );
    assert!(m.contains(&want), "{m}");

    let cloud = listed(CloudField::ALL.map(CloudField::name));
    let m = message(validate_cloud_json(&unknown, UnknownKeys::Reject).map(|_| ()));
    assert!(m.ends_with(&format!("; the fields are {cloud}")), "{m}");
    let m = message(validate_cloud_json(&json!([]), UnknownKeys::Reject).map(|_| ()));
    assert!(
        m.contains(&format!("(every field optional: {cloud})")),
        "{m}"
    );
}
