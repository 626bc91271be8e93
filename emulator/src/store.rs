//! The SQLite store: accounts and the outbox, owned by one database thread.
//!
//! Every statement runs on that thread, which owns the only writing connection. Account creations
//! that arrive together are written in one transaction (group commit): one WAL commit serves
//! the whole batch, and each request is answered only after the commit that holds its row.
//! One request's failure never touches its neighbours in the batch: the only per-request
//! failures (daily cap, e-mail taken) are found before that request writes anything, and
//! SQLite undoes a failed statement by itself. Any other error rolls the whole batch back and
//! every request in it gets a 500.
//! The unique index on `lower(email)` decides which of two concurrent requests for one
//! address wins; there is no check-then-insert.
//!
//! With a file, checkpoints run on a second connection in a background thread, so the
//! writer never stops to copy the WAL into the database and fsync it. Under steady load a
//! WAL can only be restarted once it is wholly copied while no commit lands, so when it has
//! grown past a threshold the checkpointer briefly holds a gate the writer takes around each
//! batch, finishes the copy (only what the last pass missed) and lets the next commit start
//! the WAL afresh.
//!
//! Identifiers that must be unique (cloud name, API key, verification token) are made from the
//! row id (see [`IdCodec`]), so the e-mail index is the only random-keyed index an insert
//! touches: a WAL commit writes every dirty page whole, and random index pages are most of
//! them.

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::oneshot;

use crate::credentials::{self, constant_time_eq, IdCodec};

/// Most creations written in one transaction; bounds the latency one commit adds.
const MAX_BATCH: usize = 512;

/// How often the checkpointer copies the WAL into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// WAL size (in pages) past which the checkpointer makes sure the WAL restarts.
const RESTART_FRAMES: i64 = 4096;

/// Un-copied WAL pages below which the checkpointer holds the writer to finish the copy.
const CATCH_UP_FRAMES: i64 = 256;

/// The schema version kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

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
    /// The product environment's external id.
    pub env_external_id: String,
    /// SHA-256 of the API secret (the secret itself is never stored).
    pub secret_hash: [u8; 32],
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

/// The identifiers the store gave a new account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAccount {
    /// The row id.
    pub id: i64,
    /// The product environment's cloud name.
    pub cloud_name: String,
    /// The 15-digit API key.
    pub api_key: String,
    /// The token of the verification link.
    pub verify_token: String,
    /// With a daily cap: the accounts this IP created in the window before this one, and the
    /// creation time of the oldest of them (this one's when there are none).
    pub cap_window: Option<(u32, i64)>,
}

/// What became of a creation.
#[derive(Debug)]
pub enum CreateOutcome {
    /// Committed.
    Created(CreatedAccount),
    /// An account already exists for the e-mail address (any case).
    AccountExists,
    /// The client IP reached the daily cap; the oldest account in the window was created at
    /// `oldest_ms` (one more is allowed 24 hours after that).
    DailyCapReached {
        /// Creation time of the oldest account counted, Unix milliseconds.
        oldest_ms: i64,
    },
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
    codec: IdCodec,
}

