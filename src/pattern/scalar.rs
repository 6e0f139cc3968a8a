//! [`Scalar`]: one leaf value of an event, whatever the event's representation (a parsed
//! `serde_json::Value` or the byte scanner of [`super::set`]), as the operators test it.

use serde_json::Value;

/// A JSON scalar borrowed from an event. Numbers are the double a JSON reader makes of their
/// text (serde_json's `as_f64`), which is all EventBridge's comparisons use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar<'a> {
    /// A string, unescaped.
    Str(&'a str),
    /// A number.
    Num(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl<'a> Scalar<'a> {
    /// The scalar `value` is, or `None` for arrays and objects.
    pub(crate) fn of(value: &'a Value) -> Option<Self> {
        Some(match value {
            Value::String(s) => Scalar::Str(s),
            Value::Number(n) => Scalar::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Null => Scalar::Null,
            Value::Array(_) | Value::Object(_) => return None,
        })
    }

    /// The string, if this is one.
    pub(crate) fn as_str(self) -> Option<&'a str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}
