//! `agent-account-emulator`: the command line.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use agent_account_emulator::http::PublicUrl;
use agent_account_emulator::limits::{DailyCap, RateSpec, DEFAULT_DAILY_CAP, DEFAULT_RATE_LIMIT};
use agent_account_emulator::server::{run, shutdown_signal, Settings};
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

    /// Abuse rules: one `KIND VALUE` per line, kinds domain, email, ip (or CIDR) and agent.
    #[arg(long, value_name = "PATH")]
    deny_file: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let flags = Flags::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
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
    };
    match run(settings, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("agent-account-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
