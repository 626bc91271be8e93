//! Per-IP limits: the short-burst rate limiter (governor, on the emulator clock; off unless
//! `--rate-limit` sets it), the daily-cap setting (the per-IP cap the real service documents:
//! 10 accounts a day), how the client's IP address is found, and the key both are counted by
//! (an IPv4 address, or an IPv6 /64: one subscriber's whole prefix).

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use axum::http::HeaderMap;
use governor::clock::Clock as _;
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

use crate::clock::Clock;

/// The default of `--rate-limit`: off. Cloudinary documents no short-burst limit on this
/// endpoint, only the daily cap, so by default the emulator has none either; the flag sets one
/// for the demo, tests and benchmarks.
pub const DEFAULT_RATE_LIMIT: &str = "off";

/// The default of `--daily-cap`: accounts created per client IP in any 24 hours ("by default 10
/// per day" in Cloudinary's agent documentation).
pub const DEFAULT_DAILY_CAP: &str = "10";

/// Most keys the rate limiter tracks at once. Past it (after forgetting the keys whose
/// allowance is whole again), every new request shares one overflow allowance, so a flood
/// of distinct addresses cannot grow memory without bound.
pub const MAX_TRACKED_KEYS: usize = 100_000;

/// What the per-IP limits count by: an IPv4 address, or the /64 prefix of an IPv6 address
/// (one subscriber's prefix: a host can pick any address in it), or, when the limiter is
/// full, the shared overflow key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IpKey {
    /// One IPv4 address.
    V4(std::net::Ipv4Addr),
    /// An IPv6 /64 prefix (the low 64 bits are zero).
    V6Prefix(Ipv6Addr),
    /// Every request while the limiter tracks [`MAX_TRACKED_KEYS`] keys.
    Overflow,
}

impl IpKey {
    /// The key of `ip` (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn of(ip: IpAddr) -> IpKey {
        match ip.to_canonical() {
            IpAddr::V4(v4) => IpKey::V4(v4),
            IpAddr::V6(v6) => IpKey::V6Prefix(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        }
    }
}

impl fmt::Display for IpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpKey::V4(a) => write!(f, "{a}"),
            IpKey::V6Prefix(a) => write!(f, "{a}/64"),
            IpKey::Overflow => f.write_str("overflow"),
        }
    }
}

/// The window of the daily cap: any 24 hours (rolling, on the emulator clock).
pub const DAILY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// A problem with a limit flag.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LimitSpecError {
    /// Not `N/SECONDS` or `off`.
    #[error("expected N/SECONDS (for example 10/60) or `off`, got `{0}`")]
    RateFormat(String),
    /// Not a positive integer or `off`.
    #[error("expected a positive whole number or `off`, got `{0}`")]
    CapFormat(String),
}

/// `--rate-limit`: at most `limit` requests per `per_seconds` seconds, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateSpec {
    /// No rate limiting (benchmarks).
    Off,
    /// `limit` requests per `per_seconds` seconds per IP.
    PerIp {
        /// Requests allowed in a burst (and per window).
        limit: NonZeroU32,
        /// Seconds in which the whole allowance is replenished.
        per_seconds: NonZeroU32,
    },
}

impl FromStr for RateSpec {
    type Err = LimitSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(RateSpec::Off);
        }
        let bad = || LimitSpecError::RateFormat(s.to_owned());
        let (n, secs) = s.split_once('/').ok_or_else(bad)?;
        let limit = n.trim().parse::<NonZeroU32>().map_err(|_| bad())?;
        let per_seconds = secs.trim().parse::<NonZeroU32>().map_err(|_| bad())?;
        Ok(RateSpec::PerIp { limit, per_seconds })
    }
}

/// `--daily-cap`: at most this many accounts per IP in any 24 hours, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyCap(pub Option<NonZeroU32>);

impl FromStr for DailyCap {
    type Err = LimitSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(DailyCap(None));
        }
        s.parse::<NonZeroU32>()
            .map(|n| DailyCap(Some(n)))
            .map_err(|_| LimitSpecError::CapFormat(s.to_owned()))
    }
}

