//! Unit tests for matching: every operator, arrays, nesting, `$or` and explanations.

use serde_json::{json, Value};

use super::{explain, matches, CompiledPattern, PathSeg};

/// Asserts `pattern` is valid, then that each event matches (`true`) or not (`false`).
fn check(pattern: Value, events: &[(Value, bool)]) {
    let compiled = match CompiledPattern::new(&pattern) {
        Ok(compiled) => compiled,
        Err(issues) => panic!("{pattern} is invalid: {issues:#?}"),
    };
    for (event, want) in events {
        assert_eq!(
            compiled.matches(event),
            *want,
            "pattern {pattern} event {event}"
        );
        assert_eq!(
            compiled.explain(event).is_none(),
            *want,
            "explain: {pattern} {event}"
        );
    }
}

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_string())
}

#[test]
fn exact_values() {
    check(
        json!({"s": ["a"], "n": [200], "b": [false], "z": [null]}),
        &[
            (json!({"s": "a", "n": 200, "b": false, "z": null}), true),
            (json!({"s": "a", "n": 200.0, "b": false, "z": null}), true),
            (json!({"s": "a", "n": 2e2, "b": false, "z": null}), true),
            (json!({"s": "A", "n": 200, "b": false, "z": null}), false),
            (json!({"s": "a", "n": "200", "b": false, "z": null}), false),
            (json!({"s": "a", "n": 200, "b": "false", "z": null}), false),
            (json!({"s": "a", "n": 200, "b": false, "z": "null"}), false),
            (json!({"s": "a", "n": 200, "b": false}), false),
        ],
    );
    check(
        json!({"account": [123456789012_u64]}),
        &[
            (json!({"account": 123456789012_u64}), true),
            (json!({"account": 123456789013_u64}), false),
        ],
    );
    check(
        json!({"s": [""]}),
        &[(json!({"s": ""}), true), (json!({"s": " "}), false)],
    );
}

#[test]
fn ip_literals_compare_as_addresses() {
    check(
        json!({"ip": ["2001:db8::1", "10.0.0.1"]}),
        &[
            (json!({"ip": "2001:0db8:0:0:0:0:0:1"}), true),
            (json!({"ip": "10.0.0.1"}), true),
            (json!({"ip": "10.0.0.2"}), false),
        ],
    );
}

#[test]
fn event_arrays_match_any_element() {
    check(
        json!({"resources": ["b"], "n": [{"numeric": [">", 10]}]}),
        &[
            (json!({"resources": ["a", "b"], "n": [1, 20]}), true),
            (json!({"resources": [["a", ["b"]]], "n": 11}), true),
            (json!({"resources": [], "n": 11}), false),
            (json!({"resources": [{"b": 1}], "n": 11}), false),
        ],
    );
}

#[test]
fn nested_objects_and_dotted_keys() {
    let events = [
        (json!({"detail": {"state": {"status": "running"}}}), true),
        (json!({"detail": {"state.status": "running"}}), true),
        (json!({"detail.state": {"status": "running"}}), true),
        (json!({"detail": {"state": {"status": "stopped"}}}), false),
        (
            json!({"detail": {"state.status": {"status": "running"}}}),
            false,
        ),
        (json!({"detail": "running"}), false),
    ];
    check(
        json!({"detail": {"state": {"status": ["running"]}}}),
        &events,
    );
    check(json!({"detail": {"state.status": ["running"]}}), &events);
    check(json!({"detail.state.status": ["running"]}), &events);
    check(
        json!({"MY_KEY": ["v"]}),
        &[
            (json!({"my_key": "v"}), false),
            (json!({"MY_KEY": "v"}), true),
        ],
    );
}

#[test]
fn array_consistency() {
    let pattern = json!({"items": {"name": ["a"], "size": [2]}});
    check(
        pattern,
        &[
            (
                json!({"items": [{"name": "a", "size": 1}, {"name": "b", "size": 2}]}),
                false,
            ),
            (
                json!({"items": [{"name": "b", "size": 1}, {"name": "a", "size": 2}]}),
                true,
            ),
        ],
    );
}

