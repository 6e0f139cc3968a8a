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
//! * [`matches`] and [`explain`] are one-shot convenience wrappers.
//!
//! The conformance data in `tests/data/event-patterns.jsonl` was recorded against the real
//! service; `tests/pattern_conformance.rs` keeps this module faithful to it.

mod anything_but;
mod casefold;
mod cidr;
mod grammar;
mod matcher;
mod numeric;
mod operator;
mod size;
mod wildcard;

use std::fmt;

use serde_json::Value;

use crate::diagnostic::Code;

/// Paths into a pattern are the crate's one path type, rendered the crate's one way
/// (`$.detail.amount[0]`, the root being the pattern's).
pub use crate::path::{render as path_to_string, PathSeg};
pub use matcher::CompiledPattern;

/// Largest pattern, in characters of its compact JSON serialization, that [`validate`] accepts.
///
/// Patterns are embedded verbatim in generated CloudFormation, so an upper bound keeps rules
/// reviewable and well inside the service quotas.
pub const MAX_PATTERN_CHARS: usize = 2048;

/// Deepest nesting (objects, `$or` arrays and dot-separated key segments) a pattern may use.
///
/// Real patterns rarely exceed ten levels; the cap guarantees that validation and matching
/// recurse a bounded number of times whatever the input.
pub const MAX_NESTING_DEPTH: usize = 64;

/// One problem in a pattern, located by a path relative to the pattern root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternIssue {
    /// Where the problem is, e.g. `[Key("detail"), Key("amount"), Index(0), Key("numeric")]`.
    pub path: Vec<PathSeg>,
    /// `true` when the object *key* at `path` is at fault (e.g. an unknown operator name),
    /// `false` when the value at `path` is.
    pub on_key: bool,
    /// Stable identifier from the crate's one registry, e.g. `pattern-empty-array`.
    pub code: Code,
    /// Short description with the same meaning as EventBridge's own error message.
    pub message: String,
    /// Optional hint: a did-you-mean suggestion or the accepted form.
    pub help: Option<String>,
}

impl fmt::Display for PatternIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: {}",
            self.code,
            path_to_string(&self.path),
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

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
