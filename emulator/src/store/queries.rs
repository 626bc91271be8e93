//! The SQL statements, each a function over a connection or the batch's transaction.

use rusqlite::{params, Connection, OptionalExtension};

use super::{AccountState, CreateOutcome, CreatedAccount, NewAccount, OutboxRow};
use crate::credentials::{self, IdCodec};

/// Reads an [`AccountState`] from the columns `id, email, cloud_name, api_key, secret_hash,
/// created_at, verified_at` (in that order).
pub(super) fn account_state(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountState> {
    Ok(AccountState {
        id: r.get(0)?,
        email: r.get(1)?,
        cloud_name: r.get(2)?,
        api_key: r.get(3)?,
        secret_hash: r.get(4)?,
        created_at_ms: r.get(5)?,
        verified_at_ms: r.get(6)?,
    })
}

/// Whether an error is the unique index on the e-mail address.
fn is_email_taken(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            err.code == rusqlite::ErrorCode::ConstraintViolation
                && msg
                    .as_deref()
                    .is_some_and(|m| m.contains("accounts_email_lower"))
        }
        _ => false,
    }
}

/// The rows a per-IP daily cap counts: each endpoint has its own count.
#[derive(Clone, Copy)]
pub(super) enum Counted {
    Accounts,
    Clouds,
}

/// The per-IP daily cap `(cap, since_ms)` for a creation at `now_ms`: `Err(oldest_ms)` when
/// the window since `since_ms` holds `cap` rows already; otherwise how many it holds and when
/// the oldest was made (`now_ms` when none), for the rate-limit headers.
pub(super) fn daily_window(
    conn: &Connection,
    counted: Counted,
    client_ip: &str,
    (cap, since_ms): (u32, i64),
    now_ms: i64,
) -> rusqlite::Result<Result<(u32, i64), i64>> {
    let sql = match counted {
        Counted::Accounts => {
            "SELECT count(*), min(created_at) FROM accounts WHERE client_ip = ?1 AND created_at > ?2"
        }
        Counted::Clouds => {
            "SELECT count(*), min(created_at) FROM clouds WHERE client_ip = ?1 AND created_at > ?2"
        }
    };
    let (count, oldest): (i64, Option<i64>) = conn
        .prepare_cached(sql)?
        .query_row(params![client_ip, since_ms], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let oldest_ms = oldest.unwrap_or(now_ms);
    if count >= i64::from(cap) {
        return Ok(Err(oldest_ms));
    }
    Ok(Ok((u32::try_from(count).unwrap_or(u32::MAX), oldest_ms)))
}

/// One creation inside the batch's transaction. The per-request outcomes (cap reached, e-mail
/// taken) are found before this request writes anything, so they need no savepoint; any
/// other error fails the whole batch.
pub(super) fn create_one(
    tx: &rusqlite::Transaction<'_>,
    codec: &IdCodec,
    next_id: &mut i64,
    account: &NewAccount,
) -> Result<CreateOutcome, rusqlite::Error> {
    let cap_window = match account.daily_cap {
        Some(cap) => match daily_window(
            tx,
            Counted::Accounts,
            &account.client_ip,
            cap,
            account.created_at_ms,
        )? {
            Ok(window) => Some(window),
            Err(oldest_ms) => return Ok(CreateOutcome::DailyCapReached { oldest_ms }),
        },
        None => None,
    };
    let id = *next_id;
    let created = CreatedAccount {
        id,
        cloud_name: codec.cloud_name(id),
        api_key: codec.api_key(id),
        verify_token: credentials::verify_token(id),
        cap_window,
    };
    let inserted = tx
        .prepare_cached(
            "INSERT INTO accounts (id, external_id, email, cloud_name, env_external_id, api_key,
                secret_hash, verify_token, client_ip, agent_framework, agent_llm_model,
                agent_goal, sdk_framework, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            id,
            account.external_id,
            account.email,
            created.cloud_name,
            account.env_external_id,
            created.api_key,
            &account.secret_hash[..],
            created.verify_token,
            account.client_ip,
            account.agent_framework,
            account.agent_llm_model,
            account.agent_goal,
            account.sdk_framework,
            account.created_at_ms,
        ]);
    match inserted {
        Ok(_) => {}
        // SQLite has undone the statement; the id stays free for the next account.
        Err(e) if is_email_taken(&e) => return Ok(CreateOutcome::AccountExists),
        Err(e) => return Err(e),
    }
    *next_id += 1;
    tx.prepare_cached(
        "INSERT INTO outbox (account_id, to_addr, subject, body, verify_token, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        account.email,
        account.mail_subject,
        account.mail_body,
        created.verify_token,
        account.created_at_ms,
    ])?;
    Ok(CreateOutcome::Created(created))
}

/// An account and its verification token, by row id.
pub(super) fn account_by_id(
    conn: &mut Connection,
    id: i64,
) -> rusqlite::Result<Option<(AccountState, String)>> {
    conn.prepare_cached(
        "SELECT id, email, cloud_name, api_key, secret_hash, created_at, verified_at,
                verify_token
         FROM accounts WHERE id = ?1",
    )?
    .query_row([id], |r| Ok((account_state(r)?, r.get(7)?)))
    .optional()
}

/// Marks an account verified at `now_ms` unless it already is or was created at or before
/// `created_after_ms`. Returns whether this call verified it.
pub(super) fn verify(
    conn: &mut Connection,
    account_id: i64,
    now_ms: i64,
    created_after_ms: i64,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE accounts SET verified_at = ?2
             WHERE id = ?1 AND verified_at IS NULL AND created_at > ?3",
        )?
        .execute(params![account_id, now_ms, created_after_ms])?;
    Ok(n == 1)
}

/// The outbox, newest first, optionally only the mail to one address (any case).
pub(super) fn outbox(
    conn: &mut Connection,
    to: Option<&str>,
    limit: u32,
) -> rusqlite::Result<Vec<OutboxRow>> {
    let row = |r: &rusqlite::Row<'_>| {
        Ok(OutboxRow {
            id: r.get(0)?,
            to: r.get(1)?,
            subject: r.get(2)?,
            body: r.get(3)?,
            verify_token: r.get(4)?,
            created_at_ms: r.get(5)?,
            cloud_id: r.get(6)?,
        })
    };
    match to {
        Some(to) => conn
            .prepare_cached(
                "SELECT id, to_addr, subject, body, verify_token, created_at, cloud_id
                 FROM outbox
                 WHERE account_id IN
                     (SELECT id FROM accounts WHERE lower(email) = lower(?1))
                    OR (cloud_id IN
                         (SELECT id FROM clouds WHERE lower(claim_email) = lower(?1))
                        AND lower(to_addr) = lower(?1))
                 ORDER BY id DESC LIMIT ?2",
            )?
            .query_map(params![to, limit], row)?
            .collect(),
        None => conn
            .prepare_cached(
                "SELECT id, to_addr, subject, body, verify_token, created_at, cloud_id
                 FROM outbox ORDER BY id DESC LIMIT ?1",
            )?
            .query_map(params![limit], row)?
            .collect(),
    }
}

/// The number of accounts.
pub(super) fn count_accounts(conn: &mut Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
}
