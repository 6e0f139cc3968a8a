//! `PatternSet` (one index for many patterns, events read from their bytes) against
//! `CompiledPattern` (one pattern, a parsed `Value`): seeded random patterns and events from
//! the `pattern_pairs` generator, and malformed event bytes against serde_json.

#[allow(dead_code)]
#[path = "../examples/pattern_pairs/differential.rs"]
mod differential;
#[allow(dead_code)]
#[path = "../examples/pattern_pairs/event.rs"]
mod event;
#[allow(dead_code)]
#[path = "../examples/pattern_pairs/ip.rs"]
mod ip;
#[allow(dead_code)]
#[path = "../examples/pattern_pairs/pattern.rs"]
mod pattern;
#[allow(dead_code)]
#[path = "../examples/pattern_pairs/values.rs"]
mod values;

use lambdaless_gen::pattern::{CompiledPattern, PatternSet};
use serde_json::Value;
use values::Rng;

/// `count` valid random (pattern, event) pairs.
fn pairs(seed: u64, count: usize) -> Vec<(Value, Value)> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    while out.len() < count {
        let pattern = pattern::random_pattern(&mut rng);
        if CompiledPattern::new(&pattern).is_err() {
            continue;
        }
        let event = pattern::random_event(&mut rng, &pattern);
        out.push((pattern, event));
    }
    out
}

#[test]
fn random_pairs_agree_one_by_one_and_in_sets() {
    let mut tally = differential::Tally::default();
    for chunk in pairs(13, 4000).chunks(64) {
        differential::check_chunk(chunk, &mut tally);
    }
    for example in &tally.examples {
        eprintln!("DISAGREE {example}");
    }
    assert!(tally.pairs + tally.rejected >= 4000, "{tally:?}");
    assert!(tally.cross > 200_000, "{} cross verdicts", tally.cross);
    assert!(
        tally.trusted > 3000,
        "{} events checked trusted",
        tally.trusted
    );
    eprintln!("{tally:?}");
    assert_eq!(
        tally.disagreements, 0,
        "{} disagreements",
        tally.disagreements
    );
}

/// Bytes that matter to a JSON reader, for mutations.
const SIGNIFICANT: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b",",
    b":",
    b"-",
    b"e",
    b".",
    b"0",
    b"1",
    b" ",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\x00",
    b"\x1f",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"true",
    b"nul",
    b"1e400",
    b"-0",
    b"\"a.b\"",
    b"\"a\":",
    b",\"a\":1",
];

/// A random mutation of `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let at = rng.below(bytes.len() as u64 + 1) as usize;
    match rng.below(4) {
        0 => {
            let piece = rng.pick(SIGNIFICANT);
            bytes.splice(at..at, piece.iter().copied());
        }
        1 if at < bytes.len() => {
            bytes.remove(at);
        }
        2 => bytes.truncate(at),
        _ if at < bytes.len() => bytes[at] = rng.below(256) as u8,
        _ => bytes.push(b'}'),
    }
}

