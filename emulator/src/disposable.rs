//! Disposable e-mail domains, from mailchecker's list.
//!
//! `mailchecker::is_valid` scans its list linearly for every suffix of the domain and applies
//! its own address grammar; the emulator has already validated the address with the shared
//! rules, so it only needs the list, put once into a hash set for constant-time look-ups.

use std::collections::HashSet;
use std::sync::LazyLock;

static DOMAINS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| mailchecker::blacklist().into_iter().collect());

/// Builds the set now rather than on the first request.
pub fn warm_up() {
    LazyLock::force(&DOMAINS);
}

/// Whether the address's domain, or any parent domain of at least two labels, is a
/// disposable-mail provider (the same suffixes mailchecker checks).
pub fn is_disposable(email: &str) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let domain = domain.to_ascii_lowercase();
    let mut suffix = domain.as_str();
    loop {
        if suffix.contains('.') && DOMAINS.contains(suffix) {
            return true;
        }
        match suffix.split_once('.') {
            Some((_, rest)) => suffix = rest,
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_domains() {
        assert!(is_disposable("a@mailinator.com"));
        assert!(is_disposable("a@Sub.Mailinator.com"));
        assert!(is_disposable("a@10minutemail.com"));
        assert!(!is_disposable("a@example.com"));
        assert!(!is_disposable("a@gmail.com"));
        // Agrees with mailchecker itself.
        for email in ["ok@33mail.com", "ok@ok.33mail.com", "ok@example.org"] {
            assert_eq!(
                is_disposable(email),
                !mailchecker::is_valid(email),
                "{email}"
            );
        }
    }
}
