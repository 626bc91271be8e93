//! The emulator's clock: real time plus an offset that test controls can move forward.
//!
//! Everything that depends on time (account expiry, the verification deadline in the
//! guidance, rate-limit replenishment, the daily cap window, outbox timestamps) reads this
//! clock, so `POST /_emulator/clock/advance` moves all of them together.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Shared, cheaply cloneable emulator clock.
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Unix milliseconds of the wall clock when the emulator started.
    start_unix_ms: i64,
    /// Monotonic instant of the same moment: later readings add elapsed monotonic time, so a
    /// wall-clock step (NTP) never makes the emulator's time go backwards.
    start: Instant,
    /// Milliseconds added by `advance`.
    offset_ms: AtomicI64,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    /// A clock that reads real time.
    pub fn new() -> Self {
        let start_unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Clock {
            inner: Arc::new(Inner {
                start_unix_ms,
                start: Instant::now(),
                offset_ms: AtomicI64::new(0),
            }),
        }
    }

    /// Time elapsed since start, including the offset.
    fn since_start(&self) -> Duration {
        let offset = self.inner.offset_ms.load(Ordering::Acquire).max(0);
        self.inner.start.elapsed() + Duration::from_millis(offset.unsigned_abs())
    }

    /// The current emulator time in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let elapsed = i64::try_from(self.since_start().as_millis()).unwrap_or(i64::MAX);
        self.inner.start_unix_ms.saturating_add(elapsed)
    }

    /// The current emulator time in whole Unix seconds.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward by `seconds`; returns the new time in Unix milliseconds, or
    /// `None` (and leaves the clock alone) if the total offset would pass [`MAX_OFFSET_SECS`].
    pub fn advance(&self, seconds: u64) -> Option<i64> {
        let add = i64::try_from(seconds.checked_mul(1000)?).ok()?;
        self.inner
            .offset_ms
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |current| {
                current
                    .checked_add(add)
                    .filter(|total| *total <= MAX_OFFSET_SECS * 1000)
            })
            .ok()?;
        Some(self.now_ms())
    }
}

/// The furthest the clock may be moved ahead in total (100 years): the rate limiter counts
/// time in 64-bit nanoseconds, which end after 584 years.
pub const MAX_OFFSET_SECS: i64 = 100 * 365 * 24 * 3600;

/// The rate limiter reads the same clock, so advancing it also replenishes rate limits.
impl governor::clock::Clock for Clock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.since_start()
    }
}

/// Formats Unix milliseconds as ISO-8601 UTC with second precision, e.g.
/// `2026-06-27T14:03:22Z`.
pub fn iso8601(unix_ms: i64) -> String {
    cloudinary_agent_account::dates::format_iso8601(unix_ms.div_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_iso() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_782_475_402_123), "2026-06-26T12:03:22Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn advance_moves_forward() {
        let c = Clock::new();
        let before = c.now_ms();
        let after = c.advance(86_400).unwrap();
        assert!(after - before >= 86_400_000);
        assert!(
            c.advance(MAX_OFFSET_SECS as u64).is_none(),
            "past the limit"
        );
        assert!(c.advance(u64::MAX).is_none());
        assert!(
            c.now_ms() - before < 2 * 86_400_000,
            "a refused advance changes nothing"
        );
    }
}
