//! A parsed JSON value (an answer's body, or the credentials `checkActivation` is given) packed
//! by `packedTree` (src/wasm/objects.js) into one string, and read where it lies: the answer
//! checks (`JsonNode for Tree`) ask it with no boundary crossing. Asking a JS value question
//! by question took about twenty crossings per cloud answer.
//!
//! The format: a value is one of
//! - `:<n>,<text>` a string of `n` UTF-16 code units (JavaScript's `length`), whole;
//! - `F` the boolean `false`;
//! - `x` anything else that is not an object or an array (null, `true`, a number), or a value
//!   that could not be read (a revoked Proxy, a throwing trap);
//! - `{`, then per own enumerable string key `<length>,<key>` and its value, then `}`: an
//!   object, in `Object.keys` order (a key whose value is `undefined` or whose getter threw is
//!   left out, as an absent one);
//! - `[`, its elements, `]`: an array.
//!
//! Bounded, so that a hostile answer (up to 1 MiB) makes neither side deep-recursive nor
//! quadratic: containers nested deeper than [`MAX_TREE_DEPTH`] are packed empty (`{}`, or `[x]`
//! for a non-empty array), and an array holds its first [`MAX_TREE_ITEMS`] elements, then `x`
//! when it had more: a check of every element then fails, a filter skips it. Every node packed
//! is a distinct node of the value, so the string is linear in the body; each question scans
//! at most the value it is asked of.

use crate::json_node::JsonNode;
use crate::text::digits;

/// Deepest container opened: a cloud's `product_environments[0].api_access_keys[i]` is the
/// fifth level (the body, the list, the environment, the list, the key).
pub const MAX_TREE_DEPTH: usize = 5;
/// Most elements of an array packed: more than any documented answer holds (an error's
/// `issues` are read up to 50).
pub const MAX_TREE_ITEMS: usize = 64;

/// One packed value (checked whole by [`Tree::read`], or cut from one that was): questions scan
/// it, a member or an element is copied out as its own packed text. The empty string is no
/// value (what a string that does not read back stands for).
#[derive(Clone, Debug, Default)]
pub struct Tree(String);

/// Splits off the first `units` UTF-16 code units of `s` (JavaScript's `length`). A lone
/// surrogate reaches Rust as U+FFFD, one unit as it was, so the counts agree. Counted on the
/// UTF-8 bytes: a 4-byte character is two units, any other one; a `chars()` loop cost more
/// than the rest of validateRequest.
fn take_utf16(s: &str, units: usize) -> Option<(&str, &str)> {
    // ASCII, the usual case, is one unit a byte: checked a word at a time, not counted.
    if s.as_bytes().get(..units).is_some_and(<[u8]>::is_ascii) {
        return s.split_at_checked(units);
    }
    let mut seen = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b & 0xC0 == 0x80 {
            continue; // inside a character
        }
        if seen >= units {
            return if seen == units {
                s.split_at_checked(i)
            } else {
                None
            };
        }
        seen += if b >= 0xF0 { 2 } else { 1 };
    }
    (seen == units).then_some((s, ""))
}

/// One `<length>,` of a packed string (this format's and `packedEntries`'): the length and
/// what follows it.
pub fn take_length(s: &str) -> Option<(usize, &str)> {
    // A byte search, not `split_once(',')`: core's char searcher is more code for V8 to
    // compile on a valid request's first call (BENCHMARKS.md, "Error paths out of line").
    let comma = s.bytes().position(|b| b == b',')?;
    let len = usize::try_from(digits(s.get(..comma)?)?).ok()?;
    Some((len, s.get(comma + 1..)?))
}

/// One `<length>,<text>` of a packed string: the text and what follows it.
pub fn take_counted(s: &str) -> Option<(&str, &str)> {
    let (len, rest) = take_length(s)?;
    take_utf16(rest, len)
}

