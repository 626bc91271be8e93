//! The pages a verification link opens: `GET /verify/{token}` shows a form to set a password,
//! `POST /verify/{token}` verifies the address.

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

use crate::clock::iso8601;
use crate::errors::ApiError;
use crate::http::Routes;
use crate::mail::VERIFY_WINDOW_MS;
use crate::state::{AppState, SharedState};
use crate::store::{AccountState, StoreError};

/// The shortest password the verification page accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The verification routes.
pub fn routes() -> Routes {
    Routes::new()
        .get("/verify/{token}", verify_page)
        .post("/verify/{token}", verify_submit)
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Waiting for the person to set a password.
    Pending,
    /// Verified.
    Active,
    /// Not verified within 24 hours: disabled.
    Disabled,
}

/// The state of `account` at `now_ms`.
pub fn activation(account: &AccountState, now_ms: i64) -> Activation {
    if account.verified_at_ms.is_some() {
        Activation::Active
    } else if now_ms >= account.created_at_ms.saturating_add(VERIFY_WINDOW_MS) {
        Activation::Disabled
    } else {
        Activation::Pending
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole HTML page; `body` must already be escaped.
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }}
label {{ display: block; font-weight: 600; margin-bottom: .25rem; }}
input {{ font-size: 1rem; padding: .5rem; width: 100%; box-sizing: border-box; }}
button {{ font-size: 1rem; margin-top: 1rem; padding: .5rem 1.25rem; background: #0b57d0; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }}
.error {{ color: #a50e0e; }}
.note {{ color: #555; font-size: .9rem; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
",
        title = escape_html(title),
    );
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The page needs no script at all: forbid it, and framing.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

fn form_page(
    status: StatusCode,
    account: &AccountState,
    deadline: &str,
    error: Option<&str>,
) -> Response {
    let error_html = match error {
        Some(e) => format!(
            "<p class=\"error\" role=\"alert\" id=\"password-error\">{}</p>\n",
            escape_html(e)
        ),
        None => String::new(),
    };
    let described = if error.is_some() {
        " aria-invalid=\"true\" aria-describedby=\"password-error password-hint\""
    } else {
        " aria-describedby=\"password-hint\""
    };
    let body = format!(
        "<p>Set a password for the Cloudinary account of <strong>{email}</strong> to verify the \
address and activate the account. Do this before {deadline} (UTC).</p>
{error_html}<form method=\"post\">
<label for=\"password\">Password</label>
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"{MIN_PASSWORD_CHARS}\" required{described}>
<p class=\"note\" id=\"password-hint\">At least {MIN_PASSWORD_CHARS} characters.</p>
<button type=\"submit\">Set password</button>
</form>
<p class=\"note\">This is the local emulator: it keeps no password, only the fact that the \
address was verified.</p>",
        email = escape_html(&account.email),
        deadline = escape_html(deadline),
    );
    page(status, "Verify your e-mail address", &body)
}

fn not_found_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not valid",
        "<p>This verification link is not valid. Check that you opened the whole link from the e-mail.</p>",
    )
}

fn disabled_page(account: &AccountState) -> Response {
    page(
        StatusCode::GONE,
        "This link has expired",
        &format!(
            "<p>The account of <strong>{}</strong> was not verified within 24 hours of its \
creation, so it has been disabled and this link no longer works.</p>",
            escape_html(&account.email)
        ),
    )
}

fn active_page(account: &AccountState, just_now: bool) -> Response {
    let (title, text) = if just_now {
        (
            "Your account is active",
            "Your e-mail address is verified and your password is set. The agent can now use the account's API key and secret.",
        )
    } else {
        (
            "Already verified",
            "This e-mail address is already verified; the account is active.",
        )
    };
    page(
        StatusCode::OK,
        title,
        &format!(
            "<p>{text}</p>\n<p><strong>{}</strong></p>",
            escape_html(&account.email)
        ),
    )
}

async fn lookup(state: &AppState, token: String) -> Result<Option<AccountState>, Response> {
    state
        .store
        .account_by_token(token)
        .await
        .map_err(database_failure_page)
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

/// `GET /verify/{token}`: the password form, or why the link no longer works.
pub async fn verify_page(State(state): State<SharedState>, Path(token): Path<String>) -> Response {
    let account = match lookup(&state, token).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found_page(),
        Err(res) => return res,
    };
    match activation(&account, state.clock.now_ms()) {
        Activation::Active => active_page(&account, false),
        Activation::Disabled => disabled_page(&account),
        Activation::Pending => form_page(
            StatusCode::OK,
            &account,
            &iso8601(account.created_at_ms + VERIFY_WINDOW_MS),
            None,
        ),
    }
}

/// `POST /verify/{token}` (form-encoded `password`): verifies the address. Refused when
/// sent by a page on another origin. A missing or short password is refused (400) whatever
/// the link's state, so the form's rule holds for every answer.
pub async fn verify_submit(
    State(state): State<SharedState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    if crate::origin::check(&state, &Method::POST, &headers).is_err() {
        tracing::info!("verification form from another origin refused");
        return page(
            StatusCode::FORBIDDEN,
            "Request refused",
            "<p>This form can only be sent from the verification page itself. Open the link \
from the e-mail and set the password there.</p>",
        );
    }
    let password = form
        .ok()
        .and_then(|Form(mut fields)| fields.remove("password"))
        .filter(|p| p.chars().count() >= MIN_PASSWORD_CHARS);
    let short = format!("The password must be at least {MIN_PASSWORD_CHARS} characters long.");
    let account = match lookup(&state, token.clone()).await {
        Ok(Some(a)) => a,
        Ok(None) if password.is_none() => return password_error_page(&short),
        Ok(None) => return not_found_page(),
        Err(res) => return res,
    };
    let now = state.clock.now_ms();
    let deadline = iso8601(account.created_at_ms + VERIFY_WINDOW_MS);
    let state_now = activation(&account, now);
    let Some(password) = password else {
        return match state_now {
            Activation::Pending => {
                form_page(StatusCode::BAD_REQUEST, &account, &deadline, Some(&short))
            }
            _ => password_error_page(&short),
        };
    };
    match state_now {
        Activation::Active => return active_page(&account, false),
        Activation::Disabled => return disabled_page(&account),
        Activation::Pending => {}
    }
    // The password itself is dropped here: the emulator has no console to sign in to.
    drop(password);
    match state
        .store
        .verify(account.id, now, now - VERIFY_WINDOW_MS)
        .await
    {
        Ok(true) => {
            tracing::info!(account = account.id, "e-mail address verified");
            active_page(&account, true)
        }
        // Lost a race with another submission or with the deadline: show what is true now.
        Ok(false) => match lookup(&state, token).await {
            Ok(Some(a)) if activation(&a, state.clock.now_ms()) == Activation::Active => {
                active_page(&a, false)
            }
            _ => disabled_page(&account),
        },
        Err(e) => database_failure_page(e),
    }
}

fn password_error_page(message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Password not accepted",
        &format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape_html(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
