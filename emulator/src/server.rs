//! Starting and stopping the emulator: open the store, bind, announce, serve, shut down.
//!
//! The serving loop is hyper's, driven here rather than through `axum::serve`, because that
//! sets no header-read timeout and no connection limit: a client that opens connections and
//! sends nothing (or half a request) would otherwise hold a descriptor each, for ever.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::app::router;
use crate::clock::Clock;
use crate::deny::{DenyFileError, DenyRules};
use crate::faults::Faults;
use crate::http::{default_public_url, PublicUrl};
use crate::limits::{DailyCap, IpRateLimiter, RateSpec};
use crate::state::{AppState, CloudSettings};
use crate::store::{Durability, Store, StoreError};

/// How long shutdown waits for in-flight requests before closing anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long to wait before accepting again after `accept` failed (out of descriptors, most
/// likely); the connection waits in the listen backlog meanwhile.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Descriptors kept free of connections: stdio, the runtime's, the database's and its WAL's.
#[cfg(unix)]
const RESERVED_FDS: usize = 64;

/// The most connections served at once unless the descriptor limit is lower.
pub const MAX_CONNECTIONS_CAP: usize = 1024;

/// What a connection may cost the process: bounds on time and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From the moment hyper waits for a request (a new connection, or a keep-alive one
    /// between requests) to the end of its headers. It is also the idle keep-alive timeout.
    pub header_read_timeout: Duration,
    /// Longest wait for the next piece of a request body; a stalled body ends the request.
    pub body_read_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            max_connections: default_max_connections(),
        }
    }
}

/// [`MAX_CONNECTIONS_CAP`], or fewer when the descriptor limit (`ulimit -n`) leaves less room.
pub fn default_max_connections() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given, which lives for the call.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
            return soft
                .saturating_sub(RESERVED_FDS)
                .clamp(8, MAX_CONNECTIONS_CAP);
        }
    }
    MAX_CONNECTIONS_CAP
}

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
    /// Timeouts and the connection limit.
    pub connections: ConnectionLimits,
    /// The Claimable Cloud endpoint's own settings.
    pub clouds: CloudSettings,
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
        clouds: settings.clouds,
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
    let app = router(state.clone()).layer(RequestBodyTimeoutLayer::new(
        settings.connections.body_read_timeout,
    ));
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
        clouds = ?settings.clouds,
        test_controls = settings.test_controls,
        deny_rules = state.deny.len(),
        connections = ?settings.connections,
        "emulator ready"
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let signalled = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(());
    };
    let serve = serve(listener, app, settings.connections, signalled);
    let deadline = async move {
        if stop_rx.await.is_ok() {
            tokio::time::sleep(DRAIN_TIMEOUT).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = serve => {},
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

/// Accepts connections and serves each with hyper's HTTP/1 until `shutdown` completes, then
/// lets the open ones finish (idle ones are closed at once).
async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // Take a slot before accepting: over the limit, clients wait in the backlog, and no
        // descriptor is spent on them.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // What `into_make_service_with_connect_info::<SocketAddr>` would give the handlers.
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(remote));
                req
            });
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%remote, "connection ended: {e}");
            }
            drop(slot);
        });
    }
    // No new connections from here on.
    drop(listener);
    graceful.shutdown().await;
}

/// Installs the SIGINT and SIGTERM handlers now and returns a future that completes on either.
/// Call it before announcing readiness: a signal that arrives between the announcement and
/// the first poll of a lazily installed handler would kill the process instead.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {},
                        _ = term.recv() => {},
                    }
                }
                _ => {
                    tracing::warn!("cannot install the signal handlers; stop with SIGKILL");
                    std::future::pending::<()>().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
