//! The validation vectors that more than one test needs, written once in the text files next
//! to this one and read here: by `tests/validate.rs` (`mod vectors;`) and by
//! `examples/request-schema.rs` (`#[path]`), which hands them to the agent tool's ajv test.
//! The files are compiled in (`include_str!`), so a changed vector rebuilds both.
//!
//! Line format, the same in every file: blank lines and lines starting with `#` are skipped;
//! any other line is a word (the tag: `ok`, an issue code, a field name...) then a value, and
//! `#` after the value starts a comment. The value is one JSON value, or JSON strings joined:
//! each string may be written `N*"..."` (repeated N times), so `"x@" 63*"a" ".com"` is an
//! address with a 63-character label.

use cloudinary_agent_account::validate::{Field, IssueCode};
use serde_json::{json, Deserializer, Value};

/// A valid request: each required field of `Field::ALL` with a plain value.
pub fn ok_body() -> Value {
    json!({
        "email": "jane@example.com",
        "agent_framework": "langchain",
        "agent_llm_model": "claude-opus-4-8",
        "agent_goal": "Host the product images of a shop",
    })
}

/// [`ok_body`] with `key` set to `value`.
pub fn with(key: &str, value: Value) -> Value {
    let mut v = ok_body();
    v[key] = value;
    v
}

/// An e-mail address and the issue `check_field` gives it (`None`: valid).
pub type EmailVector = (Option<IssueCode>, String);

/// `emails.txt`: addresses and their verdicts.
pub fn emails() -> Result<Vec<EmailVector>, String> {
    parse("emails.txt", include_str!("emails.txt"))?
        .into_iter()
        .map(|(line, tag, value)| {
            let code = match tag.as_str() {
                "ok" => None,
                _ => Some(code(&tag).map_err(|e| at("emails.txt", line, &e))?),
            };
            let email = value
                .as_str()
                .ok_or_else(|| at("emails.txt", line, "the address must be a string"))?;
            Ok((code, email.to_owned()))
        })
        .collect()
}

/// `lengths.txt`, read.
pub struct Lengths {
    /// Each free-text field with its (min, max) in code points.
    pub bounds: Vec<(Field, usize, usize)>,
    /// The one-character strings the bounds are tried with.
    pub units: Vec<String>,
}

/// `lengths.txt`: the length bounds and the characters to try them with.
pub fn lengths() -> Result<Lengths, String> {
    let (mut bounds, mut units) = (vec![], vec![]);
    for (line, tag, value) in parse("lengths.txt", include_str!("lengths.txt"))? {
        if tag == "unit" {
            match value.as_str() {
                Some(s) if s.chars().count() == 1 => units.push(s.to_owned()),
                _ => return Err(at("lengths.txt", line, "a unit is a one-character string")),
            }
            continue;
        }
        let field = Field::from_name(&tag)
            .ok_or_else(|| at("lengths.txt", line, &format!("no field {tag:?}")))?;
        match serde_json::from_value::<(usize, usize)>(value) {
            Ok((min, max)) => bounds.push((field, min, max)),
            Err(_) => return Err(at("lengths.txt", line, "bounds are [min, max]")),
        }
    }
    Ok(Lengths { bounds, units })
}

/// `field-values.txt`: values every field refuses, with the issue code. Put them in a
/// field with [`in_field`].
pub fn field_values() -> Result<Vec<(IssueCode, Value)>, String> {
    coded("field-values.txt", include_str!("field-values.txt"))
}

/// `requests.txt`: whole requests, with the issue code.
pub fn requests() -> Result<Vec<(IssueCode, Value)>, String> {
    coded("requests.txt", include_str!("requests.txt"))
}

/// A value of `field-values.txt` as it is tried in `field`: in `email` a string becomes the
/// local part of an address, so that no other e-mail rule refuses it first.
pub fn in_field(field: Field, value: &Value) -> Value {
    match (field, value.as_str()) {
        (Field::Email, Some(s)) => Value::String(format!("{s}@example.com")),
        _ => value.clone(),
    }
}

fn coded(file: &str, text: &str) -> Result<Vec<(IssueCode, Value)>, String> {
    parse(file, text)?
        .into_iter()
        .map(|(line, tag, value)| Ok((code(&tag).map_err(|e| at(file, line, &e))?, value)))
        .collect()
}

fn code(name: &str) -> Result<IssueCode, String> {
    IssueCode::from_name(name).ok_or_else(|| format!("no issue code {name:?}"))
}

fn at(file: &str, line: usize, what: &str) -> String {
    format!("tests/vectors/{file}:{line}: {what}")
}

/// The file's (line number, tag, value) triples.
fn parse(file: &str, text: &str) -> Result<Vec<(usize, String, Value)>, String> {
    let mut out = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (tag, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let value = value(rest).map_err(|e| at(file, i + 1, &e))?;
        out.push((i + 1, tag.to_owned(), value));
    }
    Ok(out)
}

/// One JSON value, or `[N*]"..."` strings joined, up to the end or a `#` comment.
fn value(mut rest: &str) -> Result<Value, String> {
    let mut parts: Vec<(usize, Value)> = vec![];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('#') {
            break;
        }
        let mut times = 1;
        if let Some((n, after)) = rest.split_once('*') {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                times = n.parse().map_err(|_| format!("bad count {n:?}"))?;
                rest = after;
            }
        }
        let mut stream = Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => parts.push((times, v)),
            Some(Err(e)) => return Err(format!("not JSON: {e}")),
            None => return Err("no value".into()),
        }
        rest = &rest[stream.byte_offset()..];
    }
    match parts.as_slice() {
        [] => Err("no value".into()),
        [(1, v)] => Ok(v.clone()),
        _ => parts
            .iter()
            .map(|(n, v)| v.as_str().map(|s| s.repeat(*n)))
            .collect::<Option<String>>()
            .map(Value::String)
            .ok_or_else(|| "only strings can be repeated or joined".into()),
    }
}
