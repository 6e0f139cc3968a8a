//! One schema violation → diagnostics: one small function per kind of violation.

use std::fmt::Display;

use jsonschema::error::{TypeKind, ValidationError, ValidationErrorKind};
use serde_json::Value;

use super::hints::{literal_alternatives, quoted_collection_help};
use super::resolve;
use crate::diagnostic::{did_you_mean_help, Code, Diagnostic};
use crate::document::Document;
use crate::path::{self, PathSeg};
use crate::span::Span;

/// What every describer needs: where the offending value is, what it is, and the subschema
/// that governs it.
pub(super) struct Violation<'a> {
    /// The spec, to locate spans.
    pub doc: &'a Document,
    /// Path of the value the violation is about.
    pub path: &'a [PathSeg],
    /// The value.
    pub found: &'a Value,
    /// The subschema at `path`, when the schema has one there.
    pub sub: Option<&'static Value>,
}

impl Violation<'_> {
    /// How a message names the value: `the spec` for the root, else the rendered path in
    /// backticks (`` `$.api.routes.subscribe.do` ``).
    fn at(&self) -> String {
        if self.path.is_empty() {
            "the spec".to_owned()
        } else {
            format!("`{}`", path::render(self.path))
        }
    }

    fn value_span(&self) -> Span {
        self.doc.span(self.path, false)
    }

    /// The span of `key`, a key of the mapping at the violation's path.
    fn key_span(&self, key: &str) -> Span {
        let key_path = [self.path, &[PathSeg::Key(key.to_owned())]].concat();
        self.doc.span(&key_path, true)
    }

    /// The subschema's `description`: what the value is for.
    fn description(&self) -> Option<String> {
        description_of(self.sub)
    }

    /// An error about the value, with the subschema's description as help.
    fn error(&self, code: Code, message: String) -> Diagnostic {
        Diagnostic::error(code, message)
            .at(self.value_span())
            .maybe_help(self.description())
    }
}

/// The diagnostics for one violation of kind `kind`.
pub(super) fn describe(v: &Violation<'_>, kind: &ValidationErrorKind) -> Vec<Diagnostic> {
    use ValidationErrorKind as K;
    let one = match kind {
        K::AdditionalProperties { unexpected } => return unknown_keys(v, unexpected),
        K::Required { property } => missing_key(v, property.as_str().unwrap_or_default()),
        K::Type { kind } => wrong_type(v, kind),
        K::Enum { options } => not_allowed(v, options),
        K::Constant { expected_value } => not_constant(v, expected_value),
        K::Pattern { .. } => bad_format(v),
        K::PropertyNames { error } => bad_key_name(v, error),
        K::Minimum { limit } | K::ExclusiveMinimum { limit } => {
            out_of_range(v, "below the minimum", limit)
        }
        K::Maximum { limit } | K::ExclusiveMaximum { limit } => {
            out_of_range(v, "above the maximum", limit)
        }
        K::MinLength { limit } => length(v, "at least", *limit).maybe_help(None),
        K::MaxLength { limit } => length(v, "at most", *limit),
        K::MinItems { limit } => too_few_items(v, *limit),
        K::MinProperties { limit } => too_few_entries(v, *limit),
        K::UniqueItems => duplicate_item(v),
        K::OneOfNotValid { .. } | K::OneOfMultipleValid { .. } => no_single_form(v),
        other => v.error(
            Code::SchemaInvalid,
            format!("{} is invalid ({})", v.at(), other.keyword()),
        ),
    };
    vec![one]
}

/// `additionalProperties: false`: one error per unknown key, with did-you-mean.
fn unknown_keys(v: &Violation<'_>, unexpected: &[String]) -> Vec<Diagnostic> {
    let known: Vec<&str> = v
        .sub
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    unexpected
        .iter()
        .map(|key| {
            let help = did_you_mean_help(key, known.iter().copied())
                .unwrap_or_else(|| format!("known keys here: {}", known.join(", ")));
            Diagnostic::error(
                Code::SchemaUnknownKey,
                format!("unknown key `{key}` in {}", v.at()),
            )
            .at(v.key_span(key))
            .label("unknown key")
            .help(help)
        })
        .collect()
}

/// `required`: the help says what the missing key is for.
fn missing_key(v: &Violation<'_>, name: &str) -> Diagnostic {
    let help = v
        .sub
        .and_then(|s| s.get("properties"))
        .and_then(|p| p.get(name))
        .and_then(|p| description_of(Some(resolve(p))))
        .map(|d| format!("`{name}`: {d}"));
    Diagnostic::error(
        Code::SchemaMissingKey,
        format!("{} is missing the required key `{name}`", v.at()),
    )
    .at(missing_key_span(v))
    .label(format!("needs `{name}`"))
    .maybe_help(help)
}

/// Where a missing key is reported: the key of the mapping that lacks it, or, for the spec
/// itself (which has no key), its first key rather than every line of it.
fn missing_key_span(v: &Violation<'_>) -> Span {
    if v.path.is_empty() {
        if let Some(span) = v.doc.first_key() {
            return span;
        }
    }
    v.doc.span(v.path, true)
}

