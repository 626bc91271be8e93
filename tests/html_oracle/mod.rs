//! The guidance renderer's independent oracle, written once: what its HTML may hold and the
//! scheme a browser reads from an `href`. Read by tests/guidance.rs, tests/fuzz_regressions.rs
//! and the `guidance` fuzz target (`#[path]` from fuzz/), each adding its own checks. Written
//! independently of `guidance::is_safe_url`, which is under test.

// Each includer uses the part it needs.
#![allow(dead_code)]

/// Elements the renderer may write (`td`, `del` included: tables and strikethrough).
pub const ELEMENTS: [&str; 25] = [
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "em",
    "strong",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
];

/// Attributes the renderer may write.
pub const ATTRIBUTES: [&str; 7] = ["href", "title", "rel", "target", "class", "start", "style"];

/// The scheme a browser reads (WHATWG URL parsing: C0 controls and spaces trimmed, tabs and
/// newlines removed anywhere, then a scheme before the first `:`); `None` for a relative URL.
pub fn scheme(href: &str) -> Option<String> {
    let cleaned: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}
