//! The rules of the Claimable Cloud request (`POST /v1_1/provisioning/clouds`): every field
//! optional, the text fields by the account request's own rules (this module calls them, it
//! never restates them), and `delivery_ips`.
//!
//! | field             | rule                                                                  |
//! |-------------------|-----------------------------------------------------------------------|
//! | `delivery_ips`    | an array of at most 3 entries, each one IPv4 or IPv6 address literal or `"requester_ip"`; no CIDR range, no host name, no entry twice |
//! | `email`           | the account request's e-mail rule, when given                          |
//! | `agent_framework`, `agent_llm_model`, `agent_goal`, `sdk_framework` | the account request's length rules, when given |
//!
//! Absent, `null` and `undefined` mean unset. Unknown keys: as the account request (the client
//! rejects them with a "did you mean", the server ignores them). Both requests are read by
//! one driver, `validate::validate_fields`; this module holds what only the cloud has.

use crate::text::{concat, decimal};
use std::net::IpAddr;

use super::{
    not_an_object, suggest_from, type_of_tag, validate_fields, Field, FieldValue, IssueCode,
    UnknownKeys, ValidationIssue,
};
use crate::creation::Creation;
use crate::wire::{CloudRequest, MAX_DELIVERY_IPS, REQUESTER_IP};

/// A field of the cloud request; the account request's fields are the same but
/// `delivery_ips`, in the same order (`validate::request_fields`), so one driver reads both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloudField {
    /// `delivery_ips`
    DeliveryIps,
    /// `email`
    Email,
    /// `agent_framework`
    AgentFramework,
    /// `agent_llm_model`
    AgentLlmModel,
    /// `agent_goal`
    AgentGoal,
    /// `sdk_framework`
    SdkFramework,
}

impl CloudField {
    /// All fields, in the order Cloudinary's clients list them.
    pub const ALL: [CloudField; 6] = [
        CloudField::DeliveryIps,
        CloudField::Email,
        CloudField::AgentFramework,
        CloudField::AgentLlmModel,
        CloudField::AgentGoal,
        CloudField::SdkFramework,
    ];

    /// The account request's field whose rule a text field follows; `None` for `delivery_ips`.
    pub const fn text_rule(self) -> Option<Field> {
        match self {
            CloudField::DeliveryIps => None,
            CloudField::Email => Some(Field::Email),
            CloudField::AgentFramework => Some(Field::AgentFramework),
            CloudField::AgentLlmModel => Some(Field::AgentLlmModel),
            CloudField::AgentGoal => Some(Field::AgentGoal),
            CloudField::SdkFramework => Some(Field::SdkFramework),
        }
    }

    /// The field's name on the wire.
    pub const fn name(self) -> &'static str {
        match self.text_rule() {
            Some(f) => f.name(),
            None => "delivery_ips",
        }
    }

    /// Looks a wire name up.
    pub fn from_name(name: &str) -> Option<CloudField> {
        CloudField::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One entry of `delivery_ips`, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeliveryIp {
    /// `"requester_ip"`: the caller's own address, resolved by the server.
    Requester,
    /// An address literal.
    Addr(IpAddr),
}

/// Why an entry of `delivery_ips` is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryIpProblem {
    /// Empty (or only white space).
    Empty,
    /// An address with a prefix length, such as `10.0.0.0/8`: ranges are refused.
    Cidr,
    /// A name such as `example.com` or `localhost`: the server does not resolve names.
    HostName,
    /// Anything else.
    NotAnAddress,
}

impl DeliveryIpProblem {
    /// What is wrong, after the entry's path (never quoting the value).
    const fn reason(self) -> &'static str {
        match self {
            DeliveryIpProblem::Empty => "is empty",
            DeliveryIpProblem::Cidr => "is a CIDR range; give single addresses",
            DeliveryIpProblem::HostName => "is a host name; give its IP address",
            DeliveryIpProblem::NotAnAddress => "is not an IP address",
        }
    }
}