type KeyedLimiter = RateLimiter<IpKey, HashMapStateStore<IpKey>, Clock, StateInformationMiddleware>;

/// The per-IP limiter of the account endpoint.
pub struct IpRateLimiter {
    inner: Option<KeyedLimiter>,
    clock: Clock,
    max_keys: usize,
}

/// What the limiter decided, with what the `X-FeatureRateLimit-*` headers report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateDecision {
    /// Rate limiting is off: no headers.
    Unlimited,
    /// Let through.
    Allowed {
        /// The limit (requests per window).
        limit: u32,
        /// Requests left before a 429.
        remaining: u32,
        /// Unix seconds at which the whole allowance is back.
        reset_unix: i64,
    },
    /// Refused: 429.
    Limited {
        /// The limit (requests per window).
        limit: u32,
        /// Whole seconds until one more request is allowed (at least 1).
        retry_after_secs: u64,
        /// Unix seconds at which the whole allowance is back.
        reset_unix: i64,
    },
}

impl IpRateLimiter {
    /// A limiter for `spec` on `clock`, tracking at most [`MAX_TRACKED_KEYS`] keys.
    pub fn new(spec: RateSpec, clock: Clock) -> Self {
        Self::with_max_keys(spec, clock, MAX_TRACKED_KEYS)
    }

    /// A limiter tracking at most `max_keys` keys (plus the overflow key).
    pub fn with_max_keys(spec: RateSpec, clock: Clock, max_keys: usize) -> Self {
        let inner = match spec {
            RateSpec::Off => None,
            RateSpec::PerIp { limit, per_seconds } => {
                // GCRA: the whole allowance may be used at once, and one request's worth comes
                // back every per_seconds/limit, so "10/60" lets exactly 10 through at once.
                let period = Duration::from_secs(u64::from(per_seconds.get())) / limit.get();
                let quota = Quota::with_period(period)
                    .unwrap_or_else(|| Quota::per_second(limit))
                    .allow_burst(limit);
                Some(
                    RateLimiter::hashmap_with_clock(quota, clock.clone())
                        .with_middleware::<StateInformationMiddleware>(),
                )
            }
        };
        IpRateLimiter {
            inner,
            clock,
            max_keys,
        }
    }

    /// Counts one request from `key` and decides.
    pub fn check(&self, key: IpKey) -> RateDecision {
        let Some(limiter) = &self.inner else {
            return RateDecision::Unlimited;
        };
        let key = if limiter.len() < self.max_keys {
            key
        } else {
            limiter.retain_recent();
            if limiter.len() < self.max_keys {
                key
            } else {
                IpKey::Overflow
            }
        };
        let now_secs = self.clock.now_ms() as f64 / 1000.0;
        match limiter.check_key(&key) {
            Ok(snapshot) => {
                let quota = snapshot.quota();
                let limit = quota.burst_size().get();
                let remaining = snapshot.remaining_burst_capacity();
                let used = f64::from(limit.saturating_sub(remaining));
                let reset = now_secs + used * quota.replenish_interval().as_secs_f64();
                RateDecision::Allowed {
                    limit,
                    remaining,
                    reset_unix: reset.ceil() as i64,
                }
            }
            Err(not_until) => {
                let quota = not_until.quota();
                let limit = quota.burst_size().get();
                let wait = not_until.wait_time_from(self.clock.now());
                let full = wait.as_secs_f64()
                    + f64::from(limit.saturating_sub(1)) * quota.replenish_interval().as_secs_f64();
                RateDecision::Limited {
                    limit,
                    retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
                    reset_unix: (now_secs + full).ceil() as i64,
                }
            }
        }
    }

