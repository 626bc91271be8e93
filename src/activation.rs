//! Whether a new account's credentials work yet: the pure core of `checkActivation` and
//! `waitForActivation` (exported by `wasm/activation.rs`; the fetch is `pkg-template/activation.js`).
//!
//! There is no status endpoint. The only signal is a real authenticated call; the cheapest is
//! the Admin API ping, `GET {base}/v1_1/{cloud_name}/ping` with HTTP Basic
//! `api_key:api_secret`. Its answer is classified here:
//!
//! | answer | state |
//! |---|---|
//! | 200 `{"status":"ok"}` | `active` |
//! | 401 with `error.code` `verification_pending` (or a message saying verification is pending) | `pending` |
//! | 403 with `error.code` `account_disabled`, or none (or a message saying disabled) | `disabled` |
//! | anything else (wrong key, 404, 5xx, a redirect, another body) | `unknown` |
//!
//! Nothing here formats a secret: messages name fields, never values.

use crate::error::JsonNode;
use crate::text::{concat, rsplit_once, split_once};
use crate::validate::{issue, IssueCode, ValidationIssue};

/// The ping's `error.code` while the person has not verified the e-mail yet.
pub const CODE_VERIFICATION_PENDING: &str = "verification_pending";
/// The ping's `error.code` once the account was disabled (not verified in time).
pub const CODE_ACCOUNT_DISABLED: &str = "account_disabled";
/// Longest cloud name accepted (the emulator refuses longer ones too).
pub const MAX_CLOUD_NAME_LEN: usize = 128;
/// Longest API key accepted (real ones: 15 digits).
pub const MAX_API_KEY_LEN: usize = 32;
/// Shortest and longest API secret accepted (real ones: 27-32 characters): a shorter one is
/// not Cloudinary's, and redaction could not tell it from ordinary text.
pub const MIN_API_SECRET_LEN: usize = 16;
/// See [`MIN_API_SECRET_LEN`].
pub const MAX_API_SECRET_LEN: usize = 128;

/// The messages of the length rules of [`Credentials::checked`] (a test holds them to the
/// limits above).
const CLOUD_NAME_LENGTH_RULE: &str = "cloud_name must be 1-128 characters long";
const API_KEY_RULE: &str = "api_key must be 1-32 digits";
const API_SECRET_RULE: &str = "api_secret must be 16-128 letters, digits, `-` or `_`";
/// The rules of one part of the credentials (lengths in characters), with the message of
/// each (never the value): empty, of a length outside `min..=max`, outside its alphabet.
struct PartRule {
    /// Its place in `[cloud_name, api_key, api_secret]`.
    index: usize,
    field: &'static str,
    min: usize,
    max: usize,
    alphabet: fn(char) -> bool,
    missing: &'static str,
    long_code: IssueCode,
    long: &'static str,
    bad: &'static str,
}

/// The documented alphabets (the cloud name goes into a URL path unescaped; a key of digits,
/// a secret of `[A-Za-z0-9_-]`) are inert in a URL, a header, a `.env` line and a shell;
/// credentials.js `CREDENTIAL_RULES` copies them for toDotenv, and error.rs holds every
/// account createAccount receives to them.
const PART_RULES: [PartRule; 3] = [
    PartRule {
        index: 0,
        field: "cloud_name",
        min: 1,
        max: MAX_CLOUD_NAME_LEN,
        alphabet: is_word,
        missing: CLOUD_NAME_LENGTH_RULE,
        long_code: IssueCode::TooLong,
        long: CLOUD_NAME_LENGTH_RULE,
        bad: "cloud_name may hold only letters, digits, `-` and `_`",
    },
    PartRule {
        index: 1,
        field: "api_key",
        min: 1,
        max: MAX_API_KEY_LEN,
        alphabet: is_digit,
        missing: "api_key is required",
        long_code: IssueCode::Invalid,
        long: API_KEY_RULE,
        bad: API_KEY_RULE,
    },
    PartRule {
        index: 2,
        field: "api_secret",
        min: MIN_API_SECRET_LEN,
        max: MAX_API_SECRET_LEN,
        alphabet: is_word,
        missing: "api_secret is required",
        long_code: IssueCode::Invalid,
        long: API_SECRET_RULE,
        bad: API_SECRET_RULE,
    },
];

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// The name a `CLOUDINARY_URL` is written under in a `.env` line.
const ENV_NAME: &str = "CLOUDINARY_URL=";

