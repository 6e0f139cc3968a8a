//! Unit and property tests of [`super::Complexity`]: each figure by example, the order of the
//! limits, and, on seeded random valid patterns, agreement with an independent formulation
//! (dotted keys expanded into nested objects, figures counted recursively) and the invariants
//! the definitions promise.

use serde_json::{json, Map, Value};

use super::{Breach, Complexity, Limit, LIMITS};
use crate::pattern::validate;

fn measure(pattern: Value) -> [usize; 5] {
    assert!(
        validate(&pattern).is_empty(),
        "not a valid pattern: {pattern}"
    );
    figures(&pattern)
}

/// The figures of a pattern that may be over EventBridge's size limit.
fn figures(pattern: &Value) -> [usize; 5] {
    let c = Complexity::of(pattern);
    [c.nesting, c.branches, c.fields, c.values, c.costly]
}

#[test]
fn nesting_counts_levels_dots_and_branches() {
    assert_eq!(measure(json!({"source": ["a"]}))[0], 1);
    assert_eq!(measure(json!({"a.b.c": [1]}))[0], 3);
    assert_eq!(measure(json!({"a": {"b": {"c": [1]}}}))[0], 3);
    assert_eq!(measure(json!({"a.b": {"c.d": [1]}}))[0], 4);
    // A branch is a level: its keys are one below the keys of the object holding the $or.
    assert_eq!(measure(json!({"$or": [{"a": [1]}, {"b": [2]}]}))[0], 2);
    assert_eq!(
        measure(json!({"d": {"$or": [{"a": [1]}, {"b": {"c": [2]}}]}}))[0],
        4
    );
    // The deepest field decides, wherever it is.
    assert_eq!(
        measure(json!({"a": [1], "b": {"c": {"d": [1]}}, "e.f": [1]}))[0],
        3
    );
    // "a.$or" is a field named "$or" under "a", not a $or.
    assert_eq!(measure(json!({"a.$or": [1, 2]})), [2, 0, 1, 2, 0]);
}

#[test]
fn branches_fields_and_values_count_every_occurrence() {
    let p = json!({
        "source": ["a", "b"],
        "$or": [
            {"x": [1], "$or": [{"y": [1, 2, 3]}, {"z": [{"exists": false}]}, {"w": [null]}]},
            {"x": [2]}
        ],
        "detail": {"$or": [{"a": [true]}, {"b": ["c"]}]}
    });
    assert_eq!(measure(p), [3, 7, 8, 11, 0]);
    // The same field defined twice is measured as written (both definitions are read).
    let p: Value = serde_json::from_str(r#"{"a.b": [1, 2], "a": {"c": [3]}}"#).unwrap();
    assert_eq!(measure(p), [2, 0, 2, 3, 0]);
}

#[test]
fn costly_alternatives_are_those_tested_by_a_function() {
    let costly = |alt: Value| measure(json!({"f": [alt]}))[4];
    for alt in [
        json!("10.0.0.1"),
        json!("010.000.000.001"),
        json!("2001:db8::1"),
        json!("::"),
        json!("::ffff:a00:1"),
        json!("1:2:3:4:5:6:7:8"),
        // Shaped like addresses without being ones: counted too.
        json!("256.0.0.1"),
        json!("1::2::3"),
        json!("12345::"),
        json!({"cidr": "10.0.0.0/24"}),
        json!({"cidr": "2001:db8::/64"}),
        json!({"equals-ignore-case": "Straße"}),
        json!({"prefix": {"equals-ignore-case": "é"}}),
        json!({"suffix": {"equals-ignore-case": "ΣΑ"}}),
        json!({"wildcard": "a*b*c*"}),
        json!({"wildcard": "*\\**b*c*"}),
        json!({"anything-but": {"prefix": "x"}}),
        json!({"anything-but": {"suffix": ["a", "b"]}}),
        json!({"anything-but": {"equals-ignore-case": "x"}}),
        json!({"anything-but": {"wildcard": "a*"}}),
    ] {
        assert_eq!(costly(alt.clone()), 1, "{alt} is costly");
    }
    for alt in [
        json!("12:30"),
        json!("aa:bb:cc:dd:ee:ff"),
        json!("1.2.3"),
        json!("1.2.3.4."),
        json!("1:2:3:4:5:6:7:8:9"),
        json!("1:2:3:4:5:6:7:"),
        json!("::ffff:1.2.3.4"),
        json!("１.2.3.4"),
        json!("deadbeef"),
        json!("é"),
        json!(10),
        json!(true),
        json!(null),
        json!({"prefix": "é"}),
        json!({"suffix": "é"}),
        json!({"prefix": {"equals-ignore-case": "abc"}}),
        json!({"equals-ignore-case": "Strasse"}),
        json!({"wildcard": "a*b*c"}),
        json!({"wildcard": "a\\*b\\*c\\*d*e"}),
        json!({"wildcard": "a\\\\*b"}),
        json!({"anything-but": "x"}),
        json!({"anything-but": ["10.0.0.1", "b"]}),
        json!({"anything-but": [1, 2]}),
        json!({"numeric": [">", 1]}),
        json!({"exists": true}),
        json!({"exists": false}),
    ] {
        assert_eq!(costly(alt.clone()), 0, "{alt} is not costly");
    }
}

#[test]
fn the_first_limit_broken_is_reported() {
    let at = |nesting, branches, fields, values, costly| Complexity {
        nesting,
        branches,
        fields,
        values,
        costly,
    };
    assert_eq!(at(8, 8, 32, 64, 2).breach(), None);
    assert_eq!(
        at(9, 9, 33, 65, 3).breach(),
        Some(Breach {
            limit: Limit::Nesting,
            figure: 9
        })
    );
    assert_eq!(
        at(1, 1, 1, 65, 3).breach(),
        Some(Breach {
            limit: Limit::Values,
            figure: 65
        })
    );
    assert_eq!(
        at(1, 1, 1, 1, 3).breach().map(|b| b.limit),
        Some(Limit::Costly)
    );
    let order: Vec<Limit> = LIMITS.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        order,
        [
            Limit::Nesting,
            Limit::Branches,
            Limit::Fields,
            Limit::Values,
            Limit::Costly
        ]
    );
    assert_eq!(Limit::Fields.max(), 32);
}

