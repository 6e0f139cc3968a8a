//! The spec's JSON Schema (`schemas/lambdaless.schema.json`, the public contract), and the
//! check that maps every violation back to the YAML node it is about.
//!
//! Messages and hints come from the schema itself where it can say them (descriptions,
//! allowed values, the literal names a key pattern allows), so the schema stays the one
//! place a rule is written.

mod describe;
mod fast;
mod hints;
#[cfg(test)]
mod strip;

use std::sync::OnceLock;

use jsonschema::paths::LocationSegment;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::path::PathSeg;

/// The schema text, exactly as published in `schemas/`.
pub(crate) const SCHEMA_TEXT: &str = include_str!("../../schemas/lambdaless.schema.json");

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(SCHEMA_TEXT).expect("the embedded schema is valid JSON")
    })
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::draft202012::new(schema())
            .expect("the embedded schema is a valid Draft 2020-12 schema")
    })
}

/// Checks `instance` (the document as JSON) against the schema; one diagnostic per violation,
/// located in `doc`.
pub(crate) fn check(doc: &Document, instance: &Value) -> Vec<Diagnostic> {
    // Most specs are valid: the interpreter says so without compiling the schema.
    let fast_verdict = fast::valid(fast::schema(), fast::schema(), instance);
    // Under `cargo fuzz`, every input proves the interpreter agrees with the validator.
    #[cfg(fuzzing)]
    assert_eq!(
        fast_verdict,
        validator().is_valid(instance),
        "fast schema path disagrees"
    );
    if fast_verdict {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in validator().iter_errors(instance) {
        let path: Vec<PathSeg> = error
            .instance_path()
            .iter()
            .map(|seg| match seg {
                LocationSegment::Property(p) => PathSeg::Key(p.into_owned()),
                LocationSegment::Index(i) => PathSeg::Index(i),
            })
            .collect();
        let violation = describe::Violation {
            doc,
            path: &path,
            found: error.instance(),
            sub: subschema_at(&path),
        };
        out.extend(describe::describe(&violation, error.kind()));
    }
    out
}

/// Follows a local `$ref` (`#/$defs/x`).
fn resolve(mut s: &Value) -> &Value {
    for _ in 0..8 {
        match s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => s = schema().pointer(pointer).unwrap_or(s),
            None => break,
        }
    }
    s
}

/// The subschema that governs the value at `path`.
fn subschema_at(path: &[PathSeg]) -> Option<&'static Value> {
    let mut s = resolve(schema());
    for seg in path {
        s = match seg {
            PathSeg::Key(k) => resolve(
                s.get("properties")
                    .and_then(|p| p.get(k))
                    .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()))?,
            ),
            PathSeg::Index(_) => resolve(s.get("items")?),
        };
    }
    Some(s)
}
