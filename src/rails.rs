//! The server's validation messages, in the form a Rails application serialises them: an
//! errors hash, `{"email":["has already been taken"]}`, one key per field that failed and
//! Rails' standard wording per rule (`errors.messages` of `rails-i18n`'s `en.yml`).
//!
//! Cloudinary's agent documentation shows this form for the duplicate e-mail only; the
//! wording of the other rules is Rails' default and is therefore inferred. The emulator
//! writes messages with [`errors_hash`]; the client reads them back with [`issue_from_text`].

use crate::text::{concat, contains, decimal};
use crate::validate::{Field, IssueCode, ValidationIssue};
use crate::wire::codes;

/// Rails' presence message.
pub const BLANK: &str = "can't be blank";
/// Rails' format (and generic) message.
pub const INVALID: &str = "is invalid";
/// The message for a disposable-mail domain (a custom validation: inferred wording).
pub const DISPOSABLE: &str = "is a disposable email address";
/// The key Rails uses for errors that belong to no attribute.
pub const BASE: &str = "base";
/// The message under [`BASE`] for a body that is not JSON, or not UTF-8 (inferred).
pub const NOT_JSON: &str = "is not valid JSON";

/// Rails' length message for a value under `min` characters.
pub fn too_short(min: usize) -> String {
    length_message("is too short (minimum is ", min)
}

/// Rails' length message for a value over `max` characters.
pub fn too_long(max: usize) -> String {
    length_message("is too long (maximum is ", max)
}

/// `head`, the bound, and "character" or "characters" as Rails words it.
fn length_message(head: &str, bound: usize) -> String {
    let unit = if bound == 1 {
        " character)"
    } else {
        " characters)"
    };
    concat(&[head, &decimal(bound as u64), unit])
}

/// The Rails key and text for one of our issues; `None` for an issue the server does not
/// report (an unknown key: Rails ignores it).
pub fn message_for(issue: &ValidationIssue) -> Option<(&str, String)> {
    let field = Field::from_name(&issue.field);
    let key = if field.is_some() {
        issue.field.as_str()
    } else {
        BASE
    };
    let text = match issue.code {
        IssueCode::UnknownField => return None,
        IssueCode::Missing => BLANK.to_owned(),
        IssueCode::TooShort => too_short(field.map_or(1, |f| f.length().0)),
        IssueCode::TooLong => too_long(field.map_or(1, |f| f.length().1)),
        IssueCode::Taken => codes::TAKEN.to_owned(),
        IssueCode::Disposable => DISPOSABLE.to_owned(),
        IssueCode::Other => issue.message.clone(),
        _ => INVALID.to_owned(),
    };
    Some((key, text))
}

/// The errors hash of these issues as a JSON string: keys in the order they first fail,
/// each with its messages in order.
///
/// ```
/// use cloudinary_agent_account::rails::errors_hash;
/// use cloudinary_agent_account::validate::{IssueCode, ValidationIssue};
/// let issue = ValidationIssue { field: "agent_goal".into(), code: IssueCode::TooLong, message: String::new() };
/// assert_eq!(errors_hash(&[issue]), r#"{"agent_goal":["is too long (maximum is 300 characters)"]}"#);
/// ```
pub fn errors_hash(issues: &[ValidationIssue]) -> String {
    // Built by hand rather than through a map: serde_json's map sorts its keys, and Rails
    // keeps the order in which the validations failed.
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (key, text) in issues.iter().filter_map(message_for) {
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, texts)) => texts.push(text),
            None => groups.push((key, vec![text])),
        }
    }
    let json = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""));
    let body: Vec<String> = groups
        .iter()
        .map(|(k, texts)| {
            let texts: Vec<String> = texts.iter().map(|t| json(t)).collect();
            format!("{}:[{}]", json(k), texts.join(","))
        })
        .collect();
    format!("{{{}}}", body.join(","))
}

/// Reads one Rails message back into an issue: the code where the wording is known (taken,
/// blank, too short, too long, invalid, disposable), [`IssueCode::Other`] otherwise; the
/// message is the field name followed by the server's text, in plain words.
///
/// ```
/// use cloudinary_agent_account::rails::issue_from_text;
/// use cloudinary_agent_account::validate::IssueCode;
/// let i = issue_from_text("email", "has already been taken");
/// assert_eq!(i.code, IssueCode::Taken);
/// assert_eq!(i.message, "email has already been taken");
/// ```
pub fn issue_from_text(field: &str, text: &str) -> ValidationIssue {
    let t = text.trim();
    let code = if contains(t, codes::TAKEN) {
        IssueCode::Taken
    } else if contains(t, BLANK) || t == "is missing" {
        IssueCode::Missing
    } else if t.starts_with("is too short") {
        IssueCode::TooShort
    } else if t.starts_with("is too long") {
        IssueCode::TooLong
    } else if contains(t, "disposable") {
        IssueCode::Disposable
    } else if t == INVALID && field == Field::Email.name() {
        IssueCode::InvalidEmail
    } else if t == INVALID {
        IssueCode::Invalid
    } else {
        IssueCode::Other
    };
    let subject = if field == BASE { "the request" } else { field };
    let message = concat(&[subject, " ", t]);
    ValidationIssue {
        field: field.to_owned(),
        code,
        message,
    }
}
