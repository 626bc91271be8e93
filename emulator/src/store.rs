//! The SQLite store: accounts and the outbox, owned by one database thread.
//!
//! Every statement runs on that thread, which owns the only connection. Account creations
//! that arrive together are written in one transaction (group commit): one WAL commit serves
//! the whole batch, and each request is answered only after the commit that holds its row.
//! Each creation runs inside its own savepoint, so one failure (an e-mail already taken)
//! never touches its neighbours. The unique index on `lower(email)` decides which of two
//! concurrent requests for one address wins; there is no check-then-insert.

use std::path::Path;
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::JoinHandle;

use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::oneshot;

use crate::credentials;

/// Most creations written in one transaction; bounds the latency one commit adds.
const MAX_BATCH: usize = 512;

/// The schema version kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT    NOT NULL UNIQUE,
    email           TEXT    NOT NULL,
    cloud_name      TEXT    NOT NULL UNIQUE,
    env_external_id TEXT    NOT NULL,
    api_key         TEXT    NOT NULL UNIQUE,
    secret_hash     BLOB    NOT NULL,
    verify_token    TEXT    NOT NULL UNIQUE,
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
CREATE INDEX IF NOT EXISTS outbox_to ON outbox(lower(to_addr));
";

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The transaction holding this request's row failed as a whole.
    #[error("database error: {0}")]
    Batch(String),
    /// The database thread is gone (shutting down).
    #[error("the database is closed")]
    Closed,
    /// The file was made by another schema version.
    #[error("the database has schema version {found}; this emulator uses {SCHEMA_VERSION}")]
    SchemaVersion {
        /// The version found.
        found: i64,
    },
    /// The database thread could not be started.
    #[error("cannot start the database thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// How hard a commit is pushed to disk (file databases only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL mode: a committed account survives the emulator being
    /// killed (SIGKILL, crash), not a power cut or kernel crash; no fsync per commit.
    Normal,
    /// `synchronous=FULL`: the WAL is fsynced at every commit, so accounts also survive a
    /// power cut; each group commit waits for the disk.
    Full,
}

/// An account to create, with everything the handler generated for it.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The account's external id.
    pub external_id: String,
    /// The e-mail address, trimmed, as given.
    pub email: String,
    /// The product environment's cloud name.
    pub cloud_name: String,
    /// The product environment's external id.
    pub env_external_id: String,
    /// The 15-digit API key.
    pub api_key: String,
    /// SHA-256 of the API secret (the secret itself is never stored).
    pub secret_hash: [u8; 32],
    /// The token of the verification link.
    pub verify_token: String,
    /// The client's IP address, for the daily cap.
    pub client_ip: String,
    /// `agent_framework` of the request.
    pub agent_framework: String,
    /// `agent_llm_model` of the request.
    pub agent_llm_model: String,
    /// `agent_goal` of the request.
    pub agent_goal: String,
    /// `sdk_framework` of the request.
    pub sdk_framework: Option<String>,
    /// Creation time, Unix milliseconds (emulator clock).
    pub created_at_ms: i64,
    /// The daily cap to enforce: at most `cap` accounts from this IP created after `since_ms`.
    pub daily_cap: Option<(u32, i64)>,
    /// The verification e-mail's subject.
    pub mail_subject: String,
    /// The verification e-mail's text, with `{verify_url}` where the link goes.
    pub mail_body: String,
}

