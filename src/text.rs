//! Small text helpers written by hand for the wasm: `str::parse` and `str` pattern search
//! link core's integer parser and two-way searcher (about 2 KB of the wasm) for a few short
//! header values and server messages, and `str::trim` runs Unicode tables on every field.

/// The value of a run of ASCII digits (no sign, no spaces); `None` for anything else, an
/// empty string, or a value over `u64::MAX`.
///
/// ```
/// use cloudinary_agent_account::text::digits;
/// assert_eq!(digits("120"), Some(120));
/// assert_eq!(digits("+1"), None);
/// assert_eq!(digits(""), None);
/// ```
pub fn digits(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            // Not `checked_mul`: its overflow check is a 128-bit multiply on wasm32
            // (`__multi3`).
            (n <= u64::MAX / 10)
                .then(|| n * 10)?
                .checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// `s` split at the first `sep`, an ASCII byte, without it: `str::split_once` for the one
/// case used, without core's char searcher and `memchr` (about 0.7 KB of the client wasm).
///
/// ```
/// use cloudinary_agent_account::text::split_once;
/// assert_eq!(split_once("key:secret:x", b':'), Some(("key", "secret:x")));
/// assert_eq!(split_once("no colon", b':'), None);
/// ```
pub fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// `s` split at the last `sep`, an ASCII byte, without it (`str::rsplit_once`; see
/// [`split_once`]).
///
/// ```
/// use cloudinary_agent_account::text::rsplit_once;
/// assert_eq!(rsplit_once("a@b@c", b'@'), Some(("a@b", "c")));
/// assert_eq!(rsplit_once("abc", b'@'), None);
/// ```
pub fn rsplit_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().rposition(|b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The parts of `s` between each `sep`, an ASCII byte (`str::split` for that case; see
/// [`split_once`]).
///
/// ```
/// use cloudinary_agent_account::text::split;
/// assert_eq!(split("08:49:37", b':').collect::<Vec<_>>(), ["08", "49", "37"]);
/// assert_eq!(split("", b':').collect::<Vec<_>>(), [""]);
/// assert_eq!(split("a::", b':').collect::<Vec<_>>(), ["a", "", ""]);
/// ```
pub fn split(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        let (part, after) = split_once(r, sep).map_or((r, None), |(a, b)| (a, Some(b)));
        rest = after;
        Some(part)
    })
}

/// `parts` joined by `sep`, as `[&str]::join` does: a plain loop, where std's generic copy
/// (unrolled per separator length) took 837 B of the client wasm.
///
/// ```
/// use cloudinary_agent_account::text::join;
/// assert_eq!(join(&["a", "b", "c"], "; "), "a; b; c");
/// assert_eq!(join(&[], ", "), "");
/// ```
pub fn join(parts: &[&str], sep: &str) -> String {
    let len = parts.iter().map(|p| p.len() + sep.len()).sum();
    let mut out = String::with_capacity(len);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// `parts` one after the other (messages are built with it: see [`decimal`]).
///
/// ```
/// use cloudinary_agent_account::text::concat;
/// assert_eq!(concat(&["`", "email", "` is missing"]), "`email` is missing");
/// ```
pub fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `n` in decimal, as `{n}` writes it: by hand, so that messages built with [`concat`] keep
/// `core::fmt` (about 1.8 KB of the client wasm) out of it (BENCHMARKS.md, "The Claimable
/// Cloud in the client wasm").
///
/// ```
/// use cloudinary_agent_account::text::decimal;
/// assert_eq!(decimal(0), "0");
/// assert_eq!(decimal(1_048_576), "1048576");
/// assert_eq!(decimal(u64::MAX), u64::MAX.to_string());
/// ```
pub fn decimal(n: u64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n);
    out
}

/// [`decimal`] appended to `out` (the renderer writes numbers into the HTML it builds).
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Whether `needle` occurs in `haystack` (a plain byte search: both are short).
///
/// ```
/// use cloudinary_agent_account::text::contains;
/// assert!(contains("has already been taken", "taken"));
/// assert!(!contains("taken", "has already been taken"));
/// ```
pub fn contains(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle)
}

/// `str::trim` (Unicode `White_Space` at both ends), by a byte loop for the usual case: ASCII
/// white space or none at the ends. Only when a non-ASCII byte is left at an end does it run
/// `str::trim`: the wasm compiles each function on its first call, and a valid request then
/// skips the Unicode searcher (BENCHMARKS.md, "Error paths out of line").
///
/// ```
/// use cloudinary_agent_account::text::trim;
/// assert_eq!(trim(" \t\x0B jane@example.com\r\n"), "jane@example.com");
/// assert_eq!(trim("\u{A0}Host images\u{3000}"), "Host images");
/// assert_eq!(trim("   "), "");
/// ```
pub fn trim(s: &str) -> &str {
    // char::is_white_space's ASCII members: U+0009-U+000D and U+0020.
    let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    match s.get(start..end) {
        Some(t)
            if !t.starts_with(|c: char| !c.is_ascii()) && !t.ends_with(|c: char| !c.is_ascii()) =>
        {
            t
        }
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_agree_with_parse_on_unsigned_numbers() {
        for s in [
            "0",
            "7",
            "0042",
            "18446744073709551615",
            "18446744073709551616",
            "1844674407370955161",
            "18446744073709551610",
            "18446744073709551620",
            "184467440737095516150",
            "1 2",
            "x",
            "-1",
            "1.5",
            "٣",
        ] {
            let want = if s.starts_with(['+', '-']) {
                None
            } else {
                s.parse::<u64>().ok()
            };
            assert_eq!(digits(s), want, "{s}");
        }
    }

    #[test]
    fn contains_agrees_with_str_contains() {
        for (h, n) in [
            ("abc", ""),
            ("", ""),
            ("", "a"),
            ("abc", "bc"),
            ("abc", "abcd"),
            ("ééa", "éa"),
            ("aab", "ab"),
        ] {
            assert_eq!(contains(h, n), h.contains(n), "{h} / {n}");
        }
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        let parts = [
            "", " ", "\t", "\n", "\x0B", "\x0C", "\r", "\x1C", "\u{85}", "\u{A0}", "\u{3000}",
            "\u{2028}", "\u{200B}", "a", "é", "😀", "a b",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}x{c}{a}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                    let s = format!("{a}{b}{c}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
    }
}
