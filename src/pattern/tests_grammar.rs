//! Unit tests for validation: one per rejection rule, plus limits and locations.

use serde_json::{json, Map, Value};

use super::{validate, PathSeg, PatternIssue, MAX_PATTERN_CHARS};

fn issues(pattern: &Value) -> Vec<PatternIssue> {
    validate(pattern)
}

/// The single issue of `pattern` (fails if there is not exactly one).
fn only(pattern: Value) -> PatternIssue {
    let mut found = issues(&pattern);
    assert_eq!(found.len(), 1, "{pattern}: {found:#?}");
    found.remove(0)
}

fn code(pattern: Value) -> &'static str {
    only(pattern).code.as_str()
}

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_string())
}

/// `{key: value}` without `json!`, which would clone (recursively) an interpolated value.
fn object(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_string(), value);
    Value::Object(map)
}

/// Drops a deeply nested value without recursion.
pub(super) fn dismantle(value: Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

#[test]
fn accepts_documented_forms() {
    let valid = [
        json!({"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}),
        json!({"detail": {"state": ["running", null, 1, 2.5, true, false]}}),
        json!({"time": [{"prefix": ""}], "a": [{"prefix": {"equals-ignore-case": "Ab"}}]}),
        json!({"f": [{"suffix": ".png"}, {"suffix": {"equals-ignore-case": ".PNG"}}]}),
        json!({"f": [{"equals-ignore-case": ""}, {"wildcard": ""}, {"wildcard": "a\\*b\\\\*"}]}),
        json!({"f": [{"anything-but": "x"}, {"anything-but": 5}, {"anything-but": ["a", "b"]}]}),
        json!({"f": [{"anything-but": [1, 2.5]}, {"anything-but": {"prefix": ["a", "b"]}}]}),
        json!({"f": [{"anything-but": {"suffix": "x"}}, {"anything-but": {"wildcard": ["*a", "b*"]}}]}),
        json!({"f": [{"anything-but": {"equals-ignore-case": ["a", "B"]}}]}),
        json!({"f": [{"numeric": ["=", 5]}, {"numeric": ["<", 5]}, {"numeric": [">=", -5e9, "<", 5e9]}]}),
        json!({"f": [{"exists": true}], "g": [{"exists": false}]}),
        json!({"ip": [{"cidr": "10.0.0.0/24"}, {"cidr": "2001:db8::/64"}, {"cidr": "0.0.0.0/0"}]}),
        json!({"$or": [{"a": [1]}, {"b": {"$or": [{"c": [2]}, {"d": [3]}]}}]}),
        json!({"detail": {"state.status": ["running"], "x": {"y.z": [1]}}}),
    ];
    for pattern in valid {
        assert_eq!(issues(&pattern), vec![], "{pattern}");
    }
}

#[test]
fn structure_rejections() {
    assert_eq!(code(json!(["source"])), "pattern-not-object");
    assert_eq!(code(json!({})), "pattern-empty-object");
    assert_eq!(code(json!({"detail": {}})), "pattern-empty-object");
    let empty = only(json!({"detail": {"resources": []}}));
    assert_eq!(
        (empty.code.as_str(), empty.path),
        ("pattern-empty-array", vec![key("detail"), key("resources")])
    );
    let scalar = only(json!({"source": "x"}));
    assert_eq!(scalar.code.as_str(), "pattern-not-array");
    assert_eq!(scalar.message, "\"source\" must be an object or an array");
    assert_eq!(
        scalar.help.as_deref(),
        Some("wrap the value in an array: [\"x\"]")
    );
    assert_eq!(code(json!({"a": [["nested"]]})), "pattern-invalid-value");
    assert_eq!(code(json!({"a": [{}]})), "pattern-empty-operator");
}

#[test]
fn operator_names_are_case_sensitive_with_suggestions() {
    let issue = only(json!({"detail": {"a": ["x", {"Prefix": "ab"}]}}));
    assert_eq!(issue.code.as_str(), "pattern-unknown-operator");
    assert!(issue.on_key);
    assert_eq!(
        issue.path,
        vec![key("detail"), key("a"), PathSeg::Index(1), key("Prefix")]
    );
    assert_eq!(issue.help.as_deref(), Some("did you mean `prefix`?"));
    let typo = only(json!({"a": [{"prefx": "ab"}]}));
    assert_eq!(typo.help.as_deref(), Some("did you mean `prefix`?"));
    let far = only(json!({"a": [{"regex": "a.*"}]}));
    assert_eq!(far.code.as_str(), "pattern-unknown-operator");
    assert_eq!(
        code(json!({"a": [{"$or": [{"b": [1]}, {"c": [2]}]}]})),
        "pattern-unknown-operator"
    );
    let extra = only(json!({"a": [{"prefix": "a", "suffix": "b"}]}));
    assert_eq!(extra.code.as_str(), "pattern-operator-extra-key");
    assert!(extra.on_key);
    assert_eq!(extra.path, vec![key("a"), PathSeg::Index(0), key("suffix")]);
}

#[test]
fn string_operator_operands() {
    for op in ["prefix", "suffix", "equals-ignore-case", "wildcard", "cidr"] {
        assert_eq!(
            code(json!({"a": [{op: 5}]})),
            "pattern-operand-type",
            "{op}"
        );
        assert_eq!(
            code(json!({"a": [{op: ["x"]}]})),
            "pattern-operand-type",
            "{op}"
        );
    }
    assert_eq!(
        code(json!({"a": [{"equals-ignore-case": {"prefix": "x"}}]})),
        "pattern-operand-type"
    );
    assert_eq!(
        code(json!({"a": [{"prefix": {"equals-ignore-case": 5}}]})),
        "pattern-operand-type"
    );
    let wrong = only(json!({"a": [{"prefix": {"equals-ignore-cas": "x"}}]}));
    assert_eq!(
        (wrong.code.as_str(), wrong.on_key),
        ("pattern-unknown-operator", true)
    );
    assert_eq!(
        code(json!({"a": [{"exists": "true"}]})),
        "pattern-operand-type"
    );
    assert_eq!(code(json!({"a": [{"exists": 1}]})), "pattern-operand-type");
}

#[test]
fn anything_but_rejections() {
    assert_eq!(
        code(json!({"a": [{"anything-but": ["a", 1]}]})),
        "pattern-anything-but-mixed"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": []}]})),
        "pattern-empty-array"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": [null]}]})),
        "pattern-operand-type"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": true}]})),
        "pattern-operand-type"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": 6e9}]})),
        "pattern-numeric-out-of-range"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {"prefix": ""}}]})),
        "pattern-empty-affix"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {"suffix": ["x", ""]}}]})),
        "pattern-empty-affix"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {"prefix": 1}}]})),
        "pattern-operand-type"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {"prefix": {"equals-ignore-case": "x"}}}]})),
        "pattern-operand-type"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {"equals-ignore-case": 1}}]})),
        "pattern-operand-type"
    );
    let nested = only(json!({"a": [{"anything-but": {"numeric": [">", 1]}}]}));
    assert_eq!(
        (nested.code.as_str(), nested.on_key),
        ("pattern-unknown-operator", true)
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {}}]})),
        "pattern-empty-operator"
    );
    assert_eq!(
        code(json!({"a": [{"anything-but": {"wildcard": "a**"}}]})),
        "pattern-wildcard-consecutive"
    );
    let two = issues(&json!({"a": [{"anything-but": {"suffix": [null, 1]}}]}));
    assert_eq!(two.len(), 2);
}

