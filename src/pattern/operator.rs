//! Parsing of one element of a pattern's value array into a typed [`Matcher`], shared by
//! validation (which reports what cannot be parsed) and matching (which uses the result).
//!
//! Error messages follow event-ruler, the library behind EventBridge; where EventBridge's
//! wording is misleading the meaning is kept and the wording improved.

use serde_json::{Map, Value};

use super::anything_but::{parse_anything_but, AnythingBut};
use super::casefold::Folded;
use super::cidr::{self, CidrRange, Ip};
use super::issue::Ctx;
use super::numeric::{self, NumRange};
use super::operand::{extra_keys, parse_wildcard};
use super::scalar::Scalar;
use super::wildcard::Wildcard;
use crate::diagnostic::{did_you_mean_help, Code};

/// Operator names EventBridge recognises inside a value array (case-sensitive).
pub(crate) const OPERATORS: [&str; 8] = [
    "prefix",
    "suffix",
    "equals-ignore-case",
    "wildcard",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
];

/// One alternative of a field's value array, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    /// A literal string; `ip` is set when it is an IP literal, compared as an address.
    ExactString { text: Box<str>, ip: Option<Ip> },
    /// A literal number, compared numerically (six decimals), or as a double out of range.
    ExactNumber {
        number: serde_json::Number,
        comparable: Option<i64>,
    },
    /// `true` / `false`.
    ExactBool(bool),
    /// `null`.
    ExactNull,
    /// `{"prefix": s}`.
    Prefix(Box<str>),
    /// `{"prefix": {"equals-ignore-case": s}}`.
    PrefixIgnoreCase(Folded),
    /// `{"suffix": s}`.
    Suffix(Box<str>),
    /// `{"suffix": {"equals-ignore-case": s}}`.
    SuffixIgnoreCase(Folded),
    /// `{"equals-ignore-case": s}`.
    EqualsIgnoreCase(Folded),
    /// `{"wildcard": s}`.
    Wildcard(Wildcard),
    /// Every `anything-but` form.
    AnythingBut(AnythingBut),
    /// `{"numeric": [...]}`.
    Numeric(NumRange),
    /// `{"exists": b}`; `exists: false` is handled by the field, never tested on a value.
    Exists(bool),
    /// `{"cidr": "a.b.c.d/n"}`.
    Cidr(CidrRange),
}

impl Matcher {
    /// Whether one leaf value of the event satisfies this alternative.
    pub(crate) fn test(&self, value: Scalar<'_>) -> bool {
        match self {
            Matcher::ExactString { text, ip } => match (value, ip) {
                (Scalar::Str(s), None) => *s == **text,
                (Scalar::Str(s), Some(ip)) => cidr::parse_ip(s) == Some(*ip),
                _ => false,
            },
            Matcher::ExactNumber { number, comparable } => match value {
                Scalar::Num(n) => match (comparable, numeric::comparable(n)) {
                    (Some(a), Some(b)) => *a == b,
                    _ => numeric::same_number(number, n),
                },
                _ => false,
            },
            Matcher::ExactBool(b) => value == Scalar::Bool(*b),
            Matcher::ExactNull => value == Scalar::Null,
            Matcher::Prefix(p) => value.as_str().is_some_and(|s| s.starts_with(&**p)),
            Matcher::PrefixIgnoreCase(f) => value.as_str().is_some_and(|s| f.is_prefix_of(s)),
            Matcher::Suffix(p) => value.as_str().is_some_and(|s| s.ends_with(&**p)),
            Matcher::SuffixIgnoreCase(f) => value.as_str().is_some_and(|s| f.is_suffix_of(s)),
            Matcher::EqualsIgnoreCase(f) => value.as_str().is_some_and(|s| f.equals(s)),
            Matcher::Wildcard(w) => value.as_str().is_some_and(|s| w.matches(s)),
            Matcher::AnythingBut(excluded) => !excluded.excludes(value),
            Matcher::Numeric(range) => match value {
                Scalar::Num(n) => numeric::comparable(n).is_some_and(|c| range.contains(c)),
                _ => false,
            },
            Matcher::Exists(present) => *present,
            Matcher::Cidr(range) => value
                .as_str()
                .and_then(cidr::parse_ip)
                .is_some_and(|ip| range.contains(ip)),
        }
    }
}

/// Parses one element of a value array; `ctx.path` points at the element.
pub(crate) fn parse_element(ctx: &mut Ctx, element: &Value) -> Option<Matcher> {
    match element {
        Value::String(s) => Some(Matcher::ExactString {
            text: s.as_str().into(),
            ip: cidr::parse_ip(s),
        }),
        Value::Number(n) => Some(Matcher::ExactNumber {
            number: n.clone(),
            comparable: numeric::comparable_number(n),
        }),
        Value::Bool(b) => Some(Matcher::ExactBool(*b)),
        Value::Null => Some(Matcher::ExactNull),
        Value::Array(_) => {
            ctx.report(
                &[],
                Code::PatternInvalidValue,
                "match value must be a string, number, true, false, null or an operator object",
            )
            .hint("arrays cannot be nested; list the alternatives in the outer array");
            None
        }
        Value::Object(map) => parse_operator(ctx, map),
    }
}

