//! Conformance of `lambdaless_gen::pattern` with Amazon EventBridge, using cases recorded
//! against the real `TestEventPattern` API (`tests/data/event-patterns.jsonl`).

// The precondition of `matches_trusted`, shared with the differential fuzz.
#[allow(dead_code)]
#[path = "../examples/pattern_pairs/differential.rs"]
mod differential;

use lambdaless_gen::pattern::{
    explain, matches, path_to_string, validate, CompiledPattern, Complexity, PatternSet,
};
use serde_json::Value;

/// One line of the cases file.
struct Case {
    name: String,
    pattern: Value,
    event: Value,
    expect: String,
    aws_message: Option<String>,
}

fn load_cases() -> Vec<Case> {
    load_cases_from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/event-patterns.jsonl"
    ))
}

fn load_cases_from(path: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", number + 1));
            let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
            Case {
                name: text("name").unwrap_or_else(|| format!("line {}", number + 1)),
                pattern: value.get("pattern").cloned().unwrap_or(Value::Null),
                event: value.get("event").cloned().unwrap_or(Value::Null),
                expect: text("expect").unwrap_or_default(),
                aws_message: text("aws_message"),
            }
        })
        .collect()
}

/// Checks one case; `Err` describes the disagreement.
fn check(case: &Case) -> Result<(), String> {
    let issues = validate(&case.pattern);
    match case.expect.as_str() {
        "invalid" => {
            if issues.is_empty() {
                return Err(format!(
                    "expected invalid ({}), but validate() found no issue",
                    case.aws_message
                        .as_deref()
                        .unwrap_or("no AWS message recorded")
                ));
            }
            if CompiledPattern::new(&case.pattern).is_ok() {
                return Err("CompiledPattern::new accepted an invalid pattern".into());
            }
            Ok(())
        }
        expected @ ("match" | "no-match") => {
            if !issues.is_empty() {
                let listed: Vec<String> = issues.iter().map(ToString::to_string).collect();
                return Err(format!(
                    "expected a valid pattern, got: {}",
                    listed.join("; ")
                ));
            }
            let want = expected == "match";
            let got = matches(&case.pattern, &case.event);
            if got != want {
                return Err(format!("expected {expected}, matches() returned {got}"));
            }
            // The same verdict through a set of one pattern, the event read from its text.
            let mut set = PatternSet::new();
            set.add((), &case.pattern)
                .map_err(|_| "PatternSet::add rejected a valid pattern".to_string())?;
            let bytes = serde_json::to_vec(&case.event).map_err(|e| e.to_string())?;
            match set.matches(&bytes) {
                Ok(keys) if keys.is_empty() != want => {}
                other => return Err(format!("expected {expected}, PatternSet gave {other:?}")),
            }
            if differential::trustable(&case.event) {
                match set.matches_trusted(&bytes) {
                    Ok(keys) if keys.is_empty() != want => {}
                    other => {
                        return Err(format!(
                            "expected {expected}, matches_trusted gave {other:?}"
                        ))
                    }
                }
            }
            let explanation = explain(&case.pattern, &case.event);
            if explanation.is_some() == want {
                return Err(format!(
                    "explain() disagrees with matches(): {:?}",
                    explanation.map(|p| path_to_string(&p))
                ));
            }
            Ok(())
        }
        other => Err(format!("unknown expectation {other:?}")),
    }
}

#[test]
fn every_recorded_case_agrees_with_eventbridge() {
    let cases = load_cases();
    assert!(
        cases.len() >= 111,
        "expected at least 111 cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = check(case) {
            failures.push(format!(
                "{}: {why}\n    pattern: {}\n    event:   {}",
                case.name, case.pattern, case.event
            ));
        }
    }
    for failure in &failures {
        eprintln!("FAIL {failure}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_cases_report_located_issues() {
    for case in load_cases().iter().filter(|c| c.expect == "invalid") {
        for issue in validate(&case.pattern) {
            assert!(!issue.message.is_empty(), "{}: empty message", case.name);
            assert!(
                issue.code.as_str().starts_with("pattern-"),
                "{}: {}",
                case.name,
                issue.code
            );
        }
    }
}

/// Every valid recorded pattern in one set, against every recorded event: the set's verdicts
/// (events read from their text) equal `CompiledPattern`'s, pattern by pattern.
#[test]
fn one_set_of_every_recorded_pattern_agrees_with_compiled_patterns() {
    let cases = load_cases();
    let mut set = PatternSet::new();
    let mut compiled = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        if let Ok(c) = CompiledPattern::new(&case.pattern) {
            set.add(i, &case.pattern).expect("valid pattern");
            compiled.push((i, c));
        }
    }
    let (mut verdicts, mut trusted) = (0, 0);
    for case in &cases {
        let want: Vec<usize> = compiled
            .iter()
            .filter(|(_, c)| c.matches(&case.event))
            .map(|(i, _)| *i)
            .collect();
        let bytes = serde_json::to_vec(&case.event).expect("serialize");
        if differential::trustable(&case.event) {
            trusted += 1;
            let got = set.matches_trusted(&bytes);
            assert_eq!(got.ok(), Some(want.clone()), "{}: trusted", case.name);
        }
        match set.matches(&bytes) {
            Ok(got) => assert_eq!(got, want, "{}: event {}", case.name, case.event),
            Err(e) => assert!(
                !case.event.is_object(),
                "{}: {e} for event {}",
                case.name,
                case.event
            ),
        }
        verdicts += compiled.len();
    }
    assert!(verdicts > 5_000, "only {verdicts} verdicts");
    assert!(
        trusted * 10 > cases.len() * 8,
        "only {trusted} trusted events"
    );
    eprintln!(
        "{verdicts} verdicts; {trusted} of {} events also trusted",
        cases.len()
    );
}

/// The complexity limits a client pattern must respect at subscribe time admit every valid
/// pattern recorded against EventBridge (this repository's copy, and the shared conformance
/// data beside the repository when it is there).
#[test]
fn every_valid_recorded_case_is_admitted() {
    let mut cases = load_cases();
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/conformance/event-patterns/cases.jsonl"
    );
    if std::path::Path::new(shared).exists() {
        cases.extend(load_cases_from(shared));
    }
    let valid: Vec<&Case> = cases.iter().filter(|c| c.expect != "invalid").collect();
    assert!(valid.len() >= 80, "only {} valid cases", valid.len());
    for case in valid {
        let figures = Complexity::of(&case.pattern);
        assert_eq!(
            figures.breach(),
            None,
            "{}: {figures:?} for {}",
            case.name,
            case.pattern
        );
    }
}
