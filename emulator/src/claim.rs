//! The pages a Claimable Cloud's `claim_url` opens, mirroring the verification pages
//! (`verify.rs`: its page frame, escaping, headers and same-origin rule for posts):
//!
//! - `GET /claim?token=T`: a form with the e-mail (pre-filled when the request gave one), the
//!   terms checkbox and an optional password; `POST /claim?token=T` sends it: a confirmation
//!   e-mail goes to the outbox (a new one replaces the link of the last);
//! - `GET /claim/confirm/{token}` (the e-mail's link): a page with one button;
//!   `POST /claim/confirm/{token}` claims the cloud: no expiry, same credentials, no IP lock.
//!
//! Tokens are credentials: the access log masks the confirmation path and never logs a query.

use std::collections::HashMap;

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::Form;
use cloudinary_agent_account::validate::{check_field, Field};

use crate::clock::iso8601;
use crate::errors::ApiError;
use crate::http::Routes;
use crate::mail::{claim_mail_body, CLAIM_SUBJECT};
use crate::state::{AppState, SharedState};
use crate::store::{CloudState, StoreError};
use crate::verify::{escape_html, page, MIN_PASSWORD_CHARS};

/// The claim routes.
pub fn routes() -> Routes {
    Routes::new()
        .get("/claim", claim_page)
        .post("/claim", claim_submit)
        .get("/claim/confirm/{token}", confirm_page)
        .post("/claim/confirm/{token}", confirm_submit)
}

/// Where a cloud stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudStatus {
    /// Working, IP-locked, until `expires_at`.
    Unclaimed,
    /// Claimed: permanent, no IP lock.
    Claimed,
    /// Passed `expires_at` unclaimed: disabled.
    Disabled,
}

/// The status of `cloud` at `now_ms`.
pub fn cloud_status(cloud: &CloudState, now_ms: i64) -> CloudStatus {
    if cloud.claimed_at_ms.is_some() {
        CloudStatus::Claimed
    } else if now_ms >= cloud.expires_at_ms {
        CloudStatus::Disabled
    } else {
        CloudStatus::Unclaimed
    }
}

/// The page for a database failure, logged through the one `StoreError` conversion.
fn database_failure_page(e: StoreError) -> Response {
    let _logged = ApiError::from(e);
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "<p>The emulator could not use its database. Try again.</p>",
    )
}

/// What a claim's form or confirmation answers instead when the cloud is claimed already or
/// has expired; `None` while it can still be claimed.
fn not_claimable_page(cloud: &CloudState, now: i64) -> Option<Response> {
    match cloud_status(cloud, now) {
        CloudStatus::Claimed => Some(claimed_page(cloud, false)),
        CloudStatus::Disabled => Some(disabled_page(cloud)),
        CloudStatus::Unclaimed => None,
    }
}

fn not_found_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not valid",
        "<p>This claim link is not valid. Check that you opened the whole link.</p>",
    )
}

fn disabled_page(cloud: &CloudState) -> Response {
    page(
        StatusCode::GONE,
        "This cloud has expired",
        &format!(
            "<p>The cloud <strong>{}</strong> was not claimed before {} (UTC), so it has been \
disabled and can no longer be claimed.</p>",
            escape_html(&cloud.cloud_name),
            escape_html(&iso8601(cloud.expires_at_ms)),
        ),
    )
}

fn claimed_page(cloud: &CloudState, just_now: bool) -> Response {
    let title = if just_now {
        "Your cloud is claimed"
    } else {
        "Already claimed"
    };
    page(
        StatusCode::OK,
        title,
        &format!(
            "<p>The cloud <strong>{}</strong> is a permanent free account{}. Its cloud name, API \
key, secret and assets are unchanged, and media delivery is no longer limited to its IP \
addresses.</p>",
            escape_html(&cloud.cloud_name),
            cloud
                .claim_email
                .as_deref()
                .map(|e| format!(" of <strong>{}</strong>", escape_html(e)))
                .unwrap_or_default(),
        ),
    )
}

fn cross_origin_page() -> Response {
    page(
        StatusCode::FORBIDDEN,
        "Request refused",
        "<p>This form can only be sent from the claim page itself. Open the claim link and \
send the form there.</p>",
    )
}