/// What became of a creation.
#[derive(Debug)]
pub enum CreateOutcome {
    /// Committed. The account as stored (identifiers may have been regenerated after a
    /// collision with an existing account's).
    Created(Box<NewAccount>),
    /// An account already exists for the e-mail address (any case).
    AccountExists,
    /// The client IP reached the daily cap.
    DailyCapReached,
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// Work run on the database thread; it sends its own result back.
type DbCall = Box<dyn FnOnce(&mut Connection) + Send>;

enum Job {
    Create(Box<NewAccount>, Reply<CreateOutcome>),
    Call(DbCall),
    Shutdown,
}

/// Handle to the database thread.
pub struct Store {
    tx: mpsc::Sender<Job>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// An account as the ping and verification pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    /// The account's row id.
    pub id: i64,
    /// Its e-mail address.
    pub email: String,
    /// Its API key.
    pub api_key: String,
    /// SHA-256 of its API secret.
    pub secret_hash: Vec<u8>,
    /// Creation time, Unix milliseconds.
    pub created_at_ms: i64,
    /// Verification time, Unix milliseconds, once verified.
    pub verified_at_ms: Option<i64>,
}

/// One recorded e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Its id (increasing).
    pub id: i64,
    /// The recipient.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The text, with `{verify_url}` for the link.
    pub body: String,
    /// The verification token of the link.
    pub verify_token: String,
    /// When it was sent, Unix milliseconds.
    pub created_at_ms: i64,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&Path>, durability: Durability) -> Result<Self, StoreError> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        prepare(&conn, path.is_some(), durability)?;
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sqlite".into())
            .spawn(move || run(conn, rx))?;
        Ok(Store {
            tx,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Creates an account and its verification e-mail; answers after the commit.
    pub async fn create(&self, account: NewAccount) -> Result<CreateOutcome, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Job::Create(Box::new(account), reply))
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `f` on the database thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        let (reply, rx) = oneshot::channel();
        let job = Job::Call(Box::new(move |conn: &mut Connection| {
            // The receiver may have gone (client hung up); nothing to do then.
            let _ = reply.send(f(conn).map_err(StoreError::from));
        }));
        self.tx.send(job).map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// The account of a product environment, by cloud name.
    pub async fn account_by_cloud(
        &self,
        cloud: String,
    ) -> Result<Option<AccountState>, StoreError> {
        self.call(move |conn| {
            conn.prepare_cached(
                "SELECT id, email, api_key, secret_hash, created_at, verified_at
                 FROM accounts WHERE cloud_name = ?1",
            )?
            .query_row([cloud], account_state)
            .optional()
        })
        .await
    }

    /// The account of a verification token.
    pub async fn account_by_token(
        &self,
        token: String,
    ) -> Result<Option<AccountState>, StoreError> {
        self.call(move |conn| {
            conn.prepare_cached(
                "SELECT id, email, api_key, secret_hash, created_at, verified_at
                 FROM accounts WHERE verify_token = ?1",
            )?
            .query_row([token], account_state)
            .optional()
        })
        .await
    }

    /// Marks an account verified at `now_ms` unless it already is or was created at or before
    /// `created_after_ms` (expired). Returns whether this call verified it.
    pub async fn verify(
        &self,
        account_id: i64,
        now_ms: i64,
        created_after_ms: i64,
    ) -> Result<bool, StoreError> {
        self.call(move |conn| {
            let n = conn
                .prepare_cached(
                    "UPDATE accounts SET verified_at = ?2
                     WHERE id = ?1 AND verified_at IS NULL AND created_at > ?3",
                )?
                .execute(params![account_id, now_ms, created_after_ms])?;
            Ok(n == 1)
        })
        .await
    }

    /// The outbox, newest first, optionally only the mail to one address (any case).
    pub async fn outbox(
        &self,
        to: Option<String>,
        limit: u32,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        self.call(move |conn| {
            let row = |r: &rusqlite::Row<'_>| {
                Ok(OutboxRow {
                    id: r.get(0)?,
                    to: r.get(1)?,
                    subject: r.get(2)?,
                    body: r.get(3)?,
                    verify_token: r.get(4)?,
                    created_at_ms: r.get(5)?,
                })
            };
            let rows = match to {
                Some(to) => conn
                    .prepare_cached(
                        "SELECT id, to_addr, subject, body, verify_token, created_at FROM outbox
                         WHERE lower(to_addr) = lower(?1) ORDER BY id DESC LIMIT ?2",
                    )?
                    .query_map(params![to, limit], row)?
                    .collect::<Result<Vec<_>, _>>()?,
                None => conn
                    .prepare_cached(
                        "SELECT id, to_addr, subject, body, verify_token, created_at FROM outbox
                         ORDER BY id DESC LIMIT ?1",
                    )?
                    .query_map(params![limit], row)?
                    .collect::<Result<Vec<_>, _>>()?,
            };
            Ok(rows)
        })
        .await
    }

    /// The number of accounts.
    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        self.call(|conn| conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0)))
            .await
    }

    /// Finishes queued work, checkpoints the WAL and closes the database. Blocks: call it from
    /// outside the async runtime or through `spawn_blocking`.
    pub fn close(&self) {
        let _ = self.tx.send(Job::Shutdown);
        let handle = match self.thread.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(handle) = handle {
            if handle.join().is_err() {
                tracing::error!("the database thread panicked");
            }
        }
    }
}

