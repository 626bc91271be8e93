//! Two small text helpers written by hand for the client's wasm: `str::parse` and `str`
//! pattern search link core's integer parser and two-way searcher (about 2 KB of the wasm)
//! for a few short header values and server messages.

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
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
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
}
