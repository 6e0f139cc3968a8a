//! JSONata embedded in the state machines: the EventBridge pattern matcher.
//!
//! `matcher.jsonata` is the readable, commented source; [`matcher`] is the same expression
//! minified to one line, the form the compiler embeds in ASL. Its value is a function
//! `function($pattern, $event)` returning `true` or `false`; a state applies it as
//! `(<matcher>)($pattern, $event)`. It implements the semantics of [`crate::pattern`]
//! (conformance: `tests/engines/jsonata/conformance.mjs`) and needs no Step Functions
//! extension function.

mod minify;
mod shorten;

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

#[cfg(test)]
mod tests;
