//! PROVISIONAL until the JSONata matcher lands: the EventBridge matcher as a JSONata
//! function `function($pattern, $event)`. Replaced by the real, conformance-tested matcher.

/// The matcher, minified for embedding.
pub fn matcher() -> &'static str {
    "function($p, $e){ false }"
}
