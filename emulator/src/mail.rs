//! The verification e-mail, the outbox that records it, and the verification pages its
//! link opens.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Serialize;

use crate::app::AppState;
use crate::clock::iso8601;
use crate::errors::{json, ApiError};
use crate::store::AccountState;

/// How long an account may stay unverified before it is disabled.
pub const VERIFY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// The shortest password the verification page accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Default and largest number of messages `GET /_emulator/outbox` lists.
pub const OUTBOX_DEFAULT_LIMIT: u32 = 100;
/// See [`OUTBOX_DEFAULT_LIMIT`].
pub const OUTBOX_MAX_LIMIT: u32 = 1000;

/// Where the link goes in a stored e-mail text. NUL cannot occur in any request value (the
/// shared validation rejects control characters), so the marker is never confused with
/// text an agent supplied.
const LINK_MARKER: &str = "\u{0}VERIFY_URL\u{0}";

/// The subject of the verification e-mail.
pub const SUBJECT: &str = "Verify your e-mail address to activate your Cloudinary account";

/// The text of the verification e-mail, with a marker where the link goes.
pub fn mail_body(
    email: &str,
    agent_framework: &str,
    agent_llm_model: &str,
    deadline: &str,
) -> String {
    format!(
        "Hello,\n\n\
An AI agent ({agent_framework}, {agent_llm_model}) created a free Cloudinary account for \
{email}.\n\n\
To activate it, open this link and set a password before {deadline} (UTC):\n\n\
{LINK_MARKER}\n\n\
If the address is not verified by then, the account is disabled. If you did not ask for \
this account, ignore this e-mail.\n\n\
Cloudinary (local emulator)\n"
    )
}

/// The base URL (`http://host:port`) a client reached the emulator at: the request's `Host`
/// header when it looks like a host name, else the real listen address.
pub fn base_url(headers: &HeaderMap, state: &AppState) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(h) => format!("http://{h}"),
        None => format!("http://{}", state.listen_addr),
    }
}

/// One outbox entry as listed.
#[derive(Debug, Serialize)]
pub struct OutboxMessage {
    /// Increasing id.
    pub id: i64,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain text, with the link.
    pub text: String,
    /// The verification link.
    pub verify_url: String,
    /// When it was sent, ISO-8601 UTC.
    pub created_at: String,
}

/// `GET /_emulator/outbox[?to=EMAIL][&limit=N]`: the recorded e-mails, newest first.
pub async fn outbox(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let limit = match query.get("limit") {
        None => OUTBOX_DEFAULT_LIMIT,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=OUTBOX_MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::BadControl(format!(
                    "limit must be a whole number from 1 to {OUTBOX_MAX_LIMIT}"
                ))
            })?,
    };
    let to = query
        .get("to")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let rows = state.store.outbox(to, limit).await.map_err(|e| {
        tracing::error!("reading the outbox failed: {e}");
        ApiError::Internal
    })?;
    let base = base_url(&headers, &state);
    let messages: Vec<OutboxMessage> = rows
        .into_iter()
        .map(|r| {
            let verify_url = format!("{base}/verify/{}", r.verify_token);
            OutboxMessage {
                id: r.id,
                to: r.to,
                subject: r.subject,
                text: r.body.replace(LINK_MARKER, &verify_url),
                verify_url,
                created_at: iso8601(r.created_at_ms),
            }
        })
        .collect();
    Ok(json(StatusCode::OK, &messages))
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
fn page(status: StatusCode, title: &str, body: &str) -> Response {
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
    state.store.account_by_token(token).await.map_err(|e| {
        tracing::error!("looking up a verification token failed: {e}");
        page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "<p>The emulator could not read its database. Try again.</p>",
        )
    })
}

/// `GET /verify/{token}`: the password form, or why the link no longer works.
pub async fn verify_page(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Response {
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

/// `POST /verify/{token}` (form-encoded `password`): verifies the address.
pub async fn verify_submit(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
    form: Result<Form<HashMap<String, String>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let account = match lookup(&state, token.clone()).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found_page(),
        Err(res) => return res,
    };
    let now = state.clock.now_ms();
    let deadline = iso8601(account.created_at_ms + VERIFY_WINDOW_MS);
    match activation(&account, now) {
        Activation::Active => return active_page(&account, false),
        Activation::Disabled => return disabled_page(&account),
        Activation::Pending => {}
    }
    let password = form
        .ok()
        .and_then(|Form(mut fields)| fields.remove("password"))
        .unwrap_or_default();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return form_page(
            StatusCode::BAD_REQUEST,
            &account,
            &deadline,
            Some(&format!(
                "The password must be at least {MIN_PASSWORD_CHARS} characters long."
            )),
        );
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
        Err(e) => {
            tracing::error!("verifying an account failed: {e}");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "<p>The emulator could not write to its database. Try again.</p>",
            )
        }
    }
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

    #[test]
    fn body_has_marker_once() {
        let b = mail_body("a@example.com", "fw", "model", "2026-01-01T00:00:00Z");
        assert_eq!(b.matches(LINK_MARKER).count(), 1);
    }
}