    /// Forgets IPs whose allowance is whole again, so the map does not grow forever.
    pub fn sweep(&self) {
        if let Some(limiter) = &self.inner {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many keys are tracked now.
    pub fn tracked_keys(&self) -> usize {
        self.inner.as_ref().map_or(0, |l| l.len())
    }
}

/// The client's IP: the connection's peer or, behind `trusted_proxies` proxies that each
/// append the address they received from to `X-Forwarded-For`, the address the outermost
/// trusted proxy appended: the `trusted_proxies`-th entry from the right. Entries to the left
/// of it were written by the client and are never trusted. When the header is missing,
/// shorter than that, or that entry is not an address, the peer's address is used.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted_proxies: u8) -> IpAddr {
    if trusted_proxies > 0 {
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let nth = usize::from(trusted_proxies);
        let forwarded = entries
            .len()
            .checked_sub(nth)
            .and_then(|i| parse_forwarded_ip(entries[i]));
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.ip().to_canonical()
}

fn parse_forwarded_ip(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    // Some proxies include a port: `203.0.113.7:4711` or `[2001:db8::1]:4711`.
    s.parse::<SocketAddr>().ok().map(|a| a.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        assert_eq!("off".parse::<RateSpec>(), Ok(RateSpec::Off));
        assert!(matches!(
            "10/60".parse::<RateSpec>(),
            Ok(RateSpec::PerIp { .. })
        ));
        assert!("10".parse::<RateSpec>().is_err());
        assert!("0/60".parse::<RateSpec>().is_err());
        assert_eq!("OFF".parse::<DailyCap>(), Ok(DailyCap(None)));
        assert!("0".parse::<DailyCap>().is_err());
    }

    #[test]
    fn exact_counts() {
        let limiter = IpRateLimiter::new("3/3600".parse().unwrap(), Clock::new());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for expected in [2, 1, 0] {
            match limiter.check(IpKey::of(ip)) {
                RateDecision::Allowed {
                    remaining, limit, ..
                } => {
                    assert_eq!(limit, 3);
                    assert_eq!(remaining, expected);
                }
                other => panic!("{other:?}"),
            }
        }
        match limiter.check(IpKey::of(ip)) {
            RateDecision::Limited {
                retry_after_secs, ..
            } => assert!((1..=1200).contains(&retry_after_secs)),
            other => panic!("{other:?}"),
        }
        // Another address has its own allowance.
        assert!(matches!(
            limiter.check(IpKey::of("192.0.2.2".parse().unwrap())),
            RateDecision::Allowed { .. }
        ));
    }

    #[test]
    fn ipv6_is_keyed_by_its_64_prefix() {
        let a = IpKey::of("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = IpKey::of("2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap());
        let other = IpKey::of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_eq!(
            IpKey::of("::ffff:192.0.2.9".parse().unwrap()).to_string(),
            "192.0.2.9"
        );
        let limiter = IpRateLimiter::new("1/3600".parse().unwrap(), Clock::new());
        assert!(matches!(limiter.check(a), RateDecision::Allowed { .. }));
        assert!(matches!(limiter.check(b), RateDecision::Limited { .. }));
    }

    #[test]
    fn memory_is_bounded() {
        let limiter = IpRateLimiter::with_max_keys("5/3600".parse().unwrap(), Clock::new(), 64);
        for i in 0..10_000u128 {
            let ip = IpAddr::V6(Ipv6Addr::from((0x2001_0db8u128 << 96) | (i << 64)));
            limiter.check(IpKey::of(ip));
        }
        assert!(limiter.tracked_keys() <= 65, "{}", limiter.tracked_keys());
    }

    #[test]
    fn forwarded_for_takes_what_the_trusted_proxy_appended() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let mut h = HeaderMap::new();
        // The client wrote the first entry itself; the proxy appended the second.
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(client_ip(peer, &h, 1), ip("198.51.100.7"));
        assert_eq!(client_ip(peer, &h, 2), ip("203.0.113.9"));
        assert_eq!(
            client_ip(peer, &h, 3),
            peer.ip(),
            "shorter than the proxy chain"
        );
        assert_eq!(client_ip(peer, &h, 0), peer.ip());
        // Several header lines form one list; ports are allowed.
        h.append("x-forwarded-for", "[2001:db8::5]:4711".parse().unwrap());
        assert_eq!(client_ip(peer, &h, 1), ip("2001:db8::5"));
        h.insert("x-forwarded-for", "198.51.100.4, garbage".parse().unwrap());
        assert_eq!(client_ip(peer, &h, 1), peer.ip());
    }
}
