//! Numbers as EventBridge compares them, and the `numeric` range operator.
//!
//! EventBridge maps every number in `-5e9..=5e9` to a fixed-point integer with six decimal
//! digits (`(5e9 + x) * 1e6`, truncated) and compares those; numbers outside the range take no
//! part in numeric comparisons.
//!
//! Sources and decisions:
//! * The EventBridge user guide ("Content filtering", numeric matching) documents a limited
//!   range with "15 digits of precision, or six digits to the right of the decimal point"; the
//!   event-ruler README said the same ("-5.0e9 and +5.0e9 inclusive, with 15 digits of
//!   precision, that is to say 6 digits to the right of the decimal point") and its
//!   `ComparableNumber` computed `(long) (1e6 * (5e9 + value))` in doubles until July 2024.
//!   That is the arithmetic kept here, bit for bit (the JSONata matcher repeats it).
//! * event-ruler 1.8 (September 2024, aws/event-ruler#188) compares any double exactly; AWS
//!   does not document which version EventBridge runs, so the documented range is kept, and
//!   the grammar keeps rejecting `numeric` and `anything-but` bounds outside it.
//! * An exact number outside the range: event-ruler compares the JSON *text* (`6e9` is not
//!   `6000000000`). Neither serde_json nor JSONata keeps a number's text, so both compare such
//!   numbers as IEEE doubles, which is also what event-ruler 1.8 does.

use serde_json::{Number, Value};

use super::issue::Ctx;
use crate::diagnostic::Code;
use crate::path::PathSeg;

/// Largest magnitude EventBridge accepts in numeric comparisons.
const LIMIT: f64 = 5e9;

/// EventBridge's comparable form of `value`, or `None` outside `-5e9..=5e9` (or NaN).
pub(crate) fn comparable(value: f64) -> Option<i64> {
    if (-LIMIT..=LIMIT).contains(&value) {
        // Same arithmetic as event-ruler's ComparableNumber: truncation, not rounding, so
        // numbers closer than 1e-6 compare equal.
        Some((1e6 * (LIMIT + value)) as i64)
    } else {
        None
    }
}

/// Comparable form of a JSON number (see [`comparable`]).
pub(crate) fn comparable_number(number: &Number) -> Option<i64> {
    number.as_f64().and_then(comparable)
}

/// Equality of a pattern's JSON number and an event's number (the double its text reads as)
/// when their comparable forms are unavailable: the same double.
///
/// Integers and floats of equal value are equal (`6e9` and `6000000000`), and integers beyond
/// 2^53 are equal when they round to the same double, exactly as a JavaScript (JSONata)
/// reader of the same JSON sees them (see the module documentation).
pub(crate) fn same_number(a: &Number, b: f64) -> bool {
    a.as_f64() == Some(b)
}

/// A parsed `numeric` operand: optional lower and upper bounds on comparable numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumRange {
    /// Lower bound and whether it is inclusive.
    lower: Option<(i64, bool)>,
    /// Upper bound and whether it is inclusive.
    upper: Option<(i64, bool)>,
}

impl NumRange {
    /// Whether a comparable number lies in the range.
    pub(crate) fn contains(&self, n: i64) -> bool {
        let above = match self.lower {
            Some((bound, true)) => n >= bound,
            Some((bound, false)) => n > bound,
            None => true,
        };
        let below = match self.upper {
            Some((bound, true)) => n <= bound,
            Some((bound, false)) => n < bound,
            None => true,
        };
        above && below
    }
}

const OPERATORS_HELP: &str =
    "use [\"=\", n], a lower bound ([\">\", n] or [\">=\", n]), an upper bound \
     ([\"<\", n] or [\"<=\", n]), or a lower bound followed by an upper bound";