/// What a ping answer says about the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivationState {
    /// The person verified the e-mail: the credentials work.
    Active,
    /// The credentials are right but the e-mail is not verified yet.
    Pending,
    /// The account was disabled (not verified within 24 hours).
    Disabled,
    /// Any other refusal or answer: nothing can be concluded.
    Unknown,
}

impl ActivationState {
    /// The name used in JavaScript (`state`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ActivationState::Active => "active",
            ActivationState::Pending => "pending",
            ActivationState::Disabled => "disabled",
            ActivationState::Unknown => "unknown",
        }
    }
}

/// Classifies a ping answer: its status and its parsed JSON body (`None` when not JSON).
pub fn classify_ping<N: JsonNode>(status: u16, body: Option<&N>) -> ActivationState {
    let error = body.and_then(|b| b.member("error"));
    let code = error.as_ref().and_then(|e| e.text_of("code"));
    // Without a code, the message decides (the real API's bodies may carry none).
    let message = error.and_then(|e| e.text_of("message"));
    let message = message.unwrap_or_default().to_ascii_lowercase();
    let says = |words: &[&str]| words.iter().all(|w| crate::text::contains(&message, w));
    match (status, code.as_deref()) {
        (200, _) if body.and_then(|b| b.text_of("status")).as_deref() == Some("ok") => {
            ActivationState::Active
        }
        (401, Some(CODE_VERIFICATION_PENDING)) => ActivationState::Pending,
        (401, _) if says(&["verification", "pending"]) => ActivationState::Pending,
        (403, Some(CODE_ACCOUNT_DISABLED) | None) => ActivationState::Disabled,
        (403, _) if says(&["disabled"]) => ActivationState::Disabled,
        _ => ActivationState::Unknown,
    }
}

/// The key, secret and cloud name a ping needs. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The product environment's cloud name (goes into the URL path).
    pub cloud_name: String,
    /// The API key (goes into the Basic header).
    pub api_key: String,
    /// The API secret (goes into the Basic header only: never a URL, message or callback).
    pub api_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("cloud_name", &self.cloud_name)
            .field("api_key", &self.api_key)
            .field("api_secret", &"[redacted]")
            .finish()
    }
}

impl Credentials {
    /// Checks each part; the issues name the field and the rule, never the value.
    pub fn checked(self) -> Result<Credentials, Vec<ValidationIssue>> {
        let mut issues = Vec::new();
        for (field, code, message) in self.problems().into_iter().flatten() {
            issues.push(issue(field, code, message.into()));
        }
        if issues.is_empty() {
            Ok(self)
        } else {
            Err(issues)
        }
    }

    /// The first rule each part breaks, in the order cloud name, key, secret: its field, code
    /// and message (never the value).
    pub(crate) fn problems(&self) -> [Option<(&'static str, IssueCode, &'static str)>; 3] {
        let parts = [&self.cloud_name, &self.api_key, &self.api_secret];
        PART_RULES.map(|rule| {
            let value = parts.get(rule.index).map_or("", |v| v.as_str());
            let len = value.chars().count();
            if len == 0 {
                Some((rule.field, IssueCode::Missing, rule.missing))
            } else if len < rule.min || len > rule.max {
                Some((rule.field, rule.long_code, rule.long))
            } else if !value.chars().all(rule.alphabet) {
                Some((rule.field, IssueCode::Invalid, rule.bad))
            } else {
                None
            }
        })
    }

    /// Whether `var` is exactly the `CLOUDINARY_URL` of these three, with or without the
    /// `CLOUDINARY_URL=` name (an answer's `api_environment_variable`).
    pub fn is_url_of(&self, var: &str) -> bool {
        let line = self.env_line();
        var == line || Some(var) == line.strip_prefix(ENV_NAME)
    }

    /// The whole `.env` line `CLOUDINARY_URL=cloudinary://KEY:SECRET@CLOUD`, as the answers'
    /// `api_environment_variable` holds it. Sensitive.
    pub fn env_line(&self) -> String {
        concat(&[
            ENV_NAME,
            "cloudinary://",
            &self.api_key,
            ":",
            &self.api_secret,
            "@",
            &self.cloud_name,
        ])
    }

    /// The path of the ping, after `{base}`.
    pub fn ping_path(&self) -> String {
        concat(&["/v1_1/", &self.cloud_name, "/ping"])
    }

