//! The Claimable Cloud request's rules (`validate::validate_cloud_*`), one table or test each.

use cloudinary_agent_account::validate::{
    parse_delivery_ip, suggest_cloud, validate_cloud_json, validate_cloud_request, CloudField,
    DeliveryIp, DeliveryIpProblem, Field, IssueCode, UnknownKeys,
};
use cloudinary_agent_account::wire::CloudRequest;
use serde_json::{json, Value};

fn issues(v: &Value) -> Vec<(String, IssueCode)> {
    match validate_cloud_json(v, UnknownKeys::Reject) {
        Ok(_) => vec![],
        Err(issues) => issues.into_iter().map(|i| (i.field, i.code)).collect(),
    }
}

fn ips(list: Value) -> Vec<(String, IssueCode)> {
    issues(&json!({ "delivery_ips": list }))
}

fn one(field: &str, code: IssueCode) -> Vec<(String, IssueCode)> {
    vec![(field.to_owned(), code)]
}

#[test]
fn every_field_is_optional_and_unset_fields_stay_out_of_the_body() {
    let req = validate_cloud_json(&json!({}), UnknownKeys::Reject).unwrap();
    assert_eq!(req, CloudRequest::default());
    assert_eq!(serde_json::to_string(&req).unwrap(), "{}");
    let nulls = json!({"delivery_ips": null, "email": null, "agent_framework": null,
        "agent_llm_model": null, "agent_goal": null, "sdk_framework": null});
    assert_eq!(
        validate_cloud_json(&nulls, UnknownKeys::Reject).unwrap(),
        CloudRequest::default()
    );
    // An empty list is valid: the server adds the caller's address.
    assert_eq!(ips(json!([])), vec![]);
}

#[test]
fn valid_delivery_ips_pass_trimmed() {
    for list in [
        json!(["203.0.113.7"]),
        json!(["requester_ip"]),
        json!(["0.0.0.0", "255.255.255.255", "10.1.2.3"]),
        json!(["2001:db8::7"]),
        json!(["::1", "::", "2001:0db8:0000:0000:0000:0000:0000:0007"]),
        json!(["fe80::1:2:3:4", "2001:db8:1:2:3:4:5:6"]),
        json!(["::ffff:192.0.2.1"]),
        json!(["64:ff9b::198.51.100.9"]),
        json!(["2001:DB8::A"]),
        json!(["requester_ip", "198.51.100.2", "2001:db8::1"]),
    ] {
        assert_eq!(ips(list.clone()), vec![], "{list}");
    }
    let req = validate_cloud_json(
        &json!({"delivery_ips": [" 203.0.113.7\n", "requester_ip"]}),
        UnknownKeys::Reject,
    )
    .unwrap();
    assert_eq!(
        req.delivery_ips,
        Some(vec!["203.0.113.7".to_owned(), "requester_ip".to_owned()])
    );
}