/// Parses `{"operator": operand}`.
fn parse_operator(ctx: &mut Ctx, map: &Map<String, Value>) -> Option<Matcher> {
    let Some((name, operand)) = map.iter().next() else {
        ctx.report(
            &[],
            Code::PatternEmptyOperator,
            "match expression name not found",
        )
        .hint("use an operator object such as {\"prefix\": \"abc\"}");
        return None;
    };
    let name = name.as_str();
    let parsed = ctx.with_key(name, |ctx| match name {
        "prefix" => parse_affix(ctx, operand, "prefix"),
        "suffix" => parse_affix(ctx, operand, "suffix"),
        "equals-ignore-case" => string_operand(ctx, operand, "equals-ignore-case")
            .map(|s| Matcher::EqualsIgnoreCase(Folded::new(s))),
        "wildcard" => string_operand(ctx, operand, "wildcard")
            .and_then(|s| parse_wildcard(ctx, s, &[]))
            .map(Matcher::Wildcard),
        "anything-but" => parse_anything_but(ctx, operand).map(Matcher::AnythingBut),
        "numeric" => numeric::parse_numeric(ctx, operand).map(Matcher::Numeric),
        "exists" => match operand {
            Value::Bool(b) => Some(Matcher::Exists(*b)),
            _ => {
                ctx.report(
                    &[],
                    Code::PatternOperandType,
                    "exists match pattern must be either true or false",
                );
                None
            }
        },
        // EventBridge words a non-string cidr operand as "prefix match pattern must be a string".
        "cidr" => string_operand(ctx, operand, "cidr").and_then(|s| match cidr::parse_cidr(s) {
            Ok(range) => Some(Matcher::Cidr(range)),
            Err(err) => {
                ctx.report(&[], Code::PatternCidr, err.to_string())
                    .hint("e.g. \"10.0.0.0/24\" or \"2001:db8::/64\"");
                None
            }
        }),
        "$or" => {
            ctx.report_key(
                &[],
                Code::PatternUnknownOperator,
                "unrecognized match type $or",
            )
            .hint("$or is a key of the pattern object: {\"$or\": [{...}, {...}]}");
            None
        }
        _ => {
            let help = did_you_mean_help(name, OPERATORS);
            let issue = ctx.report_key(
                &[],
                Code::PatternUnknownOperator,
                format!("unrecognized match type {name}"),
            );
            issue.help = help;
            None
        }
    });
    extra_keys(ctx, map);
    parsed
}

/// The string operand of `op`, reporting any other type.
fn string_operand<'v>(ctx: &mut Ctx, operand: &'v Value, op: &str) -> Option<&'v str> {
    match operand {
        Value::String(s) => Some(s),
        _ => {
            ctx.report(
                &[],
                Code::PatternOperandType,
                format!("{op} match pattern must be a string"),
            );
            None
        }
    }
}

/// `prefix` / `suffix`: a string, or `{"equals-ignore-case": string}`.
fn parse_affix(ctx: &mut Ctx, operand: &Value, op: &str) -> Option<Matcher> {
    let suffix = op == "suffix";
    match operand {
        Value::String(s) => Some(if suffix {
            Matcher::Suffix(s.as_str().into())
        } else {
            Matcher::Prefix(s.as_str().into())
        }),
        Value::Object(inner) => {
            let Some((key, value)) = inner.iter().next() else {
                ctx.report(
                    &[],
                    Code::PatternEmptyOperator,
                    format!("{op} expression name not found"),
                )
                .hint("use {\"equals-ignore-case\": \"...\"}");
                return None;
            };
            let parsed = ctx.with_key(key, |ctx| {
                if key != "equals-ignore-case" {
                    let help = did_you_mean_help(key, ["equals-ignore-case"]);
                    let issue = ctx.report_key(
                        &[],
                        Code::PatternUnknownOperator,
                        format!("unsupported {op} pattern: {key}"),
                    );
                    issue.help = help.or_else(|| Some("only equals-ignore-case".into()));
                    return None;
                }
                let text = string_operand(ctx, value, "equals-ignore-case")?;
                let folded = Folded::new(text);
                Some(if suffix {
                    Matcher::SuffixIgnoreCase(folded)
                } else {
                    Matcher::PrefixIgnoreCase(folded)
                })
            });
            extra_keys(ctx, inner);
            parsed
        }
        _ => {
            ctx.report(
                &[],
                Code::PatternOperandType,
                format!("{op} match pattern must be a string"),
            )
            .hint(format!(
                "or {{\"{op}\": {{\"equals-ignore-case\": \"...\"}}}}"
            ));
            None
        }
    }
}
