//! Corrected forms: where a pattern says enough to show the fix, the issue's help shows it
//! (`numeric: [">", "10"]` → ``write the number without quotes: `numeric: [">", 10]` ``).
//!
//! Runs on the issues the grammar walk found, with the pattern at hand, so the operator
//! parsers stay about EventBridge's grammar only.

use serde_json::{Number, Value};

use super::issue::PatternIssue;
use crate::diagnostic::{flow, Code};
use crate::path::PathSeg;

/// Longest corrected form shown, in characters.
const MAX_SHOWN: usize = 80;

/// Replaces the help of every issue that has a corrected form.
pub(crate) fn add_corrected_forms(pattern: &Value, issues: &mut [PatternIssue]) {
    for issue in issues {
        if let Some(help) = corrected_form(pattern, issue) {
            issue.help = Some(help);
        }
    }
}

fn corrected_form(pattern: &Value, issue: &PatternIssue) -> Option<String> {
    let path = issue.path.as_slice();
    match issue.code {
        Code::PatternNumericValue => numeric_value(pattern, path),
        Code::PatternNumericNotArray => numeric_not_array(pattern, path),
        Code::PatternNumericOperator | Code::PatternNumericRange => {
            numeric_reordered(pattern, path)
        }
        Code::PatternOperandType => operand_type(pattern, path),
        Code::PatternInvalidValue => nested_array(pattern, path),
        _ => None,
    }
}

/// The value at `path`.
fn value_at<'v>(pattern: &'v Value, path: &[PathSeg]) -> Option<&'v Value> {
    path.iter().try_fold(pattern, |v, seg| match seg {
        PathSeg::Key(k) => v.get(k),
        PathSeg::Index(i) => v.get(i),
    })
}

/// The `numeric` operand an issue path points into, and the path up to it.
fn numeric_operand<'p>(
    pattern: &Value,
    path: &'p [PathSeg],
) -> Option<(Vec<Value>, &'p [PathSeg])> {
    let at = path
        .iter()
        .rposition(|s| matches!(s, PathSeg::Key(k) if k == "numeric"))?;
    let upto = &path[..=at];
    let items = value_at(pattern, upto)?.as_array()?.clone();
    Some((items, upto))
}

/// `key: value`, as the fix would be written in the spec.
fn shown(key: &str, value: &Value) -> Option<String> {
    let key = if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_$".contains(c))
    {
        key.to_owned()
    } else {
        Value::from(key).to_string()
    };
    flow(value, MAX_SHOWN).map(|v| format!("`{key}: {v}`"))
}

/// A number written as text (`"10"`, `" 2.5 "`), as a JSON number.
fn number(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
    Number::from_f64(f).map(Value::Number)
}

/// `numeric: [">", "ten"]`: the bound must be a number.
fn numeric_value(pattern: &Value, path: &[PathSeg]) -> Option<String> {
    let (mut items, upto) = numeric_operand(pattern, path)?;
    let index = match path.get(upto.len()) {
        Some(PathSeg::Index(i)) => *i,
        _ => items.len(),
    };
    let given = items.get(index).and_then(Value::as_str).and_then(number);
    let (lead, bound) = match given {
        Some(n) => ("write the number without quotes: ", n),
        None => (
            "a bound is a number, without quotes, e.g. ",
            Value::from(10),
        ),
    };
    match items.get_mut(index) {
        Some(slot) => *slot = bound,
        None => items.push(bound),
    }
    Some(format!("{lead}{}", shown("numeric", &Value::Array(items))?))
}

/// `numeric: "> 10"` or `numeric: 10`: the operand is a list.
fn numeric_not_array(pattern: &Value, path: &[PathSeg]) -> Option<String> {
    let fixed = match value_at(pattern, path)? {
        Value::Number(n) => vec![Value::from("="), Value::Number(n.clone())],
        Value::String(s) => parse_range(s)?,
        _ => return None,
    };
    Some(format!(
        "write it as a list: {}",
        shown("numeric", &Value::Array(fixed))?
    ))
}

/// `"> 0, <= 5"` as `[">", 0, "<=", 5]`.
fn parse_range(text: &str) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let op = [">=", "<=", ">", "<", "="]
            .into_iter()
            .find(|op| rest.starts_with(op))?;
        rest = rest[op.len()..].trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(rest.len());
        out.push(Value::from(op));
        out.push(number(&rest[..end])?);
        rest = rest[end..].trim_start_matches([' ', ',', '&']);
    }
    matches!(out.len(), 2 | 4).then_some(out)
}

/// An operator typo (`=>`), an upper bound before the lower one, or bounds the wrong way
/// round: the range as it was probably meant.
fn numeric_reordered(pattern: &Value, path: &[PathSeg]) -> Option<String> {
    let (items, _) = numeric_operand(pattern, path)?;
    let mut fixed: Vec<Value> = items
        .iter()
        .map(|v| match v.as_str() {
            Some("=>" | "≥") => Value::from(">="),
            Some("=<" | "≤") => Value::from("<="),
            Some("==") => Value::from("="),
            _ => v.clone(),
        })
        .collect();
    let op = |v: &Value| v.as_str().map(str::to_owned).unwrap_or_default();
    if fixed.len() == 4 {
        let (first, third) = (op(&fixed[0]), op(&fixed[2]));
        if first.starts_with('<') && third.starts_with('>') {
            fixed.swap(0, 2);
            fixed.swap(1, 3);
        }
        let lower = fixed[1].as_f64();
        let upper = fixed[3].as_f64();
        if let (Some(l), Some(u)) = (lower, upper) {
            if l > u {
                fixed.swap(1, 3);
            }
        }
    }
    if fixed == items {
        return None;
    }
    Some(format!(
        "did you mean {}?",
        shown("numeric", &Value::Array(fixed))?
    ))
}

/// `exists: "true"` or `prefix: 5`: the operand written with the right type.
fn operand_type(pattern: &Value, path: &[PathSeg]) -> Option<String> {
    let Some(PathSeg::Key(op)) = path.last() else {
        return None;
    };
    let operand = value_at(pattern, path)?;
    let fixed = match (op.as_str(), operand) {
        ("exists", Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            // YAML 1.1 booleans, which YAML 1.2 (and so the spec) reads as text.
            "true" | "yes" | "on" => Value::Bool(true),
            "false" | "no" | "off" => Value::Bool(false),
            _ => return None,
        },
        ("prefix" | "suffix" | "equals-ignore-case" | "wildcard", Value::Number(n)) => {
            Value::from(n.to_string())
        }
        _ => return None,
    };
    Some(format!("did you mean {}?", shown(op, &fixed)?))
}

/// `source: [["a", "b"]]`: the alternatives belong in the outer list.
fn nested_array(pattern: &Value, path: &[PathSeg]) -> Option<String> {
    let (PathSeg::Index(index), field_path) = path.split_last()? else {
        return None;
    };
    let Some(PathSeg::Key(field)) = field_path.last() else {
        return None;
    };
    let items = value_at(pattern, field_path)?.as_array()?;
    let inner = items.get(*index)?.as_array()?;
    if inner.iter().any(|v| v.is_array() || v.is_object()) {
        return None;
    }
    let mut flat = items[..*index].to_vec();
    flat.extend(inner.iter().cloned());
    flat.extend(items[index + 1..].iter().cloned());
    Some(format!(
        "list the alternatives in one list: {}",
        shown(field, &Value::Array(flat))?
    ))
}

#[cfg(test)]
mod tests;