#[test]
fn invalid_entries_are_named_by_their_index() {
    let invalid = IssueCode::InvalidIp;
    let table: &[(Value, DeliveryIpProblem)] = &[
        (json!("203.0.113.0/24"), DeliveryIpProblem::Cidr),
        (json!("2001:db8::/32"), DeliveryIpProblem::Cidr),
        (json!("10.0.0.1/32"), DeliveryIpProblem::Cidr),
        (json!("example.com"), DeliveryIpProblem::HostName),
        (json!("localhost"), DeliveryIpProblem::HostName),
        (json!("api.cloudinary.com"), DeliveryIpProblem::HostName),
        (json!("not-an-ip"), DeliveryIpProblem::HostName),
        (json!(""), DeliveryIpProblem::Empty),
        (json!("   "), DeliveryIpProblem::Empty),
        (json!("256.1.1.1"), DeliveryIpProblem::NotAnAddress),
        (json!("1.2.3"), DeliveryIpProblem::NotAnAddress),
        (json!("01.2.3.4"), DeliveryIpProblem::NotAnAddress),
        (json!("1.2.3.4.5"), DeliveryIpProblem::NotAnAddress),
        (json!("1.2.3.4:80"), DeliveryIpProblem::NotAnAddress),
        (json!("[2001:db8::1]"), DeliveryIpProblem::NotAnAddress),
        (json!("fe80::1%eth0"), DeliveryIpProblem::NotAnAddress),
        (json!("2001:db8:::1"), DeliveryIpProblem::NotAnAddress),
        (json!("1:2:3:4:5:6:7:8:9"), DeliveryIpProblem::NotAnAddress),
        (json!("2001:db8::g"), DeliveryIpProblem::NotAnAddress),
        (json!("REQUESTER_IP"), DeliveryIpProblem::NotAnAddress),
        (json!("requester ip"), DeliveryIpProblem::NotAnAddress),
        (
            json!("203.0.113.7,198.51.100.2"),
            DeliveryIpProblem::NotAnAddress,
        ),
    ];
    for (entry, problem) in table {
        let s = entry.as_str().unwrap();
        assert_eq!(parse_delivery_ip(s.trim()), Err(*problem), "{s:?}");
        assert_eq!(
            ips(json!(["198.51.100.2", entry])),
            one("delivery_ips[1]", invalid),
            "{s:?}"
        );
    }
}

#[test]
fn messages_name_the_entry_never_its_value() {
    let err = validate_cloud_json(
        &json!({"delivery_ips": ["secret-host.example", "10.0.0.0/8"]}),
        UnknownKeys::Reject,
    )
    .unwrap_err();
    assert_eq!(err.len(), 2);
    assert!(err[0].message.starts_with("delivery_ips[0] is a host name"));
    assert!(err[1]
        .message
        .starts_with("delivery_ips[1] is a CIDR range"));
    for i in &err {
        assert!(!i.message.contains("secret-host") && !i.message.contains("10.0.0.0"));
    }
}

#[test]
fn duplicates_are_refused_as_addresses_not_as_text() {
    assert_eq!(
        ips(json!(["203.0.113.7", "203.0.113.7"])),
        one("delivery_ips[1]", IssueCode::Duplicate)
    );
    // The same IPv6 address written two ways.
    assert_eq!(
        ips(json!(["2001:db8::7", "2001:DB8:0:0:0:0:0:7"])),
        one("delivery_ips[1]", IssueCode::Duplicate)
    );
    assert_eq!(
        ips(json!(["requester_ip", "198.51.100.2", "requester_ip"])),
        one("delivery_ips[2]", IssueCode::Duplicate)
    );
    let err = validate_cloud_json(
        &json!({"delivery_ips": ["198.51.100.2", " 198.51.100.2"]}),
        UnknownKeys::Reject,
    )
    .unwrap_err();
    assert_eq!(
        err[0].message,
        "delivery_ips[1] is the same address as delivery_ips[0]"
    );
}

#[test]
fn at_most_three_entries() {
    let four = json!([
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "198.51.100.4"
    ]);
    assert_eq!(ips(four), one("delivery_ips", IssueCode::TooLong));
    // Every problem is reported, not only the count.
    let four_bad = json!(["198.51.100.1", "x.example", "198.51.100.3", "198.51.100.4"]);
    assert_eq!(
        ips(four_bad),
        vec![
            ("delivery_ips".to_owned(), IssueCode::TooLong),
            ("delivery_ips[1]".to_owned(), IssueCode::InvalidIp),
        ]
    );
}

