//! Starting and stopping the emulator: open the store, bind, announce, serve, shut down.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::app::router;
use crate::clock::Clock;
use crate::deny::{DenyFileError, DenyRules};
use crate::faults::Faults;
use crate::http::{default_public_url, PublicUrl};
use crate::limits::{DailyCap, IpRateLimiter, RateSpec};
use crate::state::AppState;
use crate::store::{Durability, Store, StoreError};

/// How long shutdown waits for in-flight requests before closing anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything the flags decide.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen (port 0: any free port).
    pub listen: SocketAddr,
    /// The SQLite file; `None` keeps everything in memory.
    pub db: Option<PathBuf>,
    /// How hard commits are pushed to disk.
    pub durability: Durability,
    /// The per-IP rate limit of the account endpoint.
    pub rate_limit: RateSpec,
    /// The per-IP daily cap on accounts.
    pub daily_cap: DailyCap,
    /// Whether `/_emulator/*` test controls are served.
    pub test_controls: bool,
    /// Whether to take the client IP from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// How many trusted proxies append to `X-Forwarded-For` (the client IP is the address
    /// the outermost one appended: this many entries from the right).
    pub trusted_proxies: u8,
    /// The base URL of every link the emulator writes; `None`: `http://` + the listen address.
    pub public_url: Option<PublicUrl>,
    /// Whether agent sign-up starts switched off (403 `agent_registration_disabled`).
    pub registration_disabled: bool,
    /// Whether error answers carry the emulator's own `code` and `issues` (an extension).
    pub extended_errors: bool,
    /// The deny file, if any.
    pub deny_file: Option<PathBuf>,
}

/// Why the emulator could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The deny file is unreadable or wrong.
    #[error(transparent)]
    Deny(#[from] DenyFileError),
    /// The database could not be opened.
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs the emulator until `shutdown` completes, then drains and closes the database.
/// Prints `listening on http://HOST:PORT` to stdout once ready.
pub async fn run(
    settings: Settings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let deny = match &settings.deny_file {
        Some(path) => DenyRules::load(path)?,
        None => DenyRules::default(),
    };
    crate::disposable::warm_up();
    let store = Store::open(settings.db.as_deref(), settings.durability)?;
    let listener = TcpListener::bind(settings.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: settings.listen,
            source,
        })?;
    let listen_addr = listener.local_addr()?;
    let clock = Clock::new();
    let state = Arc::new(AppState {
        limiter: IpRateLimiter::new(settings.rate_limit, clock.clone()),
        clock,
        store,
        deny,
        daily_cap: settings.daily_cap,
        faults: Faults::default(),
        test_controls: settings.test_controls,
        trusted_proxies: if settings.trust_forwarded_for {
            settings.trusted_proxies
        } else {
            0
        },
        listen_addr,
        public_url: settings
            .public_url
            .clone()
            .map_or_else(|| default_public_url(listen_addr), |u| u.0),
        extended_errors: settings.extended_errors,
        registration_open: AtomicBool::new(!settings.registration_disabled),
    });
    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                state.limiter.sweep();
            }
        })
    };
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    {
        // The one line tests and scripts wait for; flushed so a pipe sees it at once.
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{listen_addr}")?;
        out.flush()?;
    }
    tracing::info!(
        %listen_addr,
        db = ?settings.db,
        durability = ?settings.durability,
        rate_limit = ?settings.rate_limit,
        daily_cap = ?settings.daily_cap,
        test_controls = settings.test_controls,
        deny_rules = state.deny.len(),
        "emulator ready"
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let signalled = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(());
    };
    let serve = axum::serve(listener, app).with_graceful_shutdown(signalled);
    let deadline = async move {
        if stop_rx.await.is_ok() {
            tokio::time::sleep(DRAIN_TIMEOUT).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        served = serve => served?,
        () = deadline => tracing::warn!("requests still open after {DRAIN_TIMEOUT:?}; closing anyway"),
    }
    sweeper.abort();
    let closing = state.clone();
    // Closing joins the database thread: keep that off the async workers.
    if tokio::task::spawn_blocking(move || closing.store.close())
        .await
        .is_err()
    {
        tracing::error!("closing the database failed");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
