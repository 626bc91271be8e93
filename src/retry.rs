//! The one waiting policy of the package: which failed creations are sent again and how long
//! to wait first (both creations: `createAccount`, `createCloud`), and the activation check's
//! pause between two pings. The JS drivers only sleep for what these return.

use crate::error::{AccountError, ErrorCode};

/// First wait when a 420/429 carries no `Retry-After`; doubled on each retry.
pub const BACKOFF_START_MS: f64 = 1_000.0;

/// The activation back-off never waits longer than this between checks (unless `intervalMs`
/// is longer).
pub const MAX_BACKOFF_MS: f64 = 60_000.0;

/// Whether a failed call may be sent again: only a rate-limited request, which the server
/// refused before creating anything. Nothing that may have created an account or a cloud is
/// retried.
pub fn should_retry(e: &AccountError) -> bool {
    e.code == ErrorCode::RateLimited && !e.may_have_created_account
}

/// Where a call stands when an answer failed: retries done and allowed, the longest wait the
/// caller accepts, and the clock against the call's deadline (Unix milliseconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryBudget {
    /// Retries already made.
    pub retries: u32,
    /// `maxRetries`.
    pub max_retries: u32,
    /// `maxRetryDelayMs`: a longer wait is not made.
    pub max_retry_delay_ms: f64,
    /// Now.
    pub now_ms: f64,
    /// When the whole call must be over (`timeoutMs` after it started).
    pub deadline_ms: f64,
}

/// How long to wait before sending the request again after `e`, or `None` when `e` is the
/// answer: not retried ([`should_retry`]), no retry left, or a wait (the `Retry-After`, else
/// [`BACKOFF_START_MS`] doubled per retry) over `maxRetryDelayMs` or reaching the deadline.
///
/// ```
/// use cloudinary_agent_account::error::{AccountError, ErrorCode};
/// use cloudinary_agent_account::retry::{retry_wait, RetryBudget};
/// let e = AccountError::new(ErrorCode::RateLimited, "too many");
/// let b = RetryBudget { retries: 1, max_retries: 3, max_retry_delay_ms: 60_000.0,
///     now_ms: 0.0, deadline_ms: 30_000.0 };
/// assert_eq!(retry_wait(&e, &b), Some(2_000.0));
/// ```
pub fn retry_wait(e: &AccountError, b: &RetryBudget) -> Option<f64> {
    if !should_retry(e) || b.retries >= b.max_retries {
        return None;
    }
    let wait = e
        .retry_after_ms
        .map(|ms| ms as f64)
        .unwrap_or(BACKOFF_START_MS * f64::from(1u32 << b.retries.min(10)));
    (wait <= b.max_retry_delay_ms && b.now_ms + wait < b.deadline_ms).then_some(wait)
}

/// The activation check's pause before check number `attempt + 1` (0-based `attempt` checks
/// done so far): `interval_ms`, growing by half each time, capped at [`MAX_BACKOFF_MS`] (or
/// at `interval_ms` when that is longer). Never shorter than `interval_ms`.
pub fn activation_backoff_ms(interval_ms: f64, attempt: u32) -> f64 {
    // 1.5^n by multiplying, exact up to n = 30 (3^30 < 2^53) as `powi` is, without linking
    // compiler-builtins' `__powidf2`.
    let mut factor = 1.0;
    for _ in 0..attempt.min(30) {
        factor *= 1.5;
    }
    let grown = interval_ms * factor;
    grown.min(MAX_BACKOFF_MS.max(interval_ms)).max(interval_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(retries: u32) -> RetryBudget {
        RetryBudget {
            retries,
            max_retries: 3,
            max_retry_delay_ms: 60_000.0,
            now_ms: 1_000.0,
            deadline_ms: 31_000.0,
        }
    }

    fn limited(retry_after_ms: Option<u64>) -> AccountError {
        let mut e = AccountError::new(ErrorCode::RateLimited, "too many");
        e.retry_after_ms = retry_after_ms;
        e
    }

    #[test]
    fn a_429_waits_its_retry_after_else_a_doubling_back_off() {
        assert_eq!(retry_wait(&limited(Some(2_500)), &budget(0)), Some(2_500.0));
        assert_eq!(retry_wait(&limited(None), &budget(0)), Some(1_000.0));
        assert_eq!(retry_wait(&limited(None), &budget(2)), Some(4_000.0));
    }

    #[test]
    fn no_wait_past_the_retries_the_delay_cap_or_the_deadline() {
        assert_eq!(retry_wait(&limited(None), &budget(3)), None);
        assert_eq!(retry_wait(&limited(Some(61_000)), &budget(0)), None);
        assert_eq!(retry_wait(&limited(Some(30_000)), &budget(0)), None);
        assert_eq!(
            retry_wait(&limited(Some(29_999)), &budget(0)),
            Some(29_999.0)
        );
    }

    #[test]
    fn nothing_that_may_have_created_anything_is_retried() {
        let mut e = limited(Some(1));
        e.may_have_created_account = true;
        assert_eq!(retry_wait(&e, &budget(0)), None);
        let e = AccountError::new(ErrorCode::ServerError, "failed");
        assert_eq!(retry_wait(&e, &budget(0)), None);
    }

    #[test]
    fn the_activation_back_off_is_what_powi_gives() {
        for interval in [1.0, 100.0, 5_000.0, 7.3, 90_000.0] {
            for a in 0..40u32 {
                let want = (interval * 1.5f64.powi(a.min(30) as i32))
                    .min(MAX_BACKOFF_MS.max(interval))
                    .max(interval);
                assert_eq!(activation_backoff_ms(interval, a), want, "{interval} {a}");
            }
        }
    }

    #[test]
    fn the_activation_back_off_grows_by_half_and_is_capped() {
        assert_eq!(activation_backoff_ms(5_000.0, 0), 5_000.0);
        assert_eq!(activation_backoff_ms(5_000.0, 1), 7_500.0);
        assert_eq!(activation_backoff_ms(5_000.0, 50), MAX_BACKOFF_MS);
        assert_eq!(activation_backoff_ms(90_000.0, 5), 90_000.0);
        for a in 0..40 {
            assert!(activation_backoff_ms(100.0, a) >= 100.0);
            assert!(activation_backoff_ms(100.0, a + 1) >= activation_backoff_ms(100.0, a));
        }
    }
}
