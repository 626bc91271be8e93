//! Every rule a request must meet, in one place. The client runs these before it sends
//! anything; the emulator runs the very same functions on what it receives.
//!
//! | field             | required | rule                                                        |
//! |-------------------|----------|-------------------------------------------------------------|
//! | `email`           | yes      | WHATWG "valid e-mail address", at most 254 characters, a dot in the domain |
//! | `agent_framework` | yes      | 2-100 characters                                            |
//! | `agent_llm_model` | yes      | 2-100 characters                                            |
//! | `agent_goal`      | yes      | 2-300 characters                                            |
//! | `sdk_framework`   | no       | 2-100 characters when present (absent, `null` or `undefined` mean unset) |
//!
//! For every field: the value must be a string; surrounding white space is trimmed before
//! the checks (and before sending); a control character left inside is rejected, and so is an
//! invisible or direction-changing character (see [`is_invisible`]); lengths count
//! Unicode code points, as the server (Rails) does. An unknown key is rejected by the client
//! (so a misspelt field is never dropped silently) and ignored by the server, as Rails does.

use crate::text::{concat, decimal, join};
use serde_json::Value;

use crate::creation::Creation;
use crate::wire::{AgentAccountRequest, CloudRequest};

mod cloud;
pub use cloud::{
    parse_delivery_ip, suggest_cloud, validate_cloud_json, validate_cloud_request, CloudField,
    DeliveryIp, DeliveryIpProblem,
};

/// A field of the request, with its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
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

impl Field {
    /// All fields, in the order the document lists them.
    pub const ALL: [Field; 5] = [
        Field::Email,
        Field::AgentFramework,
        Field::AgentLlmModel,
        Field::AgentGoal,
        Field::SdkFramework,
    ];

    /// The field's name on the wire.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::AgentFramework => "agent_framework",
            Field::AgentLlmModel => "agent_llm_model",
            Field::AgentGoal => "agent_goal",
            Field::SdkFramework => "sdk_framework",
        }
    }

    /// Whether the request must carry it.
    pub const fn required(self) -> bool {
        !matches!(self, Field::SdkFramework)
    }

    /// Inclusive bounds on its length in Unicode code points.
    pub const fn length(self) -> (usize, usize) {
        match self {
            Field::Email => (1, MAX_EMAIL_LEN),
            Field::AgentGoal => (2, 300),
            Field::AgentFramework | Field::AgentLlmModel | Field::SdkFramework => (2, 100),
        }
    }

    /// Looks a wire name up.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The longest e-mail address accepted (RFC 5321's path limit, less the angle brackets).
pub const MAX_EMAIL_LEN: usize = 254;

pub use crate::issue::{IssueCode, ValidationIssue};

/// What to do with keys the request does not define.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownKeys {
    /// Report each as an issue (the client: nothing is ever silently dropped).
    Reject,
    /// Pass over them (the server, like Rails' strong parameters).
    Ignore,
}

/// A value as found under one key of a request, whatever language it came from: a string,
/// the type of anything else as a one-letter tag ([`type_of_tag`]; the tags are those
/// `packedEntries` (src/wasm/objects.js) packs a JavaScript value's type as, so the client
/// reads a request into this without a conversion), or a list (the cloud's `delivery_ips`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// A string.
    Str(&'a str),
    /// Any other value's tag: `0` null, `u` undefined (or absent), `o` an object...
    Tag(char),
    /// An array: its length, and its elements as read, strings or tags (an array in it is
    /// not opened). Fewer than its length when the client read only the first few of a
    /// caller's array (never all): such a list is refused for its length alone.
    List(usize, Vec<FieldValue<'a>>),
}

impl FieldValue<'_> {
    /// `null` or `undefined`, which mean unset.
    const fn is_unset(&self) -> bool {
        matches!(self, FieldValue::Tag('0' | 'u'))
    }
}

/// The name of a value's type in messages, from its tag ([`FieldValue::Tag`]).
pub fn type_of_tag(tag: char) -> &'static str {
    const NAMES: [(char, &str); 9] = [
        ('0', "null"),
        ('u', "undefined"),
        ('s', "a string"),
        ('a', "an array"),
        ('f', "a function"),
        ('b', "a boolean"),
        ('n', "a number"),
        ('g', "a bigint"),
        ('y', "a symbol"),
    ];
    NAMES
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or("an object", |(_, name)| name)
}