#[test]
fn numeric_rejections() {
    let not_array = only(json!({"detail": {"amount": [{"numeric": 10}]}}));
    assert_eq!(not_array.code.as_str(), "pattern-numeric-not-array");
    assert_eq!(
        not_array.path,
        vec![
            key("detail"),
            key("amount"),
            PathSeg::Index(0),
            key("numeric")
        ]
    );
    let two_lower = only(json!({"a": [{"numeric": [">", 0, ">", 0]}]}));
    assert_eq!(two_lower.message, "bad numeric range operator: >");
    assert_eq!(
        code(json!({"a": [{"numeric": [">", 5, "<", 1]}]})),
        "pattern-numeric-range"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [">=", 5, "<=", 5]}]})),
        "pattern-numeric-range"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": ["<", 5, ">", 1]}]})),
        "pattern-numeric-operator"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": ["<", "5"]}]})),
        "pattern-numeric-value"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [">", true]}]})),
        "pattern-numeric-value"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [">"]}]})),
        "pattern-numeric-value"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": []}]})),
        "pattern-numeric-operator"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [5, ">"]}]})),
        "pattern-numeric-operator"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": ["!=", 5]}]})),
        "pattern-numeric-operator"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": ["=", 5, "<", 6]}]})),
        "pattern-numeric-arity"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [">", 1, "<", 6, 7]}]})),
        "pattern-numeric-arity"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [">", 1, 6]}]})),
        "pattern-numeric-operator"
    );
    assert_eq!(
        code(json!({"a": [{"numeric": [">", 5.1e9]}]})),
        "pattern-numeric-out-of-range"
    );
}

#[test]
fn cidr_rejections() {
    let mask = only(json!({"ip": [{"cidr": "10.0.0.0/33"}]}));
    assert_eq!(mask.code.as_str(), "pattern-cidr");
    assert_eq!(mask.message, "IPv4 mask bits must be < 32");
    for bad in [
        "10.0.0.0/32",
        "::/128",
        "10.0.0.256/8",
        "bad-filter",
        "a/b",
        "10.0.0.0/-1",
        "x/8",
    ] {
        assert_eq!(
            code(json!({"ip": [{"cidr": bad}]})),
            "pattern-cidr",
            "{bad}"
        );
    }
}

