//! The `anything-but` operator in all its forms: a value, a list of strings or of numbers,
//! or `{"prefix"|"suffix"|"equals-ignore-case"|"wildcard": value or list}`.
//!
//! Whatever the form, `anything-but` needs the field to be present: it matches any present
//! value (including `null`, booleans and values of another type) that is not excluded.

use serde_json::Value;

use super::casefold::Folded;
use super::issue::Ctx;
use super::numeric;
use super::operand::{extra_keys, parse_wildcard};
use super::scalar::Scalar;
use super::wildcard::Wildcard;
use crate::diagnostic::{did_you_mean_help, Code};
use crate::path::PathSeg;

/// The value excluded by an `anything-but`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnythingBut {
    /// Excluded strings.
    Strings(Vec<Box<str>>),
    /// Excluded numbers (comparable form).
    Numbers(Vec<i64>),
    /// Excluded string prefixes.
    Prefixes(Vec<Box<str>>),
    /// Excluded string suffixes.
    Suffixes(Vec<Box<str>>),
    /// Excluded strings, ignoring case.
    IgnoreCase(Vec<Folded>),
    /// Excluded wildcard matches.
    Wildcards(Vec<Wildcard>),
}

impl AnythingBut {
    /// Whether `value` is one of the excluded values. Values of another type (numbers for a
    /// string list, `null`, booleans) are never excluded, so `anything-but` matches them.
    pub(crate) fn excludes(&self, value: Scalar<'_>) -> bool {
        if let (AnythingBut::Numbers(list), Scalar::Num(n)) = (self, value) {
            return numeric::comparable(n).is_some_and(|c| list.contains(&c));
        }
        let Scalar::Str(s) = value else {
            return false;
        };
        match self {
            AnythingBut::Strings(list) => list.iter().any(|x| **x == *s),
            AnythingBut::Numbers(_) => false,
            AnythingBut::Prefixes(list) => list.iter().any(|p| s.starts_with(&**p)),
            AnythingBut::Suffixes(list) => list.iter().any(|p| s.ends_with(&**p)),
            AnythingBut::IgnoreCase(list) => list.iter().any(|f| f.equals(s)),
            AnythingBut::Wildcards(list) => list.iter().any(|w| w.matches(s)),
        }
    }
}

/// Every form of `anything-but`; `ctx.path` points at its operand.
pub(crate) fn parse_anything_but(ctx: &mut Ctx, operand: &Value) -> Option<AnythingBut> {
    match operand {
        Value::String(s) => Some(AnythingBut::Strings(vec![s.as_str().into()])),
        Value::Number(n) => anything_but_number(ctx, n, &[]).map(|c| AnythingBut::Numbers(vec![c])),
        Value::Array(items) => anything_but_list(ctx, items),
        Value::Object(inner) => {
            let Some((key, value)) = inner.iter().next() else {
                ctx.report(
                    &[],
                    Code::PatternEmptyOperator,
                    "anything-but expression name not found",
                )
                .hint(
                    "use a value, a list, or an object with one of \
                     prefix, suffix, equals-ignore-case or wildcard",
                );
                return None;
            };
            let parsed = ctx.with_key(key, |ctx| anything_but_special(ctx, key, value));
            extra_keys(ctx, inner);
            parsed
        }
        Value::Bool(_) | Value::Null => {
            ctx.report(
                &[],
                Code::PatternOperandType,
                "value of anything-but must be an array or single string/number value",
            );
            None
        }
    }
}

/// A number excluded by `anything-but`, which must be within EventBridge's numeric range.
fn anything_but_number(ctx: &mut Ctx, n: &serde_json::Number, at: &[PathSeg]) -> Option<i64> {
    let found = numeric::comparable_number(n);
    if found.is_none() {
        ctx.report(
            at,
            Code::PatternNumericOutOfRange,
            "value must be between -5e9 and 5e9, inclusive",
        );
    }
    found
}

