//! Size limits of a pattern, and the size of its compact JSON serialization, computed
//! without serializing.
//!
//! The count stops as soon as the limit is exceeded, which also bounds recursion on
//! pathologically deep values (each nesting level adds at least one character).

use std::fmt::Write as _;

use serde_json::Value;

/// Largest pattern, in characters of its compact JSON serialization, that
/// `validate` accepts.
///
/// Patterns are embedded verbatim in generated CloudFormation, so an upper bound keeps rules
/// reviewable and well inside the service quotas.
pub const MAX_PATTERN_CHARS: usize = 2048;

/// Deepest nesting (objects, `$or` arrays and dot-separated key segments) a pattern may use.
///
/// Real patterns rarely exceed ten levels; the cap guarantees that validation and matching
/// recurse a bounded number of times whatever the input.
pub const MAX_NESTING_DEPTH: usize = 64;

/// Whether the compact JSON of `value` has at most [`MAX_PATTERN_CHARS`] characters.
pub(crate) fn within_limit(value: &Value) -> bool {
    let mut total = 0;
    json_chars(value, &mut total)
}

/// Adds the length in characters of `value`'s compact JSON to `total`; returns `false` (and
/// stops early, bounding recursion) once the total exceeds [`MAX_PATTERN_CHARS`].
fn json_chars(value: &Value, total: &mut usize) -> bool {
    *total += match value {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!b),
        Value::Number(n) => {
            let mut counter = CharCount(0);
            let _ = write!(counter, "{n}");
            counter.0
        }
        Value::String(s) => string_chars(s),
        Value::Array(items) => {
            *total += 1 + items.len().saturating_sub(1);
            for item in items {
                if *total > MAX_PATTERN_CHARS || !json_chars(item, total) {
                    return false;
                }
            }
            1
        }
        Value::Object(map) => {
            *total += 1 + map.len().saturating_sub(1);
            for (key, item) in map {
                *total += string_chars(key) + 1;
                if *total > MAX_PATTERN_CHARS || !json_chars(item, total) {
                    return false;
                }
            }
            1
        }
    };
    *total <= MAX_PATTERN_CHARS
}

/// Characters of a JSON string literal as serde_json writes it (quotes and escapes included).
fn string_chars(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if c < ' ' => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// A `fmt::Write` sink that only counts characters.
struct CharCount(usize);

impl std::fmt::Write for CharCount {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.chars().count();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_like_serde_json() {
        let samples = [
            json!({"a": [1, 2.5, -3, null, true, false, "x\"y\n\u{1}\u{8}\u{c}\t\r\u{7f}é🚀"], "b": {"c": []}}),
            json!([{}, [], "", 1e300, 12345678901234567890u64]),
        ];
        for sample in samples {
            let expected = serde_json::to_string(&sample)
                .map(|s| s.chars().count())
                .ok();
            let mut total = 0;
            assert!(json_chars(&sample, &mut total));
            assert_eq!(Some(total), expected, "{sample}");
        }
    }
}
