//! Per-IP rate limiting (governor, on the emulator clock), the daily-cap setting, and how the
//! client's IP address is found.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use axum::http::HeaderMap;
use governor::clock::Clock as _;
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

use crate::clock::Clock;

/// The default of `--rate-limit`: 10 account-creation requests per client IP per 60 seconds.
pub const DEFAULT_RATE_LIMIT: &str = "10/60";

/// The default of `--daily-cap`: accounts created per client IP in any 24 hours.
pub const DEFAULT_DAILY_CAP: &str = "100";

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

type KeyedLimiter =
    RateLimiter<IpAddr, HashMapStateStore<IpAddr>, Clock, StateInformationMiddleware>;

/// The per-IP limiter of the account endpoint.
pub struct IpRateLimiter {
    inner: Option<KeyedLimiter>,
    clock: Clock,
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
    /// A limiter for `spec` on `clock`.
    pub fn new(spec: RateSpec, clock: Clock) -> Self {
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
        IpRateLimiter { inner, clock }
    }

    /// Counts one request from `ip` and decides.
    pub fn check(&self, ip: IpAddr) -> RateDecision {
        let Some(limiter) = &self.inner else {
            return RateDecision::Unlimited;
        };
        let now_secs = self.clock.now_ms() as f64 / 1000.0;
        match limiter.check_key(&ip) {
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
}

/// The client's IP: the connection's peer, or with `trust_forwarded_for` the first valid
/// address in `X-Forwarded-For` (the original client, as proxies append to the right).
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .find_map(|part| parse_forwarded_ip(part.trim()));
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
            match limiter.check(ip) {
                RateDecision::Allowed {
                    remaining, limit, ..
                } => {
                    assert_eq!(limit, 3);
                    assert_eq!(remaining, expected);
                }
                other => panic!("{other:?}"),
            }
        }
        match limiter.check(ip) {
            RateDecision::Limited {
                retry_after_secs, ..
            } => assert!((1..=1200).contains(&retry_after_secs)),
            other => panic!("{other:?}"),
        }
        // Another address has its own allowance.
        assert!(matches!(
            limiter.check("192.0.2.2".parse().unwrap()),
            RateDecision::Allowed { .. }
        ));
    }

    #[test]
    fn forwarded_for() {
        let peer: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "198.51.100.4, 10.0.0.1".parse().unwrap());
        assert_eq!(
            client_ip(peer, &h, true),
            "198.51.100.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(peer, &h, false), peer.ip());
    }
}