#[test]
fn malformed_events_are_rejected_exactly_when_serde_json_rejects_them() {
    let pairs = pairs(7, 600);
    let mut set = PatternSet::new();
    let compiled: Vec<CompiledPattern> = pairs
        .iter()
        .map(|(p, _)| CompiledPattern::new(p).expect("valid"))
        .collect();
    for (i, (p, _)) in pairs.iter().enumerate().take(80) {
        set.add(i, p).expect("valid");
    }
    let mut rng = Rng::new(99);
    let (mut rejected, mut accepted, mut checked_trusted) = (0, 0, 0);
    for (_, event) in &pairs {
        let original = serde_json::to_vec(event).expect("serialize");
        for _ in 0..12 {
            let mut bytes = original.clone();
            mutate(&mut rng, &mut bytes);
            if rng.chance(0.3) {
                mutate(&mut rng, &mut bytes);
            }
            let parsed = serde_json::from_slice::<Value>(&bytes);
            let got = set.matches(&bytes);
            // Never panics; on well-formed events meeting its precondition, same keys.
            let trusted = set.matches_trusted(&bytes);
            match parsed {
                Ok(value) if value.is_object() => {
                    accepted += 1;
                    let want: Vec<usize> =
                        (0..80).filter(|&i| compiled[i].matches(&value)).collect();
                    if differential::trustable(&value) && !repeats_a_key(&bytes) {
                        checked_trusted += 1;
                        assert_eq!(trusted.as_ref().ok(), Some(&want));
                    }
                    assert_eq!(
                        got.as_ref().ok(),
                        Some(&want),
                        "{}",
                        String::from_utf8_lossy(&bytes)
                    );
                }
                _ => {
                    rejected += 1;
                    assert!(
                        got.is_err(),
                        "accepted {:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                }
            }
        }
    }
    assert!(
        rejected > 1000 && accepted > 300 && checked_trusted > 200,
        "{rejected} rejected, {accepted} accepted, {checked_trusted} checked trusted"
    );
    eprintln!("{rejected} rejected, {accepted} accepted, {checked_trusted} checked trusted");
}

/// Whether the top-level object of `bytes` (valid JSON) repeats a key (a `Value` keeps only
/// the last of them, so `trustable` cannot tell).
fn repeats_a_key(bytes: &[u8]) -> bool {
    struct Keys(bool);
    impl<'de> serde::de::Visitor<'de> for Keys {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut keys = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<serde::de::IgnoredAny>()?;
                keys.push(key.split('.').next().unwrap_or("").to_owned());
            }
            keys.sort_unstable();
            Ok(!self.0 && keys.windows(2).any(|w| w[0] == w[1]))
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde::Deserializer::deserialize_map(&mut de, Keys(false)).unwrap_or(true)
}

#[test]
fn edges_of_the_json_grammar() {
    let mut set = PatternSet::new();
    set.add("a", &serde_json::json!({"a": [{"exists": true}]}))
        .expect("valid");
    let deep = |n: usize, open: &str, close: &str| {
        format!("{{\"a\":{}1{}}}", open.repeat(n - 1), close.repeat(n - 1))
    };
    let cases: Vec<String> = vec![
        deep(127, "[", "]"),
        deep(128, "[", "]"),
        deep(127, "{\"b\":", "}"),
        deep(128, "{\"b\":", "}"),
        format!("{{\"z\":{}1{}}}", "[".repeat(126), "]".repeat(126)),
        format!("{{\"z\":{}1{}}}", "[".repeat(127), "]".repeat(127)),
        r#"{"a":"\ud83d\ude00"}"#.into(),
        r#"{"a":"\ud800"}"#.into(),
        r#"{"z":"\udc00"}"#.into(),
        r#"{"a":1e400}"#.into(),
        r#"{"z":-1e400}"#.into(),
        r#"{"a":1e-400}"#.into(),
        format!("{{\"z\":{}}}", "9".repeat(400)),
        r#"{"a":1,"a":2}"#.into(),
        r#"{"a":01}"#.into(),
        r#"{"a":[1,]}"#.into(),
        "{\"a\":1}\u{c}".into(),
        " {\"a\":1} \n".into(),
        "[1]".into(),
        "\"a\"".into(),
        String::new(),
        "\u{feff}{}".into(),
        r#"{"a\u002e":1}"#.into(),
        r#"{"\u0061":1}"#.into(),
    ];
    for case in &cases {
        let want = match serde_json::from_str::<Value>(case) {
            Ok(v) if v.is_object() => Some(
                CompiledPattern::new(&serde_json::json!({"a": [{"exists": true}]}))
                    .expect("valid")
                    .matches(&v),
            ),
            _ => None,
        };
        let got = set
            .matches(case.as_bytes())
            .ok()
            .map(|keys| !keys.is_empty());
        assert_eq!(got, want, "{case:.80}");
    }
}

#[test]
fn trusted_mode_stops_once_every_named_top_level_key_is_read() {
    let mut set = PatternSet::new();
    set.add("a", &serde_json::json!({"a": [1]})).expect("valid");
    set.add("no-b", &serde_json::json!({"b": [{"exists": false}]}))
        .expect("valid");
    let cases: &[(&str, Option<&[&str]>)] = &[
        // `b` unseen: read to the end, where its absence is known.
        (r#"{"a":1,"c":[{"x":"\""}]}"#, Some(&["a", "no-b"])),
        (r#"{"a":1,"c":[1,2],"b":0}"#, Some(&["a"])),
        // Both seen: what follows is not read.
        (r#"{"b":0,"a":1,"c":nonsense"#, Some(&["a"])),
        (r#"{"b":[1],"a":1}trailing"#, Some(&["a"])),
        (r#"{"b":{"x":[1]},"a":1}trailing"#, Some(&["a", "no-b"])),
        // Skimmed values are not validated, but must end.
        (r#"{"c":[01,"\q"],"a":2}"#, Some(&["no-b"])),
        (r#"{"c":"unterminated"#, None),
        (r#"{"c":[1,2"#, None),
        // What it reads is validated.
        (r#"{"a":01,"b":0}"#, None),
        ("{\"a\":\"\u{1}\",\"b\":0}", None),
        (r#"{"a" 1}"#, None),
        ("[1]", None),
        ("", None),
    ];
    for (event, want) in cases {
        let got = set.matches_trusted(event.as_bytes()).ok();
        assert_eq!(got.as_deref(), *want, "{event}");
    }
    // Everything up to the stop must be UTF-8, skimmed values included; after it, not read.
    let utf8 = |s: &[u8]| set.matches_trusted(s).ok();
    assert_eq!(utf8(b"{\"b\":0,\"a\":\"\xff\"}"), None);
    assert_eq!(utf8(b"{\"c\":\"\xff\"}"), None);
    assert_eq!(utf8(b"{\"b\":0,\"a\":1,\"c\":\"\xff\"}"), Some(vec!["a"]));
}
