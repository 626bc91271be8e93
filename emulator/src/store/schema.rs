//! The schema and how a connection is set up: pragmas, tables, the stored id codec.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use super::{Durability, StoreError};
use crate::credentials::IdCodec;

/// The schema version kept in `PRAGMA user_version`.
pub(super) const SCHEMA_VERSION: i64 = 1;

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
    created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_account ON outbox(account_id);
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
    if found != 0 && found != SCHEMA_VERSION {
        return Err(StoreError::SchemaVersion { found });
    }
    conn.execute_batch(SCHEMA)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
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