#[test]
fn measuring_never_recurses() {
    // Far deeper than any valid pattern: measured without recursion, dropped without it.
    let mut deep = json!({"x": [1]});
    for _ in 0..100_000 {
        let mut map = Map::new();
        map.insert("a".into(), deep);
        deep = Value::Object(map);
    }
    assert_eq!(Complexity::of(&deep).nesting, 100_001);
    super::super::tests_grammar::dismantle(deep);
    assert_eq!(
        Complexity::of(&json!("not an object")),
        Complexity::default()
    );
}

// ---- property tests: seeded random valid patterns ----------------------------------------

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

fn alternative(rng: &mut Rng) -> Value {
    rng.pick(&[
        json!("a"),
        json!("10.0.0.1"),
        json!("12:30"),
        json!("fe80::1"),
        json!(3),
        json!(null),
        json!({"cidr": "10.0.0.0/8"}),
        json!({"prefix": "é"}),
        json!({"prefix": {"equals-ignore-case": "é"}}),
        json!({"equals-ignore-case": "abc"}),
        json!({"wildcard": "a*b*c*d"}),
        json!({"wildcard": "a*b"}),
        json!({"anything-but": ["a", "b"]}),
        json!({"anything-but": {"prefix": "a"}}),
        json!({"numeric": [">", 0, "<=", 5]}),
        json!({"exists": true}),
    ])
}

fn random_object(rng: &mut Rng, budget: usize) -> Value {
    let mut map = Map::new();
    let keys = 1 + rng.below(3);
    for i in 0..keys {
        let key = rng.pick(&["a", "b", "c.d", "e.f.g", "h"]);
        let value = match rng.below(if budget == 0 { 1 } else { 4 }) {
            0 => Value::Array((0..1 + rng.below(4)).map(|_| alternative(rng)).collect()),
            1 | 2 => random_object(rng, budget - 1),
            _ => {
                let branches = (0..2 + rng.below(2))
                    .map(|_| random_object(rng, budget - 1))
                    .collect();
                map.insert("$or".into(), Value::Array(branches));
                continue;
            }
        };
        map.insert(format!("{key}{i}"), value);
    }
    Value::Object(map)
}

/// A pattern with every dotted key expanded into nested objects, for the independent
/// formulation below: members at one level, and `Nest` for one level down.
enum Node {
    Field(Vec<Value>),
    Members(Vec<Node>),
    Nest(Box<Node>),
    Or(Vec<Node>),
}