/// Whether `s` starts with the byte `b` (not `starts_with(char)`, which brings char encoding).
fn opens(s: &str, b: u8) -> bool {
    s.as_bytes().first().copied() == Some(b)
}

/// Skips one packed value at `depth`: what follows it, `None` when it is not one.
fn skip(s: &str, depth: usize) -> Option<&str> {
    let rest = s.get(1..)?;
    let close = match s.as_bytes().first()? {
        b':' => return take_counted(rest).map(|(_, rest)| rest),
        b'F' | b'x' => return Some(rest),
        b'{' => b'}',
        b'[' => b']',
        _ => return None,
    };
    if depth > MAX_TREE_DEPTH {
        return None;
    }
    let mut rest = rest;
    let mut items = 0;
    while !opens(rest, close) {
        if close == b'}' {
            rest = take_counted(rest)?.1;
        } else if items > MAX_TREE_ITEMS {
            return None;
        }
        rest = skip(rest, depth + 1)?;
        items += 1;
    }
    rest.get(1..)
}

/// The value at the start of `rest` as a tree of its own, and what follows it.
fn take_value(rest: &str) -> Option<(Tree, &str)> {
    let after = skip(rest, 0)?;
    let value = rest.get(..rest.len() - after.len())?;
    Some((Tree(value.into()), after))
}

impl Tree {
    /// Reads a whole packed value; `None` when the string is not one (objects.js and this
    /// file disagreeing): the caller then has no value, never a guess.
    pub fn read(packed: String) -> Option<Tree> {
        skip(&packed, 0)?.is_empty().then_some(Tree(packed))
    }

    /// The packed text of this value after its first byte, when that is `tag`.
    fn after(&self, tag: u8) -> Option<&str> {
        opens(&self.0, tag).then(|| self.0.get(1..))?
    }

    /// Packs a serde_json value as objects.js `packedTree` packs a JS one (native tests, and
    /// [`JsonNode::parse`] off the wasm).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn pack(v: &serde_json::Value) -> String {
        use serde_json::Value;
        fn counted(s: &str, out: &mut String) {
            out.push_str(&s.encode_utf16().count().to_string());
            out.push(',');
            out.push_str(s);
        }
        fn pack_at(v: &Value, depth: usize, out: &mut String) {
            let open = depth < MAX_TREE_DEPTH;
            match v {
                Value::String(s) => {
                    out.push(':');
                    counted(s, out);
                }
                Value::Bool(false) => out.push('F'),
                Value::Object(map) => {
                    out.push('{');
                    for (k, v) in map.iter().filter(|_| open) {
                        counted(k, out);
                        pack_at(v, depth + 1, out);
                    }
                    out.push('}');
                }
                Value::Array(items) => {
                    out.push('[');
                    let n = if open { MAX_TREE_ITEMS } else { 0 };
                    for item in items.iter().take(n) {
                        pack_at(item, depth + 1, out);
                    }
                    if items.len() > n {
                        out.push('x');
                    }
                    out.push(']');
                }
                _ => out.push('x'),
            }
        }
        let mut out = String::new();
        pack_at(v, 0, &mut out);
        out
    }
}

