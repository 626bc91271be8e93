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

/// Makes the identifiers that must be unique (cloud name, API key) from an account's row id
/// through keyed permutations, so they are unique by construction and look random, and a
/// cloud name leads back to its row without an index. Only the e-mail address then needs a
/// unique index, which keeps each insert to one random-keyed B-tree (the write volume of a
/// group commit is mostly random index pages).
///
/// Each permutation is a 4-round Feistel network on a power-of-two domain, restricted to the
/// identifier's range by cycle walking. The keys are random per database and stored in it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct IdCodec {
    keys: [u64; 8],
}

impl std::fmt::Debug for IdCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdCodec(<keys>)")
    }
}

/// Cloud names are `d` and 9 characters of `[0-9a-z]`: 36^9 of them.
const CLOUD_SPACE: u64 = 101_559_956_668_416;
/// Half the bits of the cloud-name permutation's domain (2^48 >= 36^9).
const CLOUD_HALF_BITS: u32 = 24;
/// API keys are 15 digits without a leading zero: 9 * 10^14 of them.
const KEY_SPACE: u64 = 900_000_000_000_000;
/// Half the bits of the API-key permutation's domain (2^50 >= 9 * 10^14).
const KEY_HALF_BITS: u32 = 25;
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// SplitMix64's finaliser: a fast, well-mixed round function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl IdCodec {
    /// A codec with new random keys.
    pub fn generate() -> Self {
        IdCodec {
            keys: rand::rng().random(),
        }
    }

    /// The keys, for storing.
    pub fn to_bytes(self) -> [u8; 64] {
        let mut out = [0u8; 64];
        for (chunk, k) in out.chunks_exact_mut(8).zip(self.keys) {
            chunk.copy_from_slice(&k.to_le_bytes());
        }
        out
    }

    /// Keys read back; `None` unless exactly 64 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 64 {
            return None;
        }
        let mut keys = [0u64; 8];
        for (k, chunk) in keys.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *k = u64::from_le_bytes(b);
        }
        Some(IdCodec { keys })
    }

    fn feistel(keys: &[u64], half: u32, x: u64, forward: bool) -> u64 {
        let mask = (1u64 << half) - 1;
        let (mut l, mut r) = (x >> half, x & mask);
        if forward {
            for k in keys {
                let t = l ^ (mix(r ^ k) & mask);
                l = r;
                r = t;
            }
        } else {
            for k in keys.iter().rev() {
                let t = r ^ (mix(l ^ k) & mask);
                r = l;
                l = t;
            }
        }
        (l << half) | r
    }

    /// Permutes `x` (< `space`) within `[0, space)`: cycle walking stays on the cycle of
    /// `x`, which returns below `space` because `x` is.
    fn walk(keys: &[u64], half: u32, space: u64, x: u64, forward: bool) -> u64 {
        let mut y = Self::feistel(keys, half, x, forward);
        while y >= space {
            y = Self::feistel(keys, half, y, forward);
        }
        y
    }

    /// The cloud name of row `id` (ids are positive and far below 36^9).
    pub fn cloud_name(&self, id: i64) -> String {
        let x = id.unsigned_abs() % CLOUD_SPACE;
        let mut v = Self::walk(&self.keys[..4], CLOUD_HALF_BITS, CLOUD_SPACE, x, true);
        let mut digits = [b'0'; 9];
        for d in digits.iter_mut().rev() {
            *d = BASE36[(v % 36) as usize];
            v /= 36;
        }
        let mut s = String::with_capacity(10);
        s.push('d');
        s.extend(digits.iter().map(|&b| char::from(b)));
        s
    }

    /// The row id a cloud name was made from; `None` if it is not one this codec makes.
    pub fn id_of_cloud_name(&self, name: &str) -> Option<i64> {
        let digits = name.strip_prefix('d')?;
        if digits.len() != 9 {
            return None;
        }
        let mut v: u64 = 0;
        for c in digits.bytes() {
            let d = BASE36.iter().position(|&b| b == c)? as u64;
            v = v * 36 + d;
        }
        let x = Self::walk(&self.keys[..4], CLOUD_HALF_BITS, CLOUD_SPACE, v, false);
        i64::try_from(x).ok().filter(|id| *id > 0)
    }

    /// The 15-digit API key of row `id`.
    pub fn api_key(&self, id: i64) -> String {
        let x = id.unsigned_abs() % KEY_SPACE;
        let v = Self::walk(&self.keys[4..], KEY_HALF_BITS, KEY_SPACE, x, true);
        (100_000_000_000_000 + v).to_string()
    }
}

/// The token in a verification link: the row id, a dash, and 32 random letters and digits
/// (the id finds the row; the random part, compared in constant time, is the credential).
pub fn verify_token(id: i64) -> String {
    format!("{id}-{}", Alphanumeric.sample_string(&mut rand::rng(), 32))
}

/// The row id in a verification token, if it has the shape [`verify_token`] makes.
pub fn id_of_verify_token(token: &str) -> Option<i64> {
    let (id, rest) = token.split_once('-')?;
    if rest.len() != 32 || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    id.parse::<i64>().ok().filter(|id| *id > 0)
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
        let secret = ApiSecret::generate();
        assert_eq!(secret.expose().len(), 32);
        assert!(!format!("{secret:?}").contains(secret.expose()));
    }

    #[test]
    fn codec_is_a_bijection_and_round_trips() {
        let codec = IdCodec::generate();
        let mut clouds = std::collections::HashSet::new();
        let mut keys = std::collections::HashSet::new();
        for id in 1..20_000 {
            let cloud = codec.cloud_name(id);
            assert_eq!(cloud.len(), 10);
            assert!(cloud.starts_with('d'));
            assert!(cloud[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
            assert_eq!(codec.id_of_cloud_name(&cloud), Some(id));
            assert!(clouds.insert(cloud));
            let key = codec.api_key(id);
            assert_eq!(key.len(), 15);
            assert!(key.chars().all(|c| c.is_ascii_digit()) && !key.starts_with('0'));
            assert!(keys.insert(key));
        }
        assert_eq!(codec.id_of_cloud_name("dx"), None);
        assert_eq!(codec.id_of_cloud_name("D123456789"), None);
        assert_eq!(codec.id_of_cloud_name("d12345678!"), None);
        let again = IdCodec::from_bytes(&codec.to_bytes()).unwrap();
        assert_eq!(again, codec);
        assert_ne!(IdCodec::generate(), codec);
        assert!(!format!("{codec:?}").contains(&codec.keys[0].to_string()));
    }

    #[test]
    fn tokens() {
        let t = verify_token(42);
        assert_eq!(id_of_verify_token(&t), Some(42));
        assert_eq!(id_of_verify_token("42-short"), None);
        assert_eq!(
            id_of_verify_token("x-abcdefghijklmnopqrstuvwxyz012345"),
            None
        );
        assert_eq!(id_of_verify_token("abc"), None);
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
