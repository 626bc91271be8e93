//! What every handler shares. A leaf module: it imports no module that serves routes, so the
//! handler modules can all import it without importing each other.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::clock::Clock;
use crate::deny::DenyRules;
use crate::faults::Faults;
use crate::limits::{DailyCap, IpRateLimiter};
use crate::store::Store;

/// What every handler shares.
pub struct AppState {
    /// The emulator clock.
    pub clock: Clock,
    /// The database.
    pub store: Store,
    /// The per-IP short-burst rate limiter of the account endpoint (off by default).
    pub limiter: IpRateLimiter,
    /// The abuse rules.
    pub deny: DenyRules,
    /// The per-IP cap on accounts in any 24 hours.
    pub daily_cap: DailyCap,
    /// Injected faults (test controls).
    pub faults: Faults,
    /// Whether `/_emulator/*` test controls are on.
    pub test_controls: bool,
    /// How many trusted proxies append to `X-Forwarded-For` (0: the header is ignored).
    pub trusted_proxies: u8,
    /// The address actually listened on (the real port when 0 was asked for).
    pub listen_addr: SocketAddr,
    /// The base URL every link the emulator writes starts with (no trailing `/`).
    pub public_url: String,
    /// Whether error answers carry the emulator's own `code` and `issues` (an extension).
    pub extended_errors: bool,
    /// Whether agents may sign up (`--registration-disabled` and the test control turn it off).
    /// The cloud endpoint follows the same switch.
    pub registration_open: AtomicBool,
    /// The Claimable Cloud endpoint's own settings.
    pub clouds: CloudSettings,
}

/// The flags of the Claimable Cloud endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloudSettings {
    /// Clouds per client IP in any 24 hours (its own count, apart from accounts').
    pub daily_cap: DailyCap,
    /// How long an unclaimed cloud lives, in milliseconds.
    pub lifetime_ms: i64,
    /// Whether the caller's own address counts as not public (to test
    /// `delivery_ips_not_public`); otherwise a loopback caller counts as public, so local use
    /// works.
    pub caller_not_public: bool,
}

impl Default for CloudSettings {
    fn default() -> Self {
        CloudSettings {
            daily_cap: DailyCap(std::num::NonZeroU32::new(10)),
            lifetime_ms: 24 * 60 * 60 * 1000,
            caller_not_public: false,
        }
    }
}

impl AppState {
    /// Whether agent sign-up is on.
    pub fn registration_open(&self) -> bool {
        self.registration_open.load(Ordering::Relaxed)
    }

    /// Turns agent sign-up on or off.
    pub fn set_registration_open(&self, open: bool) {
        self.registration_open.store(open, Ordering::Relaxed);
    }

    /// The origins (`scheme://host:port`, lower case) the emulator's own pages are served
    /// from: the public URL's, the listen address's and, on a loopback address, `localhost`'s.
    pub fn own_origins(&self) -> Vec<String> {
        let mut origins = vec![
            origin_of(&self.public_url),
            format!("http://{}", self.listen_addr),
        ];
        if self.listen_addr.ip().is_loopback() {
            origins.push(format!("http://localhost:{}", self.listen_addr.port()));
        }
        origins
    }
}

/// `scheme://authority` of a URL, lower case.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}").to_ascii_lowercase()
}

/// The state as handlers extract it.
pub type SharedState = Arc<AppState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://Emu.Example:8443/base"),
            "https://emu.example:8443"
        );
        assert_eq!(origin_of("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
    }
}
