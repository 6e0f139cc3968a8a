//! Random patterns for `pattern_pairs` (every operator, nested objects, `$or`, dotted keys,
//! redefinitions) and events derived from them (satisfied or perturbed, then mutated).

use serde_json::{json, Map, Value};

use crate::event;
use crate::values::{self, Rng};

/// A random pattern object (possibly one `CompiledPattern::new` rejects).
pub(crate) fn random_pattern(rng: &mut Rng) -> Value {
    rng.small = rng.chance(0.35);
    Value::Object(gen_object(rng, 0, 3))
}

/// An event for `pattern`: faithful (mostly satisfying) half of the time, then mutated.
pub(crate) fn random_event(rng: &mut Rng, pattern: &Value) -> Value {
    let faithful = rng.chance(0.5);
    let mut event = Map::new();
    satisfy_object(rng, pattern, &mut event, faithful);
    let mut event = Value::Object(event);
    event::mutate(rng, &mut event, 0);
    event
}

/// Field names of patterns (never names reserved inside `$or`, never integer-like names: a
/// JavaScript object puts those first, which could reorder two definitions of one field).
const KEYS: [&str; 16] = [
    "a",
    "b",
    "c",
    "detail",
    "source",
    "id",
    "name",
    "ip",
    "n",
    "s",
    "ß",
    "Ωμέγα",
    "k-e_y",
    "",
    "constructor",
    "__proto__",
];

fn key(rng: &mut Rng) -> String {
    let pool: &[&str] = if rng.small { &["a", "b", "c"] } else { &KEYS };
    let first = rng.pick(pool).to_string();
    if rng.chance(if rng.small { 0.3 } else { 0.15 }) {
        format!("{first}.{}", rng.pick(pool))
    } else {
        first
    }
}

/// A pattern object with 1 to `max_keys` members at nesting `depth`.
fn gen_object(rng: &mut Rng, depth: u32, max_keys: u64) -> Map<String, Value> {
    let mut map = Map::new();
    let keys = 1 + rng.below(max_keys);
    for _ in 0..keys {
        let roll = rng.below(100);
        if depth < 3 && roll < 10 {
            let mut branches: Vec<Value> = (0..2 + rng.below(2))
                .map(|_| Value::Object(gen_object(rng, depth + 1, 2)))
                .collect();
            if rng.chance(0.3) {
                branches[0] = json!({ key(rng): [{"exists": false}] });
            }
            map.insert("$or".into(), Value::Array(branches));
        } else if depth < 3 && roll < 30 {
            let inner = gen_object(rng, depth + 1, 2);
            map.insert(key(rng), Value::Object(inner));
        } else {
            let items = (0..1 + rng.below(3))
                .map(|_| values::gen_element(rng))
                .collect();
            map.insert(key(rng), Value::Array(items));
        }
    }
    if rng.chance(0.15) {
        redefine(rng, &mut map);
    }
    map
}

/// Defines again, through a dotted key, a field that a nested object already defines (the
/// last definition wins), placing the new key after or before the nested object.
fn redefine(rng: &mut Rng, map: &mut Map<String, Value>) {
    let found = map.iter().find_map(|(k, v)| {
        let field = v.as_object()?.iter().find(|(_, inner)| inner.is_array())?.0;
        (k != "$or").then(|| format!("{k}.{field}"))
    });
    let Some(dotted) = found else {
        return;
    };
    let leaf = Value::Array(vec![values::gen_element(rng)]);
    if rng.chance(0.5) {
        map.insert(dotted, leaf);
    } else {
        let rest = std::mem::take(map);
        map.insert(dotted, leaf);
        map.extend(rest);
    }
}

/// The event object at `segments` below `event` (created as needed), or `None` when a
/// non-object value is already there.
fn descend<'e>(
    event: &'e mut Map<String, Value>,
    segments: &[&str],
) -> Option<&'e mut Map<String, Value>> {
    let mut here = event;
    for seg in segments {
        let slot = here
            .entry(seg.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        here = slot.as_object_mut()?;
    }
    Some(here)
}

/// Writes into `event` values for the members of `pattern` (an object): satisfying ones when
/// `faithful` (mostly), otherwise a mix of satisfying, wrong and missing values.
fn satisfy_object(rng: &mut Rng, pattern: &Value, event: &mut Map<String, Value>, faithful: bool) {
    let Some(map) = pattern.as_object() else {
        return;
    };
    for (key, value) in map {
        if key == "$or" {
            let branches = value.as_array().map(Vec::as_slice).unwrap_or_default();
            for branch in branches {
                if rng.chance(if faithful { 0.6 } else { 0.4 }) {
                    satisfy_object(rng, branch, event, faithful);
                }
            }
            if let Some(branch) = rng.pick_opt(branches) {
                satisfy_object(rng, branch, event, faithful);
            }
            continue;
        }
        let segments: Vec<&str> = key.split('.').collect();
        let (last, outer) = segments.split_last().unwrap_or((&"", &[]));
        let Some(parent) = descend(event, outer) else {
            continue;
        };
        match value {
            Value::Object(_) => {
                let mut inner = match parent.remove(*last) {
                    Some(Value::Object(existing)) => existing,
                    _ => Map::new(),
                };
                satisfy_object(rng, value, &mut inner, faithful);
                parent.insert(last.to_string(), Value::Object(inner));
            }
            Value::Array(items) => {
                let keep = if faithful { 0.97 } else { 0.6 };
                let item = rng.pick_opt(items).cloned().unwrap_or(Value::Null);
                let hit = rng.chance(keep);
                match event::leaf_value(rng, &item, hit) {
                    Some(v) => parent.insert(last.to_string(), v),
                    None => parent.remove(*last),
                };
            }
            _ => {}
        }
    }
}
