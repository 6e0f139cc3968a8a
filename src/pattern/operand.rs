//! Checks shared by the operator parsers (`operator.rs` and `anything_but.rs`):
//! extra keys in an operator object, and wildcard syntax.

use serde_json::{Map, Value};

use super::issue::Ctx;
use super::wildcard::{Wildcard, WildcardError};
use crate::diagnostic::Code;
use crate::path::PathSeg;

/// Reports every key after the first of an operator object.
pub(crate) fn extra_keys(ctx: &mut Ctx, map: &Map<String, Value>) {
    for key in map.keys().skip(1) {
        ctx.report_key(
            &[PathSeg::Key(key.clone())],
            Code::PatternOperatorExtraKey,
            "only one key allowed in match expression",
        )
        .hint("put each operator in its own object in the value array");
    }
}

/// Parses wildcard syntax, reporting errors at `ctx.path` + `at`.
pub(crate) fn parse_wildcard(ctx: &mut Ctx, text: &str, at: &[PathSeg]) -> Option<Wildcard> {
    match Wildcard::parse(text) {
        Ok(w) => Some(w),
        Err(WildcardError::Consecutive { pos }) => {
            ctx.report(
                at,
                Code::PatternWildcardConsecutive,
                format!("consecutive wildcard characters at pos {pos}"),
            )
            .hint("a single * already matches any number of characters");
            None
        }
        Err(WildcardError::InvalidEscape { pos }) => {
            ctx.report(
                at,
                Code::PatternWildcardEscape,
                format!("invalid escape character at pos {pos}"),
            )
            .hint("only \\* (literal star) and \\\\ (literal backslash) are escapes");
            None
        }
    }
}