/// The claim form; `email` is what to pre-fill, `error` what was wrong with the last try.
fn form_page(status: StatusCode, cloud: &CloudState, email: &str, error: Option<&str>) -> Response {
    let error_html = match error {
        Some(e) => format!(
            "<p class=\"error\" role=\"alert\" id=\"claim-error\">{}</p>\n",
            escape_html(e)
        ),
        None => String::new(),
    };
    let body = format!(
        "<p>Claim the cloud <strong>{cloud}</strong> to keep it: it becomes a permanent free \
Cloudinary account with the same cloud name, credentials and assets, and media delivery is no \
longer limited to its IP addresses. Unclaimed, it is disabled at {expires} (UTC).</p>
{error_html}<form method=\"post\">
<label for=\"email\">E-mail address</label>
<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"email\" required value=\"{email}\">
<p class=\"note\">A confirmation link is sent there; the claim is done when you open it.</p>
<label for=\"password\">Password (optional)</label>
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"{MIN_PASSWORD_CHARS}\" aria-describedby=\"password-hint\">
<p class=\"note\" id=\"password-hint\">At least {MIN_PASSWORD_CHARS} characters, or leave it empty and set one later.</p>
<p><input type=\"checkbox\" id=\"terms\" name=\"terms\" value=\"accepted\" required style=\"width:auto\"> \
<label for=\"terms\" style=\"display:inline;font-weight:normal\">I accept the terms of use</label></p>
<button type=\"submit\">Claim this cloud</button>
</form>
<p class=\"note\">This is the local emulator: it keeps no password.</p>",
        cloud = escape_html(&cloud.cloud_name),
        expires = escape_html(&iso8601(cloud.expires_at_ms)),
        email = escape_html(email),
    );
    page(status, "Claim your Cloudinary cloud", &body)
}

/// The token of `?token=`, if the query is readable and has one.
fn token_of(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Option<String> {
    query
        .ok()
        .and_then(|Query(mut q)| q.remove("token"))
        .filter(|t| !t.is_empty())
}

async fn by_claim_token(state: &AppState, token: Option<String>) -> Result<CloudState, Response> {
    let Some(token) = token else {
        return Err(not_found_page());
    };
    match state.store.cloud_by_claim_token(token).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(not_found_page()),
        Err(e) => Err(database_failure_page(e)),
    }
}

async fn by_confirm_token(state: &AppState, token: String) -> Result<CloudState, Response> {
    match state.store.cloud_by_confirm_token(token).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(not_found_page()),
        Err(e) => Err(database_failure_page(e)),
    }
}

/// `GET /claim?token=T`: the claim form, or why the link no longer works.
pub async fn claim_page(
    State(state): State<SharedState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let cloud = match by_claim_token(&state, token_of(query)).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    match cloud_status(&cloud, state.clock.now_ms()) {
        CloudStatus::Claimed => claimed_page(&cloud, false),
        CloudStatus::Disabled => disabled_page(&cloud),
        CloudStatus::Unclaimed => {
            let email = cloud
                .claim_email
                .as_deref()
                .or(cloud.email.as_deref())
                .unwrap_or("");
            form_page(StatusCode::OK, &cloud, email, None)
        }
    }
}

/// What is wrong with a submitted claim form, if anything: the trimmed address otherwise.
fn check_form(fields: &HashMap<String, String>) -> Result<String, String> {
    let email = fields.get("email").map(String::as_str).unwrap_or("");
    let email = match check_field(Field::Email, email) {
        Ok(e) => e.to_owned(),
        Err(issue) => return Err(format!("{}.", issue.message)),
    };
    if crate::disposable::is_disposable(&email) {
        return Err("Use an address that is not at a disposable-mail provider.".into());
    }
    let password = fields.get("password").map(String::as_str).unwrap_or("");
    if !password.is_empty() && password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "The password must be at least {MIN_PASSWORD_CHARS} characters long, or empty."
        ));
    }
    if fields.get("terms").is_none_or(|t| t.is_empty()) {
        return Err("Accept the terms of use to claim the cloud.".into());
    }
    Ok(email)
}

