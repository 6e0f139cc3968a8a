//! Unit tests for the JSONata lexer, the minifier and the embedded matcher text.

use super::{call, matcher, minify, tokens, Kind, MATCHER_SOURCE};

fn texts(src: &str) -> Vec<String> {
    tokens(src)
        .unwrap_or_else(|e| panic!("{src:?}: {e}"))
        .iter()
        .map(|t| t.text.to_string())
        .collect()
}

/// Minifies and checks that the result lexes to the same tokens as the source.
fn min(src: &str) -> String {
    let out = minify(src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    assert_eq!(texts(&out), texts(src), "token sequence changed: {out:?}");
    out
}

#[test]
fn strips_comments_and_whitespace() {
    assert_eq!(min("( /* c */ $a := 1 ;\n  $a + 2 )"), "($a:=1;$a+2)");
    assert_eq!(min("$x and $y or $z in [1, 2]"), "$x and $y or $z in[1,2]");
    assert_eq!(min("function ($v) { $v }"), "function($v){$v}");
}

#[test]
fn keeps_strings_verbatim() {
    assert_eq!(
        min(r#""a /* not a comment */ b""#),
        r#""a /* not a comment */ b""#
    );
    assert_eq!(
        min(r#"'it''s' & "q\"uote" & 'sl\\'"#),
        r#"'it''s'&"q\"uote"&'sl\\'"#
    );
    assert_eq!(min(r#""  spaces  "  &  ' x '"#), r#""  spaces  "&' x '"#);
    assert_eq!(min(r#"$x in "a""#), r#"$x in "a""#);
    assert_eq!(min("`a b` . `c`"), "`a b`.`c`");
    assert_eq!(min(r#""\u0041/*" & '*/'"#), r#""\u0041/*"&'*/'"#);
}

#[test]
fn regex_versus_division() {
    assert_eq!(min("$a / 2"), "$a/2");
    assert_eq!(min("($a) / $b"), "($a)/$b");
    assert_eq!(min("$contains($s, /a b\\/c/i)"), "$contains($s,/a b\\/c/i)");
    assert_eq!(min("$s ~> $match( /[/]x/ )"), "$s~>$match(/[/]x/)");
    assert_eq!(min("$x = /a/ and $y"), "$x=/a/ and $y");
    assert_eq!(min("$x = /a/m in $y"), "$x=/a/m in $y");
    assert_eq!(min("[1] / 3 / 4"), "[1]/3/4");
    let regex: Vec<_> = tokens("$f(/\\x5C[\\x5C*]|[*]/)")
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.kind == Kind::Regex)
        .collect();
    assert_eq!(regex.len(), 1);
    assert_eq!(regex[0].text, "/\\x5C[\\x5C*]|[*]/");
}

#[test]
fn never_merges_tokens() {
    assert_eq!(min("1 .. 3"), "1..3");
    assert_eq!(min("$a . . $b"), "$a. .$b");
    assert_eq!(min("$x * * $y"), "$x* *$y");
    assert_eq!(min("$a / * $b"), "$a/ *$b");
    assert_eq!(min("$a < = $b"), "$a< =$b");
    assert_eq!(min("1 .5"), "1 .5");
    assert_eq!(min("- 1"), "-1");
}

#[test]
fn reports_unterminated_tokens() {
    assert!(minify("/* open").is_err());
    assert!(minify("\"open").is_err());
    assert!(minify("`open").is_err());
    assert!(minify("$x = /open").is_err());
}

#[test]
fn matcher_is_minified_consistently() {
    let once = matcher();
    let renames = super::renames(MATCHER_SOURCE).unwrap();
    assert_eq!(
        super::minify_renamed(MATCHER_SOURCE, &renames)
            .ok()
            .as_deref(),
        Some(once)
    );
    assert_eq!(minify(once).ok().as_deref(), Some(once), "idempotent");
    // The same tokens, each variable under its new name.
    let renamed: Vec<String> = texts(MATCHER_SOURCE)
        .into_iter()
        .map(|t| renames.get(&t).cloned().unwrap_or(t))
        .collect();
    assert_eq!(texts(once), renamed);
    let new: std::collections::BTreeSet<&String> = renames.values().collect();
    assert_eq!(new.len(), renames.len(), "two variables share a new name");
    assert!(!once.contains('\n'));
    assert!(once.starts_with('(') && once.ends_with(')'));
    assert!(
        once.len() < MATCHER_SOURCE.len() / 2,
        "{} bytes",
        once.len()
    );
}

#[test]
fn matcher_is_safe_to_embed() {
    let text = matcher();
    assert!(!text.contains("${"), "CloudFormation would substitute it");
    assert!(!text.contains('%'), "would interfere with {{% ... %}}");
    let names = texts(text);
    assert!(
        !names.iter().any(|t| t == "$eval"),
        "Step Functions has no $eval"
    );
    assert!(
        text.is_ascii(),
        "plain ASCII travels through every encoding"
    );
}

#[test]
fn call_applies_the_matcher() {
    let text = call("$p", "$states.input.event");
    assert!(text.starts_with("((") && text.ends_with(")($p,$states.input.event)"));
    // "(" matcher ")" "(" "$p" "," "$states" "." "input" "." "event" ")"
    assert_eq!(texts(&text).len(), texts(matcher()).len() + 11);
}

#[test]
fn renaming_keeps_built_ins_and_free_names() {
    let src =
        "($long := function($first, $second) { $first + $count($second) }; $long(1, [2]) + $a)";
    let renames = super::renames(src).unwrap();
    assert!(
        !renames.contains_key("$count"),
        "a built-in is never renamed"
    );
    assert!(!renames.contains_key("$a"), "a free name is never renamed");
    assert!(!renames.values().any(|n| n == "$a"), "nor taken");
    let out = super::minify_renamed(src, &renames).unwrap();
    assert_eq!(out, "($c:=function($b,$d){$b+$count($d)};$c(1,[2])+$a)");
}

#[test]
fn complexity_is_minified_consistently_and_safe_to_embed() {
    use super::{complexity, measure, COMPLEXITY_SOURCE};
    let once = complexity();
    let renames = super::renames(COMPLEXITY_SOURCE).unwrap();
    assert_eq!(
        super::minify_renamed(COMPLEXITY_SOURCE, &renames)
            .ok()
            .as_deref(),
        Some(once)
    );
    assert!(!once.contains("${"), "CloudFormation would substitute it");
    assert!(!once.contains('%'), "would interfere with {{% ... %}}");
    assert!(once.is_ascii() && !once.contains('\n'));
    assert!(!texts(once).iter().any(|t| t == "$eval"));
    // The call carries the limits and the names from Rust, in the order of LIMITS.
    let call = measure("$p");
    assert!(call.ends_with(
        r#")($p,[8,8,32,64,2],["nesting","$or branches","fields","values","costly values"])"#
    ));
    // The message is built as Refusal::message builds it: "<name> <figure> (at most <limit>)".
    let breach = crate::pattern::Breach {
        limit: crate::pattern::Limit::Values,
        figure: 65,
    };
    let message = crate::model::protocol::Refusal::PatternTooComplex(breach).message();
    assert_eq!(message, "values 65 (at most 64)");
    assert!(
        once.contains(r#"&" "&"#) && once.contains(r#"&" (at most "&"#) && once.contains(r#"&")""#)
    );
}