/// An issue of `field` (also the credentials' issues: `crate::activation`).
pub(crate) fn issue(field: &str, code: IssueCode, message: String) -> ValidationIssue {
    ValidationIssue {
        field: field.to_owned(),
        code,
        message,
    }
}

/// Checks one field's (untrimmed) string value; returns the trimmed value or the issue.
///
/// ```
/// use cloudinary_agent_account::validate::{check_field, Field, IssueCode};
/// assert_eq!(check_field(Field::AgentGoal, "  Host images\n"), Ok("Host images"));
/// assert_eq!(check_field(Field::AgentGoal, "x").unwrap_err().code, IssueCode::TooShort);
/// ```
pub fn check_field(field: Field, value: &str) -> Result<&str, ValidationIssue> {
    let value = crate::text::trim(value);
    let (control, invisible, len) = scan(value);
    let (min, max) = field.length();
    let problem = if control {
        Problem::Control
    } else if invisible {
        Problem::Invisible
    } else if field == Field::Email {
        if len == 0 {
            Problem::Empty
        } else if len > max {
            Problem::Length
        } else {
            match email_problem(value) {
                None => return Ok(value),
                Some(why) => Problem::Email(why),
            }
        }
    } else if len < min || len > max {
        Problem::Length
    } else {
        return Ok(value);
    };
    Err(field_issue(field, problem, len))
}

