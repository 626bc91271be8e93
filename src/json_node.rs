//! A parsed JSON value seen through the few questions the core asks of it, so that the same
//! checks run natively over `serde_json` values and in the wasm over the runtime's own
//! `JSON.parse` output, packed in one crossing (`src/packed_tree.rs` `Tree`), and the wasm
//! carries no JSON parser.

use serde_json::Value;

/// A parsed JSON value, seen through the few questions the mapping asks of it.
///
/// Implemented for `serde_json::Value` (native) and for a packed tree of what the runtime's own
/// `JSON.parse` gave (wasm): the wasm then carries no JSON parser, yet both go through the same
/// checks.
pub trait JsonNode: Sized + Clone {
    /// The member `key` of an object (`None` for a non-object or an absent key).
    fn member(&self, key: &str) -> Option<Self>;
    /// The elements, when this is an array.
    fn elements(&self) -> Option<Vec<Self>>;
    /// The text, when this is a string.
    fn text(&self) -> Option<String>;
    /// Whether this is a string (without copying it out, which costs a JS value a crossing).
    fn is_text(&self) -> bool {
        self.text().is_some()
    }
    /// The elements of the member `key`, when it is an array.
    fn elements_of(&self, key: &str) -> Option<Vec<Self>> {
        self.member(key)?.elements()
    }
    /// The text of the member `key`, when it is a string.
    fn text_of(&self, key: &str) -> Option<String> {
        self.member(key)?.text()
    }
    /// Whether this is an object (not an array, not null).
    fn is_object(&self) -> bool;
    /// Whether this is the boolean `false`.
    fn is_false(&self) -> bool;
    /// The own keys of an object, each with its value (`None` for a non-object).
    fn entries(&self) -> Option<Vec<(String, Self)>>;
    /// What [`JsonNode::parse`] yields.
    type Parsed: JsonNode;
    /// Parses JSON text with the same parser as the body (a Rails errors hash arrives as a
    /// string holding JSON); `None` when it is not JSON.
    fn parse(text: &str) -> Option<Self::Parsed>;
}

impl JsonNode for &Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }
    fn elements(&self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }
    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn is_object(&self) -> bool {
        Value::is_object(self)
    }
    fn is_false(&self) -> bool {
        self.as_bool() == Some(false)
    }
    fn entries(&self) -> Option<Vec<(String, Self)>> {
        Some(
            self.as_object()?
                .iter()
                .map(|(k, v)| (k.clone(), v))
                .collect(),
        )
    }
    type Parsed = Value;
    fn parse(text: &str) -> Option<Value> {
        serde_json::from_str(text).ok()
    }
}

/// An owned value (what [`JsonNode::parse`] returns natively); members are copied out.
impl JsonNode for Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }
    fn elements(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn is_object(&self) -> bool {
        Value::is_object(self)
    }
    fn is_false(&self) -> bool {
        self.as_bool() == Some(false)
    }
    fn entries(&self) -> Option<Vec<(String, Self)>> {
        Some(self.as_object()?.clone().into_iter().collect())
    }
    type Parsed = Value;
    fn parse(text: &str) -> Option<Value> {
        serde_json::from_str(text).ok()
    }
}
