//! The schema's verdict without compiling it: an interpreter of the schema document itself
//! (the same `schemas/lambdaless.schema.json`, so the schema stays the one source of truth)
//! for exactly the keywords it uses. It only answers "valid or not"; when a spec is not valid,
//! the full validator is compiled to say why, with every violation located. A test proves both
//! give the same verdict on every spec, every invalid spec and thousands of mutations of them,
//! and that the schema uses no keyword this interpreter does not know.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use regex::Regex;
use serde_json::{Map, Value};

/// The schema as the fast path reads it: without annotations (see `strip.rs`), made by
/// `build.rs`.
const STRIPPED_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/schema.min.json"));

/// The stripped schema, parsed once.
pub(crate) fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(STRIPPED_TEXT).expect("build.rs writes JSON"))
}

/// Keywords [`valid`] evaluates.
#[cfg(test)]
const ASSERTIONS: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "properties",
    "additionalProperties",
    "required",
    "minProperties",
    "propertyNames",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "items",
    "minItems",
    "uniqueItems",
    "oneOf",
    "not",
];

/// Keywords of `schema` (recursively) this interpreter does not know.
#[cfg(test)]
fn unsupported_keywords(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_unknown(schema, &mut out);
    out
}

#[cfg(test)]
fn collect_unknown(schema: &Value, out: &mut Vec<String>) {
    let Value::Object(s) = schema else { return };
    for (k, v) in s {
        match k.as_str() {
            "properties" | "$defs" => v
                .as_object()
                .into_iter()
                .flatten()
                .for_each(|(_, sub)| collect_unknown(sub, out)),
            "oneOf" => v
                .as_array()
                .into_iter()
                .flatten()
                .for_each(|sub| collect_unknown(sub, out)),
            "additionalProperties" | "propertyNames" | "items" | "not" => collect_unknown(v, out),
            // `$defs` only holds subschemas, reached through `$ref`.
            k if ASSERTIONS.contains(&k)
                || k == "$defs"
                || super::strip::ANNOTATIONS.contains(&k) => {}
            k => out.push(k.to_owned()),
        }
    }
}

/// Whether `instance` is valid against `schema` (whose local `$ref`s resolve in `root`).
pub(crate) fn valid(root: &Value, schema: &Value, instance: &Value) -> bool {
    let s = match schema {
        Value::Bool(b) => return *b,
        Value::Object(s) => s,
        _ => return true,
    };
    s.iter().all(|(k, v)| keyword(root, s, k, v, instance))
}

fn keyword(root: &Value, s: &Map<String, Value>, k: &str, v: &Value, x: &Value) -> bool {
    match k {
        "$ref" => v
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| pointer(root, p))
            .is_some_and(|target| valid(root, target, x)),
        "type" => match v {
            Value::String(t) => has_type(t, x),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| has_type(t, x)),
            _ => true,
        },
        "enum" => v
            .as_array()
            .is_some_and(|options| options.iter().any(|o| equal(o, x))),
        "const" => equal(v, x),
        "oneOf" => v
            .as_array()
            .is_some_and(|subs| subs.iter().filter(|sub| valid(root, sub, x)).count() == 1),
        "not" => !valid(root, v, x),
        _ => match x {
            Value::Object(o) => object_keyword(root, s, k, v, o),
            Value::String(t) => string_keyword(k, v, t),
            Value::Number(n) => number_keyword(k, v, n.as_f64().unwrap_or(f64::NAN)),
            Value::Array(a) => array_keyword(root, k, v, a),
            Value::Null | Value::Bool(_) => true,
        },
    }
}

/// The value at JSON pointer `p` in `root`, as [`Value::pointer`] finds it, without copying
/// each token (that copy cost more than the rest of a `$ref`).
fn pointer<'v>(root: &'v Value, p: &str) -> Option<&'v Value> {
    if p.is_empty() {
        return Some(root);
    }
    p.strip_prefix('/')?
        .split('/')
        .try_fold(root, |target, token| {
            let token: Cow<'_, str> = if token.contains('~') {
                token.replace("~1", "/").replace("~0", "~").into()
            } else {
                token.into()
            };
            match target {
                Value::Object(map) => map.get(token.as_ref()),
                Value::Array(list) => index(&token).and_then(|i| list.get(i)),
                _ => None,
            }
        })
}