#[test]
fn wrong_types() {
    for (value, ty) in [
        (json!("203.0.113.7"), "a string"),
        (json!(3), "a number"),
        (json!(true), "a boolean"),
        (json!({"0": "203.0.113.7"}), "an object"),
    ] {
        let err = validate_cloud_json(&json!({ "delivery_ips": value }), UnknownKeys::Reject)
            .unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(
            (err[0].field.as_str(), err[0].code),
            ("delivery_ips", IssueCode::WrongType)
        );
        assert!(err[0].message.ends_with(ty), "{}", err[0].message);
    }
    assert_eq!(
        ips(json!([7, null, ["203.0.113.7"]])),
        vec![
            ("delivery_ips[0]".to_owned(), IssueCode::WrongType),
            ("delivery_ips[1]".to_owned(), IssueCode::WrongType),
            ("delivery_ips[2]".to_owned(), IssueCode::WrongType),
        ]
    );
    assert_eq!(
        issues(&json!({"email": ["jane@example.com"]})),
        one("email", IssueCode::WrongType)
    );
    assert_eq!(
        issues(&json!({"agent_goal": 42})),
        one("agent_goal", IssueCode::WrongType)
    );
    for body in [json!([]), json!("x"), json!(null)] {
        assert_eq!(issues(&body), one("request", IssueCode::NotAnObject));
    }
}

#[test]
fn email_follows_the_account_rule_when_given() {
    let ok = validate_cloud_json(
        &json!({"email": "  jane@example.com "}),
        UnknownKeys::Reject,
    )
    .unwrap();
    assert_eq!(ok.email.as_deref(), Some("jane@example.com"));
    for bad in [
        "jane",
        "jane@localhost",
        "jane@@example.com",
        "a b@example.com",
    ] {
        assert_eq!(
            issues(&json!({ "email": bad })),
            one("email", IssueCode::InvalidEmail),
            "{bad}"
        );
    }
    assert_eq!(
        issues(&json!({"email": ""})),
        one("email", IssueCode::InvalidEmail)
    );
    assert_eq!(
        issues(&json!({"email": format!("{}@example.com", "a".repeat(250))})),
        one("email", IssueCode::TooLong)
    );
    assert_eq!(
        issues(&json!({"email": "jane\n@example.com"})),
        one("email", IssueCode::ControlCharacter)
    );
}

#[test]
fn attribution_fields_follow_the_account_lengths() {
    for field in [
        CloudField::AgentFramework,
        CloudField::AgentLlmModel,
        CloudField::AgentGoal,
        CloudField::SdkFramework,
    ] {
        let rule = field.text_rule().unwrap();
        let (min, max) = rule.length();
        let name = field.name();
        assert_eq!(name, rule.name());
        assert_eq!(issues(&json!({ name: "é".repeat(min) })), vec![], "{name}");
        assert_eq!(issues(&json!({ name: "é".repeat(max) })), vec![], "{name}");
        assert_eq!(
            issues(&json!({ name: "é".repeat(min - 1) })),
            one(name, IssueCode::TooShort)
        );
        assert_eq!(
            issues(&json!({ name: "é".repeat(max + 1) })),
            one(name, IssueCode::TooLong)
        );
        assert_eq!(
            issues(&json!({ name: "ab\u{202E}cd" })),
            one(name, IssueCode::InvisibleCharacter)
        );
    }
    assert_eq!(Field::AgentGoal.length(), (2, 300));
}

#[test]
fn unknown_keys_as_the_account_path_treats_them() {
    let body = json!({"deliveryIps": ["203.0.113.7"], "emial": "jane@example.com", "zzz": 1});
    let err = validate_cloud_json(&body, UnknownKeys::Reject).unwrap_err();
    let fields: Vec<_> = err.iter().map(|i| (i.field.as_str(), i.code)).collect();
    assert_eq!(
        fields,
        [
            ("deliveryIps", IssueCode::UnknownField),
            ("emial", IssueCode::UnknownField),
            ("zzz", IssueCode::UnknownField),
        ]
    );
    assert!(err[0].message.ends_with("did you mean `delivery_ips`?"));
    assert!(err[1].message.ends_with("did you mean `email`?"));
    assert!(err[2]
        .message
        .contains("the fields are delivery_ips, email,"));
    // The server ignores them, as Rails does.
    assert!(validate_cloud_json(&body, UnknownKeys::Ignore).is_ok());
    assert_eq!(suggest_cloud("delivery_ip"), Some(CloudField::DeliveryIps));
    assert_eq!(suggest_cloud("sdk"), None);
}

