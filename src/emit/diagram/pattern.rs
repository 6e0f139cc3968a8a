//! An EventBridge pattern in a few short lines for a diagram node:
//! `detail.symbol: prefix EU. or not TEST, DEMO`.

use serde_json::Value;

use super::text::{shorten, MAX_LABEL};

/// Most lines a pattern gets; the rest is counted (`+2 more`).
const MAX_LINES: usize = 3;

/// `pattern` as at most [`MAX_LINES`] lines of at most [`MAX_LABEL`] characters.
pub(super) fn summary(pattern: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    fields(pattern, "", &mut lines);
    if lines.len() > MAX_LINES {
        let more = lines.len() - (MAX_LINES - 1);
        lines.truncate(MAX_LINES - 1);
        lines.push(format!("+{more} more"));
    }
    lines.iter().map(|l| shorten(l, MAX_LABEL)).collect()
}

/// One line per matched field (`path: matchers`), and one per alternative of an `$or`
/// (`either a`, `or b`).
fn fields(pattern: &Value, prefix: &str, out: &mut Vec<String>) {
    let Some(object) = pattern.as_object() else {
        return;
    };
    for (key, value) in object {
        if key == "$or" {
            let alternatives = value.as_array().into_iter().flatten();
            for (i, alt) in alternatives.enumerate() {
                let mut inner = Vec::new();
                fields(alt, prefix, &mut inner);
                let word = if i == 0 { "either" } else { "or" };
                out.push(format!("{word} {}", inner.join(", ")));
            }
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Array(matchers) => {
                let shown: Vec<String> = matchers.iter().map(matcher).collect();
                out.push(format!("{path}: {}", shown.join(" or ")));
            }
            Value::Object(_) => fields(value, &path, out),
            other => out.push(format!("{path}: {other}")),
        }
    }
}

/// One matcher: a value as is, an operator in a word or a symbol.
fn matcher(m: &Value) -> String {
    let Some((op, arg)) = m.as_object().and_then(|o| o.iter().next()) else {
        return plain(m);
    };
    match op.as_str() {
        "prefix" | "suffix" | "wildcard" | "cidr" => format!("{op} {}", operand(arg)),
        "equals-ignore-case" => format!("≈ {}", plain(arg)),
        "exists" if arg == &Value::Bool(false) => "absent".to_owned(),
        "exists" => "exists".to_owned(),
        "anything-but" => format!("not {}", operand(arg)),
        "numeric" => arg
            .as_array()
            .into_iter()
            .flatten()
            .map(plain)
            .collect::<Vec<_>>()
            .join(" "),
        _ => m.to_string(),
    }
}

/// An operator's argument: a value, a list of values, or a nested operator.
fn operand(arg: &Value) -> String {
    match arg {
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(_) => matcher(arg),
        other => plain(other),
    }
}

/// A string without its quotes; anything else as JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summarises_every_operator() {
        let p = json!({
            "source": ["market.quotes"],
            "detail": {
                "symbol": [{"prefix": "EU."}, {"anything-but": ["TEST", "DEMO"]}],
                "size": [{"numeric": [">=", 10000, "<", 5]}, {"exists": false}]
            }
        });
        assert_eq!(
            summary(&p),
            [
                "source: market.quotes",
                "detail.symbol: prefix EU. or not TEST, DEMO",
                "detail.size: >= 10000 < 5 or absent"
            ]
        );
    }

    #[test]
    fn alternatives_and_overflow() {
        let p = json!({"$or": [{"a": [1]}, {"b": [{"equals-ignore-case": "x"}]}], "c": [null]});
        assert_eq!(summary(&p), ["either a: 1", "or b: ≈ x", "c: null"]);
        let many = json!({"a": [1], "b": [2], "c": [3], "d": [4]});
        assert_eq!(summary(&many), ["a: 1", "b: 2", "+2 more"]);
    }
}
