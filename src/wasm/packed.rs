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

use crate::creation::Creation;
pub use crate::packed_tree::{take_counted, take_length};
use crate::text::concat;
use crate::validate::{not_an_object, validate_fields, IssueCode, UnknownKeys, ValidationIssue};
use crate::wire::CloudRequest;

/// Most elements of an array value packed (objects.js `packItems`): `delivery_ips` holds at
/// most 3, and a longer list is refused by its length alone, so a hostile `length` never
/// makes a long string.
pub const MAX_PACKED_ITEMS: usize = 8;

/// A value of a packed object, as the request rules read it: a string, the type tag of
/// anything else (`type_of_tag`: `packedEntries`' tags, or the one `convert::js_type_name`
/// finds), or an array's length and its first [`MAX_PACKED_ITEMS`] elements.
pub use crate::validate::{type_of_tag, FieldValue as PackedValue};

/// One `unreadable` issue.
pub fn unreadable(field: &str, message: String) -> Vec<ValidationIssue> {
    vec![ValidationIssue {
        field: field.to_owned(),
        code: IssueCode::Unreadable,
        message,
    }]
}

/// One value after its key: a string (`:<length>,<value>`), or a tag, which for an array
/// (when `items`) is followed by its elements. `None` when malformed.
fn take_value(packed: &str, items: bool) -> Option<(PackedValue<'_>, &str)> {
    // Tags are ASCII: a first byte that is not fails `get(1..)`, as malformed.
    let tag = char::from(*packed.as_bytes().first()?);
    let rest = packed.get(1..)?;
    match tag {
        ':' => take_counted(rest).map(|(v, rest)| (PackedValue::Str(v), rest)),
        'a' if items => {
            let (len, mut rest) = take_length(rest)?;
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
        Some(b'#') => {
            return Unpacked::NotObject(type_of_tag(rest.bytes().next().map_or('o', char::from)))
        }
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

/// Reads and validates a request of `kind` packed by `packedEntries`, both kinds by one
/// driver (`validate::validate_fields`). A value that cannot be read is an `unreadable`
/// issue; one that is not an object, a `not_an_object` issue.
pub fn read_packed(kind: Creation, packed: &str) -> Result<CloudRequest, Vec<ValidationIssue>> {
    let entries = match unpack(packed) {
        Unpacked::Object(entries) => entries,
        Unpacked::NotObject(ty) => return Err(not_an_object(kind, ty)),
        Unpacked::Unreadable(Some(key)) => {
            return Err(unreadable(
                key,
                concat(&["`", key, "` could not be read: a Proxy or getter threw"]),
            ))
        }
        Unpacked::Unreadable(None) => {
            return Err(unreadable(
                "request",
                "`request` could not be read: a Proxy or getter threw".into(),
            ))
        }
    };
    validate_fields(kind, entries, UnknownKeys::Reject)
}

/// `validateRequest` of the Node entries, on a request packed by `packedEntries`: `""` when
/// it is valid, else its issues as a JSON array of `{ field, code, message }` (the JS side
/// `JSON.parse`s it; `JSON.parse` is the cheapest way to many small objects).
#[cfg(feature = "rules")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = __validatePacked, skip_typescript)]
pub fn validate_packed(packed: &str) -> String {
    match read_packed(Creation::Account, packed) {
        Ok(_) => String::new(),
        Err(issues) => issues_json(&issues),
    }
}

/// `validateCloudRequest` of the Node entries, as [`validate_packed`] for the cloud request.
#[cfg(feature = "rules")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = __validateCloudPacked, skip_typescript)]
pub fn validate_cloud_packed(packed: &str) -> String {
    match read_packed(Creation::Cloud, packed) {
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
    crate::wire::issues_json(issues)
}