    /// The HTTP Basic user of the ping, `api_key:api_secret` (the header is
    /// `Basic base64(user)`, encoded by the host's `btoa`). Sensitive.
    pub fn basic_user(&self) -> String {
        concat(&[&self.api_key, ":", &self.api_secret])
    }
}

/// Reads the credentials from an account object (its first product environment), from
/// `{ cloud_name, api_key, api_secret }`, or from a `CLOUDINARY_URL` string.
pub fn read_credentials<N: JsonNode>(v: &N) -> Result<Credentials, Vec<ValidationIssue>> {
    let refused = |field, code, message: &str| Err(vec![issue(field, code, message.into())]);
    if let Some(text) = v.text() {
        return match parse_cloudinary_url(&text) {
            Some(creds) => creds.checked(),
            None => refused(
                "account",
                IssueCode::Invalid,
                "a string account must be a CLOUDINARY_URL of the form cloudinary://API_KEY:API_SECRET@CLOUD_NAME",
            ),
        };
    }
    if !v.is_object() {
        return refused(
            "account",
            IssueCode::NotAnObject,
            "the account must be the object createAccount resolved to, or { cloud_name, api_key, api_secret }",
        );
    }
    let env = match v.elements_of("product_environments") {
        Some(mut envs) if !envs.is_empty() => envs.swap_remove(0),
        Some(_) => {
            return refused(
                "product_environments",
                IssueCode::Missing,
                "product_environments is empty",
            )
        }
        None => v.clone(),
    };
    // `{ cloud_name, api_key, api_secret }`: every part missing or not a string is named.
    let mut issues = Vec::new();
    let mut get = |k: &str| {
        let (code, rule) = match env.member(k) {
            Some(x) => match x.text() {
                Some(s) => return s,
                None => (IssueCode::WrongType, " must be a string"),
            },
            None => (IssueCode::Missing, " is required"),
        };
        issues.push(issue(k, code, concat(&[k, rule])));
        String::new()
    };
    let creds = Credentials {
        cloud_name: get("cloud_name"),
        api_key: get("api_key"),
        api_secret: get("api_secret"),
    };
    if issues.is_empty() {
        creds.checked()
    } else {
        Err(issues)
    }
}