#[test]
fn prefix_suffix_and_case() {
    check(
        json!({"a": [{"prefix": "ab"}], "b": [{"suffix": ".png"}]}),
        &[
            (json!({"a": "abc", "b": "x.png"}), true),
            (json!({"a": "Abc", "b": "x.png"}), false),
            (json!({"a": "abc", "b": "x.PNG"}), false),
            (json!({"a": 12, "b": "x.png"}), false),
        ],
    );
    check(
        json!({"a": [{"prefix": {"equals-ignore-case": "EventB"}}], "b": [{"suffix": {"equals-ignore-case": ".png"}}]}),
        &[
            (json!({"a": "eVENTbus", "b": "X.PnG"}), true),
            (json!({"a": "Even", "b": "x.png"}), false),
        ],
    );
    check(
        json!({"a": [{"prefix": ""}]}),
        &[
            (json!({"a": ""}), true),
            (json!({"a": 1}), false),
            (json!({"a": null}), false),
        ],
    );
    check(
        json!({"a": [{"equals-ignore-case": "Hello"}]}),
        &[
            (json!({"a": "hELLO"}), true),
            (json!({"a": "hello!"}), false),
            (json!({"a": ["x", "HELLO"]}), true),
        ],
    );
}

#[test]
fn wildcards() {
    check(
        json!({"arn": [{"wildcard": "arn:aws:events:*:*:event-bus/*"}], "f": [{"wildcard": "*.t\\*t"}]}),
        &[
            (
                json!({"arn": "arn:aws:events:us-east-1:1:event-bus/b", "f": "a.t*t"}),
                true,
            ),
            (
                json!({"arn": "arn:aws:events:us-east-1:1:rule/b", "f": "a.t*t"}),
                false,
            ),
            (
                json!({"arn": "arn:aws:events:us-east-1:1:event-bus/b", "f": "a.tet"}),
                false,
            ),
        ],
    );
}

#[test]
fn anything_but_forms() {
    let present = |v: Value| json!({"a": v});
    check(
        json!({"a": [{"anything-but": "x"}]}),
        &[
            (present(json!("y")), true),
            (present(json!(null)), true),
            (present(json!(5)), true),
            (present(json!("x")), false),
            (present(json!(["x", "y"])), true),
            (present(json!(["x"])), false),
            (present(json!({"x": 1})), false),
            (json!({}), false),
        ],
    );
    check(
        json!({"a": [{"anything-but": [100, 200.5]}]}),
        &[
            (present(json!(100.0)), false),
            (present(json!(200.5)), false),
            (present(json!("100")), true),
            (present(json!(101)), true),
        ],
    );
    check(
        json!({"a": [{"anything-but": {"prefix": ["init", "post"]}}]}),
        &[
            (present(json!("init-1")), false),
            (present(json!("pre")), true),
            (present(json!(12)), true),
            (json!({}), false),
        ],
    );
    check(
        json!({"a": [{"anything-but": {"suffix": ".txt"}}]}),
        &[
            (present(json!("a.txt")), false),
            (present(json!("a.txt.bak")), true),
        ],
    );
    check(
        json!({"a": [{"anything-but": {"equals-ignore-case": ["Stopped", "x"]}}]}),
        &[
            (present(json!("STOPPED")), false),
            (present(json!("running")), true),
        ],
    );
    check(
        json!({"a": [{"anything-but": {"wildcard": ["*/init/*", ""]}}]}),
        &[
            (present(json!("d/init/f")), false),
            (present(json!("")), false),
            (present(json!("d/x/f")), true),
        ],
    );
}

#[test]
fn numeric_ranges() {
    check(
        json!({"n": [{"numeric": [">", 0, "<=", 5]}]}),
        &[
            (json!({"n": 0}), false),
            (json!({"n": 0.000001}), true),
            (json!({"n": 5}), true),
            (json!({"n": 5.0000001}), true),
            (json!({"n": 5.00001}), false),
            (json!({"n": "3"}), false),
            (json!({"n": [9, 3]}), true),
        ],
    );
    check(
        json!({"n": [{"numeric": ["=", 301.8]}, {"numeric": ["<", -1e9]}]}),
        &[
            (json!({"n": 301.8}), true),
            (json!({"n": -2e9}), true),
            (json!({"n": -6e9}), false),
        ],
    );
}