/// What [`check_field`] found wrong.
#[derive(Clone, Copy)]
enum Problem {
    Control,
    Invisible,
    Empty,
    Length,
    Email(&'static str),
    /// Not a string: the name of its type.
    Type(&'static str),
}

/// The issue for a field's problem. Out of line and cold: a valid request never runs it, and
/// the wasm compiles a function on its first call (BENCHMARKS.md, "Error paths out of line").
#[cold]
#[inline(never)]
fn field_issue(field: Field, problem: Problem, len: usize) -> ValidationIssue {
    let name = field.name();
    let (min, max) = field.length();
    let (code, message) = match problem {
        Problem::Control => (
            IssueCode::ControlCharacter,
            concat(&[name, " must not contain control characters such as line breaks or tabs"]),
        ),
        Problem::Invisible => (
            IssueCode::InvisibleCharacter,
            concat(&[name, " must not contain invisible or direction-changing characters (such as U+202E, U+200B or U+2028)"]),
        ),
        Problem::Empty => (IssueCode::Missing, concat(&[name, " is required"])),
        Problem::Length if field == Field::Email => (
            IssueCode::TooLong,
            concat(&[
                name,
                " must be at most ",
                &decimal(max as u64),
                " characters long; it has ",
                &decimal(len as u64),
            ]),
        ),
        Problem::Length => (
            if len < min {
                IssueCode::TooShort
            } else {
                IssueCode::TooLong
            },
            concat(&[
                name,
                " must be ",
                &decimal(min as u64),
                "-",
                &decimal(max as u64),
                " characters long (Unicode code points); it has ",
                &decimal(len as u64),
            ]),
        ),
        Problem::Email(why) => (
            IssueCode::InvalidEmail,
            concat(&[name, " must be a valid e-mail address such as name@example.com: ", why]),
        ),
        Problem::Type(ty) => (
            IssueCode::WrongType,
            concat(&[name, " must be a string, not ", ty]),
        ),
    };
    issue(name, code, message)
}

/// The account request's field names, as the unknown-key message lists them.
const ACCOUNT_FIELD_LIST: &str =
    "email, agent_framework, agent_llm_model, agent_goal and sdk_framework";

/// The cloud request's field names, as the unknown-key message lists them.
const CLOUD_FIELD_LIST: &str =
    "delivery_ips, email, agent_framework, agent_llm_model, agent_goal and sdk_framework";

/// Every field's name, in [`CloudField::ALL`]'s order.
const FIELD_NAMES: [&str; 6] = [
    CloudField::DeliveryIps.name(),
    CloudField::Email.name(),
    CloudField::AgentFramework.name(),
    CloudField::AgentLlmModel.name(),
    CloudField::AgentGoal.name(),
    CloudField::SdkFramework.name(),
];

/// The fields of `kind`'s request, in the order of its body, as places in
/// [`CloudField::ALL`]: the cloud request has the account's fields, in the same order, after
/// `delivery_ips`.
pub const fn request_fields(kind: Creation) -> std::ops::Range<usize> {
    match kind {
        Creation::Account => 1..6,
        Creation::Cloud => 0..6,
    }
}

/// The issue for a key `kind`'s request does not have, with a "did you mean" among its
/// fields. Cold, out of line: see [`field_issue`].
#[cold]
#[inline(never)]
fn unknown_key_issue(kind: Creation, key: &str) -> ValidationIssue {
    let hint = match suggest_from(key, &FIELD_NAMES[request_fields(kind)]) {
        Some(f) => concat(&["; did you mean `", f, "`?"]),
        None => concat(&[
            "; the fields are ",
            match kind {
                Creation::Account => ACCOUNT_FIELD_LIST,
                Creation::Cloud => CLOUD_FIELD_LIST,
            },
        ]),
    };
    issue(
        key,
        IssueCode::UnknownField,
        concat(&["`", key, "` is not a field of the request", &hint]),
    )
}

/// Whether `value` holds a control character, an [`INVISIBLE`] one, and its length in code
/// points: one pass, and for ASCII (the usual case) a byte loop, where three `chars()`
/// chains were most of validateRequest's time in the size-optimised wasm.
fn scan(value: &str) -> (bool, bool, usize) {
    if value.is_ascii() {
        // The ASCII controls: U+0000-U+001F and U+007F (char::is_control's others are above).
        return (
            value.bytes().any(|b| b < 0x20 || b == 0x7F),
            false,
            value.len(),
        );
    }
    let (mut control, mut invisible, mut len) = (false, false, 0);
    for c in value.chars() {
        control |= c.is_control();
        invisible |= is_invisible(c);
        len += 1;
    }
    (control, invisible, len)
}

/// The invisible or direction-changing characters no field may hold, as inclusive ranges:
/// the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the line
/// and paragraph separators (U+2028, U+2029), the zero-width space (U+200B) and the byte-order
/// mark (U+FEFF). Joiners (U+200C, U+200D) are allowed: scripts and emoji need them. Also the
/// source of the tool schema's `pattern` (`schema::no_control_pattern`).
pub const INVISIBLE: [(char, char); 7] = [
    ('\u{061C}', '\u{061C}'),
    ('\u{200B}', '\u{200B}'),
    ('\u{200E}', '\u{200F}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2066}', '\u{2069}'),
    ('\u{FEFF}', '\u{FEFF}'),
];

/// Whether `c` is one of the [`INVISIBLE`] characters.
pub const fn is_invisible(c: char) -> bool {
    // Most text is below the first range: one comparison.
    if (c as u32) < 0x061C {
        return false;
    }
    let mut i = 0;
    while i < INVISIBLE.len() {
        let (lo, hi) = INVISIBLE[i];
        if lo as u32 <= c as u32 && c as u32 <= hi as u32 {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether `s` is a WHATWG "valid e-mail address" (what `<input type=email>` and Rails'
/// `URI::MailTo::EMAIL_REGEXP` accept) with a dot in its domain and at most 254 characters.
///
/// Hand-written rather than a regex crate: the grammar is small, must match the server's
/// exactly, and a regex engine would cost the wasm tens of kilobytes.
pub fn is_valid_email(s: &str) -> bool {
    s.chars().count() <= MAX_EMAIL_LEN && email_problem(s).is_none()
}

/// Why `s` is not a valid address, or `None` when it is (length not checked here).
fn email_problem(s: &str) -> Option<&'static str> {
    // Bytes, not chars: '@', '.' and '-' are ASCII, and so is every allowed character, so a
    // byte of a non-ASCII one is refused as its character would be (and byte searches keep
    // core's char searchers out of a valid request's first call).
    let s = s.as_bytes();
    let Some(at) = s.iter().position(|&b| b == b'@') else {
        return Some("it has no @");
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() {
        return Some("nothing comes before the @");
    }
    const LOCAL_SPECIALS: &[u8] = b".!#$%&'*+/=?^_`{|}~-";
    if !local
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(b))
    {
        return Some("the part before the @ has a character that is not allowed");
    }
    if domain.is_empty() {
        return Some("nothing comes after the @");
    }
    if domain.contains(&b'@') {
        return Some("it has more than one @");
    }
    if !domain.contains(&b'.') {
        return Some("the domain has no dot");
    }
    for label in domain.split(|&b| b == b'.') {
        if label.is_empty() {
            return Some("the domain has an empty label (two dots in a row, or a dot at an end)");
        }
        if label.len() > 63 {
            return Some("a domain label is longer than 63 characters");
        }
        if !label
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            return Some("the domain has a character that is not allowed");
        }
        if label.first() == Some(&b'-') || label.last() == Some(&b'-') {
            return Some("a domain label starts or ends with a hyphen");
        }
    }
    None
}

/// Lower-cased with separators removed, so `sdkFramework`, `SDK-framework` and
/// `sdk_framework` compare equal. Bytes, each non-ASCII character one byte (0x80) that no
/// candidate has (candidates are ASCII names), so [`edit_distance`] counts characters as on
/// `chars()`, without the code of a char decoder. ASCII case only: full Unicode case tables
/// would cost the wasm ~8 KB.
fn fold(key: &str) -> Vec<u8> {
    key.bytes()
        // Separators, and a character's continuation bytes.
        .filter(|b| !matches!(b, b'_' | b'-' | b' ' | 0x80..=0xBF))
        .map(|b| {
            if b.is_ascii() {
                b.to_ascii_lowercase()
            } else {
                0x80
            }
        })
        .collect()
}

/// Levenshtein distance, for "did you mean" on typos; inputs are short keys.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = i;
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The candidate an unknown key most likely meant: equal once case and separators are
/// ignored (`sdkFramework`), or within two edits of one (`emial`); the first of the
/// nearest. `candidates` are ASCII (field and option names).
pub fn suggest_from<'c>(key: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let k = fold(key);
    let (mut best, mut nearest) = (None, 3);
    for c in candidates {
        let d = edit_distance(&k, &fold(c));
        if d < nearest {
            (best, nearest) = (Some(*c), d);
        }
    }
    best
}

/// The real field an unknown key most likely meant.
pub fn suggest(key: &str) -> Option<Field> {
    suggest_from(key, &Field::ALL.map(Field::name)).and_then(Field::from_name)
}

/// Validates the keys and values of a request of `kind`, from any source: the one driver of
/// both requests (their text fields follow the same rules; the cloud's has `delivery_ips`
/// besides, and none of its fields is required).
///
/// `entries` are the object's own keys in order, each with its value (a `Vec`, not any
/// iterator: the client's one caller then needs one copy of this, and a field's value is
/// found by its index). Returns the trimmed request as a [`CloudRequest`] (an account request is one without `delivery_ips`: the
/// fields it has are the account's, in the same order), or every issue found (all fields
/// are checked, not just the first bad one).
pub fn validate_fields<'a>(
    kind: Creation,
    mut entries: Vec<(&'a str, FieldValue<'a>)>,
    unknown: UnknownKeys,
) -> Result<CloudRequest, Vec<ValidationIssue>> {
    let fields = request_fields(kind);
    // Each field's entry (the last one of its name), by its place in `CloudField::ALL`.
    let mut found = [usize::MAX; 6];
    let mut issues = Vec::new();
    for (i, (key, _)) in entries.iter().enumerate() {
        match FIELD_NAMES[fields.clone()]
            .iter()
            .position(|name| name == key)
        {
            Some(f) => found[fields.start + f] = i,
            None if unknown == UnknownKeys::Reject => issues.push(unknown_key_issue(kind, key)),
            None => {}
        }
    }
    let mut request = CloudRequest::default();
    for field in CloudField::ALL {
        let value = match entries.get_mut(found[field as usize]) {
            Some((_, value)) => std::mem::replace(value, FieldValue::Tag('u')),
            None => FieldValue::Tag('u'),
        };
        match field.text_rule() {
            // Unset, as always in an account request: its check is not even compiled then
            // (BENCHMARKS.md, "Error paths out of line").
            None if value.is_unset() => {}
            None => request.delivery_ips = cloud::check_delivery_ips(value, &mut issues),
            Some(rule) => {
                let required = kind == Creation::Account && rule.required();
                *text_of(&mut request, rule) = check_text(rule, required, value, &mut issues);
            }
        }
    }
    if issues.is_empty() {
        Ok(request)
    } else {
        Err(issues)
    }
}

/// The place of a text field in a request.
fn text_of(request: &mut CloudRequest, field: Field) -> &mut Option<String> {
    match field {
        Field::Email => &mut request.email,
        Field::AgentFramework => &mut request.agent_framework,
        Field::AgentLlmModel => &mut request.agent_llm_model,
        Field::AgentGoal => &mut request.agent_goal,
        Field::SdkFramework => &mut request.sdk_framework,
    }
}

/// Checks one text field: returns its trimmed value, or `None` and pushes the issue.
fn check_text(
    field: Field,
    required: bool,
    value: FieldValue<'_>,
    issues: &mut Vec<ValidationIssue>,
) -> Option<String> {
    let problem = match value {
        FieldValue::Tag('0' | 'u') if required => Problem::Empty,
        FieldValue::Tag('0' | 'u') => return None,
        // Where the e-mail is optional (the cloud), an empty one is a bad address, not a
        // missing one: leaving it out is how to get the placeholder.
        FieldValue::Str(s)
            if field == Field::Email && !required && crate::text::trim(s).is_empty() =>
        {
            Problem::Email("it is empty (leave email out for a placeholder address)")
        }
        FieldValue::Str(s) => match check_field(field, s) {
            Ok(v) => return Some(v.to_owned()),
            Err(e) => {
                issues.push(e);
                return None;
            }
        },
        FieldValue::List(..) => Problem::Type(type_of_tag('a')),
        FieldValue::Tag(tag) => Problem::Type(type_of_tag(tag)),
    };
    issues.push(field_issue(field, problem, 0));
    None
}

/// The account request a checked one is ([`validate_fields`] has reported any required
/// field that is missing).
fn account_request(request: CloudRequest) -> Result<AgentAccountRequest, Vec<ValidationIssue>> {
    let CloudRequest {
        email: Some(email),
        agent_framework: Some(agent_framework),
        agent_llm_model: Some(agent_llm_model),
        agent_goal: Some(agent_goal),
        sdk_framework,
        delivery_ips: _,
    } = request
    else {
        // Unreachable: a missing required field was reported. Kept total, not panicking.
        return Err(vec![issue(
            "request",
            IssueCode::Missing,
            "a required field is missing".into(),
        )]);
    };
    Ok(AgentAccountRequest {
        email,
        agent_framework,
        agent_llm_model,
        agent_goal,
        sdk_framework,
    })
}

/// The JSON type name of a value, for messages.
pub fn json_type_name(v: &Value) -> &'static str {
    type_of_tag(json_tag(v))
}

/// The tag of a JSON value's type ([`type_of_tag`]).
fn json_tag(v: &Value) -> char {
    match v {
        Value::Null => '0',
        Value::Bool(_) => 'b',
        Value::Number(_) => 'n',
        Value::String(_) => 's',
        Value::Array(_) => 'a',
        Value::Object(_) => 'o',
    }
}

/// The single `not_an_object` issue for a request of `kind` that is `what` (e.g. "an
/// array"). Cold, out of line: see [`field_issue`].
#[cold]
#[inline(never)]
pub fn not_an_object(kind: Creation, what: &str) -> Vec<ValidationIssue> {
    let message = match kind {
        Creation::Account => concat(&["the request must be an object with the fields email, agent_framework, agent_llm_model, agent_goal and optionally sdk_framework, not ", what]),
        Creation::Cloud => concat(&[
            "the cloud request must be an object (every field optional: ",
            CLOUD_FIELD_LIST,
            "), not ",
            what,
        ]),
    };
    vec![issue("request", IssueCode::NotAnObject, message)]
}

/// Validates a parsed JSON body (what the emulator receives).
///
/// ```
/// use cloudinary_agent_account::validate::{validate_json, UnknownKeys};
/// let body = serde_json::json!({"email": "a@b.co", "agent_framework": "x"});
/// let issues = validate_json(&body, UnknownKeys::Reject).unwrap_err();
/// assert_eq!(issues.len(), 3); // agent_framework too short, model and goal missing
/// ```
pub fn validate_json(
    value: &Value,
    unknown: UnknownKeys,
) -> Result<AgentAccountRequest, Vec<ValidationIssue>> {
    let Value::Object(map) = value else {
        return Err(not_an_object(Creation::Account, json_type_name(value)));
    };
    validate_fields(Creation::Account, json_entries(map).collect(), unknown)
        .and_then(account_request)
}

/// A JSON object's entries, as [`validate_fields`] reads them.
fn json_entries(
    map: &serde_json::Map<String, Value>,
) -> impl Iterator<Item = (&str, FieldValue<'_>)> {
    // An array's elements: strings, or tags (an array in it is not opened).
    fn item(v: &Value) -> FieldValue<'_> {
        match v {
            Value::String(s) => FieldValue::Str(s),
            other => FieldValue::Tag(json_tag(other)),
        }
    }
    map.iter().map(|(k, v)| {
        let value = match v {
            Value::Array(items) => FieldValue::List(items.len(), items.iter().map(item).collect()),
            other => item(other),
        };
        (k.as_str(), value)
    })
}

