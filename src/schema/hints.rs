//! Hints read off the schema and the value: the literal names a key pattern allows, and the
//! unquoted form of a mapping or list written as a quoted string.

use serde_json::Value;

use crate::diagnostic::flow;

/// When `found` is a string holding a JSON mapping or list of the `expected` type: how to
/// write it so YAML reads it as one.
pub(super) fn quoted_collection_help(found: &Value, expected: &str) -> Option<String> {
    let text = found.as_str()?.trim();
    let (open, close, what) = match expected {
        "object" => ('{', '}', "mapping"),
        "array" => ('[', ']', "list"),
        _ => return None,
    };
    if !(text.starts_with(open) && text.ends_with(close)) {
        return None;
    }
    let unquoted = match serde_json::from_str::<Value>(text) {
        Ok(value) if value.is_object() == (open == '{') => flow(&value, 80)
            .map(|f| format!(", e.g. {f}"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    Some(format!(
        "this is a quoted string, so YAML does not read it as a {what}: remove the quotes \
         around it{unquoted}"
    ))
}

/// The names a key pattern such as `^(\$connect|\$disconnect|[A-Za-z][A-Za-z0-9_-]*)$`
/// allows literally: `$connect`, `$disconnect`.
pub(super) fn literal_alternatives(pattern: &str) -> Vec<String> {
    let body = pattern.trim_start_matches('^').trim_end_matches('$');
    let body = body
        .strip_prefix('(')
        .and_then(|b| b.strip_suffix(')'))
        .unwrap_or(body);
    body.split('|').filter_map(literal).collect()
}

/// The text a regex alternative matches, if it matches exactly one text.
fn literal(alternative: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = alternative.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().filter(|e| !e.is_ascii_alphanumeric())?),
            '[' | ']' | '(' | ')' | '{' | '}' | '*' | '+' | '?' | '.' | '|' | '^' | '$' => {
                return None
            }
            c => out.push(c),
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_names_of_a_key_pattern() {
        assert_eq!(
            literal_alternatives(r"^(\$connect|\$disconnect|\$default|[A-Za-z][A-Za-z0-9_-]*)$"),
            ["$connect", "$disconnect", "$default"]
        );
        assert!(literal_alternatives("^[a-z]+$").is_empty());
        assert_eq!(literal(r"a\.b"), Some("a.b".into()));
        assert_eq!(literal(r"\d"), None);
    }

    #[test]
    fn quoted_json_gets_an_unquoted_form() {
        let help = quoted_collection_help(&Value::from(r#"{"source":["x"]}"#), "object");
        assert!(help.unwrap().ends_with(r#"e.g. {"source": ["x"]}"#));
        assert!(quoted_collection_help(&Value::from("source=x"), "object").is_none());
        assert!(quoted_collection_help(&Value::from("[1]"), "object").is_none());
    }
}
