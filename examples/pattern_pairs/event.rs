//! Event values for `pattern_pairs`: values that satisfy a pattern element, near misses
//! derived from it, and random mutations of a whole event (dotted keys, arrays, nulls).

use serde_json::{json, Map, Value};

use crate::ip;
use crate::values::{float, scalar, text, Rng};

/// Each character in its lower- or upper-case form, at random (what equals-ignore-case
/// accepts); now and then "k" or "s" becomes the Kelvin sign or the long s, whose case
/// forms are ASCII but which equals-ignore-case does not accept for "k" and "s".
fn recase(rng: &mut Rng, s: &str) -> String {
    s.chars()
        .map(|c| match c.to_ascii_lowercase() {
            'k' if rng.chance(0.1) => "\u{212A}".to_string(),
            's' if rng.chance(0.1) => "\u{17F}".to_string(),
            _ if rng.chance(0.5) => c.to_lowercase().collect::<String>(),
            _ => c.to_uppercase().collect(),
        })
        .collect()
}

/// Short text over a tiny alphabet, so that wildcard pieces repeat and overlap.
fn filler(rng: &mut Rng) -> String {
    (0..rng.below(4))
        .map(|_| rng.pick(&["a", "b", "*"]))
        .collect()
}

/// Fills the stars of a wildcard and resolves its escapes.
fn fill(rng: &mut Rng, w: &str) -> String {
    let mut out = String::new();
    let mut chars = w.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => out.push_str(&if rng.chance(0.5) {
                filler(rng)
            } else {
                text(rng)
            }),
            c => out.push(c),
        }
    }
    out
}

/// An event value for the pattern element `item`: one that satisfies it when `hit` (where
/// the generator knows how), otherwise a near miss or an arbitrary value; `None` means
/// "leave the field out".
pub(crate) fn leaf_value(rng: &mut Rng, item: &Value, hit: bool) -> Option<Value> {
    let value = if hit {
        satisfying(rng, item)?
    } else if rng.chance(0.15) {
        return None;
    } else if rng.chance(0.6) {
        near_miss(rng, item)
    } else {
        scalar(rng)
    };
    Some(if rng.chance(0.2) {
        let mut items: Vec<Value> = (0..rng.below(3)).map(|_| scalar(rng)).collect();
        let at = rng.below(items.len() as u64 + 1) as usize;
        items.insert(at, value);
        Value::Array(items)
    } else {
        value
    })
}

fn satisfying(rng: &mut Rng, item: &Value) -> Option<Value> {
    let Some((op, arg)) = item.as_object().and_then(|m| m.iter().next()) else {
        return Some(match item {
            Value::String(s) => Value::String(ip::respell(rng, s)),
            Value::Number(n) if rng.chance(0.3) => n.as_f64().map_or(item.clone(), float),
            other => other.clone(),
        });
    };
    let s = arg.as_str().map(str::to_string);
    let inner = arg.get("equals-ignore-case").and_then(Value::as_str);
    let v = match (op.as_str(), s, inner) {
        ("prefix", Some(p), _) => format!("{p}{}", text(rng)),
        ("prefix", None, Some(p)) => format!("{}{}", recase(rng, p), text(rng)),
        ("suffix", Some(p), _) => format!("{}{p}", text(rng)),
        ("suffix", None, Some(p)) => format!("{}{}", text(rng), recase(rng, p)),
        ("equals-ignore-case", Some(p), _) => recase(rng, &p),
        ("wildcard", Some(w), _) => fill(rng, &w),
        ("numeric", ..) => return Some(numeric_value(rng, arg, true)),
        ("exists", ..) if arg == &Value::Bool(false) => {
            return rng.chance(0.3).then(|| json!({"nested": 1}));
        }
        ("cidr", Some(block), _) => ip::inside(rng, &block),
        _ => return Some(scalar(rng)),
    };
    Some(Value::String(v))
}

/// A value close to `item` that probably does not satisfy it.
fn near_miss(rng: &mut Rng, item: &Value) -> Value {
    let Some((op, arg)) = item.as_object().and_then(|m| m.iter().next()) else {
        return match item {
            Value::String(s) => Value::String(ip::respell_loosely(rng, s)),
            Value::Number(n) => {
                float(n.as_f64().unwrap_or(0.0) + rng.pick(&[1e-7, 1e-6, -1e-6, 1.0]))
            }
            _ => scalar(rng),
        };
    };
    let s = arg.as_str().unwrap_or_default();
    let inner = arg.get("equals-ignore-case").and_then(Value::as_str);
    match (op.as_str(), inner) {
        ("prefix" | "suffix" | "equals-ignore-case", _) => {
            let cased = recase(rng, inner.unwrap_or(s));
            Value::String(chop(rng, &cased))
        }
        ("wildcard", _) if rng.chance(0.3) => Value::String(overlap(s)),
        ("wildcard", _) if rng.chance(0.3) => Value::String(reversed(s)),
        ("wildcard", _) => {
            let filled = fill(rng, s);
            Value::String(chop(rng, &filled))
        }
        ("numeric", _) => numeric_value(rng, arg, false),
        ("anything-but", _) => excluded(rng, arg),
        ("cidr", _) => Value::String(ip::inside(rng, s)),
        _ => scalar(rng),
    }
}

