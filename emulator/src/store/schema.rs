//! The schema and how a connection is set up: pragmas, tables, the stored id codec.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use super::{Durability, StoreError};
use crate::credentials::IdCodec;

/// The schema version kept in `PRAGMA user_version`.
pub(super) const SCHEMA_VERSION: i64 = 2;

/// What takes a file of each older version to the next one, in order (`MIGRATIONS[0]` takes
/// version 1 to 2). [`SCHEMA`] then creates what is missing, so a migration only alters
/// tables that already exist.
const MIGRATIONS: [&str; 1] = [
    // 2: the outbox also carries claim confirmations of Claimable Clouds.
    "ALTER TABLE outbox ADD COLUMN cloud_id INTEGER;",
];

/// Tables and indexes, created if missing.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    cloud_name      TEXT    NOT NULL,
    env_external_id TEXT    NOT NULL,
    api_key         TEXT    NOT NULL,
    secret_hash     BLOB    NOT NULL,
    verify_token    TEXT    NOT NULL,
    client_ip       TEXT    NOT NULL,
    agent_framework TEXT    NOT NULL,
    agent_llm_model TEXT    NOT NULL,
    agent_goal      TEXT    NOT NULL,
    sdk_framework   TEXT,
    created_at      INTEGER NOT NULL,
    verified_at     INTEGER
);
-- The rule 'one account per e-mail address, whatever its case' lives here. Addresses are
-- ASCII (the shared validation allows nothing else), so SQLite's lower() folds them fully.
CREATE UNIQUE INDEX IF NOT EXISTS accounts_email_lower ON accounts(lower(email));
-- For the daily cap: appends for any one address.
CREATE INDEX IF NOT EXISTS accounts_ip_created ON accounts(client_ip, created_at);
CREATE TABLE IF NOT EXISTS outbox (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL,
    to_addr      TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    verify_token TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    -- Set on a cloud's claim confirmation (then `account_id` is 0 and `verify_token` is the
    -- confirmation token).
    cloud_id     INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_account ON outbox(account_id);
-- Claimable Clouds (schema 2). `email` is NULL when the request gave none (the answer then
-- shows a placeholder); `claim_*` are set when a person submits the claim page, `claimed_at`
-- when they confirm from the e-mail. Ids are their own: cloud names and keys come from
-- `IdCodec` at an offset, so they never meet an account's.
CREATE TABLE IF NOT EXISTS clouds (
    id                 INTEGER PRIMARY KEY,
    account_id         TEXT    NOT NULL,
    email              TEXT,
    secret_hash        BLOB    NOT NULL,
    claim_token        TEXT    NOT NULL,
    client_ip          TEXT    NOT NULL,
    delivery_ips       TEXT    NOT NULL,
    agent_framework    TEXT,
    agent_llm_model    TEXT,
    agent_goal         TEXT,
    sdk_framework      TEXT,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    claim_email        TEXT,
    confirm_token      TEXT,
    claimed_at         INTEGER
);
-- A given address is refused when an account or another cloud holds it (any case).
CREATE UNIQUE INDEX IF NOT EXISTS clouds_email_lower ON clouds(lower(email)) WHERE email IS NOT NULL;
-- For the clouds' own per-IP cap.
CREATE INDEX IF NOT EXISTS clouds_ip_created ON clouds(client_ip, created_at);
-- For the outbox's `?to=` filter on claim confirmations.
CREATE INDEX IF NOT EXISTS clouds_claim_email ON clouds(lower(claim_email));
";

/// Sets up a connection and the schema; returns the id codec stored in the file (made on
/// first use).
pub(super) fn prepare(
    conn: &Connection,
    file: bool,
    durability: Durability,
) -> Result<IdCodec, StoreError> {
    if file {
        // WAL: readers never block the writer and a commit is one sequential append.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let sync = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        conn.pragma_update(None, "synchronous", sync)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // The checkpointer thread does this work off the write path.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    }
    // 16 MiB of page cache keeps the e-mail index of 100,000 accounts hot while the process
    // stays far under 100 MB.
    conn.pragma_update(None, "cache_size", -16_000)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if !(0..=SCHEMA_VERSION).contains(&found) {
        return Err(StoreError::SchemaVersion { found });
    }
    // One transaction: a migration interrupted half-way is not left to fail the next start.
    let tx = conn.unchecked_transaction()?;
    // A new file (version 0) gets the whole schema at once; an older one its migrations.
    if found > 0 {
        for step in MIGRATIONS
            .iter()
            .skip(usize::try_from(found - 1).unwrap_or(usize::MAX))
        {
            tx.execute_batch(step)?;
        }
    }
    tx.execute_batch(SCHEMA)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    let stored: Option<Vec<u8>> = conn
        .query_row("SELECT value FROM meta WHERE key = 'id_codec'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(codec) = stored.as_deref().and_then(IdCodec::from_bytes) {
        return Ok(codec);
    }
    let codec = IdCodec::generate();
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('id_codec', ?1)",
        [&codec.to_bytes()[..]],
    )?;
    Ok(codec)
}

/// The id the next account gets.
pub(super) fn next_id(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM accounts", [], |r| {
        r.get(0)
    })
}
