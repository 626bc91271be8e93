//! The background checkpointer: copies the WAL into the database off the write path.

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::{Durability, StoreError};

/// How often the checkpointer copies the WAL into the database.
pub(super) const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// WAL size (in pages) past which the checkpointer makes sure the WAL restarts.
const RESTART_FRAMES: i64 = 4096;

/// Un-copied WAL pages below which the checkpointer holds the writer to finish the copy.
const CATCH_UP_FRAMES: i64 = 256;

/// The background checkpointer: its own connection and thread.
pub(super) struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Checkpointer {
    /// Opens its connection and starts its thread.
    pub(super) fn start(
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
            .spawn(move || Self::run(conn, stopped, gate))?;
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

    fn run(conn: Connection, stopped: mpsc::Receiver<()>, gate: Arc<Mutex<()>>) {
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
            // commit starts the WAL afresh. The copy is fsynced (this connection's
            // `synchronous` is NORMAL or FULL, never OFF): once the WAL restarts, the frames
            // it held are overwritten, and an unsynced database file could then lose, at a
            // power cut, rows committed long before, not just the last ones.
            let started = std::time::Instant::now();
            let held = gate.lock().unwrap_or_else(|p| p.into_inner());
            Self::pass(&conn);
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

    /// Stops the thread and waits for it.
    pub(super) fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            tracing::error!("the checkpoint thread panicked");
        }
    }
}
