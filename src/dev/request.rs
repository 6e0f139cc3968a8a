//! What the deployed stack does with a subscribe message, step for step, so the dev server
//! answers exactly as it does: the route's mapping template (`$input.json('$.topics')`, null
//! read as missing, sizes in UTF-16 units as VTL's `.length()` counts them), then the
//! connections state machine's checks in their order (`CheckTopicsRequest`, `IsTopicList`,
//! `DedupeTopics`, `CheckTopicCount`, `CheckTopicNames`; `CheckPatternRequest`,
//! `ValidatePattern`, `MeasurePattern`).

use serde_json::Value;

use crate::model::protocol::{Refusal, MAX_TOPICS_JSON};
use crate::pattern::{self, CompiledPattern, Complexity, MAX_PATTERN_CHARS};

/// The JSON text `$input.json('$.<field>')` gives for a message, with JSON `null` read as
/// missing (the mapping templates do `#if($x == "null")#set($x = "")#end`): `None` when the
/// body is not JSON at all (API Gateway then fails the request).
pub(crate) fn field_json(body: Option<&Value>, field: &str) -> Option<String> {
    let body = body?;
    Some(match body.get(field) {
        None | Some(Value::Null) => String::new(),
        Some(v) => v.to_string(),
    })
}

/// Length in UTF-16 code units (Java's `String.length()`).
pub(crate) fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The topics a subscribe message asks for, or why it is refused. `text` is the `topics`
/// field's JSON text (empty when missing).
pub(crate) fn topics(
    text: &str,
    allowed: &[String],
    max_topics: u32,
) -> Result<Vec<Value>, Refusal> {
    let size = utf16_len(text);
    let requested: Vec<Value> = if size == 0 {
        allowed.iter().map(|t| Value::from(t.as_str())).collect()
    } else if size > MAX_TOPICS_JSON as usize {
        return Err(Refusal::BadTopics);
    } else {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(list)) if !list.is_empty() => list,
            _ => return Err(Refusal::BadTopics),
        }
    };
    // States.ArrayUnique keeps the first of equal values, in order.
    let mut list: Vec<Value> = Vec::with_capacity(requested.len());
    for v in requested {
        if !list.contains(&v) {
            list.push(v);
        }
    }
    if list.len() > max_topics as usize {
        return Err(Refusal::TooManyTopics);
    }
    let known = |v: &Value| v.as_str().is_some_and(|s| allowed.iter().any(|a| a == s));
    if !list.iter().all(known) {
        return Err(Refusal::UnknownTopic);
    }
    Ok(list)
}

/// The pattern a pattern-subscribe message carries, compiled, or why it is refused. `text`
/// is the `pattern` field's JSON text (empty when missing).
pub(crate) fn pattern(text: &str) -> Result<CompiledPattern, Refusal> {
    let size = utf16_len(text);
    if size == 0 {
        return Err(Refusal::MissingPattern);
    }
    if size > MAX_PATTERN_CHARS {
        return Err(Refusal::PatternTooLarge);
    }
    // EventBridge's TestEventPattern validates the grammar; the project's matcher implements
    // the same grammar (conformance-tested against recorded AWS answers).
    let value: Value = serde_json::from_str(text).map_err(|_| Refusal::InvalidPattern)?;
    if !pattern::validate(&value).is_empty() {
        return Err(Refusal::InvalidPattern);
    }
    let compiled = CompiledPattern::new(&value).map_err(|_| Refusal::InvalidPattern)?;
    // The complexity limits, as `MeasurePattern` checks them (the same figures in JSONata).
    match Complexity::of(&value).breach() {
        Some(breach) => Err(Refusal::PatternTooComplex(breach)),
        None => Ok(compiled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn allowed() -> Vec<String> {
        vec!["orders".into(), "payments".into(), "refunds".into()]
    }

    fn ask(body: Value, max: u32) -> Result<Vec<Value>, Refusal> {
        topics(&field_json(Some(&body), "topics").unwrap(), &allowed(), max)
    }

    #[test]
    fn topics_follow_the_state_machine() {
        assert_eq!(
            ask(json!({}), 3),
            Ok(vec![json!("orders"), json!("payments"), json!("refunds")])
        );
        assert_eq!(ask(json!({"topics": null}), 2), Err(Refusal::TooManyTopics));
        assert_eq!(
            ask(json!({"topics": ["orders", "orders"]}), 1),
            Ok(vec![json!("orders")])
        );
        assert_eq!(ask(json!({"topics": []}), 3), Err(Refusal::BadTopics));
        assert_eq!(ask(json!({"topics": "orders"}), 3), Err(Refusal::BadTopics));
        assert_eq!(
            ask(json!({"topics": {"0": "orders"}}), 3),
            Err(Refusal::BadTopics)
        );
        assert_eq!(
            ask(json!({"topics": [["orders"]]}), 3),
            Err(Refusal::UnknownTopic)
        );
        assert_eq!(ask(json!({"topics": [1]}), 3), Err(Refusal::UnknownTopic));
        assert_eq!(
            ask(json!({"topics": ["orders", "x"]}), 1),
            Err(Refusal::TooManyTopics)
        );
        assert_eq!(
            ask(json!({"topics": ["日本語".repeat(1000)]}), 3),
            Err(Refusal::BadTopics)
        );
        assert_eq!(field_json(None, "topics"), None);
    }

    #[test]
    fn patterns_follow_the_state_machine() {
        let p = |v: Value| pattern(&field_json(Some(&v), "pattern").unwrap()).map(|_| ());
        assert_eq!(p(json!({})), Err(Refusal::MissingPattern));
        assert_eq!(p(json!({"pattern": null})), Err(Refusal::MissingPattern));
        assert_eq!(
            p(json!({"pattern": "source"})),
            Err(Refusal::InvalidPattern)
        );
        assert_eq!(
            p(json!({"pattern": {"detail": {"x": []}}})),
            Err(Refusal::InvalidPattern)
        );
        let big = json!({"pattern": {"detail": {"x": ["y".repeat(3000)]}}});
        assert_eq!(p(big), Err(Refusal::PatternTooLarge));
        assert_eq!(p(json!({"pattern": {"source": ["shop"]}})), Ok(()));
        // Complexity is checked after validity, and names the first limit broken.
        let deep = json!({"pattern": {"a.b.c.d.e.f.g.h.i": [1]}});
        let refused = p(deep).unwrap_err();
        assert_eq!(refused.code(), "pattern-too-complex");
        assert_eq!(refused.message(), "nesting 9 (at most 8)");
        assert_eq!(
            p(json!({"pattern": {"a.b.c.d.e.f.g.h.i": []}})),
            Err(Refusal::InvalidPattern)
        );
        let ips = json!({"pattern": {"ip": ["10.0.0.1", "10.0.0.2", "10.0.0.3"]}});
        assert_eq!(p(ips).unwrap_err().message(), "costly values 3 (at most 2)");
    }
}
