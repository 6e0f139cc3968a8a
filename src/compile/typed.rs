//! The typed spec from the document's JSON. Each topic's pattern is moved into the spec
//! whole: deserializing a `Value` into a `Value` rebuilds it map by map (hashing every key
//! again), which cost more than the rest of the spec.

use std::sync::Arc;

use serde_json::Value;

use crate::spec::Spec;

/// `json` (already checked against the schema) as a [`Spec`].
pub(crate) fn from_json(mut json: Value) -> Result<Spec, serde_json::Error> {
    let patterns = take_patterns(&mut json);
    let mut spec: Spec = serde_json::from_value(json)?;
    // Both follow the document's order of topics.
    for (topic, pattern) in spec.topics.values_mut().zip(patterns) {
        topic.pattern = Arc::new(pattern);
    }
    Ok(spec)
}

/// Every topic's pattern, in order, each left as `null` in `json`.
fn take_patterns(json: &mut Value) -> Vec<Value> {
    let Some(topics) = json.get_mut("topics").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    topics
        .values_mut()
        .map(|t| t.get_mut("pattern").map_or(Value::Null, Value::take))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn patterns_arrive_whole_and_in_order() {
        let spec = json!({
            "version": 1, "name": "x",
            "topics": {
                "b": { "pattern": { "source": ["b"] } },
                "a": { "pattern": { "detail": { "n": [{ "numeric": [">", 1] }] } } }
            }
        });
        let typed = from_json(spec.clone()).unwrap();
        let patterns: Vec<&Value> = typed.topics.values().map(|t| &*t.pattern).collect();
        assert_eq!(
            patterns,
            [
                &spec["topics"]["b"]["pattern"],
                &spec["topics"]["a"]["pattern"]
            ]
        );
    }
}
