//! `CloudRequest::to_json`, the client's hand-written request body, is byte for byte what
//! serde_json writes, for the cloud request and (as a `CloudRequest` without `delivery_ips`)
//! the account request: on generated requests whose strings hold every control character,
//! quotes, backslashes, non-ASCII text, U+2028/U+2029 and any other Unicode scalar value.
//! So is `wire::issues_json`, the rules wasm's answer, on generated issues.

use cloudinary_agent_account::creation::Creation;
use cloudinary_agent_account::validate::{
    validate_fields, validate_request, FieldValue, UnknownKeys,
};
use cloudinary_agent_account::wire::{issues_json, AgentAccountRequest, CloudRequest};
use cloudinary_agent_account::{IssueCode, ValidationIssue};

/// xorshift64*: a fixed seed, so a failure is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A character, often one that JSON escapes or that is easy to get wrong.
    fn char(&mut self) -> char {
        const TRICKY: [char; 16] = [
            '"',
            '\\',
            '/',
            '\'',
            '\u{7F}',
            '\u{80}',
            '\u{9F}',
            '\u{A0}',
            'é',
            '中',
            '\u{2028}',
            '\u{2029}',
            '\u{FEFF}',
            '\u{FFFD}',
            '😀',
            '\u{10FFFF}',
        ];
        match self.below(4) {
            // Every control character below U+0020 (the ones JSON must escape).
            0 => char::from(self.below(0x20) as u8),
            1 => TRICKY[self.below(TRICKY.len())],
            2 => char::from(b' ' + self.below(0x5F) as u8),
            // Any scalar value (surrogates are not chars: draw again).
            _ => loop {
                if let Some(c) = char::from_u32(self.below(0x11_0000) as u32) {
                    break c;
                }
            },
        }
    }

    fn string(&mut self) -> String {
        (0..self.below(24)).map(|_| self.char()).collect()
    }

    fn maybe(&mut self) -> Option<String> {
        (self.below(3) > 0).then(|| self.string())
    }
}

#[test]
fn every_control_character_is_escaped_as_serde_json_escapes_it() {
    let all: String = (0u8..0x80).map(char::from).collect();
    let req = CloudRequest {
        agent_goal: Some(all),
        ..CloudRequest::default()
    };
    assert_eq!(req.to_json(), serde_json::to_string(&req).unwrap());
    assert_eq!(CloudRequest::default().to_json(), "{}");
}

#[test]
fn cloud_requests_are_written_as_serde_json_writes_them() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5_000 {
        let req = CloudRequest {
            delivery_ips: (rng.below(3) > 0)
                .then(|| (0..rng.below(5)).map(|_| rng.string()).collect()),
            email: rng.maybe(),
            agent_framework: rng.maybe(),
            agent_llm_model: rng.maybe(),
            agent_goal: rng.maybe(),
            sdk_framework: rng.maybe(),
        };
        let json = req.to_json();
        assert_eq!(json, serde_json::to_string(&req).unwrap(), "{req:?}");
        assert_eq!(serde_json::from_str::<CloudRequest>(&json).unwrap(), req);
    }
}

#[test]
fn account_requests_are_written_as_serde_json_writes_them() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..5_000 {
        let req = AgentAccountRequest {
            email: rng.string(),
            agent_framework: rng.string(),
            agent_llm_model: rng.string(),
            agent_goal: rng.string(),
            sdk_framework: rng.maybe(),
        };
        // What the client's driver gives for an account request: a CloudRequest without
        // delivery_ips.
        let as_checked = CloudRequest {
            delivery_ips: None,
            email: Some(req.email.clone()),
            agent_framework: Some(req.agent_framework.clone()),
            agent_llm_model: Some(req.agent_llm_model.clone()),
            agent_goal: Some(req.agent_goal.clone()),
            sdk_framework: req.sdk_framework.clone(),
        };
        assert_eq!(
            as_checked.to_json(),
            serde_json::to_string(&req).unwrap(),
            "{req:?}"
        );
    }
}

#[test]
fn a_checked_account_request_is_sent_as_its_typed_body() {
    let req = AgentAccountRequest {
        email: " jane@example.com ".into(),
        agent_framework: "lang\"chain\\".into(),
        agent_llm_model: "claude-opus-4-8".into(),
        agent_goal: "Héberger des images 中文 😀".into(),
        sdk_framework: Some("nodejs".into()),
    };
    let typed = validate_request(&req).unwrap();
    let entries = [
        ("email", FieldValue::Str(&req.email)),
        ("agent_framework", FieldValue::Str(&req.agent_framework)),
        ("agent_llm_model", FieldValue::Str(&req.agent_llm_model)),
        ("agent_goal", FieldValue::Str(&req.agent_goal)),
        ("sdk_framework", FieldValue::Str("nodejs")),
    ];
    let checked = validate_fields(Creation::Account, entries.into(), UnknownKeys::Reject).unwrap();
    assert_eq!(checked.to_json(), serde_json::to_string(&typed).unwrap());
}

#[test]
fn issues_are_written_as_serde_json_writes_them() {
    let mut rng = Rng(0x94D0_49BB_1331_11EB);
    assert_eq!(issues_json(&[]), "[]");
    for _ in 0..3_000 {
        let issues: Vec<ValidationIssue> = (0..rng.below(4))
            .map(|_| ValidationIssue {
                field: rng.string(),
                code: IssueCode::ALL[rng.below(IssueCode::ALL.len())],
                message: rng.string(),
            })
            .collect();
        assert_eq!(
            issues_json(&issues),
            serde_json::to_string(&issues).unwrap(),
            "{issues:?}"
        );
    }
}