/// `{"anything-but": [...]}`: all strings or all numbers.
fn anything_but_list(ctx: &mut Ctx, items: &[Value]) -> Option<AnythingBut> {
    let (mut strings, mut numbers, mut ok) = (Vec::new(), Vec::new(), true);
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) => strings.push(s.as_str().into()),
            Value::Number(n) => match anything_but_number(ctx, n, &[PathSeg::Index(i)]) {
                Some(c) => numbers.push(c),
                None => ok = false,
            },
            _ => {
                ctx.report(
                    &[PathSeg::Index(i)],
                    Code::PatternOperandType,
                    "inside an anything-but list only strings and numbers are supported",
                );
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    match (strings.is_empty(), numbers.is_empty()) {
        (false, true) => Some(AnythingBut::Strings(strings)),
        (true, false) => Some(AnythingBut::Numbers(numbers)),
        (false, false) => {
            ctx.report(
                &[],
                Code::PatternAnythingButMixed,
                "inside an anything-but list, either all values are numbers or all are strings",
            )
            .hint("use only strings or only numbers");
            None
        }
        (true, true) => {
            ctx.report(
                &[],
                Code::PatternEmptyArray,
                "empty arrays are not allowed in anything-but",
            );
            None
        }
    }
}

/// `{"anything-but": {"prefix"|"suffix"|"equals-ignore-case"|"wildcard": s or [s, ...]}}`.
/// `ctx.path` points at the inner operand.
fn anything_but_special(ctx: &mut Ctx, key: &str, value: &Value) -> Option<AnythingBut> {
    let kind_message = match key {
        "prefix" | "suffix" => "prefix/suffix match pattern must be a string",
        "equals-ignore-case" => {
            "inside anything-but/equals-ignore-case, only strings are supported"
        }
        "wildcard" => "wildcard match pattern must be a string",
        _ => {
            let help =
                did_you_mean_help(key, ["prefix", "suffix", "equals-ignore-case", "wildcard"]);
            let issue = ctx.report_key(
                &[],
                Code::PatternUnknownOperator,
                format!("unsupported anything-but pattern: {key}"),
            );
            issue.help =
                help.or_else(|| Some("use prefix, suffix, equals-ignore-case or wildcard".into()));
            return None;
        }
    };
    let (texts, listed): (&[Value], bool) = match value {
        Value::Array(items) => (items, true),
        Value::String(_) => (std::slice::from_ref(value), false),
        Value::Number(_) => {
            ctx.report(&[], Code::PatternOperandType, kind_message);
            return None;
        }
        _ => {
            ctx.report(
                &[],
                Code::PatternOperandType,
                "value of anything-but must be an array or single string/number value",
            )
            .hint("operators cannot be nested further inside anything-but");
            return None;
        }
    };
    let mut strings: Vec<(&str, Vec<PathSeg>)> = Vec::new();
    for (i, item) in texts.iter().enumerate() {
        let at = if listed {
            vec![PathSeg::Index(i)]
        } else {
            vec![]
        };
        match item {
            Value::String(s) if s.is_empty() && (key == "prefix" || key == "suffix") => {
                ctx.report(
                    &at,
                    Code::PatternEmptyAffix,
                    "null prefix/suffix not allowed",
                )
                .hint("an empty prefix or suffix would exclude every string");
            }
            Value::String(s) => strings.push((s, at)),
            _ => {
                ctx.report(&at, Code::PatternOperandType, kind_message);
            }
        }
    }
    if strings.len() != texts.len() {
        return None;
    }
    let boxed = || strings.iter().map(|(s, _)| Box::<str>::from(*s)).collect();
    Some(match key {
        "prefix" => AnythingBut::Prefixes(boxed()),
        "suffix" => AnythingBut::Suffixes(boxed()),
        "equals-ignore-case" => {
            AnythingBut::IgnoreCase(strings.iter().map(|(s, _)| Folded::new(s)).collect())
        }
        _ => {
            let mut list = Vec::new();
            for (s, at) in &strings {
                list.push(parse_wildcard(ctx, s, at));
            }
            AnythingBut::Wildcards(list.into_iter().collect::<Option<Vec<_>>>()?)
        }
    })
}