#[test]
fn typed_requests_are_checked_and_trimmed() {
    let req = CloudRequest {
        delivery_ips: Some(vec!["requester_ip".into(), " 2001:db8::7".into()]),
        email: Some("jane@example.com ".into()),
        agent_framework: Some("langchain".into()),
        ..CloudRequest::default()
    };
    let ok = validate_cloud_request(&req).unwrap();
    assert_eq!(ok.email.as_deref(), Some("jane@example.com"));
    assert_eq!(
        ok.delivery_ips.unwrap(),
        ["requester_ip".to_owned(), "2001:db8::7".to_owned()]
    );
    let bad = CloudRequest {
        delivery_ips: Some(vec!["10.0.0.0/8".into()]),
        agent_goal: Some("x".into()),
        ..CloudRequest::default()
    };
    let err = validate_cloud_request(&bad).unwrap_err();
    let fields: Vec<_> = err.iter().map(|i| (i.field.as_str(), i.code)).collect();
    assert_eq!(
        fields,
        [
            ("delivery_ips[0]", IssueCode::InvalidIp),
            ("agent_goal", IssueCode::TooShort)
        ]
    );
}

#[test]
fn parse_agrees_with_std_net() {
    // The entries std::net reads are exactly the addresses accepted.
    for s in [
        "1.2.3.4",
        "::",
        "::1",
        "1::",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1:2:3:4:5:6:1.2.3.4",
        "::1.2.3.4",
        "1.2.3.04",
        "1..2.3",
        ":1::2",
        "1:2:3:4:5:6:7:8:",
        "12345::",
        "::ffff:1.2.3.256",
    ] {
        let std_ok = s.parse::<std::net::IpAddr>().ok();
        let ours = parse_delivery_ip(s).ok();
        assert_eq!(ours, std_ok.map(DeliveryIp::Addr), "{s}");
    }
}

#[test]
fn every_delivery_ips_message_word_for_word() {
    let messages = |body: Value| -> Vec<String> {
        validate_cloud_json(&json!({ "delivery_ips": body }), UnknownKeys::Reject)
            .unwrap_err()
            .into_iter()
            .map(|i| [i.field, i.code.as_str().to_owned(), i.message].join(" | "))
            .collect()
    };
    let each = "each entry is one IPv4 or IPv6 address (such as 203.0.113.7 or 2001:db8::7) or \"requester_ip\"";
    assert_eq!(
        messages(json!("203.0.113.7")),
        ["delivery_ips | wrong_type | delivery_ips must be an array of IP addresses, not a string"]
    );
    assert_eq!(
        messages(json!({})),
        ["delivery_ips | wrong_type | delivery_ips must be an array of IP addresses, not an object"]
    );
    assert_eq!(
        messages(json!([null, 7, ["203.0.113.7"], "example.com", "10.0.0.0/8", "", "1.2.3", "10.0.0.1", " 10.0.0.1"])),
        [
            "delivery_ips | too_long | delivery_ips must hold at most 3 addresses (your own is added by the server); it has 9".to_owned(),
            "delivery_ips[0] | wrong_type | delivery_ips[0] must be a string, not null".to_owned(),
            "delivery_ips[1] | wrong_type | delivery_ips[1] must be a string, not a number".to_owned(),
            "delivery_ips[2] | wrong_type | delivery_ips[2] must be a string, not an array".to_owned(),
            format!("delivery_ips[3] | invalid_ip | delivery_ips[3] is a host name; give its IP address: {each}"),
            format!("delivery_ips[4] | invalid_ip | delivery_ips[4] is a CIDR range; give single addresses: {each}"),
            format!("delivery_ips[5] | invalid_ip | delivery_ips[5] is empty: {each}"),
            format!("delivery_ips[6] | invalid_ip | delivery_ips[6] is not an IP address: {each}"),
            "delivery_ips[8] | duplicate | delivery_ips[8] is the same address as delivery_ips[7]".to_owned(),
        ]
    );
}
