//! `ip::parse_ip` accepts exactly what `std::net::IpAddr::from_str` accepts, and reads the
//! same address: on a generated corpus of near-misses and by a property test over strings of
//! the literals' alphabet.
// proptest is a native dev-dependency only.
#![cfg(not(target_arch = "wasm32"))]

use std::net::IpAddr;

use cloudinary_agent_account::ip::parse_ip;
use proptest::prelude::*;

fn same(s: &str) {
    assert_eq!(parse_ip(s), s.parse::<IpAddr>().ok(), "{s:?}");
}

/// Every string of up to four characters over a small alphabet, then edits of known literals.
#[test]
fn agrees_with_std_on_a_generated_corpus() {
    const ALPHABET: &[&str] = &["0", "1", "9", "a", "F", "g", ".", ":", "/", " ", "é"];
    let mut corpus = vec![String::new()];
    let mut level = vec![String::new()];
    for _ in 0..4 {
        let next: Vec<String> = level
            .iter()
            .flat_map(|s| ALPHABET.iter().map(move |c| format!("{s}{c}")))
            .collect();
        corpus.extend(next.iter().cloned());
        level = next;
    }
    let seeds = [
        "0.0.0.0",
        "255.255.255.255",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3",
        "1.2.3.4.5",
        "1.2.3.04",
        "::",
        "::1",
        "1::",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "::ffff:1.2.3.4",
        "1::2:3.4.5.6",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1.2.3.4::",
        "1.2.3.4:1::",
        "::1.2.3.4:5",
        "fe80::1%1",
        "[::1]",
        "12345::",
        "0000:0000::",
        "00000::",
        ":1::",
        "1:::2",
        "1::2::3",
        "abcd:ef01:2345:6789:ABCD:EF01:2345:6789",
        "::0.0.0.0",
        "::255.255.255.256",
        "::1.2.3",
        "::01.2.3.4",
        "1:2:3:4:5:6:7:8.1.2.3",
    ];
    for seed in seeds {
        corpus.push(seed.to_owned());
        for i in 0..=seed.len() {
            for c in ["", "0", "1", "f", ":", ".", "::"] {
                if seed.is_char_boundary(i) {
                    corpus.push(format!("{}{c}{}", &seed[..i], &seed[i..]));
                    if i < seed.len() && seed.is_char_boundary(i + 1) {
                        corpus.push(format!("{}{c}{}", &seed[..i], &seed[i + 1..]));
                    }
                }
            }
        }
    }
    for s in &corpus {
        same(s);
    }
    assert!(corpus.len() > 15_000, "{}", corpus.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn agrees_with_std_on_strings_of_its_alphabet(s in "[0-9a-fA-F.:g]{0,45}") {
        same(&s);
    }

    #[test]
    fn agrees_with_std_on_every_address_it_prints(v6 in any::<[u16; 8]>(), v4 in any::<[u8; 4]>()) {
        for ip in [IpAddr::from(v6), IpAddr::from(v4)] {
            let text = ip.to_string();
            prop_assert_eq!(parse_ip(&text), Some(ip));
        }
    }
}