/// Parses `cloudinary://API_KEY:API_SECRET@CLOUD_NAME` (a leading `CLOUDINARY_URL=` and a
/// query string are allowed). `None` when it is not that shape.
pub fn parse_cloudinary_url(s: &str) -> Option<Credentials> {
    let s = s.trim();
    let s = s.strip_prefix(ENV_NAME).unwrap_or(s);
    let mut rest = s.strip_prefix("cloudinary://")?;
    // What comes before a query or a fragment.
    for end in [b'?', b'#'] {
        rest = split_once(rest, end).map_or(rest, |(before, _)| before);
    }
    let (auth, cloud) = rsplit_once(rest, b'@')?;
    let (key, secret) = split_once(auth, b':')?;
    Some(Credentials {
        cloud_name: cloud.trim_end_matches('/').to_owned(),
        api_key: key.to_owned(),
        api_secret: secret.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::decimal;
    use serde_json::{json, Value};

    fn state(status: u16, body: Value) -> ActivationState {
        classify_ping(status, Some(&&body))
    }

    #[test]
    fn ok_is_active_and_only_with_the_ok_body() {
        assert_eq!(state(200, json!({"status": "ok"})), ActivationState::Active);
        assert_eq!(
            state(200, json!({"status": "nope"})),
            ActivationState::Unknown
        );
        assert_eq!(classify_ping::<&Value>(200, None), ActivationState::Unknown);
    }

    #[test]
    fn the_emulators_pending_and_disabled_answers() {
        let pending = json!({"error": {"category": "authentication", "code": "verification_pending", "message": "E-mail verification is pending: ..."}});
        assert_eq!(state(401, pending), ActivationState::Pending);
        let disabled = json!({"error": {"category": "forbidden", "code": "account_disabled", "message": "The account is disabled"}});
        assert_eq!(state(403, disabled), ActivationState::Disabled);
        // Without a code, the message decides (the real API's bodies may carry none).
        assert_eq!(
            state(401, json!({"error": {"message": "Verification pending"}})),
            ActivationState::Pending
        );
        assert_eq!(
            state(403, json!({"error": {"message": "x"}})),
            ActivationState::Disabled
        );
    }

    #[test]
    fn any_other_refusal_is_unknown() {
        let bad =
            json!({"error": {"code": "invalid_credentials", "message": "Invalid credentials"}});
        assert_eq!(state(401, bad), ActivationState::Unknown);
        assert_eq!(
            state(
                403,
                json!({"error": {"code": "blocked", "message": "Request blocked"}})
            ),
            ActivationState::Unknown
        );
        for s in [0, 302, 404, 429, 500, 503] {
            assert_eq!(
                state(s, json!({"status": "ok"})),
                ActivationState::Unknown,
                "{s}"
            );
        }
    }

    #[test]
    fn reads_an_account_a_flat_object_and_a_url() {
        let account = json!({"email": "a@b.co", "product_environments": [
            {"cloud_name": "product1", "api_key": "123", "api_secret": "FAKE-s3cret-000000"}]});
        let c = read_credentials(&&account).unwrap();
        assert_eq!(
            (c.cloud_name.as_str(), c.api_key.as_str()),
            ("product1", "123")
        );
        let flat = json!({"cloud_name": "c1", "api_key": "1", "api_secret": "FAKE-s3cret-000000"});
        assert_eq!(read_credentials(&&flat).unwrap().cloud_name, "c1");
        let url = json!("CLOUDINARY_URL=cloudinary://123:FAKE-s3cret-000000@product1?x=1");
        let c = read_credentials(&&url).unwrap();
        assert_eq!(
            (
                c.cloud_name.as_str(),
                c.api_key.as_str(),
                c.api_secret.as_str()
            ),
            ("product1", "123", "FAKE-s3cret-000000")
        );
        // A key of other than digits, a short secret or one outside `[A-Za-z0-9_-]`: refused.
        for (k, secret) in [
            ("k", "FAKE-s3cret-000000"),
            ("1", "FAKE-short"),
            ("1", "FAKE-$(id)-0000000"),
        ] {
            let v = json!({"cloud_name": "c", "api_key": k, "api_secret": secret});
            assert_eq!(
                read_credentials(&&v).unwrap_err()[0].code,
                IssueCode::Invalid
            );
        }
    }

    #[test]
    fn bad_credentials_name_the_field_and_never_the_value() {
        let v = json!({"cloud_name": "a/../b", "api_key": "k:1", "api_secret": ""});
        let issues = read_credentials(&&v).unwrap_err();
        let fields: Vec<_> = issues.iter().map(|i| (i.field.as_str(), i.code)).collect();
        assert_eq!(
            fields,
            [
                ("cloud_name", IssueCode::Invalid),
                ("api_key", IssueCode::Invalid),
                ("api_secret", IssueCode::Missing)
            ]
        );
        let v = json!({"cloud_name": "c", "api_key": "k", "api_secret": "FAKE\nsecret"});
        let issues = read_credentials(&&v).unwrap_err();
        assert!(issues.iter().all(|i| !i.message.contains("FAKE")));
        assert_eq!(
            read_credentials(&&json!(3)).unwrap_err()[0].code,
            IssueCode::NotAnObject
        );
        assert_eq!(
            read_credentials(&&json!({"product_environments": []})).unwrap_err()[0].field,
            "product_environments"
        );
        assert!(read_credentials(&&json!("https://x")).is_err());
    }

    #[test]
    fn the_rules_messages_name_their_limits() {
        let range =
            |min: usize, max: usize| concat(&[&decimal(min as u64), "-", &decimal(max as u64)]);
        assert!(CLOUD_NAME_LENGTH_RULE.contains(&range(1, MAX_CLOUD_NAME_LEN)));
        assert!(API_KEY_RULE.contains(&range(1, MAX_API_KEY_LEN)));
        assert!(API_SECRET_RULE.contains(&range(MIN_API_SECRET_LEN, MAX_API_SECRET_LEN)));
    }

    #[test]
    fn debug_masks_the_secret() {
        let c = parse_cloudinary_url("cloudinary://k:FAKE-s3cret@c").unwrap();
        assert!(!format!("{c:?}").contains("FAKE-s3cret"));
    }

    #[test]
    fn the_pings_path_and_user() {
        let c = Credentials {
            cloud_name: "c".into(),
            api_key: "123".into(),
            api_secret: "FAKE-s3cret-000000".into(),
        };
        assert_eq!(c.basic_user(), "123:FAKE-s3cret-000000");
        assert_eq!(c.ping_path(), "/v1_1/c/ping");
    }
}