#[test]
fn exists() {
    check(
        json!({"a": [{"exists": true}]}),
        &[
            (json!({"a": null}), true),
            (json!({"a": ["x"]}), true),
            (json!({"a": {"b": 1}}), false),
            (json!({"a": []}), false),
            (json!({}), false),
        ],
    );
    check(
        json!({"a": {"b": [{"exists": false}]}}),
        &[
            (json!({}), true),
            (json!({"a": 1}), true),
            (json!({"a": {"b": {"c": 1}}}), true),
            (json!({"a": {"b": []}}), true),
            (json!({"a": {"b": null}}), false),
            (json!({"a": [{"c": 1}, {"b": 2}]}), false),
            (json!({"a": [{"c": 1}, {"d": 2}]}), true),
        ],
    );
    // A value condition pins the array element; absence is then checked in that element.
    check(
        json!({"a": {"b": [1], "c": [{"exists": false}]}}),
        &[
            (json!({"a": [{"b": 1}, {"b": 2, "c": 3}]}), true),
            (json!({"a": [{"b": 1, "c": 3}]}), false),
        ],
    );
    check(
        json!({"s": [{"anything-but": "roses"}, {"exists": false}]}),
        &[
            (json!({}), true),
            (json!({"s": "tulips"}), true),
            (json!({"s": "roses"}), false),
        ],
    );
}

#[test]
fn cidr_blocks() {
    check(
        json!({"ip": [{"cidr": "10.0.0.0/24"}, {"cidr": "2001:db8::/32"}]}),
        &[
            (json!({"ip": "10.0.0.255"}), true),
            (json!({"ip": "10.0.1.0"}), false),
            (json!({"ip": "10.0.0.256"}), false),
            (json!({"ip": "2001:DB8:ffff::1"}), true),
            (json!({"ip": "2001:db9::"}), false),
            (json!({"ip": 10}), false),
        ],
    );
}

#[test]
fn or_conditions() {
    check(
        json!({"source": ["a"], "detail": {"$or": [{"x": [1]}, {"$or": [{"y": [2]}, {"z": [3]}]}]}}),
        &[
            (json!({"source": "a", "detail": {"x": 1}}), true),
            (json!({"source": "a", "detail": {"z": 3}}), true),
            (json!({"source": "b", "detail": {"z": 3}}), false),
            (json!({"source": "a", "detail": {"z": 4}}), false),
        ],
    );
}

#[test]
fn explain_points_at_the_deciding_field() {
    let pattern = json!({"source": ["a"], "detail": {"amount": [{"numeric": [">", 5]}]}});
    assert_eq!(
        explain(&pattern, &json!({"source": "a", "detail": {"amount": 9}})),
        None
    );
    assert_eq!(
        explain(&pattern, &json!({"source": "a", "detail": {"amount": 1}})),
        Some(vec![key("detail"), key("amount")])
    );
    assert_eq!(
        explain(&pattern, &json!({"source": "b"})),
        Some(vec![key("source")])
    );
    let or = json!({"$or": [{"a": [1]}, {"b": [2]}]});
    assert_eq!(explain(&or, &json!({})), Some(vec![key("$or")]));
    let dotted = json!({"detail": {"state.status": ["x"]}});
    assert_eq!(
        explain(&dotted, &json!({"detail": {"state": {"status": "y"}}})),
        Some(vec![key("detail"), key("state.status")])
    );
}

#[test]
fn invalid_patterns_never_match() {
    assert!(!matches(&json!({"a": []}), &json!({"a": 1})));
    assert_eq!(explain(&json!({"a": []}), &json!({"a": 1})), Some(vec![]));
}

#[test]
fn deep_events_do_not_overflow() {
    let mut deep = json!("x");
    for _ in 0..10_000 {
        deep = Value::Array(vec![deep]);
    }
    let mut map = serde_json::Map::new();
    map.insert("a".to_string(), deep);
    let event = Value::Object(map);
    assert!(!matches(&json!({"a": ["x"]}), &event));
    assert!(!matches(&json!({"a": {"b": ["x"]}}), &event));
    assert!(matches(&json!({"a": {"b": [{"exists": false}]}}), &event));
    super::tests_grammar::dismantle(event);
}