/// `s` with one character dropped, doubled, doubled in its two cases, or replaced by a
/// non-ASCII character whose case form is that ASCII letter (Kelvin sign, long s).
fn chop(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return text(rng);
    }
    let at = rng.below(chars.len() as u64) as usize;
    let mut out: String = chars[..at].iter().collect();
    match (rng.below(4), chars[at].to_ascii_lowercase()) {
        (0, _) => {}
        (1, _) => out.extend([chars[at], chars[at]]),
        (2, 'k') => out.push('\u{212A}'),
        (2, 's') => out.push('\u{17F}'),
        _ => out.extend(chars[at].to_uppercase().chain(chars[at].to_lowercase())),
    }
    out.extend(&chars[at + 1..]);
    out
}

/// The first and last pieces of a wildcard glued with the longest overlap ("ab*ba" gives
/// "aba"): it starts with the first and ends with the last, yet is too short for both.
fn overlap(w: &str) -> String {
    let first = w.split('*').next().unwrap_or_default();
    let last = w.rsplit('*').next().unwrap_or_default();
    if first.contains('\\') || last.contains('\\') {
        return first.to_string();
    }
    let k = (1..=first.len().min(last.len()))
        .rev()
        .find(|&k| {
            first.is_char_boundary(first.len() - k)
                && last.is_char_boundary(k)
                && first.ends_with(&last[..k])
        })
        .unwrap_or(0);
    format!("{first}{}", &last[k..])
}

/// The pieces of a wildcard (without escapes) in reverse order: every piece is there, but
/// not in the order the stars allow.
fn reversed(w: &str) -> String {
    w.split('*').rev().collect::<Vec<_>>().concat()
}

/// A value that an `anything-but` operand excludes (or close to one).
fn excluded(rng: &mut Rng, arg: &Value) -> Value {
    let pick = |rng: &mut Rng, v: &Value| match v {
        Value::Array(items) => rng.pick_opt(items).cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match arg {
        Value::Object(map) => {
            let Some((kind, operand)) = map.iter().next() else {
                return Value::Null;
            };
            let s = pick(rng, operand).as_str().unwrap_or_default().to_string();
            Value::String(match kind.as_str() {
                "prefix" => format!("{s}{}", text(rng)),
                "suffix" => format!("{}{s}", text(rng)),
                "equals-ignore-case" => recase(rng, &s),
                _ => fill(rng, &s),
            })
        }
        Value::Number(n) if rng.chance(0.3) => float(n.as_f64().unwrap_or(0.0) + 1e-7),
        other => pick(rng, other),
    }
}

/// A number on the edges of a numeric range: inside when `inside`, else just outside.
fn numeric_value(rng: &mut Rng, arg: &Value, inside: bool) -> Value {
    let items = arg.as_array().map(Vec::as_slice).unwrap_or_default();
    let bound = |i: usize| items.get(i).and_then(Value::as_f64);
    let lo = bound(1).unwrap_or(0.0);
    let step = rng.pick(&[0.0, 1e-7, 5e-7, 1e-6, 1.0, 1e9]);
    let x = match (items.first().and_then(Value::as_str), bound(3), inside) {
        (Some(">" | ">="), Some(hi), true) => lo + (hi - lo) * rng.pick(&[0.0, 1e-9, 0.5, 1.0]),
        (Some(">" | ">="), Some(hi), false) => rng.pick(&[lo - step, hi + step]),
        (Some("<" | "<="), _, true) | (Some(">" | ">="), None, false) => lo - step,
        (Some(">" | ">="), None, true) | (Some("<" | "<="), _, false) => lo + step,
        _ => lo + if rng.chance(0.5) { step } else { -step },
    };
    float(x)
}

/// Random changes to an event: noise keys, dotted keys, arrays, nulls and empties.
pub(crate) fn mutate(rng: &mut Rng, value: &mut Value, depth: u32) {
    match value {
        Value::Object(map) => {
            if rng.chance(0.3) {
                let k = rng.pick(&[
                    "0",
                    "1",
                    "zz",
                    "constructor",
                    "__proto__",
                    "a.zz",
                    "detail.x",
                ]);
                map.insert(k.to_string(), scalar(rng));
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            for k in keys {
                if depth < 4 && rng.chance(if rng.small { 0.3 } else { 0.15 }) {
                    flatten(rng, map, &k);
                    continue;
                }
                if let Some(v) = map.get_mut(&k) {
                    mutate(rng, v, depth + 1);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mutate(rng, v, depth + 1)),
        _ => {}
    }
    match rng.below(40) {
        0 => *value = Value::Null,
        1 => *value = Value::Array(vec![value.take()]),
        2 => *value = json!([]),
        3 | 4 if value.is_object() => {
            let copy = value.clone();
            *value = Value::Array(vec![json!({"other": 1}), copy]);
        }
        _ => {}
    }
}

/// Moves members of `map[k] = {"x": v, ...}` to dotted keys `map["k.x"] = v` (some or all,
/// sometimes flattening deeper levels too); what stays may become an array element.
fn flatten(rng: &mut Rng, map: &mut Map<String, Value>, k: &str) {
    let Some(Value::Object(inner)) = map.get(k).cloned() else {
        return;
    };
    let all = rng.chance(0.4);
    let mut kept = Map::new();
    for (ik, iv) in inner {
        if all || rng.chance(0.5) {
            let dotted = format!("{k}.{ik}");
            let deeper = iv.is_object() && rng.chance(0.4);
            map.insert(dotted.clone(), iv);
            if deeper {
                flatten(rng, map, &dotted);
            }
        } else {
            kept.insert(ik, iv);
        }
    }
    if kept.is_empty() {
        map.remove(k);
    } else if rng.chance(0.3) {
        map.insert(k.to_string(), json!([kept, {"other": 1}]));
    } else {
        map.insert(k.to_string(), Value::Object(kept));
    }
}
