//! The SQL of Claimable Clouds: creation (with the clouds' own per-IP cap and the taken-address
//! check in one transaction), lookups, the claim request and its confirmation.

use rusqlite::{params, Connection, OptionalExtension};

use super::queries::{daily_window, Counted};
use super::{CloudOutcome, CloudState, CreatedCloud, NewCloud};
use crate::credentials::{self, IdCodec};

/// Where cloud row ids start in the id codec's space: a cloud's name and key are the codec's
/// for `CLOUD_ID_OFFSET + id`, never an account's (accounts would need 2^45 rows to meet them).
pub(super) const CLOUD_ID_OFFSET: i64 = 1 << 45;

/// The separator of the stored `delivery_ips` (addresses never hold it).
const IP_SEPARATOR: char = ',';

/// Whether an error is the unique index on a cloud's given address.
fn is_email_taken(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            err.code == rusqlite::ErrorCode::ConstraintViolation
                && msg
                    .as_deref()
                    .is_some_and(|m| m.contains("clouds_email_lower") || m.contains("clouds.email"))
        }
        _ => false,
    }
}

/// Creates a cloud in one transaction: the cap, then the address (taken by an account or a
/// cloud), then the insert. The single database thread makes the check and the insert atomic.
pub(super) fn create(
    conn: &mut Connection,
    codec: &IdCodec,
    cloud: &NewCloud,
) -> rusqlite::Result<CloudOutcome> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let cap_window = match cloud.daily_cap {
        Some(cap) => match daily_window(
            &tx,
            Counted::Clouds,
            &cloud.client_ip,
            cap,
            cloud.created_at_ms,
        )? {
            Ok(window) => Some(window),
            Err(oldest_ms) => return Ok(CloudOutcome::DailyCapReached { oldest_ms }),
        },
        None => None,
    };
    if let Some(email) = &cloud.email {
        let taken: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM accounts WHERE lower(email) = lower(?1)")?
            .query_row([email], |r| r.get(0))
            .optional()?;
        if taken.is_some() {
            return Ok(CloudOutcome::EmailTaken);
        }
    }
    let id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM clouds", [], |r| {
        r.get(0)
    })?;
    let created = CreatedCloud {
        id,
        cloud_name: codec.cloud_name(CLOUD_ID_OFFSET + id),
        api_key: codec.api_key(CLOUD_ID_OFFSET + id),
        claim_token: credentials::verify_token(id),
        cap_window,
    };
    let inserted = tx
        .prepare_cached(
            "INSERT INTO clouds (id, account_id, email, secret_hash, claim_token, client_ip,
                delivery_ips, agent_framework, agent_llm_model, agent_goal, sdk_framework,
                created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            id,
            cloud.account_id,
            cloud.email,
            &cloud.secret_hash[..],
            created.claim_token,
            cloud.client_ip,
            cloud.delivery_ips.join(&IP_SEPARATOR.to_string()),
            cloud.agent_framework,
            cloud.agent_llm_model,
            cloud.agent_goal,
            cloud.sdk_framework,
            cloud.created_at_ms,
            cloud.expires_at_ms,
        ]);
    match inserted {
        Ok(_) => {}
        Err(e) if is_email_taken(&e) => return Ok(CloudOutcome::EmailTaken),
        Err(e) => return Err(e),
    }
    tx.commit()?;
    Ok(CloudOutcome::Created(created))
}

/// The columns [`cloud_state`] reads, in its order.
const STATE_COLUMNS: &str = "id, email, secret_hash, delivery_ips, created_at, expires_at,
    claim_email, claimed_at, claim_token, confirm_token";

/// Reads a [`CloudState`] and its claim and confirmation tokens from [`STATE_COLUMNS`].
fn cloud_state(
    r: &rusqlite::Row<'_>,
    codec: &IdCodec,
) -> rusqlite::Result<(CloudState, String, Option<String>)> {
    let id: i64 = r.get(0)?;
    let ips: String = r.get(3)?;
    Ok((
        CloudState {
            id,
            email: r.get(1)?,
            cloud_name: codec.cloud_name(CLOUD_ID_OFFSET + id),
            api_key: codec.api_key(CLOUD_ID_OFFSET + id),
            secret_hash: r.get(2)?,
            delivery_ips: ips
                .split(IP_SEPARATOR)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            created_at_ms: r.get(4)?,
            expires_at_ms: r.get(5)?,
            claim_email: r.get(6)?,
            claimed_at_ms: r.get(7)?,
        },
        r.get(8)?,
        r.get(9)?,
    ))
}

/// A cloud and its claim and confirmation tokens, by row id.
pub(super) fn by_id(
    conn: &mut Connection,
    codec: &IdCodec,
    id: i64,
) -> rusqlite::Result<Option<(CloudState, String, Option<String>)>> {
    conn.prepare_cached(&format!("SELECT {STATE_COLUMNS} FROM clouds WHERE id = ?1"))?
        .query_row([id], |r| cloud_state(r, codec))
        .optional()
}

/// Records a claim request: the address the person gave and a new confirmation token (an
/// earlier link stops working), and queues the confirmation e-mail. Nothing happens to a
/// cloud already claimed or expired at `now_ms`; returns whether it was recorded.
#[allow(clippy::too_many_arguments)]
pub(super) fn request_claim(
    conn: &mut Connection,
    id: i64,
    email: &str,
    confirm_token: &str,
    now_ms: i64,
    subject: &str,
    body: &str,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let n = tx
        .prepare_cached(
            "UPDATE clouds SET claim_email = ?2, confirm_token = ?3
             WHERE id = ?1 AND claimed_at IS NULL AND expires_at > ?4",
        )?
        .execute(params![id, email, confirm_token, now_ms])?;
    if n != 1 {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO outbox (account_id, to_addr, subject, body, verify_token, created_at, cloud_id)
         VALUES (0, ?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![email, subject, body, confirm_token, now_ms, id])?;
    tx.commit()?;
    Ok(true)
}

/// Marks a cloud claimed at `now_ms` unless it already is or expired; returns whether this
/// call claimed it.
pub(super) fn confirm_claim(conn: &mut Connection, id: i64, now_ms: i64) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE clouds SET claimed_at = ?2
             WHERE id = ?1 AND claimed_at IS NULL AND confirm_token IS NOT NULL AND expires_at > ?2",
        )?
        .execute(params![id, now_ms])?;
    Ok(n == 1)
}

/// The number of clouds.
pub(super) fn count(conn: &mut Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM clouds", [], |r| r.get(0))
}
