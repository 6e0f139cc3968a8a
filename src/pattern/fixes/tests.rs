//! Corrected forms shown as help.

use serde_json::{json, Value};

use crate::pattern::validate;

/// The help of the only issue of `pattern`.
fn help(pattern: Value) -> String {
    let issues = validate(&pattern);
    assert_eq!(issues.len(), 1, "{issues:?}");
    issues[0].help.clone().unwrap_or_default()
}

#[test]
fn numeric_bounds_written_as_text() {
    let p = json!({"a": [{"numeric": [">", "10"]}]});
    assert_eq!(
        help(p),
        r#"write the number without quotes: `numeric: [">", 10]`"#
    );
    let p = json!({"a": [{"numeric": [">", "ten"]}]});
    assert_eq!(
        help(p),
        r#"a bound is a number, without quotes, e.g. `numeric: [">", 10]`"#
    );
    let p = json!({"a": [{"numeric": [">", 0, "<", "5.5"]}]});
    assert_eq!(
        help(p),
        r#"write the number without quotes: `numeric: [">", 0, "<", 5.5]`"#
    );
}

#[test]
fn numeric_ranges_written_otherwise() {
    let p = json!({"a": [{"numeric": "> 0, <= 5"}]});
    assert_eq!(
        help(p),
        r#"write it as a list: `numeric: [">", 0, "<=", 5]`"#
    );
    let p = json!({"a": [{"numeric": 3}]});
    assert_eq!(help(p), r#"write it as a list: `numeric: ["=", 3]`"#);
    let p = json!({"a": [{"numeric": ["=>", 10]}]});
    assert_eq!(help(p), r#"did you mean `numeric: [">=", 10]`?"#);
    let p = json!({"a": [{"numeric": ["<", 10, ">", 5]}]});
    assert_eq!(help(p), r#"did you mean `numeric: [">", 5, "<", 10]`?"#);
    let p = json!({"a": [{"numeric": [">", 10, "<", 5]}]});
    assert_eq!(help(p), r#"did you mean `numeric: [">", 5, "<", 10]`?"#);
}

#[test]
fn operands_and_nested_lists() {
    let p = json!({"a": [{"exists": "true"}]});
    assert_eq!(help(p), "did you mean `exists: true`?");
    let p = json!({"a": [{"exists": "no"}]});
    assert_eq!(help(p), "did you mean `exists: false`?");
    let p = json!({"a": [{"prefix": 5}]});
    assert_eq!(help(p), r#"did you mean `prefix: "5"`?"#);
    let p = json!({"source": ["x", ["a", "b"]]});
    assert_eq!(
        help(p),
        r#"list the alternatives in one list: `source: ["x", "a", "b"]`"#
    );
}
