//! A property test: random JSON bodies (and a few that are not JSON) sent to the running
//! emulator never get a 5xx, and an account is created only for a body the shared validation
//! (`validate::validate_json`, as the emulator applies it) accepts. Only status classes and the
//! account count are checked, not the wording of the answers.

mod common;

use cloudinary_agent_account::validate::{validate_json, Field, UnknownKeys};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Values for the known fields, often near the rules' edges so both outcomes are common.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => "[a-z0-9._+-]{1,12}@[a-z0-9-]{1,12}\\.(com|org|io|example)".prop_map(Value::String),
        3 => "[a-zA-Z0-9 _.-]{0,8}".prop_map(Value::String),
        3 => "[a-zA-Z0-9 ]{2,40}".prop_map(Value::String),
        1 => "\\PC{0,120}".prop_map(Value::String),
        1 => "[ \t]{0,3}[a-z]{0,310}[ \t]{0,3}".prop_map(Value::String),
        1 => any_json(),
    ]
}

/// An object with some of the known fields (each present with a random value or absent) and
/// maybe an unknown one.
fn request_like() -> impl Strategy<Value = Value> {
    // The e-mail is mostly well-formed, so that both outcomes stay common whatever the
    // other fields draw.
    assert_eq!(
        Field::ALL[0],
        Field::Email,
        "the e-mail's strategy is the first"
    );
    let email = prop_oneof![
        3 => "[a-z0-9]{1,10}@[a-z0-9]{1,10}\\.(com|org|io)".prop_map(Value::String),
        1 => field_value(),
    ];
    (
        prop::option::weighted(0.95, email),
        prop::collection::vec(
            prop::option::weighted(0.9, field_value()),
            Field::ALL.len() - 1,
        ),
        prop::option::of(("[a-z_]{1,10}", any_json())),
    )
        .prop_map(|(email, values, extra)| {
            let mut map = Map::new();
            let values = std::iter::once(email).chain(values);
            for (field, value) in Field::ALL.iter().zip(values) {
                if let Some(v) = value {
                    map.insert(field.name().to_owned(), v);
                }
            }
            if let Some((k, v)) = extra {
                map.insert(k, v);
            }
            Value::Object(map)
        })
}

/// A body: mostly request-like objects, some arbitrary JSON, a few byte strings.
fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => request_like().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        2 => any_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

async fn account_count(c: &reqwest::Client, emu: &Emu) -> Result<u64, TestCaseError> {
    let index = json_of(c.get(emu.at("/")).send().await.unwrap()).await;
    index["accounts"]
        .as_u64()
        .ok_or_else(|| TestCaseError::fail("GET / has no account count"))
}

#[test]
fn random_bodies_never_get_a_5xx_and_create_accounts_only_when_valid() {
    let emu = Emu::start(&["--rate-limit", "off", "--daily-cap", "off"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let c = client();
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let created = std::sync::atomic::AtomicU32::new(0);
    let result = runner.run(&body_bytes(), |bytes| {
        rt.block_on(async {
            let before = account_count(&c, &emu).await?;
            let res = c
                .post(emu.at(ENDPOINT))
                .header("content-type", "application/json")
                .body(bytes.clone())
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            // The answer of a created account holds a (fake) API secret: never printed.
            drop(res);
            let after = account_count(&c, &emu).await?;
            let valid = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .is_some_and(|v| validate_json(&v, UnknownKeys::Ignore).is_ok());
            let body = String::from_utf8_lossy(&bytes);
            prop_assert!(status < 500, "HTTP {status} for {body}");
            prop_assert!(
                after - before <= 1,
                "{} accounts for {body}",
                after - before
            );
            if after > before {
                prop_assert!(valid, "an account for an invalid body: {body}");
                prop_assert!((200..300).contains(&status), "created, yet HTTP {status}");
                created.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            } else {
                prop_assert!(
                    !(200..300).contains(&status),
                    "HTTP {status} yet no account"
                );
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The strategy reaches both outcomes.
    let created = created.into_inner();
    assert!(
        created > 5,
        "only {created} of 256 bodies created an account"
    );
}
