//! JSONata embedded in the state machines: the EventBridge pattern matcher, and the measure of
//! a client pattern's complexity.
//!
//! `matcher.jsonata` is the readable, commented source; [`matcher`] is the same expression
//! minified to one line, the form the compiler embeds in ASL. `complexity.jsonata` and
//! [`complexity`] are the same for the measure ([`measure`] applies it). Its value is a function
//! `function($pattern, $event)` returning `true` or `false`; a state applies it as
//! `(<matcher>)($pattern, $event)`. It implements the semantics of [`crate::pattern`]
//! (conformance: `tests/engines/jsonata/conformance.mjs`) and needs no Step Functions
//! extension function.

mod minify;
mod shorten;

use crate::model::protocol::name;
use crate::pattern::LIMITS;

pub use minify::{minify, minify_renamed, tokens, Kind, LexError, Token};
pub use shorten::renames;

/// The matcher's source, comments and all.
pub const MATCHER_SOURCE: &str = include_str!("matcher.jsonata");

/// The matcher minified to one line, its variables renamed to the shortest free names
/// (by `build.rs`, with this module's minifier: nothing is left to do at run time).
///
/// The text contains no `${` (which CloudFormation's `DefinitionSubstitutions` would take for
/// a placeholder) and no `%` (so it never closes a `{% ... %}` JSONata block early).
pub fn matcher() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/matcher.min.jsonata"))
}

/// The matcher applied to two JSONata expressions, e.g.
/// `call("$parse($states.input.pattern)", "$states.input.event")`: a boolean JSONata
/// expression for a Choice `Condition` or an `Assign` (wrap it in `{% ... %}`).
pub fn call(pattern: &str, event: &str) -> String {
    format!("({})({pattern},{event})", matcher())
}

/// The complexity measure's source, comments and all.
pub const COMPLEXITY_SOURCE: &str = include_str!("complexity.jsonata");

/// The complexity measure minified to one line, its variables renamed (by `build.rs`, as the
/// matcher). Its value is a function `function($pattern, $limits, $names)` giving `""` for a
/// pattern within every limit and otherwise the refusal's message; [`measure`] applies it.
pub fn complexity() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/complexity.min.jsonata"))
}

/// The complexity measure applied to the JSONata expression `pattern` (a parsed pattern), with
/// the limits of [`crate::pattern::LIMITS`] and the words of the refusal: a string JSONata
/// expression, `""` when the pattern is admitted, else the `pattern-too-complex` message
/// (`Refusal::message` in Rust gives the same text).
pub fn measure(pattern: &str) -> String {
    let limits: Vec<usize> = LIMITS.iter().map(|(_, max)| *max).collect();
    let names: Vec<&str> = LIMITS.iter().map(|(limit, _)| name(*limit)).collect();
    format!(
        "({})({pattern},{},{})",
        complexity(),
        serde_json::Value::from(limits),
        serde_json::Value::from(names)
    )
}

#[cfg(test)]
mod tests;
