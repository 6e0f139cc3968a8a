//! EventBridge event patterns: grammar validation and matching.
//!
//! Amazon EventBridge accepts a pattern only if it satisfies a small, undocumented-in-detail
//! grammar (implemented by AWS's open-source `event-ruler`). This module re-implements that
//! grammar so a spec can be rejected at build time with a precise location instead of at
//! `CloudFormation deploy` time, and re-implements the matching semantics so generated rules
//! can be tested locally against sample events.
//!
//! * [`validate`] reports every grammar problem, located by a [`PathSeg`] path.
//! * [`CompiledPattern`] parses a pattern once and matches many events without allocating.
//! * [`PatternSet`] matches many patterns at once, reading events straight from their bytes.
//! * [`matches()`] and [`explain`] are one-shot convenience wrappers.
//! * [`Complexity`] measures what a valid pattern asks of the JSONata matcher, and [`LIMITS`]
//!   says what a client pattern may ask (checked at subscribe time).
//!
//! The conformance data in `tests/data/event-patterns.jsonl` was recorded against the real
//! service; `tests/pattern_conformance.rs` keeps this module faithful to it.

// Layers, each file importing only from the ones below it:
//   complexity (the figures of a valid pattern and their limits)
//   set (PatternSet: many patterns at once, events read from bytes)
//   matcher (CompiledPattern: evaluation, explain)
//   grammar (structure: objects, leaf arrays, $or; builds the tree)
//   fixes (corrected forms for the issues found)
//   tree (the compiled tree)     operator (one value-array element)
//                                anything_but
//                                operand (shared operator checks)
//   view (event access: Value or scanned bytes)
//   numeric, casefold, cidr, wildcard, size, scalar (leaf semantics and limits)
//   issue (PatternIssue and the Ctx reporter)
mod anything_but;
mod casefold;
mod cidr;
mod complexity;
mod fixes;
mod grammar;
mod issue;
mod matcher;
mod numeric;
mod operand;
mod operator;
mod scalar;
mod set;
mod size;
mod tree;
mod view;
mod wildcard;

use serde_json::Value;

/// Paths into a pattern are the crate's one path type, rendered the crate's one way
/// (`$.detail.amount[0]`, the root being the pattern's).
pub use crate::path::{render as path_to_string, PathSeg};
pub use complexity::{ip_shaped, Breach, Complexity, Limit, LIMITS};
pub use issue::PatternIssue;
pub use matcher::CompiledPattern;
pub use set::{EventError, PatternSet};
pub use size::{MAX_NESTING_DEPTH, MAX_PATTERN_CHARS};

/// Checks `pattern` against EventBridge's event-pattern grammar and returns every issue found,
/// in document order; an empty vector means EventBridge would accept the pattern.
///
/// Never panics, whatever the input (including deeply nested values built in memory).
pub fn validate(pattern: &Value) -> Vec<PatternIssue> {
    match CompiledPattern::new(pattern) {
        Ok(_) => Vec::new(),
        Err(issues) => issues,
    }
}

/// Whether `event` matches `pattern` under EventBridge semantics.
///
/// The pattern is compiled on every call; compile once with [`CompiledPattern`] to match many
/// events. An invalid pattern matches nothing.
pub fn matches(pattern: &Value, event: &Value) -> bool {
    CompiledPattern::new(pattern).is_ok_and(|compiled| compiled.matches(event))
}

/// Explains a non-match: the path (into the pattern) of the first field whose condition the
/// event does not satisfy, or `None` when the event matches.
///
/// An invalid pattern is reported as failing at the root (`Some(vec![])`).
pub fn explain(pattern: &Value, event: &Value) -> Option<Vec<PathSeg>> {
    match CompiledPattern::new(pattern) {
        Ok(compiled) => compiled.explain(event),
        Err(_) => Some(Vec::new()),
    }
}

#[cfg(test)]
mod tests_grammar;
#[cfg(test)]
mod tests_matching;