fn account_state(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountState> {
    Ok(AccountState {
        id: r.get(0)?,
        email: r.get(1)?,
        api_key: r.get(2)?,
        secret_hash: r.get(3)?,
        created_at_ms: r.get(4)?,
        verified_at_ms: r.get(5)?,
    })
}

fn prepare(conn: &Connection, file: bool, durability: Durability) -> Result<(), StoreError> {
    if file {
        // WAL: readers never block the writer and a commit is one sequential append.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let sync = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        conn.pragma_update(None, "synchronous", sync)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
    }
    // 16 MiB of page cache keeps the random-keyed indexes of 100,000 accounts hot while the
    // process stays far under 100 MB.
    conn.pragma_update(None, "cache_size", -16_000)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found != 0 && found != SCHEMA_VERSION {
        return Err(StoreError::SchemaVersion { found });
    }
    conn.execute_batch(SCHEMA)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

fn run(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    let mut creates: Vec<(Box<NewAccount>, Reply<CreateOutcome>)> = Vec::new();
    let mut calls: Vec<DbCall> = Vec::new();
    let mut shutdown = false;
    while !shutdown {
        let Ok(first) = rx.recv() else { break };
        let mut next = Some(first);
        let mut taken = 0;
        while let Some(job) = next.take() {
            taken += 1;
            match job {
                Job::Create(account, reply) => creates.push((account, reply)),
                Job::Call(f) => calls.push(f),
                Job::Shutdown => {
                    shutdown = true;
                    break;
                }
            }
            if taken < MAX_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !creates.is_empty() {
            write_batch(&mut conn, &mut creates);
        }
        for f in calls.drain(..) {
            f(&mut conn);
        }
    }
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize;") {
        tracing::warn!("checkpoint at shutdown failed: {e}");
    }
    if let Err((_, e)) = conn.close() {
        tracing::error!("closing the database failed: {e}");
    }
}

/// Writes a batch of creations in one transaction and answers each after the commit.
fn write_batch(conn: &mut Connection, creates: &mut Vec<(Box<NewAccount>, Reply<CreateOutcome>)>) {
    let result = (|| -> Result<Vec<CreateOutcome>, rusqlite::Error> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(creates.len());
        for (account, _) in creates.iter() {
            outcomes.push(create_one(&tx, account)?);
        }
        tx.commit()?;
        Ok(outcomes)
    })();
    match result {
        Ok(outcomes) => {
            for ((_, reply), outcome) in creates.drain(..).zip(outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::error!("writing {} accounts failed: {e}", creates.len());
            for (_, reply) in creates.drain(..) {
                let _ = reply.send(Err(StoreError::Batch(e.to_string())));
            }
        }
    }
}

/// What an insert ran into.
enum Conflict {
    Email,
    Identifier,
}

fn conflict(e: &rusqlite::Error) -> Option<Conflict> {
    match e {
        rusqlite::Error::SqliteFailure(err, msg)
            if err.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            let msg = msg.as_deref().unwrap_or("");
            if msg.contains("accounts_email_lower") {
                Some(Conflict::Email)
            } else {
                Some(Conflict::Identifier)
            }
        }
        _ => None,
    }
}

/// One creation inside its own savepoint. Statement-level errors that belong to the request
/// (e-mail taken, cap reached) become outcomes; anything else fails the batch.
fn create_one(
    tx: &rusqlite::Transaction<'_>,
    account: &NewAccount,
) -> Result<CreateOutcome, rusqlite::Error> {
    tx.execute_batch("SAVEPOINT one")?;
    let outcome = create_in_savepoint(tx, account);
    match &outcome {
        Ok(CreateOutcome::Created(_)) => tx.execute_batch("RELEASE one")?,
        _ => tx.execute_batch("ROLLBACK TO one; RELEASE one")?,
    }
    outcome
}

fn create_in_savepoint(
    tx: &rusqlite::Transaction<'_>,
    account: &NewAccount,
) -> Result<CreateOutcome, rusqlite::Error> {
    if let Some((cap, since_ms)) = account.daily_cap {
        let count: i64 = tx
            .prepare_cached(
                "SELECT count(*) FROM accounts WHERE client_ip = ?1 AND created_at > ?2",
            )?
            .query_row(params![account.client_ip, since_ms], |r| r.get(0))?;
        if count >= i64::from(cap) {
            return Ok(CreateOutcome::DailyCapReached);
        }
    }
    let mut account = account.clone();
    let mut attempts = 0;
    let id = loop {
        attempts += 1;
        let inserted = tx
            .prepare_cached(
                "INSERT INTO accounts (external_id, email, cloud_name, env_external_id, api_key,
                    secret_hash, verify_token, client_ip, agent_framework, agent_llm_model,
                    agent_goal, sdk_framework, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                account.external_id,
                account.email,
                account.cloud_name,
                account.env_external_id,
                account.api_key,
                &account.secret_hash[..],
                account.verify_token,
                account.client_ip,
                account.agent_framework,
                account.agent_llm_model,
                account.agent_goal,
                account.sdk_framework,
                account.created_at_ms,
            ]);
        match inserted {
            Ok(_) => break tx.last_insert_rowid(),
            Err(e) => match conflict(&e) {
                Some(Conflict::Email) => return Ok(CreateOutcome::AccountExists),
                // A random identifier met an existing one: draw new ones. The secret has no
                // uniqueness rule and stays as the handler made it.
                Some(Conflict::Identifier) if attempts < 8 => {
                    account.external_id = credentials::external_id();
                    account.env_external_id = credentials::external_id();
                    account.cloud_name = credentials::cloud_name();
                    account.api_key = credentials::api_key();
                    account.verify_token = credentials::verify_token();
                }
                _ => return Err(e),
            },
        }
    };
    tx.prepare_cached(
        "INSERT INTO outbox (account_id, to_addr, subject, body, verify_token, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        account.email,
        account.mail_subject,
        account.mail_body,
        account.verify_token,
        account.created_at_ms,
    ])?;
    Ok(CreateOutcome::Created(Box::new(account)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(email: &str) -> NewAccount {
        NewAccount {
            external_id: credentials::external_id(),
            email: email.into(),
            cloud_name: credentials::cloud_name(),
            env_external_id: credentials::external_id(),
            api_key: credentials::api_key(),
            secret_hash: [7; 32],
            verify_token: credentials::verify_token(),
            client_ip: "192.0.2.1".into(),
            agent_framework: "fw".into(),
            agent_llm_model: "model".into(),
            agent_goal: "goal".into(),
            sdk_framework: None,
            created_at_ms: 1_000,
            daily_cap: Some((2, 0)),
            mail_subject: "s".into(),
            mail_body: "b {verify_url}".into(),
        }
    }

    #[tokio::test]
    async fn unique_email_and_cap() {
        let store = Store::open(None, Durability::Normal).unwrap();
        assert!(matches!(
            store.create(account("a@example.com")).await.unwrap(),
            CreateOutcome::Created(_)
        ));
        assert!(matches!(
            store.create(account("A@EXAMPLE.COM")).await.unwrap(),
            CreateOutcome::AccountExists
        ));
        let mut same_ids = account("b@example.com");
        let first = account("c@example.com");
        same_ids.cloud_name = first.cloud_name.clone();
        same_ids.api_key = first.api_key.clone();
        // c is created; b collides on identifiers, gets new ones, and reaches the cap (2).
        assert!(matches!(
            store.create(first).await.unwrap(),
            CreateOutcome::Created(_)
        ));
        assert!(matches!(
            store.create(same_ids).await.unwrap(),
            CreateOutcome::DailyCapReached
        ));
        assert_eq!(store.count_accounts().await.unwrap(), 2);
        let mail = store
            .outbox(Some("A@example.com".into()), 10)
            .await
            .unwrap();
        assert_eq!(mail.len(), 1);
        let store = std::sync::Arc::new(store);
        let s = store.clone();
        tokio::task::spawn_blocking(move || s.close())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn identifier_collision_retries() {
        let store = Store::open(None, Durability::Normal).unwrap();
        let first = account("d@example.com");
        let mut second = account("e@example.com");
        second.cloud_name = first.cloud_name.clone();
        second.daily_cap = None;
        let CreateOutcome::Created(_) = store.create(first.clone()).await.unwrap() else {
            panic!("first not created")
        };
        let CreateOutcome::Created(created) = store.create(second).await.unwrap() else {
            panic!("second not created")
        };
        assert_ne!(created.cloud_name, first.cloud_name);
    }
}