fn expand(value: &Value) -> Node {
    let Value::Object(map) = value else {
        return Node::Members(Vec::new());
    };
    let members = map
        .iter()
        .map(|(key, v)| {
            if key == "$or" {
                return Node::Or(v.as_array().into_iter().flatten().map(expand).collect());
            }
            let inner = match v {
                Value::Array(alts) => Node::Field(alts.clone()),
                other => Node::Nest(Box::new(expand(other))),
            };
            // One object per extra segment: "a.b.c" is {"a": {"b": {"c": ..}}}.
            (0..key.matches('.').count()).fold(inner, |node, _| Node::Nest(Box::new(node)))
        })
        .collect();
    Node::Members(members)
}

/// The independent formulation: the figures of an expanded pattern, counted recursively.
fn reference(node: &Node, level: usize, out: &mut [usize; 5]) {
    match node {
        Node::Field(alts) => {
            out[0] = out[0].max(level);
            out[2] += 1;
            out[3] += alts.len();
            out[4] += alts.iter().filter(|a| super::costly(a)).count();
        }
        Node::Members(members) => members.iter().for_each(|m| reference(m, level, out)),
        Node::Nest(inner) => reference(inner, level + 1, out),
        Node::Or(branches) => {
            out[1] += branches.len();
            branches.iter().for_each(|b| reference(b, level + 1, out));
        }
    }
}

#[test]
fn random_patterns_agree_with_the_reference_and_the_invariants() {
    let mut rng = Rng(19);
    let mut measured = 0;
    for _ in 0..1200 {
        let pattern = random_object(&mut rng, 3);
        if !validate(&pattern).is_empty() {
            continue;
        }
        measured += 1;
        let got = measure(pattern.clone());
        let mut expected = [0; 5];
        reference(&expand(&pattern), 1, &mut expected);
        assert_eq!(got, expected, "{pattern}");
        // Wrapping under a dotted key adds its levels and nothing else.
        let mut outer = Map::new();
        outer.insert("x.y".into(), pattern.clone());
        let wrapped = figures(&Value::Object(outer));
        assert_eq!(wrapped[0], got[0] + 2, "{pattern}");
        assert_eq!(wrapped[1..], got[1..], "{pattern}");
        // A $or of the pattern and a one-field branch: one more level, two more branches.
        let with_or = json!({"$or": [pattern.clone(), {"z": [1]}]});
        let or = figures(&with_or);
        assert_eq!(
            or,
            [got[0] + 1, got[1] + 2, got[2] + 1, got[3] + 1, got[4]],
            "{pattern}"
        );
        // Key order does not matter.
        if let Value::Object(map) = &pattern {
            let reversed: Map<String, Value> = map
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            assert_eq!(measure(Value::Object(reversed)), got, "{pattern}");
        }
        // The figures never exceed what the text can hold.
        let chars = pattern.to_string().len();
        assert!(got.iter().all(|&f| f <= chars), "{pattern}");
    }
    assert!(measured > 800, "only {measured} valid patterns");
}

#[test]
fn every_ip_literal_the_matcher_reads_is_ip_shaped() {
    use super::ip_shaped;
    use crate::pattern::cidr::parse_ip;
    let mut rng = Rng(7);
    let (mut addresses, mut shaped_only) = (0, 0);
    let alphabet: Vec<char> = "0123456789abcdefABCDEF::::....xg".chars().collect();
    for _ in 0..200_000 {
        let len = rng.below(24);
        let text: String = (0..len).map(|_| rng.pick(&alphabet)).collect();
        let shaped = ip_shaped(&text);
        if parse_ip(&text).is_some() {
            addresses += 1;
            assert!(
                shaped,
                "{text:?} is an address the matcher reads, but not IP-shaped"
            );
        } else if shaped {
            shaped_only += 1;
        }
    }
    // Generated addresses: every spelling of a few (compressed, leading zeros, upper case).
    for text in [
        "::",
        "::1",
        "1::",
        "0:0:0:0:0:0:0:1",
        "FFFF::ffff:1",
        "0001:2::",
        "1.2.3.4",
    ] {
        assert!(parse_ip(text).is_some() && ip_shaped(text), "{text}");
    }
    assert!(addresses > 100, "only {addresses} addresses generated");
    assert!(shaped_only > 0, "the shape is wider than the addresses");
    for text in [
        "12:30",
        "12:30:45",
        "aa:bb:cc:dd:ee:ff",
        "1.2.3",
        "",
        ":",
        "1:2:3:4:5:6:7:",
    ] {
        assert!(!ip_shaped(text), "{text}");
    }
}
