//! The usual YAML mistakes, each located at the character at fault.

use super::super::builder::build;

/// The syntax error of `text`: (line, column, underlined text, message, help).
fn explained(text: &str) -> (usize, usize, String, String, String) {
    let built = build(text);
    let d = built.errors.last().expect("an error").clone();
    let span = d.span.expect("located");
    let before = &text[..span.start];
    let line = before.matches('\n').count() + 1;
    let col = span.start - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    let underlined = text[span.start..span.end].to_owned();
    (line, col, underlined, d.message, d.help.unwrap_or_default())
}

#[test]
fn a_tab_is_found_in_the_indentation_below_the_reported_scalar() {
    let (line, col, under, message, help) =
        explained("delivery:\n  workflow: express\n\tconcurrency: 10\n");
    assert_eq!((line, col, under.as_str()), (3, 1, "\t"));
    assert!(message.contains("tab"), "{message}");
    assert!(help.contains("spaces"), "{help}");
    let (line, col, ..) = explained("a:\n\tb: 1\n");
    assert_eq!((line, col), (2, 1));
}

#[test]
fn a_key_indented_to_no_mapping_gets_the_columns_that_work() {
    let text = "version: 1\ndelivery:\n  workflow: express\n   concurrency: 10\n";
    let (line, col, under, message, help) = explained(text);
    assert_eq!((line, col, under.as_str()), (4, 4, "concurrency"));
    assert!(message.contains("indented 3 spaces"), "{message}");
    assert!(
        help.contains("by 2 to put it under `delivery` (like `workflow`, line 3)"),
        "{help}"
    );
    assert!(help.contains("by 0 to make it a top-level key"), "{help}");
    // A dedent closes the inner mapping before the error: its column is still offered.
    let (line, _, under, _, help) = explained("a:\n  b: 1\n c: 2\n");
    assert_eq!((line, under.as_str()), (3, "c"));
    assert!(
        help.contains("by 2 to put it under `a` (like `b`, line 2)"),
        "{help}"
    );
    let text = "topics:\n  o:\n    pattern:\n      source:\n        - x\n       - y\n";
    let (line, col, _, message, help) = explained(text);
    assert_eq!((line, col), (6, 8));
    assert!(message.contains("this list item"), "{message}");
    assert!(
        help.contains("by 8 to continue the list under `source`"),
        "{help}"
    );
}

#[test]
fn a_missing_space_after_a_colon_is_found_above_the_error() {
    let (line, col, under, message, help) = explained("version: 1\nname:x\ndelivery:\n  a: 1\n");
    assert_eq!((line, col, under.as_str()), (2, 5, ":"));
    assert!(message.contains("`name:x`"), "{message}");
    assert_eq!(help, "write `name: x`");
    let text = "delivery:\n  workflow:express\n  concurrency: 3\n";
    let (line, _, _, _, help) = explained(text);
    assert_eq!(line, 2);
    assert_eq!(help, "write `workflow: express`");
}

#[test]
fn a_second_colon_in_a_value_asks_for_quotes() {
    let (line, col, _, _, help) = explained("topics:\n  o:\n    description: Orders: big\n");
    assert_eq!((line, col), (3, 24));
    assert_eq!(help, "quote the value: `description: \"Orders: big\"`");
}

#[test]
fn open_brackets_and_quotes_are_pointed_at() {
    let (line, col, under, message, _) = explained("a:\n  b: {c: [x]\n  d: 1\n");
    assert_eq!((line, col, under.as_str()), (2, 6, "{"));
    assert_eq!(message, "this `{` is not closed");
    let (line, col, under, message, _) = explained("a:\n  b: \"open\n  c: 1\n");
    assert_eq!((line, col, under.as_str()), (2, 6, "\""));
    assert_eq!(message, "this quoted string is not closed");
}

#[test]
fn reserved_characters_and_keys_in_lists() {
    let (_, col, _, message, help) = explained("a: @home\n");
    assert_eq!(col, 4);
    assert!(message.contains("`@`"), "{message}");
    assert_eq!(help, "quote the value: \"@home\"");
    let (line, _, under, message, _) = explained("a:\n  - x\n  y: 1\n");
    assert_eq!((line, under.as_str()), (3, "y"));
    assert!(message.contains("the list under `a` (line 2)"), "{message}");
}

#[test]
fn the_cut_is_the_start_of_the_line_at_fault() {
    let text = "version: 1\nname:x\ndelivery:\n";
    assert_eq!(build(text).cut, Some("version: 1\n".len()));
    let text = "a: 1\nb:\n\tc: 1\n";
    assert_eq!(build(text).cut, Some("a: 1\nb:\n".len()));
}

#[test]
fn mutated_specs_never_panic_and_spans_stay_on_char_boundaries() {
    let spec = "version: 1\nname: café\napi:\n  routes:\n    sub: { do: subscribe, topics: [é] }\n\
                topics:\n  é:\n    description: \"ünï\"\n    pattern:\n      source:\n        - x\n";
    let inserts = ["\t", ":", " ", "\n", "[", "{", "\"", "- ", "@", "é"];
    for (at, _) in spec.char_indices() {
        for insert in inserts {
            let text = format!("{}{insert}{}", &spec[..at], &spec[at..]);
            let built = build(&text);
            for d in &built.errors {
                let span = d.span.expect("located");
                assert!(span.end <= text.len(), "{text:?}: {d:?}");
                assert!(
                    text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                    "{text:?}: {d:?}"
                );
            }
            if let Some(cut) = built.cut {
                assert!(text.is_char_boundary(cut), "{text:?}");
                let _ = build(&text[..cut]);
            }
        }
    }
}
