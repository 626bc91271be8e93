//! `agent-account-emulator`: the command line.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

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

    /// Account-creation requests allowed per client IP: N/SECONDS, or `off`.
    #[arg(long, value_name = "N/SECONDS|off", default_value = DEFAULT_RATE_LIMIT)]
    rate_limit: RateSpec,

    /// Accounts created per client IP in any 24 hours before requests are blocked (403), or `off`.
    #[arg(long, value_name = "N|off", default_value = DEFAULT_DAILY_CAP)]
    daily_cap: DailyCap,

    /// Serve the /_emulator/* test controls (clock, fault injection).
    #[arg(long)]
    test_controls: bool,

    /// Take the client IP from X-Forwarded-For (only behind a proxy you trust, or in tests).
    #[arg(long)]
    trust_forwarded_for: bool,

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