/// Reads one `delivery_ips` entry (already trimmed): `"requester_ip"`, or one IPv4 or IPv6
/// address literal, as `std::net` reads them (dotted quad without leading zeros; IPv6 with
/// `::` and an embedded IPv4 tail; no brackets, zone or port).
///
/// `std`'s own parser, not a hand-written one: measured in the client wasm (an export calling
/// this, against the same export with the parse stubbed out), it costs 877 B gzipped (1,708 B
/// raw), under the 1.5 KB at which a smaller parser would pay for its risk.
///
/// ```
/// use cloudinary_agent_account::validate::{parse_delivery_ip, DeliveryIp, DeliveryIpProblem};
/// assert_eq!(parse_delivery_ip("requester_ip"), Ok(DeliveryIp::Requester));
/// assert!(matches!(parse_delivery_ip("2001:db8::7"), Ok(DeliveryIp::Addr(_))));
/// assert_eq!(parse_delivery_ip("203.0.113.0/24"), Err(DeliveryIpProblem::Cidr));
/// assert_eq!(parse_delivery_ip("example.com"), Err(DeliveryIpProblem::HostName));
/// ```
pub fn parse_delivery_ip(s: &str) -> Result<DeliveryIp, DeliveryIpProblem> {
    if s == REQUESTER_IP {
        return Ok(DeliveryIp::Requester);
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(DeliveryIp::Addr(ip));
    }
    Err(entry_problem(s))
}

/// Why `s` (not an address) was refused. Cold: a valid request never runs it.
#[cold]
#[inline(never)]
fn entry_problem(s: &str) -> DeliveryIpProblem {
    if s.is_empty() {
        return DeliveryIpProblem::Empty;
    }
    // A byte search, not `split_once('/')`: core's char searcher is more code in the wasm.
    if let Some(slash) = s.bytes().position(|b| b == b'/') {
        let (addr, bits) = (&s[..slash], &s[slash + 1..]);
        if addr.parse::<IpAddr>().is_ok() && !bits.is_empty() {
            return DeliveryIpProblem::Cidr;
        }
    }
    // A DNS name: letters, digits, hyphens and dots, with at least one letter (an all-digit
    // dotted string such as `1.2.3` or `01.2.3.4` is a malformed address, not a name).
    let name_chars = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if name_chars && s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return DeliveryIpProblem::HostName;
    }
    DeliveryIpProblem::NotAnAddress
}

/// The path of entry `i` of `delivery_ips`, e.g. `delivery_ips[1]`.
fn entry_path(i: usize) -> String {
    concat(&[CloudField::DeliveryIps.name(), "[", &decimal(i as u64), "]"])
}

/// Checks `delivery_ips`: returns the trimmed entries or pushes the issues.
#[inline(never)]
pub(super) fn check_delivery_ips(
    value: FieldValue<'_>,
    issues: &mut Vec<ValidationIssue>,
) -> Option<Vec<String>> {
    let items = match value {
        // A list read only in part (objects.js packs the first few elements of a long one) is
        // refused for its length, so its elements, unread, are not looked at.
        FieldValue::List(len, items) if items.len() < len => {
            issues.push(ips_issue(None, IpsProblem::TooMany(len)));
            return None;
        }
        FieldValue::List(_, items) => items,
        FieldValue::Tag('0' | 'u') => return None,
        FieldValue::Str(_) => {
            issues.push(ips_issue(None, IpsProblem::NotAList(type_of_tag('s'))));
            return None;
        }
        FieldValue::Tag(tag) => {
            issues.push(ips_issue(None, IpsProblem::NotAList(type_of_tag(tag))));
            return None;
        }
    };
    let before = issues.len();
    if items.len() > MAX_DELIVERY_IPS {
        issues.push(ips_issue(None, IpsProblem::TooMany(items.len())));
    }
    // Each address read, with its entry's index (which a duplicate's message names).
    let mut seen: Vec<(usize, DeliveryIp)> = Vec::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let s = match item {
            FieldValue::Str(s) => crate::text::trim(s),
            FieldValue::Tag('0' | 'u') => {
                issues.push(ips_issue(Some(i), IpsProblem::NotAString("null")));
                continue;
            }
            FieldValue::Tag(tag) => {
                issues.push(ips_issue(Some(i), IpsProblem::NotAString(type_of_tag(tag))));
                continue;
            }
            FieldValue::List(..) => {
                issues.push(ips_issue(Some(i), IpsProblem::NotAString(type_of_tag('a'))));
                continue;
            }
        };
        match parse_delivery_ip(s) {
            Ok(ip) => match seen.iter().find(|(_, x)| *x == ip) {
                Some(&(first, _)) => issues.push(ips_issue(Some(i), IpsProblem::Duplicate(first))),
                None => {
                    seen.push((i, ip));
                    out.push(s.to_owned());
                }
            },
            Err(why) => issues.push(ips_issue(Some(i), IpsProblem::Entry(why))),
        }
    }
    (issues.len() == before).then_some(out)
}