impl JsonNode for Tree {
    fn member(&self, key: &str) -> Option<Self> {
        // Ends at the object's `}`, where no `<length>,` starts (`read` checked the whole string;
        // `take_value` cannot fail inside it).
        let mut rest = self.after(b'{')?;
        loop {
            let (k, value) = take_counted(rest)?;
            if k == key {
                return take_value(value).map(|(value, _)| value);
            }
            // Skipped, not copied: only the member asked for becomes a tree of its own.
            rest = skip(value, 0)?;
        }
    }
    fn elements(&self) -> Option<Vec<Self>> {
        let mut rest = self.after(b'[')?;
        let mut out = Vec::new();
        while !opens(rest, b']') {
            let (item, after) = take_value(rest)?;
            out.push(item);
            rest = after;
        }
        Some(out)
    }
    fn text(&self) -> Option<String> {
        take_counted(self.after(b':')?).map(|(text, _)| text.into())
    }
    fn is_text(&self) -> bool {
        self.after(b':').is_some()
    }
    fn is_object(&self) -> bool {
        self.after(b'{').is_some()
    }
    fn is_false(&self) -> bool {
        self.after(b'F').is_some()
    }
    fn entries(&self) -> Option<Vec<(String, Self)>> {
        let mut rest = self.after(b'{')?;
        let mut out = Vec::new();
        while let Some((key, value)) = take_counted(rest) {
            let Some((value, after)) = take_value(value) else {
                break;
            };
            out.push((key.into(), value));
            rest = after;
        }
        Some(out)
    }
    type Parsed = Tree;
    fn parse(text: &str) -> Option<Tree> {
        #[cfg(all(target_arch = "wasm32", feature = "client"))]
        return Tree::read(crate::wasm::packed_json(text)?);
        #[cfg(not(target_arch = "wasm32"))]
        return serde_json::from_str(text)
            .ok()
            .and_then(|v| Tree::read(Tree::pack(&v)));
        #[cfg(all(target_arch = "wasm32", not(feature = "client")))]
        return {
            let _ = text; // no answer is read without the client
            None
        };
    }
}

