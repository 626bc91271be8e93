//! What a 2xx answer of the Claimable Cloud endpoint must hold, in either of the two shapes
//! Cloudinary documents, and the fields to copy to its top level so that every caller reads
//! one shape.
//!
//! | shape | where the credentials are |
//! |---|---|
//! | flat (Cloudinary's CLI tests) | `cloud_name`, `api_key`, `api_secret`, `api_environment_variable` at the top level |
//! | older (named by the npm CLI and docs) | in `product_environments[0]`, the key and secret there or in its first enabled `api_access_keys[]` entry (`key`, `secret`) |
//!
//! The rule is Cloudinary's own: "read the credentials from `product_environments[0]` if that
//! key is present and from the top level otherwise". Each of the seven fields a caller relies
//! on (`cloud_name`, `api_key`, `api_secret`, `api_environment_variable`, `claim_url`,
//! `expires_at`, `delivery_ips`) is taken from `product_environments[0]` when that holds it,
//! else from the top level; `api_environment_variable` is built from the three credentials
//! when neither holds it (inferred: the older shape's documents do not show it). Every value
//! is checked before use, by the account's own rules where they exist; messages name the
//! field and the rule, never a value.

use crate::account_shape::{checked_credentials, expect_text, is_clean_email};
use crate::activation::Credentials;
use crate::json_node::JsonNode;
use crate::text::{concat, decimal};
use crate::validate::{parse_delivery_ip, DeliveryIp};

/// The fields every resolved cloud holds at its top level.
pub const CLOUD_TOP_FIELDS: [&str; 7] = [
    "cloud_name",
    "api_key",
    "api_secret",
    "api_environment_variable",
    "claim_url",
    "expires_at",
    "delivery_ips",
];

/// Longest `claim_url` accepted (a Console page with a token: about a hundred characters).
const MAX_CLAIM_URL_LEN: usize = 2048;

/// A value to set at the top level of the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lift<N> {
    /// A value found deeper in the answer, copied as it is.
    From(N),
    /// A value built from others (`api_environment_variable` from the credentials).
    Built(String),
}

/// Checks a 2xx cloud answer; returns the top-level fields to set (none for the flat shape),
/// or why the answer is not a cloud.
pub fn check_cloud<N: JsonNode>(v: &N) -> Result<Vec<(&'static str, Lift<N>)>, String> {
    if !v.is_object() {
        return Err("the body is not a JSON object".into());
    }
    let nested = match v.member("product_environments") {
        None => None,
        Some(list) => {
            let Some(first) = list.elements().and_then(|l| l.into_iter().next()) else {
                return Err("`product_environments` is not a non-empty array".into());
            };
            if !first.is_object() {
                return Err("`product_environments[0]` is not an object".into());
            }
            Some(first)
        }
    };
    let access = nested.as_ref().and_then(enabled_access_key);
    let mut lifts = Vec::new();
    // The six text fields in `CLOUD_TOP_FIELDS` order; then `delivery_ips`.
    let mut texts: [String; 6] = [const { String::new() }; 6];
    let mut ips = None;
    let mut built_env_var = false;
    for (i, key) in CLOUD_TOP_FIELDS.into_iter().enumerate() {
        // `product_environments[0]` first, when present; the key and secret also in its
        // enabled access key.
        let deeper = nested.as_ref().and_then(|e| e.member(key)).or_else(|| {
            let name = ["key", "secret"].get(i.wrapping_sub(1))?;
            access.as_ref()?.member(name)
        });
        let found = match deeper {
            Some(d) => {
                lifts.push((key, Lift::From(d.clone())));
                Some(d)
            }
            None => v.member(key),
        };
        match (found, texts.get_mut(i)) {
            (found, None) => ips = found,
            // The older shape's documents show no `api_environment_variable`: built below.
            (None, Some(_)) if i == 3 && nested.is_some() => built_env_var = true,
            (found, Some(slot)) => *slot = expect_text(found, key, None)?,
        }
    }
    let [cloud_name, api_key, api_secret, env_var, claim_url, expires_at] = texts;
    let creds = Credentials {
        cloud_name,
        api_key,
        api_secret,
    };
    checked_credentials(&creds, (!built_env_var).then_some(env_var.as_str()))?;
    if built_env_var {
        lifts.push(("api_environment_variable", Lift::Built(creds.env_line())));
    }
    if !is_claim_url(&claim_url) {
        return Err("`claim_url` is not an http(s) URL".into());
    }
    if !is_iso_utc(&expires_at) {
        return Err("`expires_at` is not an ISO 8601 date and time".into());
    }
    let ips = ips
        .and_then(|l| l.elements())
        .ok_or("`delivery_ips` is not an array")?;
    for (i, ip) in ips.iter().enumerate() {
        if !ip
            .text()
            .is_some_and(|s| matches!(parse_delivery_ip(&s), Ok(DeliveryIp::Addr(_))))
        {
            return Err(concat(&[
                "`delivery_ips[",
                &decimal(i as u64),
                "]` is not an IP address",
            ]));
        }
    }
    // Optional: the e-mail the claim page is pre-filled with.
    if let Some(email) = v.member("email") {
        if !email.text().is_some_and(|e| is_clean_email(&e)) {
            return Err("`email` is not a valid e-mail address".into());
        }
    }
    Ok(lifts)
}

/// The first entry of `api_access_keys` that is an object not marked `enabled: false`.
fn enabled_access_key<N: JsonNode>(env: &N) -> Option<N> {
    env.elements_of("api_access_keys")?
        .into_iter()
        .find(|k| k.is_object() && !k.member("enabled").is_some_and(|e| e.is_false()))
}

/// An absolute `https:` or `http:` URL without white space or control characters (it is shown
/// to people and written to `.env`).
fn is_claim_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= MAX_CLAIM_URL_LEN
        && s.bytes().all(|b| b.is_ascii_graphic())
}

/// `YYYY-MM-DDTHH:MM:SS`, then optional fractions and a zone (`Z` or `±HH:MM`): the shape of
/// an ISO 8601 date and time, checked byte by byte (no date parser in the wasm for this).
fn is_iso_utc(s: &str) -> bool {
    const PATTERN: &[u8; 19] = b"dddd-dd-ddTdd:dd:dd";
    (PATTERN.len()..=40).contains(&s.len())
        && s.bytes().enumerate().all(|(i, c)| match PATTERN.get(i) {
            Some(b'd') => c.is_ascii_digit(),
            Some(p) => *p == c,
            None => c.is_ascii_digit() || matches!(c, b'.' | b'Z' | b'+' | b'-' | b':'),
        })
}

#[cfg(test)]
mod tests {
    use super::is_iso_utc;

    #[test]
    fn iso_dates_and_times_by_shape() {
        for ok in [
            "2026-12-09T10:00:00Z",
            "2026-12-09T10:00:00",
            "2026-12-09T10:00:00.123456+01:00",
            "2026-12-09T10:00:00.000000000000000000Z",
        ] {
            assert!(is_iso_utc(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-12-09",
            "2026-12-09 10:00:00Z",
            "2026-12-09T10:00:0",
            "2026-12-09T10:00:00 Z",
            "2026-12-09T10:00:00z",
            "2026-12-09T10:00:00.00000000000000000000Z",
            "2026-1a-09T10:00:00Z",
            "2026-12-09T10-00:00Z",
            "２０２６-12-09T10:00:00Z",
        ] {
            assert!(!is_iso_utc(bad), "{bad}");
        }
    }
}