/// `type`. A mapping or list written as a quoted string (JSON pasted in quotes) gets a help
/// that shows it unquoted.
fn wrong_type(v: &Violation<'_>, kind: &TypeKind) -> Diagnostic {
    let expected = match kind {
        TypeKind::Single(t) => format!("{t}"),
        TypeKind::Multiple(ts) => format!("{ts:?}"),
    };
    let message = format!(
        "{} must be {}, not {}",
        v.at(),
        article(&expected),
        type_name(v.found)
    );
    let help = quoted_collection_help(v.found, &expected).or_else(|| v.description());
    Diagnostic::error(Code::SchemaType, message)
        .at(v.value_span())
        .label(format!("expected {expected}"))
        .maybe_help(help)
}

/// `enum`: did-you-mean among the allowed words.
fn not_allowed(v: &Violation<'_>, options: &Value) -> Diagnostic {
    let opts: Vec<&str> = options
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let help = v
        .found
        .as_str()
        .and_then(|f| did_you_mean_help(f, opts.iter().copied()))
        .unwrap_or_else(|| format!("one of: {}", opts.join(", ")));
    Diagnostic::error(
        Code::SchemaEnum,
        format!("{} cannot be {}", v.at(), show(v.found)),
    )
    .at(v.value_span())
    .label(format!("expected one of: {}", opts.join(", ")))
    .help(help)
}

/// `const`.
fn not_constant(v: &Violation<'_>, expected: &Value) -> Diagnostic {
    let message = format!(
        "{} must be {}, not {}",
        v.at(),
        show(expected),
        show(v.found)
    );
    v.error(Code::SchemaConst, message)
}

/// `pattern`: the description says what the format is.
fn bad_format(v: &Violation<'_>) -> Diagnostic {
    let message = format!("{} has an invalid value {}", v.at(), show(v.found));
    v.error(Code::SchemaFormat, message).label("invalid format")
}

/// `propertyNames`: a key that is not a valid name here. When the key pattern allows
/// literal names (`$connect`), a near miss (`$Connect`) gets a did-you-mean.
fn bad_key_name(v: &Violation<'_>, error: &ValidationError<'_>) -> Diagnostic {
    let key = error.instance().as_str().unwrap_or_default().to_owned();
    let literals = v
        .sub
        .and_then(|s| s.pointer("/propertyNames/pattern"))
        .and_then(Value::as_str)
        .map(literal_alternatives)
        .unwrap_or_default();
    let help =
        did_you_mean_help(&key, literals.iter().map(String::as_str)).or_else(|| v.description());
    Diagnostic::error(
        Code::SchemaKeyFormat,
        format!("`{key}` is not a valid name in {}", v.at()),
    )
    .at(v.key_span(&key))
    .label("invalid name")
    .maybe_help(help)
}

/// `minimum`/`maximum` (exclusive or not).
fn out_of_range(v: &Violation<'_>, side: &str, limit: &Value) -> Diagnostic {
    let message = format!("{} is {}, {side} {limit}", v.at(), show(v.found));
    v.error(Code::SchemaRange, message)
}

/// `minLength`/`maxLength`.
fn length(v: &Violation<'_>, bound: &str, limit: u64) -> Diagnostic {
    let message = format!("{} must have {bound} {limit} characters", v.at());
    v.error(Code::SchemaLength, message)
}

/// `minItems`.
fn too_few_items(v: &Violation<'_>, limit: u64) -> Diagnostic {
    let message = format!("{} must list at least {limit} item(s)", v.at());
    v.error(Code::SchemaEmpty, message).maybe_help(None)
}

/// `minProperties`.
fn too_few_entries(v: &Violation<'_>, limit: u64) -> Diagnostic {
    let entries = if limit == 1 { "entry" } else { "entries" };
    let message = format!("{} must have at least {limit} {entries}", v.at());
    v.error(Code::SchemaEmpty, message)
}

/// `uniqueItems`.
fn duplicate_item(v: &Violation<'_>) -> Diagnostic {
    let message = format!("{} lists the same item twice", v.at());
    v.error(Code::SchemaDuplicateItem, message).maybe_help(None)
}

/// `oneOf`. When every form carries a `description` (e.g. `bus`: "`name` (…)" and
/// "`existing` (…)"), the message lists them: "`$.bus` needs exactly one of A or B".
fn no_single_form(v: &Violation<'_>) -> Diagnostic {
    let forms: Option<Vec<String>> = v
        .sub
        .and_then(|s| s.get("oneOf"))
        .and_then(Value::as_array)
        .map(|forms| {
            forms
                .iter()
                .map(|f| description_of(Some(resolve(f))))
                .collect()
        })
        .and_then(|d: Option<Vec<String>>| d.filter(|d| !d.is_empty()));
    let message = match forms {
        Some(forms) => format!("{} needs exactly one of {}", v.at(), or_list(&forms)),
        None => format!("{} has an invalid value {}", v.at(), show(v.found)),
    };
    v.error(Code::SchemaFormat, message)
}

/// `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn description_of(sub: Option<&Value>) -> Option<String> {
    sub.and_then(|s| s.get("description"))
        .and_then(Value::as_str)
        .map(str::to_owned)
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

fn show(v: &impl Display) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}
