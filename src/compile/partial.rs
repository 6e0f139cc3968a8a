//! What a spec with YAML errors still gets checked for.
//!
//! When the whole text parses (keys are duplicated: each first definition is kept) or the
//! lines before a syntax error do, the schema check and the pattern grammar run on that
//! document: both judge each value on its own. The checks that need the whole spec (routes
//! against topics, examples, the output's quotas) do not run, and a note says so.
//!
//! Lines cut before a syntax error can make a value look incomplete: the mappings leading to
//! the last value may miss keys that follow the error, and the last value itself may be cut
//! short. Findings about those are dropped; findings about keys themselves (an unknown or
//! invalid name) stand, since a key is never cut.

use crate::analysis;
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Checkable, YamlFailure};
use crate::schema;
use crate::span::Span;

/// The YAML errors, what the checks found in what parses, and a note on what did not run.
pub(super) fn check(failure: YamlFailure) -> Vec<Diagnostic> {
    let mut out = failure.diagnostics;
    let only_empty = out.iter().all(|d| d.code == Code::YamlEmpty);
    match failure.checkable {
        Some(part) => {
            out.extend(checks(&part));
            out.push(note(&part));
        }
        None if !only_empty => out.push(Diagnostic::note(
            Code::ChecksSkipped,
            "no other check ran; they run once the YAML parses",
        )),
        None => {}
    }
    out
}

/// The schema and pattern findings on `part`, without those the cut may cause.
fn checks(part: &Checkable) -> Vec<Diagnostic> {
    let json = part.doc.to_json();
    let mut found = schema::check(&part.doc, &json);
    found.extend(analysis::check_patterns(&part.doc, &json).0);
    if part.cut.is_some() {
        let open = part.doc.open_keys();
        let end = part.doc.root().span.end;
        found.retain(|d| !maybe_cut_short(d, &open, end));
    }
    found
}

/// Whether `d` may be due only to the cut: it is about a value reaching the end of what
/// parsed, or it says a mapping leading there misses a key.
fn maybe_cut_short(d: &Diagnostic, open: &[Span], end: usize) -> bool {
    let about_a_key = matches!(
        d.code,
        Code::SchemaUnknownKey
            | Code::SchemaKeyFormat
            | Code::PatternUnknownOperator
            | Code::PatternReservedField
            | Code::PatternOperatorExtraKey
    );
    !about_a_key
        && d.span.is_some_and(|s| {
            s.end >= end || (d.code == Code::SchemaMissingKey && open.contains(&s))
        })
}

/// Which checks ran, on which lines.
fn note(part: &Checkable) -> Diagnostic {
    let message = match part.cut {
        Some(cut) => {
            let lines = match part.doc.line_col(cut).0 - 1 {
                1 => "line 1, before the YAML error, was".to_owned(),
                last => format!("lines 1-{last}, before the YAML error, were"),
            };
            format!("only {lines} checked (schema and patterns); the other checks run once the YAML parses")
        }
        None => "only the schema and patterns were checked; the other checks run once the YAML errors are fixed".to_owned(),
    };
    Diagnostic::note(Code::ChecksSkipped, message)
}
