//! What a 2xx answer of the agent account endpoint must hold: the documented shape (one
//! crossing for a JS value: `JsonNode::shape`), then its values by the request's and the
//! credentials' own rules. Messages name the path, never a value (values include the secret).

use crate::activation::Credentials;
use crate::json_node::JsonNode;
use crate::text::{concat, decimal};

/// The fields every account must carry: strings, and last the array of product
/// environments; then those every product environment must carry, all strings.
const ACCOUNT_FIELDS: [&str; 5] = [
    "external_id",
    "email",
    "plan_name",
    "guidance",
    "product_environments",
];
const ENVIRONMENT_FIELDS: [&str; 5] = [
    "external_id",
    "cloud_name",
    "api_key",
    "api_secret",
    "api_environment_variable",
];

/// Checks that a 2xx body has the documented shape. Messages name the path, never a value
/// (values include the secret).
pub fn check_account<N: JsonNode>(v: &N) -> Result<(), String> {
    let shape = v.shape(&ACCOUNT_FIELDS, &ENVIRONMENT_FIELDS);
    let Some((top, mut envs)) = shape
        .as_bytes()
        .split_at_checked(ACCOUNT_FIELDS.len())
        .filter(|(top, _)| !top.contains(&b'#'))
    else {
        return Err("the body is not a JSON object".into());
    };
    let (strings, list) = (&ACCOUNT_FIELDS[..ACCOUNT_FIELDS.len() - 1], top.last());
    expect_strings(strings, top, String::new)?;
    match list {
        Some(b'a') if envs.is_empty() => return Err("`product_environments` is empty".into()),
        Some(b'a') => {}
        Some(b'-') => return Err("`product_environments` is missing".into()),
        _ => return Err("`product_environments` is not an array".into()),
    }
    let mut i = 0;
    while let Some(&first) = envs.first() {
        if first == b'#' {
            return Err(concat(&[
                "`product_environments[",
                &decimal(i as u64),
                "]` is not an object",
            ]));
        }
        let Some((kinds, rest)) = envs.split_at_checked(ENVIRONMENT_FIELDS.len()) else {
            return Err("the body is not a JSON object".into()); // a shape not as described
        };
        expect_strings(&ENVIRONMENT_FIELDS, kinds, || {
            concat(&["product_environments[", &decimal(i as u64), "]."])
        })?;
        envs = rest;
        i += 1;
    }
    check_values(v)
}

/// The values of a well-shaped account: the e-mail valid by the request's rules, untrimmed
/// (no control or invisible character: it is printed and written to `.env` comments); each product environment's cloud name, key
/// and secret by `Credentials::checked` (their alphabets and lengths), and its
/// `api_environment_variable` exactly the `CLOUDINARY_URL` of those three (with or without
/// the `CLOUDINARY_URL=` name). Messages name the field and the rule, never a value.
fn check_values<N: JsonNode>(v: &N) -> Result<(), String> {
    let text = |n: &N, k: &str| n.member(k).and_then(|m| m.text()).unwrap_or_default();
    // The request's own e-mail rules (grammar, no control or invisible character), untrimmed.
    if !is_clean_email(&text(v, "email")) {
        return Err("`email` is not a valid e-mail address".into());
    }
    let envs = v
        .member("product_environments")
        .and_then(|e| e.elements())
        .unwrap_or_default();
    for (i, env) in envs.iter().enumerate() {
        // The credentials' own rules, the ones checkActivation applies (one source of truth).
        let creds = Credentials {
            cloud_name: text(env, "cloud_name"),
            api_key: text(env, "api_key"),
            api_secret: text(env, "api_secret"),
        };
        let same = creds.is_url_of(&text(env, "api_environment_variable"));
        let why = match creds.checked() {
            Err(issues) => issues.into_iter().next().map(|i| i.message),
            Ok(_) if !same => {
                Some("api_environment_variable is not the CLOUDINARY_URL of the three".into())
            }
            Ok(_) => None,
        };
        if let Some(why) = why {
            return Err(concat(&[
                "`product_environments[",
                &decimal(i as u64),
                "]`: ",
                &why,
            ]));
        }
    }
    Ok(())
}

/// Whether an answer's e-mail is valid by the request's own e-mail rules (grammar, no control
/// or invisible character) as it is, untrimmed: it is printed and written to `.env` comments.
pub(crate) fn is_clean_email(email: &str) -> bool {
    let field = crate::validate::check_field(crate::validate::Field::Email, email);
    field.is_ok_and(|e| e.len() == email.len())
}

/// `keys` (whose kinds, `shape`'s bytes, are `kinds`) are strings; else which one is not.
/// `prefix` (the parent's path) is built only for a message, not for every field of every
/// answer.
fn expect_strings(
    keys: &[&str],
    kinds: &[u8],
    prefix: impl FnOnce() -> String,
) -> Result<(), String> {
    for (key, kind) in keys.iter().zip(kinds) {
        let why = match kind {
            b's' => continue,
            b'-' => "is missing",
            _ => "is not a string",
        };
        return Err(concat(&["`", &prefix(), key, "` ", why]));
    }
    Ok(())
}
