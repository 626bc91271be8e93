//! The answer classifier over arbitrary status, headers and body bytes.
//! Oracles: no panic; success only for a 2xx; an error always has a message and the status.
#![no_main]

use arbitrary::Arbitrary;
use cloudinary_agent_account::error::{classify, ResponseMeta};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<String>,
    rate_limit_limit: Option<String>,
    rate_limit_remaining: Option<String>,
    rate_limit_reset: Option<String>,
    now_ms: f64,
    body: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let meta = ResponseMeta {
        status: input.status,
        request_id: input.request_id,
        retry_after: input.retry_after,
        rate_limit_limit: input.rate_limit_limit,
        rate_limit_remaining: input.rate_limit_remaining,
        rate_limit_reset: input.rate_limit_reset,
    };
    match classify(&meta, input.body, input.now_ms) {
        Ok(_) => assert!(
            (200..=299).contains(&input.status),
            "success for HTTP {}",
            input.status
        ),
        Err(e) => {
            assert!(!e.message.is_empty());
            assert_eq!(e.status, Some(input.status));
        }
    }
});
