//! A request as `packedEntries` (src/wasm/objects.js) packs it into one string, read back and
//! validated. Plain Rust, no `JsValue`: the client's wasm reads it after an import call
//! (`convert::read_request`), and the rules wasm of the Node entries (feature `rules`) takes
//! it as the argument of its one export, [`validate_packed`], so that module has no imports
//! at all (V8 compiles a wrapper per import signature at every start: BENCHMARKS.md, "Node
//! cold start: a rules wasm without imports").
//!
//! The format, written by objects.js: an object is, per own enumerable string key,
//! `<length>,<key><tag>`, and for a string value (tag `:`) `<length>,<value>`, lengths in
//! UTF-16 code units (JavaScript's `length`), so any key or value fits. An array value (tag
//! `a`) is followed by its length and `,`, then its first [`MAX_PACKED_ITEMS`] elements, each
//! a string (`:<length>,<value>`) or another value's tag (an array in it is not opened): the
//! cloud request's `delivery_ips` is a list. Anything else is one
//! header: `#<tag>` a value that is not an object (its tag: `type_of_tag`), `!<key>` a key
//! whose getter or Proxy trap threw, `?` an object that could not be read at all (a revoked
//! Proxy, a throwing `ownKeys` trap). A packed object starts with a digit or is empty.

pub use crate::packed_tree::take_counted;
use crate::text::{concat, digits};
use crate::validate::{
    not_an_object_issue, validate_cloud_entries, validate_entries, CloudValue, IssueCode, RawValue,
    UnknownKeys, ValidationIssue,
};
use crate::wire::{AgentAccountRequest, CloudRequest};

/// Most elements of an array value packed (objects.js `packItems`): `delivery_ips` holds at
/// most 3, and a longer list is refused by its length alone, so a hostile `length` never
/// makes a long string.
pub const MAX_PACKED_ITEMS: usize = 8;

/// The name of a value's type in messages, from its tag: `packedEntries`' (objects.js), or
/// the one `convert::js_type_name` finds (`s`, a string, is never packed as a tag).
pub fn type_of_tag(tag: char) -> &'static str {
    match tag {
        '0' => "null",
        'u' => "undefined",
        's' => "a string",
        'a' => "an array",
        'f' => "a function",
        'b' => "a boolean",
        'n' => "a number",
        'g' => "a bigint",
        'y' => "a symbol",
        _ => "an object",
    }
}

/// One `unreadable` issue.
pub fn unreadable(field: &str, message: String) -> Vec<ValidationIssue> {
    vec![ValidationIssue {
        field: field.to_owned(),
        code: IssueCode::Unreadable,
        message,
    }]
}

/// A value of a packed object: a string, or the type tag of anything else (`type_of_tag`).
#[derive(Clone)]
pub enum PackedValue<'a> {
    /// A string.
    Str(&'a str),
    /// Any other value's tag: `0` null, `u` undefined, `o` an object...
    Tag(char),
    /// An array: its length, and its first [`MAX_PACKED_ITEMS`] elements (strings or tags).
    List(usize, Vec<PackedValue<'a>>),
}

impl<'a> PackedValue<'a> {
    /// The value as the request rules read it: a string, null, or another type's name.
    fn raw(self) -> RawValue<'a> {
        match self {
            PackedValue::Str(s) => RawValue::Str(s),
            PackedValue::Tag('0' | 'u') => RawValue::Null,
            PackedValue::Tag(tag) => RawValue::Other(type_of_tag(tag)),
            PackedValue::List(..) => RawValue::Other(type_of_tag('a')),
        }
    }
}

/// One value after its key: a string (`:<length>,<value>`), or a tag, which for an array
/// (when `items`) is followed by its elements. `None` when malformed.
fn take_value(packed: &str, items: bool) -> Option<(PackedValue<'_>, &str)> {
    let mut chars = packed.chars();
    let tag = chars.next()?;
    let rest = chars.as_str();
    match tag {
        ':' => take_counted(rest).map(|(v, rest)| (PackedValue::Str(v), rest)),
        'a' if items => {
            let comma = rest.bytes().position(|b| b == b',')?;
            let len = usize::try_from(digits(rest.get(..comma)?)?).ok()?;
            let mut rest = rest.get(comma + 1..)?;
            let mut list = Vec::with_capacity(len.min(MAX_PACKED_ITEMS));
            for _ in 0..len.min(MAX_PACKED_ITEMS) {
                let (item, after) = take_value(rest, false)?;
                list.push(item);
                rest = after;
            }
            Some((PackedValue::List(len, list), rest))
        }
        tag => Some((PackedValue::Tag(tag), rest)),
    }
}