#[test]
fn wildcard_rejections() {
    let stars = only(json!({"a": [{"wildcard": "a**b"}]}));
    assert_eq!(stars.code.as_str(), "pattern-wildcard-consecutive");
    assert_eq!(
        code(json!({"a": [{"wildcard": "a\\b"}]})),
        "pattern-wildcard-escape"
    );
    assert_eq!(
        code(json!({"a": [{"wildcard": "a\\"}]})),
        "pattern-wildcard-escape"
    );
    let complex = only(json!({"a": ["x", {"wildcard": "*:*:*:*:*:event-bus/*"}]}));
    assert_eq!(complex.code.as_str(), "pattern-wildcard-complexity");
    assert_eq!(
        complex.path,
        vec![key("a"), PathSeg::Index(1), key("wildcard")]
    );
    // Complexity adds up over the wildcards of one field, not across fields.
    let split = json!({"a": [{"wildcard": "*:*:*:x"}], "b": [{"wildcard": "*:*:*:y"}]});
    assert_eq!(issues(&split), vec![]);
}

#[test]
fn or_rejections() {
    let one = only(json!({"$or": [{"a": [1]}]}));
    assert_eq!(
        (one.code.as_str(), one.path),
        ("pattern-or-too-few", vec![key("$or")])
    );
    assert_eq!(code(json!({"$or": {"a": [1]}})), "pattern-or-not-array");
    assert_eq!(code(json!({"$or": [{"a": [1]}, [1]]})), "pattern-or-branch");
    assert_eq!(
        code(json!({"$or": [{"a": [1]}, {}]})),
        "pattern-empty-object"
    );
    let reserved = only(json!({"x": {"$or": [{"prefix": ["a"]}, {"b": [1]}]}}));
    assert_eq!(
        (reserved.code.as_str(), reserved.on_key),
        ("pattern-reserved-field", true)
    );
    // Reserved names are ordinary fields outside $or.
    assert_eq!(issues(&json!({"prefix": ["a"]})), vec![]);
}

#[test]
fn reports_all_issues_in_document_order() {
    let found = issues(&json!({
        "a": [],
        "b": {"c": [{"numeric": [">", "x"]}], "d": "scalar"},
        "e": [{"Exists": true}, {"prefix": 1}]
    }));
    let paths: Vec<Vec<PathSeg>> = found.iter().map(|i| i.path.clone()).collect();
    assert_eq!(
        paths,
        vec![
            vec![key("a")],
            vec![
                key("b"),
                key("c"),
                PathSeg::Index(0),
                key("numeric"),
                PathSeg::Index(1)
            ],
            vec![key("b"), key("d")],
            vec![key("e"), PathSeg::Index(0), key("Exists")],
            vec![key("e"), PathSeg::Index(1), key("prefix")],
        ]
    );
}

#[test]
fn too_large_pattern() {
    let values: Vec<String> = (0..300).map(|i| format!("value-{i:04}")).collect();
    let pattern = json!({ "source": values });
    let issue = only(pattern);
    assert_eq!(
        (issue.code.as_str(), issue.path),
        ("pattern-too-large", vec![])
    );
    let fits = json!({ "s": ["x".repeat(MAX_PATTERN_CHARS - 10)] });
    assert_eq!(
        serde_json::to_string(&fits).map(|s| s.len()).ok(),
        Some(MAX_PATTERN_CHARS)
    );
    assert_eq!(issues(&fits), vec![]);
    let over = json!({ "s": ["x".repeat(MAX_PATTERN_CHARS - 9)] });
    assert_eq!(code(over), "pattern-too-large");
}

#[test]
fn deep_nesting_is_an_issue_not_a_stack_overflow() {
    let mut objects = json!(["leaf"]);
    for _ in 0..10_000 {
        objects = object("a", objects);
    }
    let found = issues(&objects);
    let codes: Vec<&str> = found.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, vec!["pattern-too-large", "pattern-too-deep"]);
    assert!(!super::matches(&objects, &json!({"a": 1})));
    dismantle(objects);

    let mut ors = json!({"x": [1]});
    for _ in 0..10_000 {
        ors = object("$or", Value::Array(vec![ors, json!({"y": [2]})]));
    }
    assert!(issues(&ors)
        .iter()
        .any(|i| i.code.as_str() == "pattern-too-deep"));
    dismantle(ors);

    let mut arrays = json!(1);
    for _ in 0..10_000 {
        arrays = Value::Array(vec![arrays]);
    }
    let leaf = object("a", arrays);
    assert!(issues(&leaf)
        .iter()
        .any(|i| i.code.as_str() == "pattern-invalid-value"));
    dismantle(leaf);

    let dotted = json!({ format!("a{}", ".a".repeat(100)): [1] });
    assert_eq!(code(dotted), "pattern-too-deep");
}
