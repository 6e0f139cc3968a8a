//! Why an event does not match: the pattern's condition at the deciding field, and what the
//! event holds there.

use serde_json::Value;

use crate::pattern::{path_to_string, PathSeg};

/// Longest value shown in a human explanation, in characters.
const SHOWN_CHARS: usize = 80;

/// What the event holds at the field that decided a no-match.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Found {
    /// Nothing: the field is missing.
    Missing,
    /// This value (several values, as an array, when the field is under an event array).
    Value(Value),
    /// The field is a `$or` none of whose alternatives matches.
    NoAlternative,
}

/// A no-match, explained.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Explanation {
    /// The field, as a path into the pattern (`$.detail.total`).
    pub field: String,
    /// The pattern's condition there.
    pub expected: Value,
    /// What the event holds there.
    pub found: Found,
}

/// Explains why `event` fails at `path`, a path into `pattern` from `CompiledPattern::explain`.
pub(super) fn explain(pattern: &Value, path: &[PathSeg], event: &Value) -> Explanation {
    let expected = pattern_at(pattern, path).cloned().unwrap_or(Value::Null);
    let found = if matches!(path.last(), Some(PathSeg::Key(k)) if k == "$or") {
        Found::NoAlternative
    } else {
        let mut values = event_at(event, &event_keys(path));
        match values.len() {
            0 => Found::Missing,
            1 => Found::Value(values.remove(0).clone()),
            _ => Found::Value(Value::Array(values.into_iter().cloned().collect())),
        }
    };
    Explanation {
        field: path_to_string(path),
        expected,
        found,
    }
}

/// The pattern's value at `path`.
fn pattern_at<'a>(pattern: &'a Value, path: &[PathSeg]) -> Option<&'a Value> {
    path.iter().try_fold(pattern, |value, seg| match seg {
        PathSeg::Key(k) => value.get(k),
        PathSeg::Index(i) => value.get(i),
    })
}

/// The event fields a pattern path names: `$or` steps skipped, dotted keys split.
fn event_keys(path: &[PathSeg]) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut segs = path.iter();
    while let Some(seg) = segs.next() {
        match seg {
            PathSeg::Key(k) if k == "$or" => {
                segs.next();
            }
            PathSeg::Key(k) => keys.extend(k.split('.')),
            PathSeg::Index(_) => {}
        }
    }
    keys
}

/// The event's values at `keys`, looking into every element of the arrays on the way (as
/// EventBridge does).
fn event_at<'a>(event: &'a Value, keys: &[&str]) -> Vec<&'a Value> {
    let Some((first, rest)) = keys.split_first() else {
        return vec![event];
    };
    match event {
        Value::Object(map) => map.get(*first).map_or_else(Vec::new, |v| event_at(v, rest)),
        Value::Array(items) => items.iter().flat_map(|i| event_at(i, keys)).collect(),
        _ => Vec::new(),
    }
}

/// A value as compact JSON, cut to [`SHOWN_CHARS`] characters with `…`.
pub(super) fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(SHOWN_CHARS - 1).collect();
    cut.push('…');
    cut
}

impl Explanation {
    /// One line for people: `$.detail.total is 50; expected [{"numeric":[">",100]}]`.
    pub(super) fn human(&self) -> String {
        let expected = shown(&self.expected);
        match &self.found {
            Found::Missing => format!("{} is missing; expected {expected}", self.field),
            Found::Value(v) => format!("{} is {}; expected {expected}", self.field, shown(v)),
            Found::NoAlternative => {
                format!("no alternative of {} matches: {expected}", self.field)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::CompiledPattern;
    use serde_json::json;

    fn why(pattern: Value, event: Value) -> String {
        let path = CompiledPattern::new(&pattern)
            .unwrap()
            .explain(&event)
            .expect("no match");
        explain(&pattern, &path, &event).human()
    }

    #[test]
    fn missing_or_different() {
        let p = json!({"source": ["a"], "detail": {"total": [{"numeric": [">", 100]}]}});
        assert_eq!(
            why(p.clone(), json!({"source": "a", "detail": {"total": 50}})),
            r#"$.detail.total is 50; expected [{"numeric":[">",100]}]"#
        );
        assert_eq!(
            why(p.clone(), json!({"source": "a", "detail": {}})),
            r#"$.detail.total is missing; expected [{"numeric":[">",100]}]"#
        );
        assert_eq!(
            why(p, json!({"source": "b"})),
            r#"$.source is "b"; expected ["a"]"#
        );
    }

    #[test]
    fn arrays_dotted_keys_and_or() {
        let p = json!({"detail": {"items": {"price": [{"numeric": [">", 10]}]}}});
        let e = json!({"detail": {"items": [{"price": 1}, {"price": 2}]}});
        assert!(why(p, e).starts_with("$.detail.items.price is [1,2]; expected"));
        let dotted = json!({"detail.total": [1]});
        assert_eq!(
            why(dotted, json!({"detail": {"total": 2}})),
            r#"$."detail.total" is 2; expected [1]"#
        );
        let or = json!({"$or": [{"a": [1]}, {"b": [2]}]});
        assert_eq!(
            why(or, json!({"a": 2})),
            r#"no alternative of $.$or matches: [{"a":[1]},{"b":[2]}]"#
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(200);
        let text = why(json!({"a": ["y"]}), json!({ "a": long }));
        assert!(text.contains("…; expected"), "{text}");
        assert!(text.len() < 120, "{text}");
    }
}
