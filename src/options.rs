//! The options of the package's calls, defined once: their names, types, defaults and bounds.
//! `src/wasm/convert.rs` `read_options` reads a caller's options object by these sets (the
//! creations' and the activation check's), so every call names, checks and clamps them alike;
//! the README's defaults are tested against these constants.

/// What an option's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A base URL string, by `crate::base_url`'s rules.
    BaseUrl,
    /// A positive, finite number of milliseconds, clamped to [`MAX_DELAY_MS`]: which one.
    Duration(Wait),
    /// A whole number from 0 to [`MAX_RETRIES`].
    Retries,
    /// An `AbortSignal` (`null` and `undefined`: none).
    Signal,
    /// A function.
    Callback,
}

/// The durations a call's options set, each in its slot of `convert::read_options`' table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// `timeoutMs`.
    Timeout,
    /// `maxRetryDelayMs`.
    RetryDelay,
    /// `intervalMs`.
    Interval,
}

impl OptionKind {
    /// What the value must be, for messages.
    pub const fn wants(self) -> &'static str {
        match self {
            OptionKind::BaseUrl => "a string",
            OptionKind::Duration(_) => "a positive, finite number of milliseconds",
            OptionKind::Retries => "a whole number from 0 to 10",
            OptionKind::Signal => "an AbortSignal",
            OptionKind::Callback => "a function",
        }
    }
}

/// One call's options: the names it takes, their kinds (in the same order) and its
/// deadline's default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptionSet {
    /// The options' names, in the order messages list them.
    pub names: &'static [&'static str],
    /// The kind of each of `names`.
    pub kinds: &'static [OptionKind],
    /// `timeoutMs` when not given.
    pub timeout_ms: f64,
}

impl OptionSet {
    /// The kind of option `key`, when this set has it.
    pub fn kind(&self, key: &str) -> Option<OptionKind> {
        let at = self.names.iter().position(|k| *k == key)?;
        self.kinds.get(at).copied()
    }
}

/// The longest delay a timer can be given (`setTimeout` fires at once above 2^31-1 ms):
/// longer durations are clamped to it (about 24.8 days).
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// Most retries of a 420/429 (`maxRetries`).
pub const MAX_RETRIES: u32 = 10;

/// `maxRetries` when not given: a rate-limited call is not sent again unless asked.
pub const DEFAULT_MAX_RETRIES: u32 = 0;

/// `maxRetryDelayMs` when not given: a longer `Retry-After` is not waited for.
pub const DEFAULT_MAX_RETRY_DELAY_MS: f64 = 60_000.0;

/// `intervalMs` of `waitForActivation` when not given: the shortest pause between two pings.
pub const DEFAULT_INTERVAL_MS: f64 = 5_000.0;

/// `createAccount`'s and `createCloud`'s options; `timeoutMs` bounds the whole call.
pub const CREATE: OptionSet = OptionSet {
    names: &[
        "baseUrl",
        "timeoutMs",
        "signal",
        "maxRetries",
        "maxRetryDelayMs",
        "onResponse",
    ],
    kinds: &[
        OptionKind::BaseUrl,
        OptionKind::Duration(Wait::Timeout),
        OptionKind::Signal,
        OptionKind::Retries,
        OptionKind::Duration(Wait::RetryDelay),
        OptionKind::Callback,
    ],
    timeout_ms: 30_000.0,
};

/// `checkActivation`'s options: one ping.
pub const CHECK: OptionSet = OptionSet {
    names: &["baseUrl", "timeoutMs", "signal"],
    kinds: &[
        OptionKind::BaseUrl,
        OptionKind::Duration(Wait::Timeout),
        OptionKind::Signal,
    ],
    timeout_ms: 10_000.0,
};

