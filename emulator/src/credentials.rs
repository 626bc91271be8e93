//! Generation of identifiers and credentials, and the checks made on them later.

use base64::Engine;
use rand::distr::{Alphanumeric, SampleString};
use rand::Rng;
use sha2::{Digest, Sha256};

/// An API secret. `Debug` masks it so it cannot leak through a log line or a panic message.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiSecret(String);

impl ApiSecret {
    /// A new random secret: 32 characters from `[A-Za-z0-9]`, about 190 bits.
    pub fn generate() -> Self {
        ApiSecret(Alphanumeric.sample_string(&mut rand::rng(), 32))
    }

    /// The secret itself, for the one answer that hands it over.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The hash stored instead of the secret.
    pub fn hash(&self) -> [u8; 32] {
        hash_secret(&self.0)
    }
}

impl std::fmt::Debug for ApiSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiSecret(<redacted>)")
    }
}

/// SHA-256 of a secret. A fast hash is enough here, unlike for a person's password: the
/// secret is 32 random characters (about 190 bits), so there is nothing to brute-force and no
/// need for a slow, salted password hash.
pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Compares two byte strings in time that depends only on their length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `n` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    let mut out = String::with_capacity(bytes * 2);
    for _ in 0..bytes {
        let b: u8 = rng.random();
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// An account's or product environment's external id: 32 hex characters.
pub fn external_id() -> String {
    random_hex(16)
}

/// A cloud name in the style of generated Cloudinary cloud names: `d` then 9 characters of
/// lower-case letters and digits (about 46 bits; the store retries on the rare collision).
pub fn cloud_name() -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let mut s = String::with_capacity(10);
    s.push('d');
    for _ in 0..9 {
        s.push(char::from(CHARS[rng.random_range(0..CHARS.len())]));
    }
    s
}

/// A 15-digit API key (no leading zero).
pub fn api_key() -> String {
    rand::rng()
        .random_range(100_000_000_000_000u64..1_000_000_000_000_000)
        .to_string()
}

/// The token in a verification link: 32 URL-safe random characters.
pub fn verify_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 32)
}

/// The value of `X-Request-Id`.
pub fn request_id() -> String {
    random_hex(16)
}

/// Reads `Authorization: Basic base64(user:password)`; `None` when absent or malformed.
pub fn parse_basic_auth(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(external_id().len(), 32);
        assert!(external_id().chars().all(|c| c.is_ascii_hexdigit()));
        let key = api_key();
        assert_eq!(key.len(), 15);
        assert!(key.chars().all(|c| c.is_ascii_digit()));
        let secret = ApiSecret::generate();
        assert_eq!(secret.expose().len(), 32);
        assert!(!format!("{secret:?}").contains(secret.expose()));
        assert_eq!(cloud_name().len(), 10);
    }

    #[test]
    fn basic_auth() {
        let h = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("123:abc:def")
        );
        assert_eq!(parse_basic_auth(&h), Some(("123".into(), "abc:def".into())));
        assert_eq!(parse_basic_auth("Bearer x"), None);
        assert_eq!(parse_basic_auth("Basic !!!"), None);
    }

    #[test]
    fn compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