/// What is wrong with `delivery_ips` or one of its entries, for [`ips_issue`].
#[derive(Clone, Copy)]
enum IpsProblem {
    /// More entries than [`MAX_DELIVERY_IPS`]: how many.
    TooMany(usize),
    /// Not an array: the name of its type.
    NotAList(&'static str),
    /// An entry that is not a string: the name of its type.
    NotAString(&'static str),
    /// An entry that is not an address.
    Entry(DeliveryIpProblem),
    /// An entry the same address as the entry at this index.
    Duplicate(usize),
}

/// The issue for `delivery_ips` (`entry` `None`) or its entry `entry`. Cold, out of line: a
/// valid request never runs it (BENCHMARKS.md, "Error paths out of line").
#[cold]
#[inline(never)]
fn ips_issue(entry: Option<usize>, problem: IpsProblem) -> ValidationIssue {
    let path = match entry {
        Some(i) => entry_path(i),
        None => CloudField::DeliveryIps.name().to_owned(),
    };
    let (code, rest) = match problem {
        IpsProblem::TooMany(len) => (
            IssueCode::TooLong,
            concat(&[
                " must hold at most ",
                &decimal(MAX_DELIVERY_IPS as u64),
                " addresses (your own is added by the server); it has ",
                &decimal(len as u64),
            ]),
        ),
        IpsProblem::NotAList(ty) => (
            IssueCode::WrongType,
            concat(&[" must be an array of IP addresses, not ", ty]),
        ),
        IpsProblem::NotAString(ty) => (
            IssueCode::WrongType,
            concat(&[" must be a string, not ", ty]),
        ),
        IpsProblem::Entry(why) => (
            IssueCode::InvalidIp,
            concat(&[
                " ",
                why.reason(),
                ": each entry is one IPv4 or IPv6 address (such as 203.0.113.7 or 2001:db8::7) or \"",
                REQUESTER_IP,
                "\"",
            ]),
        ),
        IpsProblem::Duplicate(first) => (
            IssueCode::Duplicate,
            concat(&[" is the same address as ", &entry_path(first)]),
        ),
    };
    ValidationIssue {
        message: concat(&[&path, &rest]),
        field: path,
        code,
    }
}

/// Validates a parsed JSON body (what the emulator receives).
///
/// ```
/// use cloudinary_agent_account::validate::{validate_cloud_json, UnknownKeys};
/// assert!(validate_cloud_json(&serde_json::json!({}), UnknownKeys::Reject).is_ok());
/// let body = serde_json::json!({"delivery_ips": ["203.0.113.7", "10.0.0.0/8"]});
/// let issues = validate_cloud_json(&body, UnknownKeys::Reject).unwrap_err();
/// assert_eq!(issues[0].field, "delivery_ips[1]");
/// ```
pub fn validate_cloud_json(
    value: &serde_json::Value,
    unknown: UnknownKeys,
) -> Result<CloudRequest, Vec<ValidationIssue>> {
    let serde_json::Value::Object(map) = value else {
        return Err(not_an_object(Creation::Cloud, super::json_type_name(value)));
    };
    validate_fields(Creation::Cloud, super::json_entries(map).collect(), unknown)
}

/// Validates a typed cloud request; returns it trimmed.
pub fn validate_cloud_request(req: &CloudRequest) -> Result<CloudRequest, Vec<ValidationIssue>> {
    fn text(v: &Option<String>) -> FieldValue<'_> {
        match v {
            Some(s) => FieldValue::Str(s),
            None => FieldValue::Tag('u'),
        }
    }
    let ips = match &req.delivery_ips {
        Some(list) => FieldValue::List(
            list.len(),
            list.iter().map(|s| FieldValue::Str(s)).collect(),
        ),
        None => FieldValue::Tag('u'),
    };
    validate_fields(
        Creation::Cloud,
        vec![
            (CloudField::DeliveryIps.name(), ips),
            (CloudField::Email.name(), text(&req.email)),
            (
                CloudField::AgentFramework.name(),
                text(&req.agent_framework),
            ),
            (CloudField::AgentLlmModel.name(), text(&req.agent_llm_model)),
            (CloudField::AgentGoal.name(), text(&req.agent_goal)),
            (CloudField::SdkFramework.name(), text(&req.sdk_framework)),
        ],
        UnknownKeys::Reject,
    )
}

/// The cloud field an unknown key most likely meant.
pub fn suggest_cloud(key: &str) -> Option<CloudField> {
    suggest_from(key, &CloudField::ALL.map(CloudField::name)).and_then(CloudField::from_name)
}