/// Parses the value of a `numeric` operator; `ctx.path` points at that value.
///
/// EventBridge accepts exactly: `["=", n]`, `[lower-op, n]`, `[upper-op, n]`, or
/// `[lower-op, n, upper-op, m]` with `n < m`, all numbers within `-5e9..=5e9`.
pub(crate) fn parse_numeric(ctx: &mut Ctx, value: &Value) -> Option<NumRange> {
    let Value::Array(items) = value else {
        ctx.report(
            &[],
            Code::PatternNumericNotArray,
            "value of numeric must be an array",
        )
        .hint("e.g. {\"numeric\": [\">\", 0, \"<=\", 5]}");
        return None;
    };
    let Some(Value::String(op)) = items.first() else {
        let at = if items.is_empty() {
            vec![]
        } else {
            vec![PathSeg::Index(0)]
        };
        ctx.report(
            &at,
            Code::PatternNumericOperator,
            "numeric range must start with an operator: <, <=, =, > or >=",
        )
        .hint(OPERATORS_HELP);
        return None;
    };
    let first = number_at(ctx, items, 1, op)?;
    match op.as_str() {
        "=" => {
            end_at(ctx, items, 2)?;
            Some(NumRange {
                lower: Some((first, true)),
                upper: Some((first, true)),
            })
        }
        "<" | "<=" => {
            if let Some(Value::String(next)) = items.get(2) {
                if next == ">" || next == ">=" {
                    ctx.report(
                        &[PathSeg::Index(2)],
                        Code::PatternNumericOperator,
                        format!("bad numeric range operator: {next}"),
                    )
                    .hint("put the lower bound (> or >=) before the upper bound (< or <=)");
                    return None;
                }
            }
            end_at(ctx, items, 2)?;
            Some(NumRange {
                lower: None,
                upper: Some((first, op == "<=")),
            })
        }
        ">" | ">=" => {
            let lower = Some((first, op == ">="));
            let Some(next) = items.get(2) else {
                return Some(NumRange { lower, upper: None });
            };
            let Value::String(op2) = next else {
                ctx.report(
                    &[PathSeg::Index(2)],
                    Code::PatternNumericOperator,
                    "bad value in numeric range: expected an upper-bound operator",
                )
                .hint("a lower bound may only be followed by \"<\" or \"<=\"");
                return None;
            };
            if op2 != "<" && op2 != "<=" {
                ctx.report(
                    &[PathSeg::Index(2)],
                    Code::PatternNumericOperator,
                    format!("bad numeric range operator: {op2}"),
                )
                .hint(
                    "a range has at most one lower bound (> or >=) \
                     followed by one upper bound (< or <=)",
                );
                return None;
            }
            let second = number_at(ctx, items, 3, op2)?;
            end_at(ctx, items, 4)?;
            if first >= second {
                ctx.report(
                    &[],
                    Code::PatternNumericRange,
                    "the lower bound of a numeric range must be less than its upper bound",
                );
                return None;
            }
            Some(NumRange {
                lower,
                upper: Some((second, op2 == "<=")),
            })
        }
        other => {
            ctx.report(
                &[PathSeg::Index(0)],
                Code::PatternNumericOperator,
                format!("unrecognized numeric range operator: {other}"),
            )
            .hint(OPERATORS_HELP);
            None
        }
    }
}

/// The comparable number at `items[index]`, reporting a missing, non-numeric or out-of-range one.
fn number_at(ctx: &mut Ctx, items: &[Value], index: usize, op: &str) -> Option<i64> {
    let at = [PathSeg::Index(index.min(items.len()))];
    match items.get(index) {
        Some(Value::Number(n)) => {
            let found = comparable_number(n);
            if found.is_none() {
                ctx.report(
                    &at,
                    Code::PatternNumericOutOfRange,
                    "value must be between -5e9 and 5e9, inclusive",
                );
            }
            found
        }
        _ => {
            let at: &[PathSeg] = if index < items.len() { &at } else { &[] };
            ctx.report(
                at,
                Code::PatternNumericValue,
                format!("value of {op} must be numeric"),
            );
            None
        }
    }
}

/// Reports elements beyond `len` ("too many elements in numeric expression").
fn end_at(ctx: &mut Ctx, items: &[Value], len: usize) -> Option<()> {
    if items.len() > len {
        ctx.report(
            &[PathSeg::Index(len)],
            Code::PatternNumericArity,
            "too many elements in numeric expression",
        )
        .hint(OPERATORS_HELP);
        return None;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparable_keeps_six_decimals_and_range() {
        assert_eq!(comparable(1.0), comparable(1.0000001));
        assert!(comparable(1.0) < comparable(1.000001));
        assert!(comparable(5e9).is_some());
        assert!(comparable(-5e9).is_some());
        assert!(comparable(5e9 + 1.0).is_none());
        assert!(comparable(f64::NAN).is_none());
    }

    #[test]
    fn range_bounds() {
        let r = NumRange {
            lower: Some((comparable(0.0).unwrap_or(0), false)),
            upper: Some((comparable(5.0).unwrap_or(0), true)),
        };
        let c = |x: f64| comparable(x).unwrap_or(i64::MIN);
        assert!(!r.contains(c(0.0)));
        assert!(r.contains(c(0.5)));
        assert!(r.contains(c(5.0)));
        assert!(!r.contains(c(5.1)));
    }

    #[test]
    fn same_number_cases() {
        let n = |s: &str| serde_json::from_str::<Number>(s).expect("number");
        let same_number = |a: &Number, b: &Number| same_number(a, b.as_f64().unwrap_or(f64::NAN));
        assert!(same_number(&n("123456789012"), &n("123456789012")));
        assert!(!same_number(&n("123456789012"), &n("123456789013")));
        assert!(same_number(&n("1e20"), &n("1e20")));
        // Out of range, integers and floats of the same value are the same double.
        assert!(same_number(&n("6e9"), &n("6000000000")));
        assert!(same_number(&n("6000000000.0"), &n("6000000000")));
        assert!(same_number(&n("1e20"), &n("100000000000000000000")));
        assert!(!same_number(&n("6000000000"), &n("6000000001")));
        // Beyond 2^53 both spellings round to the same double, as in JavaScript.
        assert!(same_number(&n("9007199254740993"), &n("9007199254740992")));
    }
}
