//! The structure of an event pattern: objects, leaf arrays, `$or`, size and depth limits.
//!
//! Validation and compilation are one pass: the walk reports every issue with its location
//! and, when there is none, yields the matcher tree. Operators inside leaf arrays are parsed
//! by [`super::operator`].

use serde_json::{Map, Value};

use super::fixes;
use super::issue::{Ctx, PatternIssue};
use super::operator::{self, Matcher};
use super::size::{self, MAX_NESTING_DEPTH, MAX_PATTERN_CHARS};
use super::tree::{ChildReq, FieldReq, Node, OrReq, Req};
use super::wildcard;
use crate::diagnostic::Code;
use crate::path::PathSeg;

/// Names event-ruler refuses as field names anywhere inside a `$or` branch (operator names
/// and words reserved for future operators).
const RESERVED_IN_OR: [&str; 24] = [
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Walks a (non-empty) pattern object at nesting `depth`.
fn object(ctx: &mut Ctx, map: &Map<String, Value>, depth: usize, in_or: bool) -> Node {
    let mut node = Node::default();
    for (key, value) in map {
        ctx.with_key(key, |ctx| member(ctx, &mut node, key, value, depth, in_or));
    }
    node
}

/// One `key: value` member of a pattern object; `ctx.path()` ends at `key`.
fn member(ctx: &mut Ctx, node: &mut Node, key: &str, value: &Value, depth: usize, in_or: bool) {
    if key == "$or" {
        or(ctx, node, value, depth);
        return;
    }
    if in_or && RESERVED_IN_OR.contains(&key) {
        ctx.report_key(
            &[],
            Code::PatternReservedField,
            format!("{key} is a reserved name and cannot be used as a field name inside $or"),
        );
    }
    // EventBridge joins nested keys with '.', so every dot adds a level.
    let segments: Vec<&str> = key.split('.').collect();
    let last_segment = segments.last().copied().unwrap_or(key);
    let depth = depth + segments.len();
    if depth > MAX_NESTING_DEPTH {
        too_deep(ctx);
        return;
    }
    let last = match value {
        Value::Object(map) if map.is_empty() => {
            ctx.report(
                &[],
                Code::PatternEmptyObject,
                "empty objects are not allowed",
            )
            .hint("add at least one field, or remove this key");
            return;
        }
        Value::Object(map) => Req::Child(ChildReq {
            seg: last_segment.into(),
            node: object(ctx, map, depth, in_or),
            path: ctx.path().to_vec(),
        }),
        Value::Array(items) if items.is_empty() => {
            ctx.report(&[], Code::PatternEmptyArray, "empty arrays are not allowed")
                .hint("list at least one value, e.g. [{\"exists\": true}], or remove the field");
            return;
        }
        Value::Array(items) => {
            let Some((matchers, absent_ok)) = leaf(ctx, items) else {
                return;
            };
            Req::Field(FieldReq {
                seg: last_segment.into(),
                matchers,
                absent_ok,
                path: ctx.path().to_vec(),
            })
        }
        scalar => {
            let issue = ctx.report(
                &[],
                Code::PatternNotArray,
                format!("\"{key}\" must be an object or an array"),
            );
            if let Ok(json) = serde_json::to_string(scalar) {
                issue.hint(format!("wrap the value in an array: [{json}]"));
            }
            return;
        }
    };
    node.add(nest(&segments, last, ctx.path()));
}

fn too_deep(ctx: &mut Ctx) {
    ctx.report(
        &[],
        Code::PatternTooDeep,
        format!("pattern nested too deeply (more than {MAX_NESTING_DEPTH} levels)"),
    );
}

/// The value of a `$or` key; `ctx.path()` ends at `$or`.
fn or(ctx: &mut Ctx, node: &mut Node, value: &Value, depth: usize) {
    let depth = depth + 2;
    if depth > MAX_NESTING_DEPTH {
        too_deep(ctx);
        return;
    }
    let Value::Array(items) = value else {
        ctx.report(
            &[],
            Code::PatternOrNotArray,
            "$or must be an array of pattern objects",
        )
        .hint("{\"$or\": [{\"a\": [1]}, {\"b\": [2]}]}");
        return;
    };
    if items.len() < 2 {
        ctx.report(
            &[],
            Code::PatternOrTooFew,
            "there must be at least 2 objects in a $or relationship",
        )
        .hint("add another alternative, or replace the $or by its single object's fields");
    }
    let mut branches = Vec::new();
    for (index, item) in items.iter().enumerate() {
        ctx.with_index(index, |ctx| match item {
            Value::Object(map) if map.is_empty() => {
                ctx.report(
                    &[],
                    Code::PatternEmptyObject,
                    "empty objects are not allowed",
                );
            }
            Value::Object(map) => branches.push(object(ctx, map, depth, true)),
            _ => {
                ctx.report(
                    &[],
                    Code::PatternOrBranch,
                    "only JSON objects are allowed in the array of a $or relationship",
                );
            }
        });
    }
    node.add(Req::Or(OrReq {
        branches,
        path: ctx.path().to_vec(),
    }));
}

/// A non-empty leaf array: its alternatives and whether `exists: false` is among them.
fn leaf(ctx: &mut Ctx, items: &[Value]) -> Option<(Vec<Matcher>, bool)> {
    let before = ctx.issue_count();
    let mut matchers = Vec::with_capacity(items.len());
    let mut absent_ok = false;
    for (index, item) in items.iter().enumerate() {
        match ctx.with_index(index, |ctx| operator::parse_element(ctx, item)) {
            Some(Matcher::Exists(false)) => absent_ok = true,
            Some(matcher) => matchers.push(matcher),
            None => {}
        }
    }
    if ctx.issue_count() != before {
        return None;
    }
    let mut texts: Vec<&str> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some(mut at) = wildcard_texts(item, &mut texts) else {
            continue;
        };
        if wildcard::complexity(&texts) > wildcard::COMPLEXITY_LIMIT {
            at.insert(0, PathSeg::Index(index));
            ctx.report(
                &at,
                Code::PatternWildcardComplexity,
                "rule is too complex - try using fewer wildcard characters or fewer \
                 repeating character sequences after a wildcard character",
            )
            .hint("EventBridge limits how many partial wildcard matches can be live at once");
            return None;
        }
    }
    Some((matchers, absent_ok))
}