// Native: `Tree::pack` (serde_json) stands in for objects.js; the wasm tests (src/wasm/tests.rs)
// run the real `packedTree`.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::activation::{classify_ping, read_credentials};
    use crate::creation::Creation;
    use crate::error::{classify_answer, Body, ResponseMeta};
    use serde_json::{json, Value};

    fn tree(v: &Value) -> Tree {
        Tree::read(Tree::pack(v)).expect("a packed value reads back")
    }

    /// What a node is, as far as the checks can tell (`true`, numbers and null are all `x`).
    fn seen<N: JsonNode>(n: &N) -> Value {
        if let Some(t) = n.text() {
            return Value::String(t);
        }
        if let Some(items) = n.elements() {
            return Value::Array(items.iter().map(seen).collect());
        }
        if let Some(entries) = n.entries() {
            return Value::Object(entries.iter().map(|(k, v)| (k.clone(), seen(v))).collect());
        }
        Value::Bool(!n.is_false())
    }

    /// Every check gives the same answer over the packed tree as over serde_json's value.
    fn agree(v: &Value) {
        let t = tree(v);
        for kind in [Creation::Account, Creation::Cloud] {
            for status in [200, 400, 403, 409, 420, 429, 500] {
                let meta = ResponseMeta {
                    status,
                    ..Default::default()
                };
                let native = classify_answer(kind, &meta, &Body::Json(v), 0.0);
                let packed = classify_answer(kind, &meta, &Body::Json(t.clone()), 0.0);
                match (native, packed) {
                    (Ok(a), Ok(b)) => {
                        let a: Vec<_> = a.into_iter().map(|(k, l)| (k, lift(l, seen))).collect();
                        let b: Vec<_> = b.into_iter().map(|(k, l)| (k, lift(l, seen))).collect();
                        assert_eq!(a, b, "{v}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{v}"),
                    (a, b) => panic!("{v}: {:?} against {:?}", a.is_ok(), b.is_ok()),
                }
            }
        }
        assert_eq!(read_credentials(&v), read_credentials(&t), "{v}");
        for status in [200, 401, 403] {
            assert_eq!(
                classify_ping(status, Some(&v)),
                classify_ping(status, Some(&t))
            );
        }
    }

    fn lift<N>(l: crate::cloud_shape::Lift<N>, f: fn(&N) -> Value) -> Value {
        match l {
            crate::cloud_shape::Lift::From(n) => f(&n),
            crate::cloud_shape::Lift::Built(s) => Value::String(s),
        }
    }

    const SECRET: &str = "FAKE-secret-do-not-use-000000";

    fn bodies() -> Vec<Value> {
        let env_var = format!("CLOUDINARY_URL=cloudinary://123456789012345:{SECRET}@cloud1");
        vec![
            json!({"cloud_name": "cloud1", "api_key": "123456789012345", "api_secret": SECRET,
                "api_environment_variable": env_var, "claim_url": "https://c.example/claim?token=FAKE",
                "expires_at": "2026-08-19T16:13:09Z", "delivery_ips": ["203.0.113.7", "2001:db8::7"],
                "email": "cloud-x@cloud.cloudinary.invalid", "claimed": false, "n": 1.5}),
            json!({"claim_url": "https://c.example/claim?token=FAKE", "expires_at": "2026-08-19T16:13:09Z",
                "delivery_ips": ["203.0.113.7"], "product_environments": [{"cloud_name": "cloud1",
                "api_access_keys": [{"key": "9", "secret": "DISABLED-secret-00000", "enabled": false},
                {"key": "123456789012345", "secret": SECRET, "enabled": true}]}]}),
            json!({"external_id": "x", "email": "j@example.com", "plan_name": "free", "guidance": "g \u{1F600} é",
                "product_environments": [{"external_id": "e", "cloud_name": "cloud1", "api_key": "123456789012345",
                "api_secret": SECRET, "api_environment_variable": env_var}]}),
            json!({"error": {"category": "user_error", "code": "delivery_ips_invalid", "message": "bad",
                "issues": [{"field": "email", "code": "invalid_email", "message": "m"}, 3, {"field": "x"}]}}),
            json!({"error": {"message": "{\"email\":[\"has already been taken\"],\"api_secret\":\"x\"}"}}),
            json!({"error": {"message": {"email": ["is invalid", 4, "has already been taken"], "name": "too long"}}}),
            json!({"error": "Verification pending"}),
            json!({"error": {"code": "verification_pending", "message": "E-mail verification is pending"}}),
            json!({"status": "ok"}),
            json!("cloudinary://123456789012345:FAKE-secret-do-not-use-000000@cloud1"),
            json!({"cloud_name": "c1", "api_key": "1", "api_secret": SECRET}),
            json!([]),
            json!(null),
            json!({}),
        ]
    }

    /// A small deterministic generator (no dependency): the same sequence on every run.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    /// `v` with one node somewhere replaced, removed or added.
    fn mutate(v: &mut Value, r: &mut Lcg) {
        let pick = |r: &mut Lcg| match r.next(9) {
            0 => Value::Null,
            1 => json!(false),
            2 => json!(true),
            3 => json!(7),
            4 => json!([]),
            5 => json!({}),
            6 => json!(["203.0.113.7", 1]),
            7 => json!("https://c.example/\u{2028}x"),
            _ => json!(""),
        };
        match v {
            Value::Object(map) if !map.is_empty() && r.next(4) > 0 => {
                let key = map
                    .keys()
                    .nth(r.next(map.len()))
                    .cloned()
                    .unwrap_or_default();
                match r.next(4) {
                    0 => {
                        map.remove(&key);
                    }
                    1 => {
                        map.insert(key, pick(r));
                    }
                    _ => mutate(map.get_mut(&key).expect("a key just listed"), r),
                }
            }
            Value::Array(items) if !items.is_empty() && r.next(4) > 0 => {
                let i = r.next(items.len());
                mutate(&mut items[i], r);
            }
            _ => *v = pick(r),
        }
    }

    #[test]
    fn every_check_agrees_with_the_native_value() {
        let mut r = Lcg(21);
        for body in bodies() {
            agree(&body);
            for _ in 0..400 {
                let mut v = body.clone();
                for _ in 0..=r.next(3) {
                    mutate(&mut v, &mut r);
                }
                agree(&v);
            }
        }
    }

    #[test]
    fn strings_cross_whole_counted_in_utf16_units() {
        for s in [
            "",
            "a",
            "é",
            "\u{1F600}",
            "a,b:c{d}[e]x",
            "1,2",
            "\u{2028}\u{0}\u{FFFD}",
        ] {
            let t = tree(&json!({ s: [s, { s: s }] }));
            let inner = t.member(s).and_then(|l| l.elements()).unwrap();
            assert_eq!(inner[0].text().as_deref(), Some(s));
            assert_eq!(
                inner[1].member(s).and_then(|n| n.text()).as_deref(),
                Some(s)
            );
        }
        assert!(tree(&json!(false)).is_false());
        assert!(!tree(&json!(true)).is_false());
        assert!(tree(&json!({"a": 1})).member("b").is_none());
    }

    #[test]
    fn a_long_array_is_its_first_elements_then_one_no_check_accepts() {
        let ips: Vec<String> = (0..100_000)
            .map(|i| format!("10.0.{}.{}", i / 256 % 256, i % 256))
            .collect();
        let t = tree(&json!({ "delivery_ips": ips }));
        let items = t.member("delivery_ips").and_then(|l| l.elements()).unwrap();
        assert_eq!(items.len(), MAX_TREE_ITEMS + 1);
        assert_eq!(items[0].text().as_deref(), Some("10.0.0.0"));
        assert!(items[MAX_TREE_ITEMS].text().is_none() && !items[MAX_TREE_ITEMS].is_object());
        // Exactly the cap: nothing added.
        let t = tree(&json!(vec![0; MAX_TREE_ITEMS]));
        assert_eq!(t.elements().unwrap().len(), MAX_TREE_ITEMS);
    }

    #[test]
    fn deep_nesting_is_packed_empty_past_the_depth_and_refused_when_packed_deeper() {
        let mut shallow = json!("deep");
        for _ in 0..60 {
            shallow = json!({ "a": [shallow] });
        }
        let t = tree(&shallow);
        let mut n = t.clone();
        let mut depth = 0;
        while let Some(next) = n
            .member("a")
            .and_then(|l| l.elements())
            .and_then(|l| l.into_iter().next())
        {
            n = next;
            depth += 2;
        }
        // The containers at depths 0 to 4 are opened; the list at depth 5 is `[x]`, whose one
        // element is no value.
        assert_eq!(depth, MAX_TREE_DEPTH + 1);
        // A string nested deeper than packedTree ever writes is no value, without recursing.
        let deep = "{1,a".repeat(100_000) + &"}".repeat(100_000);
        assert!(Tree::read(deep).is_none());
        let deep = "[".repeat(1_000_000) + &"]".repeat(1_000_000);
        assert!(Tree::read(deep).is_none());
    }

    #[test]
    fn bad_packing_is_no_value_and_an_unexpected_response() {
        let good = Tree::pack(&bodies()[0]);
        let mut r = Lcg(7);
        for cut in 0..good.len() {
            if let Some(head) = good.get(..cut) {
                assert!(Tree::read(head.into()).is_none(), "{cut}");
            }
        }
        for bad in [
            "",
            "q",
            ":",
            ":5,ab",
            ":1a",
            "{",
            "{}}",
            "[x",
            "{1,a}",
            "{1,ax",
            "[xF]x",
            "{:1,a}",
            "99999999999999999999999,",
        ] {
            assert!(Tree::read(bad.into()).is_none(), "{bad}");
        }
        // Random bytes flipped: never a panic; whatever reads back is still a whole value.
        let bytes = good.as_bytes();
        for _ in 0..5_000 {
            let mut b = bytes.to_vec();
            let i = r.next(b.len());
            b[i] = b"{}[]:,x0123456789aF"[r.next(19)];
            if let Ok(s) = String::from_utf8(b) {
                let _ = Tree::read(s).map(|t| seen(&t));
            }
        }
        let meta = ResponseMeta {
            status: 200,
            ..Default::default()
        };
        let err =
            classify_answer(Creation::Cloud, &meta, &Body::Json(Tree::default()), 0.0).unwrap_err();
        assert_eq!(err.code, crate::error::ErrorCode::UnexpectedResponse);
    }
}