/// Validates a typed request; returns it trimmed.
pub fn validate_request(
    req: &AgentAccountRequest,
) -> Result<AgentAccountRequest, Vec<ValidationIssue>> {
    let entries = Field::ALL.into_iter().filter_map(|field| {
        let value = match field {
            Field::Email => Some(&req.email),
            Field::AgentFramework => Some(&req.agent_framework),
            Field::AgentLlmModel => Some(&req.agent_llm_model),
            Field::AgentGoal => Some(&req.agent_goal),
            Field::SdkFramework => req.sdk_framework.as_ref(),
        };
        value.map(|v| (field.name(), FieldValue::Str(v)))
    });
    validate_fields(Creation::Account, entries.collect(), UnknownKeys::Reject)
        .and_then(account_request)
}

/// The message for a whole list of issues: each one, joined.
pub fn summarize(issues: &[ValidationIssue]) -> String {
    let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
    join(&messages, "; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Did you mean" as it was written on `chars()`: the reference for the byte version.
    fn suggest_on_chars<'c>(key: &str, candidates: &[&'c str]) -> Option<&'c str> {
        let fold = |s: &str| -> Vec<char> {
            s.chars()
                .filter(|c| !matches!(c, '_' | '-' | ' '))
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let distance = |a: &[char], b: &[char]| {
            let mut row: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut prev = row[0];
                row[0] = i + 1;
                for (j, cb) in b.iter().enumerate() {
                    let cur = row[j + 1];
                    row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
                    prev = cur;
                }
            }
            row[b.len()]
        };
        let k = fold(key);
        candidates
            .iter()
            .map(|c| (distance(&k, &fold(c)), *c))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    #[test]
    fn suggestions_count_characters_not_bytes() {
        let names = CloudField::ALL.map(CloudField::name);
        // Non-ASCII typos: two characters (four bytes) off is still a suggestion.
        assert_eq!(suggest_from("ëmaïl", &names), Some("email"));
        assert_eq!(suggest_from("émaïlx", &names), None);
        // Generated keys: mutations of the names (case, separators, ASCII and non-ASCII
        // edits) and random strings, against the reference.
        const PIECES: [&str; 12] = [
            "_", "-", " ", "é", "中", "😀", "E", "x", "a", "", "ß", "_ip",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let name = names[next(names.len())];
            let mut key: String = name.to_owned();
            for _ in 0..next(4) {
                let at = (0..=key.len())
                    .filter(|i| key.is_char_boundary(*i))
                    .nth(next(key.chars().count() + 1))
                    .unwrap_or(0);
                let piece = PIECES[next(PIECES.len())];
                let end = key[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                if next(2) == 0 {
                    key.replace_range(at..end, piece);
                } else {
                    key.insert_str(at, piece);
                }
            }
            if next(3) == 0 {
                key = key.to_uppercase();
            }
            for candidates in [&names[..], &names[1..]] {
                assert_eq!(
                    suggest_from(&key, candidates),
                    suggest_on_chars(&key, candidates),
                    "{key:?}"
                );
            }
        }
    }
}