/// Appends the wildcard strings of one (valid) leaf element; if any, returns where they are
/// relative to the element.
fn wildcard_texts<'v>(item: &'v Value, texts: &mut Vec<&'v str>) -> Option<Vec<PathSeg>> {
    let (name, operand) = item.as_object().and_then(|m| m.iter().next())?;
    let (operand, at) = match (name.as_str(), operand) {
        ("wildcard", operand) => (operand, vec![PathSeg::Key("wildcard".into())]),
        ("anything-but", Value::Object(inner)) => (
            inner.get("wildcard")?,
            vec![
                PathSeg::Key("anything-but".into()),
                PathSeg::Key("wildcard".into()),
            ],
        ),
        _ => return None,
    };
    let before = texts.len();
    match operand {
        Value::String(s) => texts.push(s),
        Value::Array(list) => texts.extend(list.iter().filter_map(Value::as_str)),
        _ => {}
    }
    (texts.len() != before).then_some(at)
}

/// Wraps `last` (which is keyed by the final segment) in nested objects for the other
/// segments of a dotted key.
fn nest(segments: &[&str], last: Req, path: &[PathSeg]) -> Req {
    let outer = &segments[..segments.len().saturating_sub(1)];
    outer.iter().rev().fold(last, |req, seg| {
        let mut node = Node::default();
        node.reqs.push(req);
        Req::Child(ChildReq {
            seg: (*seg).into(),
            node,
            path: path.to_vec(),
        })
    })
}

/// Validates `pattern` and builds its matcher tree.
pub(crate) fn compile(pattern: &Value) -> Result<Node, Vec<PatternIssue>> {
    let mut ctx = Ctx::default();
    if !size::within_limit(pattern) {
        ctx.report(
            &[],
            Code::PatternTooLarge,
            format!("event pattern is longer than {MAX_PATTERN_CHARS} characters"),
        )
        .hint("split it into several rules, or use prefix/wildcard instead of long value lists");
    }
    let mut root = match pattern {
        Value::Object(map) if map.is_empty() => {
            ctx.report(
                &[],
                Code::PatternEmptyObject,
                "the event pattern must not be empty",
            )
            .hint("e.g. {\"source\": [\"my.app\"]}");
            Node::default()
        }
        Value::Object(map) => object(&mut ctx, map, 1, false),
        _ => {
            ctx.report(
                &[],
                Code::PatternNotObject,
                "the event pattern must be a JSON object",
            );
            Node::default()
        }
    };
    if ctx.issue_count() > 0 {
        let mut issues = ctx.into_issues();
        fixes::add_corrected_forms(pattern, &mut issues);
        return Err(issues);
    }
    root.finish();
    Ok(root)
}
