//! `agent-account-emulator`: the command line.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use agent_account_emulator::http::PublicUrl;
use agent_account_emulator::limits::{DailyCap, RateSpec, DEFAULT_DAILY_CAP, DEFAULT_RATE_LIMIT};
use agent_account_emulator::server::{run, shutdown_signal, ConnectionLimits, Settings};
use agent_account_emulator::state::CloudSettings;
use agent_account_emulator::store::Durability;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// A local implementation of Cloudinary's agent account creation API.
///
/// Prints `listening on http://HOST:PORT` on stdout when ready; logs go to stderr
/// (RUST_LOG sets the level; `RUST_LOG=debug` adds one line per request).
#[derive(Debug, Parser)]
#[command(name = "agent-account-emulator", version, about)]
struct Flags {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,

    /// SQLite database file (created if missing). Without it, everything stays in memory.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,

    /// How commits reach the disk with --db: `normal` survives the emulator being killed,
    /// `full` also survives a power cut (an fsync per group commit).
    #[arg(long, value_enum, default_value = "normal")]
    durability: Durability,

    /// A short-burst limit on account-creation requests per client IP: N/SECONDS, or `off`.
    /// Cloudinary documents none, so it is off unless set (for the demo, tests, benchmarks).
    #[arg(long, value_name = "N/SECONDS|off", default_value = DEFAULT_RATE_LIMIT)]
    rate_limit: RateSpec,

    /// Accounts created per client IP (an IPv6 /64 counts as one) in any 24 hours; beyond
    /// it, 429 `ip_rate_limit_exceeded`. `off` for benchmarks.
    #[arg(long, value_name = "N|off", default_value = DEFAULT_DAILY_CAP)]
    daily_cap: DailyCap,

    /// Serve the /_emulator/* test controls (clock, fault injection).
    #[arg(long)]
    test_controls: bool,

    /// Take the client IP from X-Forwarded-For: the address the trusted proxy appended (the
    /// rightmost). Only behind a proxy you trust that appends, or in tests.
    #[arg(long)]
    trust_forwarded_for: bool,

    /// With --trust-forwarded-for: the number of trusted proxies in a chain, each appending;
    /// the client IP is the Nth address from the right.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..))]
    trusted_proxies: u8,

    /// The base URL the links in the guidance and the outbox start with (default:
    /// http://LISTEN-ADDRESS). The request's Host header is never used.
    #[arg(long, value_name = "URL")]
    public_url: Option<PublicUrl>,

    /// Start with agent sign-up switched off: every account request gets 403
    /// `agent_registration_disabled` (the test control can switch it back on).
    #[arg(long)]
    registration_disabled: bool,

    /// Add the emulator's own `code` and, for validation, the `issues` list to error answers.
    /// An emulator extension: the real service sends neither.
    #[arg(long)]
    extended_errors: bool,

    /// Claimable Clouds created per client IP (an IPv6 /64 counts as one) in any 24 hours, a
    /// count of their own; beyond it, 429 `ip_rate_limit_exceeded`. `off` for benchmarks.
    #[arg(long, value_name = "N|off", default_value = DEFAULT_DAILY_CAP)]
    cloud_daily_cap: DailyCap,

    /// Seconds an unclaimed Claimable Cloud lives (its `expires_at`); then it is disabled.
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400, value_parser = clap::value_parser!(u32).range(1..))]
    cloud_lifetime: u32,

    /// Count the caller's own address as not public for Claimable Clouds, as when a request
    /// reaches Cloudinary through a VPN or gateway: without a public `delivery_ips` entry the
    /// answer is 400 `delivery_ips_not_public`. By default a loopback caller counts as public.
    #[arg(long)]
    caller_not_public: bool,

    /// Abuse rules: one `KIND VALUE` per line, kinds domain, email, ip (or CIDR) and agent.
    #[arg(long, value_name = "PATH")]
    deny_file: Option<PathBuf>,

    /// Seconds a client has to send a request's headers, counted from when the server waits
    /// for it; also how long an idle keep-alive connection stays open.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout: u64,

    /// Seconds a request body may stall (no data arriving) before the request is ended.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    body_read_timeout: u64,

    /// Connections served at once; more wait in the listen backlog. Default: 1024, or the
    /// descriptor limit (`ulimit -n`) minus 64 if that is lower.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let flags = Flags::parse();
    tracing_subscriber::fmt()
        .with_writer(|| QuietStderr)
        .log_internal_errors(false)
        // Colours only for a person at a terminal, never in files or CI logs.
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let settings = Settings {
        listen: flags.listen,
        db: flags.db,
        durability: flags.durability,
        rate_limit: flags.rate_limit,
        daily_cap: flags.daily_cap,
        test_controls: flags.test_controls,
        trust_forwarded_for: flags.trust_forwarded_for,
        trusted_proxies: flags.trusted_proxies,
        public_url: flags.public_url,
        registration_disabled: flags.registration_disabled,
        extended_errors: flags.extended_errors,
        deny_file: flags.deny_file,
        clouds: CloudSettings {
            daily_cap: flags.cloud_daily_cap,
            lifetime_ms: i64::from(flags.cloud_lifetime) * 1000,
            caller_not_public: flags.caller_not_public,
        },
        connections: connection_limits(
            flags.header_read_timeout,
            flags.body_read_timeout,
            flags.max_connections,
        ),
    };
    // Handlers first, so that no signal can arrive between "listening on" and them.
    let shutdown = shutdown_signal();
    match run(settings, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            let _ = writeln!(std::io::stderr(), "agent-account-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The connection flags as the server takes them.
fn connection_limits(header_secs: u64, body_secs: u64, max: Option<u64>) -> ConnectionLimits {
    let defaults = ConnectionLimits::default();
    ConnectionLimits {
        header_read_timeout: std::time::Duration::from_secs(header_secs),
        body_read_timeout: std::time::Duration::from_secs(body_secs),
        max_connections: max
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(defaults.max_connections),
    }
}

/// Stderr for the log, with write errors swallowed. A supervisor that went away leaves a
/// closed pipe; tracing-subscriber reports a failed write with `eprintln!`, which panics, and a
/// panic in a handler drops the connection unanswered although its effect is committed.
/// Losing log lines is the lesser harm.
struct QuietStderr;

impl Write for QuietStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}