/// An account as the ping and verification pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    /// The account's row id.
    pub id: i64,
    /// Its e-mail address.
    pub email: String,
    /// Its cloud name.
    pub cloud_name: String,
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
        let codec = prepare(&conn, path.is_some(), durability)?;
        let next_id = next_id(&conn)?;
        let gate = Arc::new(Mutex::new(()));
        let checkpointer = match path {
            Some(p) => Some(Checkpointer::start(p, durability, gate.clone())?),
            None => None,
        };
        let (tx, rx) = mpsc::channel();
        let writer = Writer {
            conn,
            codec,
            next_id,
            gate,
            checkpointer,
        };
        let thread = std::thread::Builder::new()
            .name("sqlite".into())
            .spawn(move || writer.run(rx))?;
        Ok(Store {
            tx,
            thread: Mutex::new(Some(thread)),
            codec,
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
        let Some(id) = self.codec.id_of_cloud_name(&cloud) else {
            return Ok(None);
        };
        let row = self.account_by_id(id).await?;
        Ok(row.filter(|(a, _)| a.cloud_name == cloud).map(|(a, _)| a))
    }

    /// The account of a verification token.
    pub async fn account_by_token(
        &self,
        token: String,
    ) -> Result<Option<AccountState>, StoreError> {
        let Some(id) = credentials::id_of_verify_token(&token) else {
            return Ok(None);
        };
        let row = self.account_by_id(id).await?;
        Ok(row
            .filter(|(_, stored)| constant_time_eq(stored.as_bytes(), token.as_bytes()))
            .map(|(a, _)| a))
    }

    /// An account and its verification token, by row id.
    async fn account_by_id(&self, id: i64) -> Result<Option<(AccountState, String)>, StoreError> {
        self.call(move |conn| {
            conn.prepare_cached(
                "SELECT id, email, cloud_name, api_key, secret_hash, created_at, verified_at,
                        verify_token
                 FROM accounts WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((account_state(r)?, r.get(7)?)))
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
                         WHERE account_id IN
                             (SELECT id FROM accounts WHERE lower(email) = lower(?1))
                         ORDER BY id DESC LIMIT ?2",
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
        cloud_name: r.get(2)?,
        api_key: r.get(3)?,
        secret_hash: r.get(4)?,
        created_at_ms: r.get(5)?,
        verified_at_ms: r.get(6)?,
    })
}

fn prepare(conn: &Connection, file: bool, durability: Durability) -> Result<IdCodec, StoreError> {
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
fn next_id(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM accounts", [], |r| {
        r.get(0)
    })
}

/// The database thread: the only owner of the connection.
struct Writer {
    conn: Connection,
    codec: IdCodec,
    /// The id of the next account (ids are assigned here so that identifiers derived from
    /// them are known before the insert).
    next_id: i64,
    /// Held while writing; the checkpointer takes it to finish a WAL copy between batches.
    gate: Arc<Mutex<()>>,
    /// The background checkpointer (file databases only).
    checkpointer: Option<Checkpointer>,
}

impl Writer {
    fn run(mut self, rx: mpsc::Receiver<Job>) {
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
            let gate = self.gate.clone();
            let _held = gate.lock().unwrap_or_else(|p| p.into_inner());
            if !creates.is_empty() {
                self.write_batch(&mut creates);
            }
            for f in calls.drain(..) {
                f(&mut self.conn);
            }
        }
        if let Some(checkpointer) = self.checkpointer.take() {
            checkpointer.stop();
        }
        if let Err(e) = self
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize;")
        {
            tracing::warn!("checkpoint at shutdown failed: {e}");
        }
        if let Err((_, e)) = self.conn.close() {
            tracing::error!("closing the database failed: {e}");
        }
    }

    /// Writes a batch of creations in one transaction and answers each after the commit.
    fn write_batch(&mut self, creates: &mut Vec<(Box<NewAccount>, Reply<CreateOutcome>)>) {
        let first_id = self.next_id;
        let codec = self.codec;
        let next_id = &mut self.next_id;
        let result = (|| -> Result<Vec<CreateOutcome>, rusqlite::Error> {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut outcomes = Vec::with_capacity(creates.len());
            for (account, _) in creates.iter() {
                outcomes.push(create_one(&tx, &codec, next_id, account)?);
            }
            tx.commit()?;
            Ok(outcomes)
        })();
        match result {
            Ok(outcomes) => {
                for ((_, reply), outcome) in creates.drain(..).zip(outcomes) {
                    // The client may have gone; the account is committed all the same.
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                // Rolled back: the ids handed out in this batch are free again.
                self.next_id = first_id;
                tracing::error!("writing {} accounts failed: {e}", creates.len());
                for (_, reply) in creates.drain(..) {
                    let _ = reply.send(Err(StoreError::Batch(e.to_string())));
                }
            }
        }
    }
}

