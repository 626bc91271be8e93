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

mod checkpointer;
mod clouds;
mod queries;
mod schema;
mod writer;

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::credentials::{self, constant_time_eq, IdCodec};
use checkpointer::Checkpointer;
use schema::{next_id, prepare, SCHEMA_VERSION};
use writer::{Job, Writer};

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

/// A Claimable Cloud to create, with everything the handler generated for it.
#[derive(Debug, Clone)]
pub struct NewCloud {
    /// The account's external id.
    pub account_id: String,
    /// The address the request gave, trimmed; `None` for a placeholder.
    pub email: Option<String>,
    /// SHA-256 of the API secret (the secret itself is never stored).
    pub secret_hash: [u8; 32],
    /// The client's IP key, for the clouds' cap.
    pub client_ip: String,
    /// The resolved delivery addresses.
    pub delivery_ips: Vec<String>,
    /// `agent_framework` of the request.
    pub agent_framework: Option<String>,
    /// `agent_llm_model` of the request.
    pub agent_llm_model: Option<String>,
    /// `agent_goal` of the request.
    pub agent_goal: Option<String>,
    /// `sdk_framework` of the request.
    pub sdk_framework: Option<String>,
    /// Creation time, Unix milliseconds (emulator clock).
    pub created_at_ms: i64,
    /// When it is disabled unless claimed, Unix milliseconds.
    pub expires_at_ms: i64,
    /// The cap to enforce: at most `cap` clouds from this IP created after `since_ms`.
    pub daily_cap: Option<(u32, i64)>,
}

/// The identifiers the store gave a new cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedCloud {
    /// The row id.
    pub id: i64,
    /// The cloud name.
    pub cloud_name: String,
    /// The 15-digit API key.
    pub api_key: String,
    /// The token of the claim URL (a credential: never logged).
    pub claim_token: String,
    /// With a cap: the clouds this IP created in the window before this one, and the creation
    /// time of the oldest of them.
    pub cap_window: Option<(u32, i64)>,
}

/// What became of a cloud's creation.
#[derive(Debug)]
pub enum CloudOutcome {
    /// Committed.
    Created(CreatedCloud),
    /// The given address belongs to an account or another cloud (any case).
    EmailTaken,
    /// The client IP reached the clouds' cap; the oldest cloud counted was created at
    /// `oldest_ms`.
    DailyCapReached {
        /// Creation time of the oldest cloud counted, Unix milliseconds.
        oldest_ms: i64,
    },
}

/// A cloud as the ping, the delivery route and the claim pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudState {
    /// The row id.
    pub id: i64,
    /// The address the request gave (`None`: a placeholder was shown).
    pub email: Option<String>,
    /// The cloud name.
    pub cloud_name: String,
    /// The API key.
    pub api_key: String,
    /// SHA-256 of the API secret.
    pub secret_hash: Vec<u8>,
    /// The resolved delivery addresses.
    pub delivery_ips: Vec<String>,
    /// Creation time, Unix milliseconds.
    pub created_at_ms: i64,
    /// When it is disabled unless claimed, Unix milliseconds.
    pub expires_at_ms: i64,
    /// The address a claim was asked for, once the claim page was sent.
    pub claim_email: Option<String>,
    /// When it was claimed, Unix milliseconds.
    pub claimed_at_ms: Option<i64>,
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
    /// The token of the link: an account's verification, or a cloud's claim confirmation.
    pub verify_token: String,
    /// When it was sent, Unix milliseconds.
    pub created_at_ms: i64,
    /// The cloud whose claim it confirms (`None`: an account's verification e-mail).
    pub cloud_id: Option<i64>,
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
        self.call(move |conn| queries::account_by_id(conn, id))
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
        self.call(move |conn| queries::verify(conn, account_id, now_ms, created_after_ms))
            .await
    }

    /// The outbox, newest first, optionally only the mail to one address (any case).
    pub async fn outbox(
        &self,
        to: Option<String>,
        limit: u32,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        self.call(move |conn| queries::outbox(conn, to.as_deref(), limit))
            .await
    }

    /// The number of accounts.
    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        self.call(queries::count_accounts).await
    }

    /// Creates a Claimable Cloud; answers after the commit.
    pub async fn create_cloud(&self, cloud: NewCloud) -> Result<CloudOutcome, StoreError> {
        let codec = self.codec;
        self.call(move |conn| clouds::create(conn, &codec, &cloud))
            .await
    }

    /// A cloud by its cloud name (`None` for an account's cloud name or an unknown one).
    pub async fn cloud_by_name(&self, name: String) -> Result<Option<CloudState>, StoreError> {
        let Some(id) = self
            .codec
            .id_of_cloud_name(&name)
            .and_then(|raw| raw.checked_sub(clouds::CLOUD_ID_OFFSET))
            .filter(|id| *id > 0)
        else {
            return Ok(None);
        };
        let codec = self.codec;
        let row = self
            .call(move |conn| clouds::by_id(conn, &codec, id))
            .await?;
        Ok(row.map(|(c, _, _)| c).filter(|c| c.cloud_name == name))
    }

    /// A cloud by the token of its claim URL (compared in constant time).
    pub async fn cloud_by_claim_token(
        &self,
        token: String,
    ) -> Result<Option<CloudState>, StoreError> {
        self.cloud_by_token(token, false).await
    }

    /// A cloud by the token of its claim confirmation link (the latest one sent).
    pub async fn cloud_by_confirm_token(
        &self,
        token: String,
    ) -> Result<Option<CloudState>, StoreError> {
        self.cloud_by_token(token, true).await
    }

    async fn cloud_by_token(
        &self,
        token: String,
        confirmation: bool,
    ) -> Result<Option<CloudState>, StoreError> {
        let Some(id) = credentials::id_of_verify_token(&token) else {
            return Ok(None);
        };
        let codec = self.codec;
        let row = self
            .call(move |conn| clouds::by_id(conn, &codec, id))
            .await?;
        Ok(row.and_then(|(cloud, claim, confirm)| {
            let stored = if confirmation { confirm? } else { claim };
            constant_time_eq(stored.as_bytes(), token.as_bytes()).then_some(cloud)
        }))
    }

    /// Records a claim request for `email` with a new confirmation token and queues its
    /// e-mail; `false` when the cloud is already claimed or expired at `now_ms`.
    pub async fn request_claim(
        &self,
        cloud_id: i64,
        email: String,
        confirm_token: String,
        now_ms: i64,
        mail: (String, String),
    ) -> Result<bool, StoreError> {
        self.call(move |conn| {
            clouds::request_claim(
                conn,
                cloud_id,
                &email,
                &confirm_token,
                now_ms,
                &mail.0,
                &mail.1,
            )
        })
        .await
    }

    /// Marks a cloud claimed unless it already is or expired; whether this call claimed it.
    pub async fn confirm_claim(&self, cloud_id: i64, now_ms: i64) -> Result<bool, StoreError> {
        self.call(move |conn| clouds::confirm_claim(conn, cloud_id, now_ms))
            .await
    }

    /// The number of Claimable Clouds.
    pub async fn count_clouds(&self) -> Result<i64, StoreError> {
        self.call(clouds::count).await
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

#[cfg(test)]
mod tests {
    use super::checkpointer::CHECKPOINT_EVERY;
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
