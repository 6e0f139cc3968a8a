//! Unit tests of the tree builder: spans, limits, hostile inputs.

use super::*;

fn err_codes(text: &str) -> Vec<&'static str> {
    build(text).errors.iter().map(|d| d.code.as_str()).collect()
}

fn root(text: &str) -> Node {
    let built = build(text);
    assert!(built.errors.is_empty(), "{:?}", built.errors);
    built.root.unwrap()
}

#[test]
fn spans_point_at_keys_and_values() {
    let text = "a: 1\nb:\n  c: [x, \"y\"]\n";
    let root = root(text);
    let NodeKind::Map(entries) = &root.kind else {
        panic!()
    };
    assert_eq!(
        &text[entries[1].key_span.start..entries[1].key_span.end],
        "b"
    );
    let c = &entries[1].value;
    let NodeKind::Map(inner) = &c.kind else {
        panic!()
    };
    let NodeKind::Seq(items) = &inner[0].value.kind else {
        panic!()
    };
    assert_eq!(&text[items[0].span.start..items[0].span.end], "x");
    assert_eq!(items[1].kind, NodeKind::Str("y".into()));
}

#[test]
fn non_ascii_spans_are_bytes() {
    let text = "é: ünïcode\nk: v\n";
    let root = root(text);
    let NodeKind::Map(entries) = &root.kind else {
        panic!()
    };
    assert_eq!(
        &text[entries[1].key_span.start..entries[1].key_span.end],
        "k"
    );
}

#[test]
fn hostile_inputs_are_errors() {
    assert_eq!(err_codes("a: 1\na: 2\n"), ["yaml-duplicate-key"]);
    assert_eq!(err_codes(""), ["yaml-empty"]);
    assert_eq!(err_codes("a: [1, 2"), ["yaml-syntax"]);
    // saphyr stops runaway flow nesting itself; we stop block nesting.
    assert_eq!(err_codes(&"[".repeat(100_000)), ["yaml-syntax"]);
    let block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(err_codes(&block), ["yaml-too-deep"]);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    assert_eq!(err_codes(&bomb), ["yaml-too-many-nodes"]);
    assert_eq!(err_codes("a: !Ref x\n"), ["yaml-tag"]);
    assert_eq!(err_codes("a: 1\n---\nb: 2\n"), ["yaml-multiple-documents"]);
}

#[test]
fn duplicates_are_found_in_large_mappings() {
    let keys: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    assert_eq!(
        err_codes(&format!("{keys}k3: again\nk39: again\n")),
        ["yaml-duplicate-key", "yaml-duplicate-key"]
    );
    assert!(err_codes(&keys).is_empty());
}
