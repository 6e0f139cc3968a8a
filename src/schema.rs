//! The spec's JSON Schema (`schemas/lambdaless.schema.json`, the public contract), and the
//! check that maps every violation back to the YAML node it is about.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use crate::diagnostic::{did_you_mean_help, Code, Diagnostic};
use crate::document::Document;
use crate::path::{self, PathSeg};

/// The schema text, exactly as published in `schemas/`.
pub const SCHEMA_TEXT: &str = include_str!("../schemas/lambdaless.schema.json");

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
pub fn check(doc: &Document, instance: &Value) -> Vec<Diagnostic> {
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
        describe(doc, &path, error.kind(), error.instance(), &mut out);
    }
    out
}

fn describe(
    doc: &Document,
    path: &[PathSeg],
    kind: &ValidationErrorKind,
    found: &Value,
    out: &mut Vec<Diagnostic>,
) {
    let at = where_(path);
    let sub = subschema_at(path);
    let value_span = doc.span(path, false);
    let d = match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known: Vec<&str> = sub
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for key in unexpected {
                let mut key_path = path.to_vec();
                key_path.push(PathSeg::Key(key.clone()));
                let help = did_you_mean_help(key, known.iter().copied())
                    .unwrap_or_else(|| format!("known keys here: {}", known.join(", ")));
                out.push(
                    Diagnostic::error(
                        Code::SchemaUnknownKey,
                        format!("unknown key `{key}` in {at}"),
                    )
                    .at(doc.span(&key_path, true))
                    .label("unknown key")
                    .help(help),
                );
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let help = sub
                .and_then(|s| s.pointer(&format!("/properties/{name}")))
                .and_then(|p| resolve(p).get("description"))
                .and_then(Value::as_str)
                .map(|d| format!("`{name}`: {d}"));
            Diagnostic::error(
                Code::SchemaMissingKey,
                format!("{at} is missing the required key `{name}`"),
            )
            .at(doc.span(path, true))
            .label(format!("needs `{name}`"))
            .maybe_help(help)
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => format!("{t}"),
                TypeKind::Multiple(ts) => format!("{ts:?}"),
            };
            Diagnostic::error(
                Code::SchemaType,
                format!(
                    "{at} must be {}, not {}",
                    article(&expected),
                    type_name(found)
                ),
            )
            .at(value_span)
            .label(format!("expected {expected}"))
            .maybe_help(description(sub))
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<&str> = options
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let help = found
                .as_str()
                .and_then(|f| did_you_mean_help(f, opts.iter().copied()))
                .unwrap_or_else(|| format!("one of: {}", opts.join(", ")));
            Diagnostic::error(Code::SchemaEnum, format!("{at} cannot be {}", show(found)))
                .at(value_span)
                .label(format!("expected one of: {}", opts.join(", ")))
                .help(help)
        }
        ValidationErrorKind::Constant { expected_value } => Diagnostic::error(
            Code::SchemaConst,
            format!("{at} must be {}, not {}", show(expected_value), show(found)),
        )
        .at(value_span)
        .maybe_help(description(sub)),
        ValidationErrorKind::Pattern { .. } => Diagnostic::error(
            Code::SchemaFormat,
            format!("{at} has an invalid value {}", show(found)),
        )
        .at(value_span)
        .label("invalid format")
        .maybe_help(description(sub)),
        ValidationErrorKind::PropertyNames { error } => {
            let key = error.instance().as_str().unwrap_or_default().to_owned();
            let mut key_path = path.to_vec();
            key_path.push(PathSeg::Key(key.clone()));
            Diagnostic::error(
                Code::SchemaKeyFormat,
                format!("`{key}` is not a valid name in {at}"),
            )
            .at(doc.span(&key_path, true))
            .label("invalid name")
            .maybe_help(description(sub))
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => Diagnostic::error(
            Code::SchemaRange,
            format!("{at} is {}, below the minimum {limit}", show(found)),
        )
        .at(value_span)
        .maybe_help(description(sub)),
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => Diagnostic::error(
            Code::SchemaRange,
            format!("{at} is {}, above the maximum {limit}", show(found)),
        )
        .at(value_span)
        .maybe_help(description(sub)),
        ValidationErrorKind::MinLength { limit } => Diagnostic::error(
            Code::SchemaLength,
            format!("{at} must have at least {limit} characters"),
        )
        .at(value_span),
        ValidationErrorKind::MaxLength { limit } => Diagnostic::error(
            Code::SchemaLength,
            format!("{at} must have at most {limit} characters"),
        )
        .at(value_span)
        .maybe_help(description(sub)),
        ValidationErrorKind::MinItems { limit } => Diagnostic::error(
            Code::SchemaEmpty,
            format!("{at} must list at least {limit} item(s)"),
        )
        .at(value_span),
        ValidationErrorKind::MinProperties { limit } => Diagnostic::error(
            Code::SchemaEmpty,
            format!(
                "{at} must have at least {limit} entr{}",
                if *limit == 1 { "y" } else { "ies" }
            ),
        )
        .at(value_span)
        .maybe_help(description(sub)),
        ValidationErrorKind::UniqueItems => Diagnostic::error(
            Code::SchemaDuplicateItem,
            format!("{at} lists the same item twice"),
        )
        .at(value_span),
        ValidationErrorKind::OneOfNotValid { .. }
        | ValidationErrorKind::OneOfMultipleValid { .. } => {
            let message = match path.last() {
                Some(PathSeg::Key(k)) if k == "bus" => {
                    "`bus` needs exactly one of `name` or `existing`".to_owned()
                }
                _ => format!("{at} has an invalid value {}", show(found)),
            };
            Diagnostic::error(Code::SchemaFormat, message)
                .at(value_span)
                .maybe_help(description(sub))
        }
        other => Diagnostic::error(
            Code::SchemaInvalid,
            format!("{at} is invalid ({})", other.keyword()),
        )
        .at(value_span)
        .maybe_help(description(sub)),
    };
    out.push(d);
}

/// How a message names the value at `path`: `the spec` for the root, else the rendered path
/// in backticks (`` `$.api.routes.subscribe.do` ``).
fn where_(path: &[PathSeg]) -> String {
    if path.is_empty() {
        "the spec".to_owned()
    } else {
        format!("`{}`", path::render(path))
    }
}

fn article(t: &str) -> String {
    match t {
        "object" => "a mapping".into(),
        "array" => "a list".into(),
        "integer" => "an integer".into(),
        other => format!("a {other}"),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn description(sub: Option<&Value>) -> Option<String> {
    sub.and_then(|s| s.get("description"))
        .and_then(Value::as_str)
        .map(str::to_owned)
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