/// `POST /claim?token=T` (form-encoded `email`, `terms`, optional `password`): sends the
/// confirmation e-mail. Refused when sent by a page on another origin.
pub async fn claim_submit(
    State(state): State<SharedState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    if crate::origin::check(&state, &Method::POST, &headers).is_err() {
        tracing::info!("claim form from another origin refused");
        return cross_origin_page();
    }
    let cloud = match by_claim_token(&state, token_of(query)).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let now = state.clock.now_ms();
    if let Some(page) = not_claimable_page(&cloud, now) {
        return page;
    }
    let fields = form.map(|Form(f)| f).unwrap_or_default();
    let email = match check_form(&fields) {
        Ok(e) => e,
        Err(why) => {
            let typed = fields.get("email").map(String::as_str).unwrap_or("");
            return form_page(StatusCode::BAD_REQUEST, &cloud, typed, Some(&why));
        }
    };
    // The password itself is dropped here: the emulator has no console to sign in to.
    drop(fields);
    let expires = iso8601(cloud.expires_at_ms);
    let confirm_token = crate::credentials::verify_token(cloud.id);
    let mail = (
        CLAIM_SUBJECT.to_owned(),
        claim_mail_body(&email, &cloud.cloud_name, &expires),
    );
    match state
        .store
        .request_claim(cloud.id, email.clone(), confirm_token, now, mail)
        .await
    {
        Ok(true) => {
            tracing::info!(cloud = cloud.id, "claim requested");
            page(
                StatusCode::OK,
                "Check your e-mail",
                &format!(
                    "<p>A confirmation link was sent to <strong>{}</strong>. Open it before {} \
(UTC) to finish claiming the cloud <strong>{}</strong>.</p>",
                    escape_html(&email),
                    escape_html(&expires),
                    escape_html(&cloud.cloud_name),
                ),
            )
        }
        // Claimed or expired meanwhile.
        Ok(false) => disabled_or_claimed(&state, cloud).await,
        Err(e) => database_failure_page(e),
    }
}

/// After a lost race: the page for what is true now.
async fn disabled_or_claimed(state: &AppState, cloud: CloudState) -> Response {
    match state.store.cloud_by_name(cloud.cloud_name.clone()).await {
        Ok(Some(now)) if now.claimed_at_ms.is_some() => claimed_page(&now, false),
        _ => disabled_page(&cloud),
    }
}

/// `GET /claim/confirm/{token}`: the page of the e-mail's link, with one button.
pub async fn confirm_page(
    State(state): State<SharedState>,
    token: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return not_found_page();
    };
    let cloud = match by_confirm_token(&state, token).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    match cloud_status(&cloud, state.clock.now_ms()) {
        CloudStatus::Claimed => claimed_page(&cloud, false),
        CloudStatus::Disabled => disabled_page(&cloud),
        CloudStatus::Unclaimed => page(
            StatusCode::OK,
            "Confirm your claim",
            &format!(
                "<p>Confirm to claim the cloud <strong>{}</strong> for <strong>{}</strong>.</p>
<form method=\"post\">
<button type=\"submit\">Confirm the claim</button>
</form>",
                escape_html(&cloud.cloud_name),
                escape_html(cloud.claim_email.as_deref().unwrap_or("")),
            ),
        ),
    }
}

/// `POST /claim/confirm/{token}`: claims the cloud. Refused from another origin.
pub async fn confirm_submit(
    State(state): State<SharedState>,
    token: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    if crate::origin::check(&state, &Method::POST, &headers).is_err() {
        tracing::info!("claim confirmation from another origin refused");
        return cross_origin_page();
    }
    let Ok(Path(token)) = token else {
        return not_found_page();
    };
    let cloud = match by_confirm_token(&state, token).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let now = state.clock.now_ms();
    if let Some(page) = not_claimable_page(&cloud, now) {
        return page;
    }
    match state.store.confirm_claim(cloud.id, now).await {
        Ok(true) => {
            tracing::info!(cloud = cloud.id, "cloud claimed");
            claimed_page(&cloud, true)
        }
        Ok(false) => disabled_or_claimed(&state, cloud).await,
        Err(e) => database_failure_page(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_form_needs_an_address_and_the_terms_and_a_long_or_no_password() {
        let ok = form(&[("email", " jane@example.com "), ("terms", "accepted")]);
        assert_eq!(check_form(&ok), Ok("jane@example.com".into()));
        let with_password = form(&[
            ("email", "jane@example.com"),
            ("terms", "accepted"),
            ("password", "long enough"),
        ]);
        assert!(check_form(&with_password).is_ok());
        for bad in [
            form(&[("email", "jane@example.com")]),
            form(&[("email", "jane"), ("terms", "accepted")]),
            form(&[("terms", "accepted")]),
            form(&[("email", "x@mailinator.com"), ("terms", "accepted")]),
            form(&[
                ("email", "jane@example.com"),
                ("terms", "accepted"),
                ("password", "short"),
            ]),
        ] {
            assert!(check_form(&bad).is_err(), "{bad:?}");
        }
    }
}