/// The background checkpointer: its own connection and thread.
struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Checkpointer {
    fn start(
        path: &Path,
        durability: Durability,
        gate: Arc<Mutex<()>>,
    ) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        let sync = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        conn.pragma_update(None, "synchronous", sync)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || Self::run(conn, stopped, gate, durability))?;
        Ok(Checkpointer { stop, thread })
    }

    /// One PASSIVE checkpoint: copies what it can without waiting for anyone. Returns the
    /// WAL's size and how much of it is now in the database, in pages.
    fn pass(conn: &Connection) -> Option<(i64, i64)> {
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        }) {
            Ok(sizes) => Some(sizes),
            Err(e) => {
                tracing::warn!("checkpoint failed: {e}");
                None
            }
        }
    }

    fn run(
        conn: Connection,
        stopped: mpsc::Receiver<()>,
        gate: Arc<Mutex<()>>,
        durability: Durability,
    ) {
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(CHECKPOINT_EVERY) {
            let Some((log, _)) = Self::pass(&conn) else {
                continue;
            };
            if log < RESTART_FRAMES {
                continue;
            }
            // Catch up on what was committed during the pass until little is left...
            for _ in 0..4 {
                match Self::pass(&conn) {
                    Some((log, done)) if log - done > CATCH_UP_FRAMES => continue,
                    _ => break,
                }
            }
            // ...then copy that little with the writer held between batches, so that the next
            // commit starts the WAL afresh. With `normal` durability this last small copy is
            // not fsynced (the next pass's fsync covers it): the writer waits for a memory
            // copy, not for the disk. A kill cannot lose it either way; a power cut could,
            // which `normal` does not promise to survive.
            let started = std::time::Instant::now();
            let held = gate.lock().unwrap_or_else(|p| p.into_inner());
            let fast = durability == Durability::Normal;
            if fast {
                let _ = conn.pragma_update(None, "synchronous", "OFF");
            }
            Self::pass(&conn);
            if fast {
                let _ = conn.pragma_update(None, "synchronous", "NORMAL");
            }
            drop(held);
            tracing::debug!(
                held_ms = started.elapsed().as_secs_f64() * 1000.0,
                "WAL restarted"
            );
        }
        if let Err((_, e)) = conn.close() {
            tracing::warn!("closing the checkpoint connection failed: {e}");
        }
    }

    fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            tracing::error!("the checkpoint thread panicked");
        }
    }
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

