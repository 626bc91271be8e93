//! The database thread and its group commit.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::checkpointer::Checkpointer;
use super::queries::create_one;
use super::{CreateOutcome, NewAccount, StoreError};
use crate::credentials::IdCodec;

/// Most creations written in one transaction; bounds the latency one commit adds.
const MAX_BATCH: usize = 512;

/// Where a job's result goes.
pub(super) type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// Work run on the database thread; it sends its own result back.
pub(super) type DbCall = Box<dyn FnOnce(&mut Connection) + Send>;

/// What the database thread is asked to do.
pub(super) enum Job {
    Create(Box<NewAccount>, Reply<CreateOutcome>),
    Call(DbCall),
    Shutdown,
}

/// The database thread: the only owner of the connection.
pub(super) struct Writer {
    pub(super) conn: Connection,
    pub(super) codec: IdCodec,
    /// The id of the next account (ids are assigned here so that identifiers derived from
    /// them are known before the insert).
    pub(super) next_id: i64,
    /// Held while writing; the checkpointer takes it to finish a WAL copy between batches.
    pub(super) gate: Arc<Mutex<()>>,
    /// The background checkpointer (file databases only).
    pub(super) checkpointer: Option<Checkpointer>,
}

impl Writer {
    /// Serves jobs until a shutdown job or until every sender is gone.
    pub(super) fn run(mut self, rx: mpsc::Receiver<Job>) {
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
