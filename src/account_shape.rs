//! What a 2xx answer of the agent account endpoint must hold: the documented shape, then its
//! values by the request's and the credentials' own rules. Messages name the path, never a value (values include the secret).

use crate::activation::Credentials;
use crate::json_node::JsonNode;
use crate::text::{concat, decimal};

/// The fields every account must carry as strings (beside `product_environments`, a
/// non-empty array of objects); then those every product environment must carry, all strings.
const ACCOUNT_FIELDS: [&str; 4] = ["external_id", "email", "plan_name", "guidance"];
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
    if !v.is_object() {
        return Err("the body is not a JSON object".into());
    }
    expect_strings(v, &ACCOUNT_FIELDS, None)?;
    let envs = match v.member("product_environments") {
        None => return Err("`product_environments` is missing".into()),
        Some(list) => list
            .elements()
            .ok_or("`product_environments` is not an array")?,
    };
    if envs.is_empty() {
        return Err("`product_environments` is empty".into());
    }
    for (i, env) in envs.iter().enumerate() {
        if !env.is_object() {
            return Err(concat(&["`", &environment(i), "` is not an object"]));
        }
        expect_strings(env, &ENVIRONMENT_FIELDS, Some(i))?;
    }
    check_values(v, &envs)
}

/// The values of a well-shaped account (`envs`, its product environments): the e-mail valid by the request's rules, untrimmed
/// (no control or invisible character: it is printed and written to `.env` comments); each product environment's cloud name, key
/// and secret by `Credentials::checked` (their alphabets and lengths), and its
/// `api_environment_variable` exactly the `CLOUDINARY_URL` of those three (with or without
/// the `CLOUDINARY_URL=` name). Messages name the field and the rule, never a value.
fn check_values<N: JsonNode>(v: &N, envs: &[N]) -> Result<(), String> {
    let text = |n: &N, k: &str| n.text_of(k).unwrap_or_default();
    // The request's own e-mail rules (grammar, no control or invisible character), untrimmed.
    if !is_clean_email(&text(v, "email")) {
        return Err("`email` is not a valid e-mail address".into());
    }
    for (i, env) in envs.iter().enumerate() {
        // The credentials' own rules, the ones checkActivation applies (one source of truth).
        let creds = Credentials {
            cloud_name: text(env, "cloud_name"),
            api_key: text(env, "api_key"),
            api_secret: text(env, "api_secret"),
        };
        let env_var = text(env, "api_environment_variable");
        if let Err(why) = checked_credentials(&creds, Some(&env_var)) {
            return Err(concat(&["`", &environment(i), "`: ", &why]));
        }
    }
    Ok(())
}

/// An answer's credentials by their own rules (`Credentials::checked`, the ones checkActivation
/// applies: one source of truth) and, when given, its `api_environment_variable` exactly their
/// `CLOUDINARY_URL`; else why not (the first rule broken, never a value).
pub(crate) fn checked_credentials(
    creds: &Credentials,
    env_var: Option<&str>,
) -> Result<(), String> {
    if let Some((_, _, why)) = creds.problems().into_iter().flatten().next() {
        return Err(why.into());
    }
    match env_var {
        Some(var) if !creds.is_url_of(var) => {
            Err("api_environment_variable is not the CLOUDINARY_URL of the three".into())
        }
        _ => Ok(()),
    }
}

/// Whether an answer's e-mail is valid by the request's own e-mail rules (grammar, no control
/// or invisible character) as it is, untrimmed: it is printed and written to `.env` comments.
pub(crate) fn is_clean_email(email: &str) -> bool {
    let field = crate::validate::check_field(crate::validate::Field::Email, email);
    field.is_ok_and(|e| e.len() == email.len())
}

/// `product_environments[i]`, for messages.
fn environment(i: usize) -> String {
    concat(&["product_environments[", &decimal(i as u64), "]"])
}

/// `keys` of `v` (the body, or its product environment `env`) are strings; else which one is
/// not.
fn expect_strings<N: JsonNode>(v: &N, keys: &[&str], env: Option<usize>) -> Result<(), String> {
    for key in keys {
        expect_text(v.member(key), key, env)?;
    }
    Ok(())
}

/// The text of `found`, the field `key` (of the body, or of its product environment `env`);
/// else that it is missing or not a string. The parent's path is built only for a message, not
/// for every field of every answer.
pub(crate) fn expect_text<N: JsonNode>(
    found: Option<N>,
    key: &str,
    env: Option<usize>,
) -> Result<String, String> {
    let why = match found.map(|n| n.text()) {
        Some(Some(text)) => return Ok(text),
        Some(None) => "is not a string",
        None => "is missing",
    };
    let parent = env.map(|i| environment(i) + ".").unwrap_or_default();
    Err(concat(&["`", &parent, key, "` ", why]))
}