/// What a packed string holds.
pub enum Unpacked<'a> {
    /// An object's own enumerable string keys with their values, in `Object.keys` order.
    Object(Vec<(&'a str, PackedValue<'a>)>),
    /// Not an object (or an array): the name of its type.
    NotObject(&'static str),
    /// The key whose getter or Proxy trap threw; `None`: the object could not be read at all.
    Unreadable(Option<&'a str>),
}

/// Reads a packed string (the format is in this file's header). Written by hand: the format
/// is ours, a few lines in objects.js, and a serde format would cost the wasm far more.
pub fn unpack(packed: &str) -> Unpacked<'_> {
    // The header's first byte (ASCII), not `strip_prefix(char)`: as in `take_counted`.
    let header = packed.as_bytes().first();
    let rest = packed.get(1..).unwrap_or_default();
    match header {
        Some(b'!') => return Unpacked::Unreadable(Some(rest)),
        Some(b'#') => return Unpacked::NotObject(type_of_tag(rest.chars().next().unwrap_or('o'))),
        // `?`: a revoked Proxy makes `Array.isArray` throw; a hostile Proxy, `Object.keys`.
        Some(b'?') => return Unpacked::Unreadable(None),
        _ => {}
    }
    let mut out = Vec::new();
    let mut packed = packed;
    while !packed.is_empty() {
        // Malformed is unreachable unless objects.js and this file disagree: then the object
        // is said to be unreadable, never guessed at.
        let Some((key, rest)) = take_counted(packed) else {
            return Unpacked::Unreadable(None);
        };
        let Some((value, rest)) = take_value(rest, true) else {
            return Unpacked::Unreadable(None);
        };
        packed = rest;
        out.push((key, value));
    }
    Unpacked::Object(out)
}

/// Reads and validates a request packed by `packedEntries`. A value that cannot be read is
/// an `unreadable` issue; one that is not an object, a `not_an_object` issue.
pub fn read_packed(packed: &str) -> Result<AgentAccountRequest, Vec<ValidationIssue>> {
    let entries = packed_entries(packed, not_an_object_issue)?;
    validate_entries(
        entries.into_iter().map(|(key, value)| (key, value.raw())),
        UnknownKeys::Reject,
    )
}

/// Reads and validates a cloud request packed by `packedEntries`, as [`read_packed`] an
/// account request.
pub fn read_packed_cloud(packed: &str) -> Result<CloudRequest, Vec<ValidationIssue>> {
    let entries = packed_entries(packed, crate::validate::cloud_not_an_object)?;
    validate_cloud_entries(
        entries.into_iter().map(|(key, value)| {
            let value = match value {
                // A list longer than packed is refused for its length, so its elements,
                // unread, are not looked at.
                PackedValue::List(len, items) if len <= MAX_PACKED_ITEMS => {
                    CloudValue::List(items.into_iter().map(PackedValue::raw).collect())
                }
                PackedValue::List(len, _) => CloudValue::LongList(len),
                other => other.raw().into(),
            };
            (key, value)
        }),
        UnknownKeys::Reject,
    )
}

/// A packed request's entries, or the issue that it is not an object (`not_an_object`) or
/// could not be read.
fn packed_entries(
    packed: &str,
    not_an_object: fn(&str) -> Vec<ValidationIssue>,
) -> Result<Vec<(&str, PackedValue<'_>)>, Vec<ValidationIssue>> {
    match unpack(packed) {
        Unpacked::Object(entries) => Ok(entries),
        Unpacked::NotObject(ty) => Err(not_an_object(ty)),
        Unpacked::Unreadable(Some(key)) => Err(unreadable(
            key,
            concat(&["`", key, "` could not be read: a Proxy or getter threw"]),
        )),
        Unpacked::Unreadable(None) => Err(unreadable(
            "request",
            "`request` could not be read: a Proxy or getter threw".into(),
        )),
    }
}

/// `validateRequest` of the Node entries, on a request packed by `packedEntries`: `""` when
/// it is valid, else its issues as a JSON array of `{ field, code, message }` (the JS side
/// `JSON.parse`s it; `JSON.parse` is the cheapest way to many small objects).
#[cfg(feature = "rules")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = __validatePacked, skip_typescript)]
pub fn validate_packed(packed: &str) -> String {
    match read_packed(packed) {
        Ok(_) => String::new(),
        Err(issues) => issues_json(&issues),
    }
}

/// `validateCloudRequest` of the Node entries, as [`validate_packed`] for the cloud request.
#[cfg(feature = "rules")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = __validateCloudPacked, skip_typescript)]
pub fn validate_cloud_packed(packed: &str) -> String {
    match read_packed_cloud(packed) {
        Ok(_) => String::new(),
        Err(issues) => issues_json(&issues),
    }
}

/// The issues as JSON. Cold, out of line: a valid request never compiles it (the wasm
/// compiles a function on its first call; BENCHMARKS.md, "Error paths out of line").
#[cfg(feature = "rules")]
#[cold]
#[inline(never)]
fn issues_json(issues: &[ValidationIssue]) -> String {
    // Serialising strings and a unit enum cannot fail; were it to, the answer must still not
    // read as valid.
    serde_json::to_string(issues).unwrap_or_else(|_| {
        r#"[{"field":"request","code":"unreadable","message":"`request` could not be read"}]"#
            .into()
    })
}