/// One creation inside the batch's transaction. The per-request outcomes (cap reached, e-mail
/// taken) are found before this request writes anything, so they need no savepoint; any
/// other error fails the whole batch.
fn create_one(
    tx: &rusqlite::Transaction<'_>,
    codec: &IdCodec,
    next_id: &mut i64,
    account: &NewAccount,
) -> Result<CreateOutcome, rusqlite::Error> {
    let mut cap_window = None;
    if let Some((cap, since_ms)) = account.daily_cap {
        let (count, oldest): (i64, Option<i64>) = tx
            .prepare_cached(
                "SELECT count(*), min(created_at) FROM accounts
                 WHERE client_ip = ?1 AND created_at > ?2",
            )?
            .query_row(params![account.client_ip, since_ms], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let oldest_ms = oldest.unwrap_or(account.created_at_ms);
        if count >= i64::from(cap) {
            return Ok(CreateOutcome::DailyCapReached { oldest_ms });
        }
        cap_window = Some((u32::try_from(count).unwrap_or(u32::MAX), oldest_ms));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn account(email: &str) -> NewAccount {
        NewAccount {
            external_id: credentials::external_id(),
            email: email.into(),
            env_external_id: credentials::external_id(),
            secret_hash: [7; 32],
            client_ip: "192.0.2.1".into(),
            agent_framework: "fw".into(),
            agent_llm_model: "model".into(),
            agent_goal: "goal".into(),
            sdk_framework: None,
            created_at_ms: 1_000,
            daily_cap: Some((2, 0)),
            mail_subject: "s".into(),
            mail_body: "b".into(),
        }
    }

    #[tokio::test]
    async fn unique_email_cap_and_lookups() {
        let store = Store::open(None, Durability::Normal).unwrap();
        let CreateOutcome::Created(a) = store.create(account("a@example.com")).await.unwrap()
        else {
            panic!("not created")
        };
        assert_eq!(a.id, 1);
        assert!(matches!(
            store.create(account("A@EXAMPLE.COM")).await.unwrap(),
            CreateOutcome::AccountExists
        ));
        // The failed insert did not use up an id.
        let CreateOutcome::Created(b) = store.create(account("b@example.com")).await.unwrap()
        else {
            panic!("not created")
        };
        assert_eq!(b.id, 2);
        assert!(matches!(
            store.create(account("c@example.com")).await.unwrap(),
            CreateOutcome::DailyCapReached { .. }
        ));
        assert_eq!(store.count_accounts().await.unwrap(), 2);
        let mail = store
            .outbox(Some("A@example.com".into()), 10)
            .await
            .unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].verify_token, a.verify_token);

        let found = store
            .account_by_cloud(a.cloud_name.clone())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.email, "a@example.com");
        assert_eq!(found.api_key, a.api_key);
        assert!(store
            .account_by_cloud("dzzzzzzzzz".into())
            .await
            .unwrap()
            .is_none());
        let found = store
            .account_by_token(b.verify_token.clone())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.email, "b@example.com");
        let mut wrong = b.verify_token.clone();
        wrong.pop();
        wrong.push('!');
        assert!(store.account_by_token(wrong).await.unwrap().is_none());
        let store = std::sync::Arc::new(store);
        let s = store.clone();
        tokio::task::spawn_blocking(move || s.close())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn identifiers_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let store = Store::open(Some(&path), Durability::Normal).unwrap();
        let CreateOutcome::Created(a) = store.create(account("keep@example.com")).await.unwrap()
        else {
            panic!("not created")
        };
        store.close();
        let store = Store::open(Some(&path), Durability::Normal).unwrap();
        let found = store.account_by_cloud(a.cloud_name.clone()).await.unwrap();
        assert_eq!(found.map(|f| f.email).as_deref(), Some("keep@example.com"));
        let CreateOutcome::Created(b) = store.create(account("next@example.com")).await.unwrap()
        else {
            panic!("not created")
        };
        assert_eq!(b.id, 2);
        assert_ne!(b.cloud_name, a.cloud_name);
        store.close();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn checkpoints_and_wal_restarts_keep_every_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let store = Arc::new(Store::open(Some(&path), Durability::Normal).unwrap());
        // Enough pages to pass RESTART_FRAMES several times, in concurrent batches.
        for round in 0..4 {
            let tasks: Vec<_> = (0..600)
                .map(|i| {
                    let store = store.clone();
                    tokio::spawn(async move {
                        let mut a = account(&format!("r{round}-{i}@example.com"));
                        a.daily_cap = None;
                        store.create(a).await.unwrap()
                    })
                })
                .collect();
            for t in tasks {
                assert!(matches!(t.await.unwrap(), CreateOutcome::Created(_)));
            }
            tokio::time::sleep(CHECKPOINT_EVERY * 3).await;
        }
        let s = store.clone();
        tokio::task::spawn_blocking(move || s.close())
            .await
            .unwrap();
        // Closing checkpoints and removes the WAL.
        assert!(!dir.path().join("db.sqlite-wal").exists());
        let store = Store::open(Some(&path), Durability::Normal).unwrap();
        assert_eq!(store.count_accounts().await.unwrap(), 2400);
        store.close();
    }
}
