//! Values shown inside hints: one line of JSON with a space after `:` and `,`, which is also
//! YAML flow style, so a corrected form can be pasted into a spec as is.

use serde_json::Value;

/// `value` on one line (`{"source": ["x"]}`), if it fits in `max` characters.
pub(crate) fn flow(value: &Value, max: usize) -> Option<String> {
    let text = flow_text(value);
    (text.chars().count() <= max).then_some(text)
}

/// Recursion follows the value's nesting, which the parsers that built it bound.
fn flow_text(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), flow_text(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow_text).collect();
            format!("[{}]", items.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn one_line_with_spaces() {
        let v = json!({"source": ["a:b", 1], "n": {"x": null}});
        assert_eq!(
            flow(&v, 80).as_deref(),
            Some(r#"{"source": ["a:b", 1], "n": {"x": null}}"#)
        );
        assert_eq!(flow(&v, 10), None);
    }
}
