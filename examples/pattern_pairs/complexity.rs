//! Patterns with their complexity figures, for the agreement test of the JSONata measure
//! (`tests/engines/jsonata/complexity.mjs`) and for telling whether a pattern is admitted.
//!
//! A record is `{"pattern", "valid", "nesting", "branches", "fields", "values", "costly",
//! "admitted", "message"}`: the figures of `lambdaless_gen::pattern::Complexity`, whether the
//! pattern is within every limit, and the `pattern-too-complex` message otherwise (`null` when
//! admitted). An invalid pattern is `{"pattern", "valid": false}`.

use lambdaless_gen::model::protocol::Refusal;
use lambdaless_gen::pattern::{CompiledPattern, Complexity, LIMITS};
use serde_json::{json, Map, Value};

use crate::values::{self, Rng};

/// The record of one pattern.
pub(crate) fn record(pattern: &Value) -> Value {
    if CompiledPattern::new(pattern).is_err() {
        return json!({"pattern": pattern, "valid": false});
    }
    let c = Complexity::of(pattern);
    let breach = c.breach();
    json!({
        "pattern": pattern,
        "valid": true,
        "nesting": c.nesting,
        "branches": c.branches,
        "fields": c.fields,
        "values": c.values,
        "costly": c.costly,
        "admitted": breach.is_none(),
        "message": breach.map(|b| Refusal::PatternTooComplex(b).message()),
    })
}

/// Fixed patterns: each limit met exactly and broken by one, dotted keys, `$or` levels, every
/// kind of costly alternative and its near misses, names JavaScript objects inherit.
pub(crate) fn edges() -> Vec<Value> {
    let limit = |i: usize| LIMITS[i].1;
    let nested = |levels: usize| {
        let mut p = json!({"x": [1]});
        for _ in 1..levels {
            p = json!({"a": p});
        }
        p
    };
    let dotted = |levels: usize| json!({ vec!["a"; levels].join("."): [1] });
    let ors = |branches: usize| {
        let list: Vec<Value> = (0..branches)
            .map(|i| json!({ format!("k{i}"): [i] }))
            .collect();
        json!({"$or": list})
    };
    let fields = |n: usize| {
        let map: Map<String, Value> = (0..n).map(|i| (format!("f{i}"), json!([i]))).collect();
        Value::Object(map)
    };
    let values = |n: usize| json!({"v": (0..n).collect::<Vec<_>>()});
    let costly =
        |n: usize| json!({"ip": (0..n).map(|i| format!("10.0.0.{i}")).collect::<Vec<_>>()});
    let mut out = Vec::new();
    for extra in [0, 1] {
        out.push(nested(limit(0) + extra));
        out.push(dotted(limit(0) + extra));
        out.push(ors(limit(1) + extra));
        out.push(fields(limit(2) + extra));
        out.push(values(limit(3) + extra));
        out.push(costly(limit(4) + extra));
    }
    // The deepest patterns EventBridge's 2,048 characters allow (its grammar stops at 64).
    out.push(nested(60));
    out.push(dotted(62));
    out.push(json!({"a.b": {"c.d": {"$or": [{"e.f": [1]}, {"g": {"h": [2]}}]}}}));
    out.push(json!({"a.$or": [1, 2], "$or": [{"$or": [{"x": [1]}, {"y": [2]}]}, {"z": [3]}]}));
    out.push(json!({"constructor": {"__proto__": ["x"]}, "toString": [1], "": {"": [2]}}));
    let alternatives = json!([
        "10.0.0.1", "010.000.000.001", "2001:db8::1", "::", "::ffff:a00:1", "1:2:3:4:5:6:7:8",
        "FE80::1", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "12:30", "256.0.0.1", "1.2.3",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "::ffff:1.2.3.4", "00001::", ":::", "1:2", "deadbeef",
        "aa:bb:cc:dd:ee:ff", "é", 1, true, null,
        {"cidr": "10.0.0.0/24"}, {"cidr": "2001:db8::/64"},
        {"equals-ignore-case": "Straße"}, {"equals-ignore-case": "Strasse"},
        {"prefix": {"equals-ignore-case": "é"}}, {"suffix": {"equals-ignore-case": "ΣΑ"}},
        {"prefix": {"equals-ignore-case": "abc"}}, {"prefix": "é"}, {"suffix": "é"},
        {"wildcard": "a*b*c*"}, {"wildcard": "*\\**b*c*"}, {"wildcard": "a*b*c"},
        {"wildcard": "a\\*b\\*c\\*d*e"}, {"wildcard": "a\\\\*b*c*d"},
        {"anything-but": {"prefix": "x"}}, {"anything-but": {"suffix": ["a", "b"]}},
        {"anything-but": {"equals-ignore-case": "x"}}, {"anything-but": {"wildcard": "a*"}},
        {"anything-but": "x"}, {"anything-but": ["10.0.0.1", "b"]}, {"anything-but": [1, 2]},
        {"numeric": [">", 1]}, {"exists": true}, {"exists": false}
    ]);
    for alternative in alternatives.as_array().into_iter().flatten() {
        out.push(json!({"f": [alternative]}));
    }
    out.push(json!({"f": alternatives}));
    out
}

/// A random valid-looking pattern whose figures range around the limits: nesting through
/// nested objects, dotted keys and `$or`, wide objects, long value lists, costly values.
pub(crate) fn random_pattern(rng: &mut Rng) -> Value {
    let depth = 1 + rng.below(11);
    let wide = rng.chance(0.3);
    let mut budget = 40;
    Value::Object(object(rng, depth as u32, wide, &mut budget))
}

/// An object of at most `budget` keys in all (a pattern is at most 2,048 characters).
fn object(rng: &mut Rng, depth: u32, wide: bool, budget: &mut u32) -> Map<String, Value> {
    let mut map = Map::new();
    let keys = 1 + rng.below(if wide { 12 } else { 3 });
    for i in 0..keys {
        if *budget == 0 && !map.is_empty() {
            break;
        }
        *budget = budget.saturating_sub(1);
        let dots = if rng.chance(0.25) { rng.below(3) } else { 0 } as u32;
        let name = rng.pick(&["a", "b", "detail", "source", "constructor", "", "ip", "$or"]);
        let mut segments = vec![format!("{name}{i}")];
        segments.extend((0..dots).map(|d| format!("s{d}")));
        let key = segments.join(".");
        let room = depth.saturating_sub(dots);
        if room > 1 && rng.chance(0.3) {
            let most = if rng.chance(0.2) { 8 } else { 2 };
            let branches = 2 + rng.below(most);
            let list = (0..branches)
                .map(|_| Value::Object(object(rng, room - 1, false, budget)))
                .collect();
            map.insert("$or".into(), Value::Array(list));
        } else if room > 1 && rng.chance(0.6) {
            map.insert(key, Value::Object(object(rng, room - 1, wide, budget)));
        } else {
            map.insert(key, leaf(rng));
        }
    }
    map
}

fn leaf(rng: &mut Rng) -> Value {
    let most = if rng.chance(0.1) { 40 } else { 4 };
    let count = 1 + rng.below(most);
    Value::Array(
        (0..count)
            .map(|_| match rng.below(5) {
                0 => Value::String(crate::ip::address(rng)),
                1 => json!({"wildcard": values::wildcard(rng)}),
                _ => values::gen_element(rng),
            })
            .collect(),
    )
}