/// An array index in a JSON pointer: digits, without a sign or leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

fn has_type(t: &str, x: &Value) -> bool {
    match t {
        "object" => x.is_object(),
        "array" => x.is_array(),
        "string" => x.is_string(),
        "boolean" => x.is_boolean(),
        "null" => x.is_null(),
        "number" => x.is_number(),
        // Draft 2020-12: any number with a zero fractional part.
        "integer" => x.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn object_keyword(
    root: &Value,
    s: &Map<String, Value>,
    k: &str,
    v: &Value,
    o: &Map<String, Value>,
) -> bool {
    match k {
        "properties" => v.as_object().is_none_or(|props| {
            props
                .iter()
                .all(|(name, sub)| o.get(name).is_none_or(|x| valid(root, sub, x)))
        }),
        "additionalProperties" => {
            let known = s.get("properties").and_then(Value::as_object);
            o.iter()
                .filter(|(name, _)| !known.is_some_and(|p| p.contains_key(*name)))
                .all(|(_, x)| valid(root, v, x))
        }
        "required" => v.as_array().is_none_or(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .all(|n| o.contains_key(n))
        }),
        "minProperties" => v.as_u64().is_none_or(|n| o.len() as u64 >= n),
        "propertyNames" => o
            .keys()
            .all(|name| valid(root, v, &Value::String(name.clone()))),
        _ => true,
    }
}

fn string_keyword(k: &str, v: &Value, t: &str) -> bool {
    // Lengths count Unicode code points.
    let len = || t.chars().count() as u64;
    match k {
        "pattern" => v
            .as_str()
            .is_none_or(|p| regex(p).is_some_and(|r| r.is_match(t))),
        "minLength" => v.as_u64().is_none_or(|n| len() >= n),
        "maxLength" => v.as_u64().is_none_or(|n| len() <= n),
        _ => true,
    }
}

fn number_keyword(k: &str, v: &Value, n: f64) -> bool {
    let Some(limit) = v.as_f64() else { return true };
    match k {
        "minimum" => n >= limit,
        "maximum" => n <= limit,
        "exclusiveMinimum" => n > limit,
        _ => true,
    }
}

fn array_keyword(root: &Value, k: &str, v: &Value, a: &[Value]) -> bool {
    match k {
        "items" => a.iter().all(|x| valid(root, v, x)),
        "minItems" => v.as_u64().is_none_or(|n| a.len() as u64 >= n),
        "uniqueItems" => v != &Value::Bool(true) || unique(a),

        _ => true,
    }
}

/// Whether no two items are equal: by hashing when every item is a string (lists of names,
/// which can hold hundreds), else pairwise.
fn unique(a: &[Value]) -> bool {
    if a.iter().all(Value::is_string) {
        let mut seen = std::collections::HashSet::with_capacity(a.len());
        return a.iter().filter_map(Value::as_str).all(|s| seen.insert(s));
    }
    a.iter()
        .enumerate()
        .all(|(i, x)| a[..i].iter().all(|y| !equal(x, y)))
}

/// JSON Schema equality: numbers by value (`1` equals `1.0`), objects regardless of order.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| equal(p, q)))
        }
        _ => a == b,
    }
}

/// The compiled regex of a schema `pattern` (compiled once, when first needed); `None` if it
/// does not compile, which fails the check and sends the spec to the full validator.
///
/// Each regex lives for the whole process (the schema has a dozen), so its match cache is
/// built once: a cloned `Regex` would build a fresh cache on every match.
fn regex(pattern: &str) -> Option<&'static Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<&'static Regex>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = cache.get(pattern) {
        return known;
    }
    let compiled = Regex::new(pattern).ok().map(|r| &*Box::leak(Box::new(r)));
    cache.insert(pattern.to_owned(), compiled);
    compiled
}

#[cfg(test)]
mod tests;