/// `waitForActivation`'s options: pings until active, 15 minutes by default.
pub const WAIT: OptionSet = OptionSet {
    names: &["baseUrl", "intervalMs", "timeoutMs", "signal", "onCheck"],
    kinds: &[
        OptionKind::BaseUrl,
        OptionKind::Duration(Wait::Interval),
        OptionKind::Duration(Wait::Timeout),
        OptionKind::Signal,
        OptionKind::Callback,
    ],
    timeout_ms: 900_000.0,
};

/// A duration option's value: positive and finite, clamped to [`MAX_DELAY_MS`] (a caller
/// asking for "a very long time" gets the longest wait a timer can express, never one that
/// fires at once); `None` when refused.
pub fn duration(n: f64) -> Option<f64> {
    (n.is_finite() && n > 0.0).then(|| n.min(MAX_DELAY_MS))
}

/// A `maxRetries` value; `None` when refused.
pub fn retries(n: f64) -> Option<u32> {
    (n.fract() == 0.0 && (0.0..=f64::from(MAX_RETRIES)).contains(&n)).then_some(n as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_positive_finite_and_clamped_to_the_longest_timer() {
        assert_eq!(duration(5.0), Some(5.0));
        assert_eq!(duration(2f64.powi(40)), Some(MAX_DELAY_MS));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn retries_are_whole_numbers_up_to_ten() {
        assert_eq!(retries(0.0), Some(0));
        assert_eq!(retries(10.0), Some(10));
        for bad in [11.0, -1.0, 1.5, f64::NAN] {
            assert_eq!(retries(bad), None, "{bad}");
        }
    }

    /// The defaults as the package's README and type declarations state them.
    #[test]
    fn the_documented_defaults_are_these() {
        let readme = include_str!("../pkg-template/README.md");
        for (key, default) in [
            ("timeoutMs", CREATE.timeout_ms),
            ("maxRetries", f64::from(DEFAULT_MAX_RETRIES)),
            ("maxRetryDelayMs", DEFAULT_MAX_RETRY_DELAY_MS),
        ] {
            let row = format!("| `{key}` | `{default}` |");
            assert!(readme.contains(&row), "README lacks {row}");
        }
        assert!(readme.contains(&format!("`timeoutMs` ({})", CHECK.timeout_ms)));
        assert!(readme.contains(&format!("`intervalMs` ({}", DEFAULT_INTERVAL_MS)));
        assert!(readme.contains(&format!("retries of a 420/429 only, at most {MAX_RETRIES}")));
        let types = include_str!("../pkg-template/activation.d.ts");
        for default in [CHECK.timeout_ms, DEFAULT_INTERVAL_MS, WAIT.timeout_ms] {
            assert!(types.contains(&format!("Default {default}")), "{default}");
        }
        let types = include_str!("wasm/mod.rs");
        assert!(types.contains(&format!("Default {}.", CREATE.timeout_ms)));
        assert!(types.contains(&format!(
            "Default {DEFAULT_MAX_RETRIES}, at most {MAX_RETRIES}."
        )));
        assert!(types.contains(&format!("Default {DEFAULT_MAX_RETRY_DELAY_MS}.")));
    }

    #[test]
    fn each_set_names_each_option_once_with_its_kind() {
        for set in [CREATE, CHECK, WAIT] {
            assert_eq!(set.names.len(), set.kinds.len());
            for (i, n) in set.names.iter().enumerate() {
                assert!(!set.names[..i].contains(n), "{n} twice");
                assert_eq!(set.kind(n), Some(set.kinds[i]));
            }
        }
        // Each duration fills its own slot, named as the option.
        for (name, wait) in [
            ("timeoutMs", Wait::Timeout),
            ("maxRetryDelayMs", Wait::RetryDelay),
            ("intervalMs", Wait::Interval),
        ] {
            for set in [CREATE, CHECK, WAIT] {
                if let Some(kind) = set.kind(name) {
                    assert_eq!(kind, OptionKind::Duration(wait), "{name}");
                }
            }
        }
    }
}
