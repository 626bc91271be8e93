//! The verification e-mail, a cloud's claim confirmation e-mail, and the outbox that records
//! them (`GET /_emulator/outbox`).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use crate::clock::iso8601;
use crate::errors::ApiError;
use crate::http::{base_url, json, Routes};
use crate::state::SharedState;

/// How long an account may stay unverified before it is disabled.
pub const VERIFY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

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

/// The subject of a Claimable Cloud's claim confirmation e-mail.
pub const CLAIM_SUBJECT: &str = "Confirm your claim of a Cloudinary cloud";

/// The text of the claim confirmation e-mail, with a marker where the link goes.
pub fn claim_mail_body(email: &str, cloud_name: &str, expires_at: &str) -> String {
    format!(
        "Hello,\n\n\
Someone asked to claim the Cloudinary cloud {cloud_name} for {email}.\n\n\
To keep the cloud, open this link and confirm before {expires_at} (UTC):\n\n\
{LINK_MARKER}\n\n\
Claimed, it becomes a permanent free account with the same cloud name, credentials and \
assets. Unclaimed, it is disabled at that time. If you did not ask for this, ignore this \
e-mail.\n\n\
Cloudinary (local emulator)\n"
    )
}

/// The link of an outbox row: an account's verification page, or a cloud's claim
/// confirmation.
pub fn link_of(base: &str, row_cloud: Option<i64>, token: &str) -> String {
    match row_cloud {
        Some(_) => format!("{base}/claim/confirm/{token}"),
        None => format!("{base}/verify/{token}"),
    }
}

/// The outbox route.
pub fn routes() -> Routes {
    Routes::new().get("/_emulator/outbox", outbox)
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
    /// The link the e-mail asks the person to open: the verification page of an account, or
    /// the claim confirmation of a cloud (see `kind`).
    pub verify_url: String,
    /// `verification` (an account's) or `claim` (a cloud's claim confirmation).
    pub kind: &'static str,
    /// When it was sent, ISO-8601 UTC.
    pub created_at: String,
}

/// `GET /_emulator/outbox[?to=EMAIL][&limit=N]`: the recorded e-mails, newest first.
pub async fn outbox(
    State(state): State<SharedState>,
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
    let rows = state.store.outbox(to, limit).await?;
    let base = base_url(&state);
    let messages: Vec<OutboxMessage> = rows
        .into_iter()
        .map(|r| {
            let verify_url = link_of(base, r.cloud_id, &r.verify_token);
            OutboxMessage {
                kind: if r.cloud_id.is_some() {
                    "claim"
                } else {
                    "verification"
                },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_marker_once() {
        let b = mail_body("a@example.com", "fw", "model", "2026-01-01T00:00:00Z");
        assert_eq!(b.matches(LINK_MARKER).count(), 1);
    }
}
