//! Fault injection for the account endpoint (`POST /_emulator/faults`, test controls only).
//!
//! A fault applies to the next `count` requests to the account endpoint. With `status` it
//! replaces the answer entirely (status, body, content type, headers), before any rule or the
//! rate limiter runs. Without `status` the real answer is given, after `delay_ms`, with
//! `headers` added and, on a 200, `guidance_suffix` appended to the guidance. A new fault
//! replaces the previous one; `DELETE /_emulator/faults` clears it.

use std::sync::Mutex;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use serde::Deserialize;

/// The longest delay accepted, so a mistaken value cannot hang a test run.
pub const MAX_DELAY_MS: u64 = 120_000;

/// The JSON body of `POST /_emulator/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// How many requests the fault applies to.
    #[serde(deserialize_with = "whole")]
    pub count: u32,
    /// The status of the injected answer (replaces the real one).
    #[serde(default, deserialize_with = "whole_or_null")]
    pub status: Option<u16>,
    /// The body of the injected answer (default empty).
    pub body: Option<String>,
    /// Its `Content-Type` (default `application/json`).
    pub content_type: Option<String>,
    /// Extra headers.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    /// Milliseconds to wait before answering.
    #[serde(default, deserialize_with = "whole_or_null")]
    pub delay_ms: Option<u64>,
    /// Markdown appended to the guidance of a real 200.
    pub guidance_suffix: Option<String>,
}

/// A whole number, also written as `3.0`: JSON Schema's `integer` (which the OpenAPI document
/// states) counts it as one, serde's integers do not.
fn whole<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<u64>,
{
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    let whole = n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(f))
            .map(|f| f as u64)
    });
    whole
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| D::Error::custom(format!("expected a whole number in range, got {n}")))
}

/// [`whole`], or `null` for none.
fn whole_or_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<u64>,
{
    #[derive(Deserialize)]
    struct Whole<T: TryFrom<u64>>(#[serde(deserialize_with = "whole")] T);
    Ok(Option::<Whole<T>>::deserialize(d)?.map(|Whole(t)| t))
}

/// A validated fault, ready to apply.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Replacement answer, if any.
    pub replace: Option<Replacement>,
    /// Headers added to the answer (injected or real).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Delay before answering.
    pub delay: Option<Duration>,
    /// Markdown appended to the guidance of a real 200.
    pub guidance_suffix: Option<String>,
}

/// An injected answer.
#[derive(Debug, Clone)]
pub struct Replacement {
    /// Its status.
    pub status: StatusCode,
    /// Its body.
    pub body: String,
    /// Its `Content-Type`.
    pub content_type: HeaderValue,
}

/// A fault specification that cannot be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FaultError {
    /// `status` is not an HTTP status code.
    #[error("status must be an HTTP status code (100-599), got {0}")]
    Status(u16),
    /// A header name or value is not valid HTTP.
    #[error("header `{0}` is not a valid HTTP header name and value")]
    Header(String),
    /// `content_type` is not a valid header value.
    #[error("content_type is not a valid header value")]
    ContentType,
    /// `delay_ms` too large.
    #[error("delay_ms must be at most {MAX_DELAY_MS}")]
    Delay,
}

impl FaultSpec {
    /// Checks the specification.
    pub fn into_fault(self) -> Result<(u32, Fault), FaultError> {
        let replace = match self.status {
            Some(code) => {
                let status = StatusCode::from_u16(code)
                    .ok()
                    .filter(|s| (100..600).contains(&s.as_u16()))
                    .ok_or(FaultError::Status(code))?;
                let content_type = match &self.content_type {
                    Some(ct) => HeaderValue::from_str(ct).map_err(|_| FaultError::ContentType)?,
                    None => HeaderValue::from_static("application/json"),
                };
                Some(Replacement {
                    status,
                    body: self.body.unwrap_or_default(),
                    content_type,
                })
            }
            None => None,
        };
        let headers = self
            .headers
            .iter()
            .map(|(k, v)| {
                let name = HeaderName::from_bytes(k.as_bytes())
                    .map_err(|_| FaultError::Header(k.clone()))?;
                let value = HeaderValue::from_str(v).map_err(|_| FaultError::Header(k.clone()))?;
                Ok((name, value))
            })
            .collect::<Result<Vec<_>, FaultError>>()?;
        let delay = match self.delay_ms {
            Some(ms) if ms > MAX_DELAY_MS => return Err(FaultError::Delay),
            Some(ms) => Some(Duration::from_millis(ms)),
            None => None,
        };
        Ok((
            self.count,
            Fault {
                replace,
                headers,
                delay,
                guidance_suffix: self.guidance_suffix,
            },
        ))
    }
}

/// The fault in force, if any, with the requests it still applies to.
#[derive(Debug, Default)]
pub struct Faults {
    current: Mutex<Option<(u32, Fault)>>,
}

impl Faults {
    /// Installs a fault for the next `count` requests (0 clears).
    pub fn set(&self, count: u32, fault: Fault) {
        let mut guard = self.lock();
        *guard = (count > 0).then_some((count, fault));
    }

    /// Clears any fault.
    pub fn clear(&self) {
        *self.lock() = None;
    }

    /// Takes the fault for one request, counting it down.
    pub fn take(&self) -> Option<Fault> {
        let mut guard = self.lock();
        let (left, fault) = guard.as_mut()?;
        let fault = fault.clone();
        *left -= 1;
        if *left == 0 {
            *guard = None;
        }
        Some(fault)
    }

    /// How many requests the current fault still applies to.
    pub fn remaining(&self) -> u32 {
        self.lock().as_ref().map_or(0, |(n, _)| *n)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(u32, Fault)>> {
        // A panic while holding this lock cannot leave the Option half-written.
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> Result<FaultSpec, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_are_json_schema_integers_and_null_is_absent() {
        let s =
            spec(r#"{"count": 3.0, "status": 503.0, "delay_ms": null, "guidance_suffix": null}"#)
                .unwrap();
        assert_eq!((s.count, s.status, s.delay_ms), (3, Some(503), None));
        assert!(spec(r#"{"count": 3.5}"#).is_err());
        assert!(spec(r#"{"count": -1}"#).is_err());
        assert!(spec(r#"{"count": 4294967296}"#).is_err());
        assert!(spec(r#"{"count": 1, "status": 70000}"#).is_err());
        assert!(spec(r#"{}"#).is_err());
    }
}
