//! Compiled patterns and EventBridge's matching semantics.
//!
//! A pattern compiles (in [`super::grammar`]) to a tree of [`Node`]s ([`super::tree`]).
//! Matching walks that tree down the event, which gives event-ruler's *array consistency* for
//! free: when a sub-pattern meets an event array, one element must satisfy all of it.
//!
//! Each evaluation yields an [`Outcome`]: besides pass/fail it records whether the pass used a
//! value, because `{"exists": false}` under an array only holds if *no* element has the field
//! (unless another condition already pinned the element).

use serde_json::Value;

use super::grammar;
use super::issue::PatternIssue;
use super::tree::{ChildReq, FieldReq, Node, Req};
use super::view::View;
use crate::path::PathSeg;

/// Event arrays nested deeper than this (arrays of arrays) are treated as empty, bounding
/// recursion for adversarial events.
const MAX_EVENT_ARRAY_DEPTH: usize = 32;

/// Result of evaluating part of a pattern against part of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Not satisfied.
    Fail,
    /// Satisfied by the absence of fields only (`exists: false`).
    Absent,
    /// Satisfied, and at least one event value was used.
    Value,
}

/// Where a condition is evaluated: nothing, an event value, or an event value stored under a
/// dotted key (`Prefixed("b.c", v)` stands for `{"b": {"c": v}}`).
#[derive(Debug, Clone, Copy)]
enum Src<'e, V> {
    Missing,
    Val(V),
    Prefixed(&'e str, V),
}

/// Whether `key` is `seg` followed by `.` and more.
pub(crate) fn is_dotted_child(key: &str, seg: &str) -> bool {
    key.len() > seg.len() && key.as_bytes()[seg.len()] == b'.' && key.starts_with(seg)
}

/// The source directly under `seg`.
fn lookup<'e, V: View<'e>>(src: Src<'e, V>, seg: &str) -> Src<'e, V> {
    match src {
        Src::Val(v) => v.get(seg).map_or(Src::Missing, Src::Val),
        Src::Prefixed(rest, value) if rest == seg => Src::Val(value),
        Src::Prefixed(rest, value) if is_dotted_child(rest, seg) => {
            Src::Prefixed(&rest[seg.len() + 1..], value)
        }
        Src::Prefixed(..) | Src::Missing => Src::Missing,
    }
}

/// Combines per-element outcomes: any element using a value wins; otherwise every element
/// must be satisfied by absence. An empty array counts as a missing field.
fn eval_array<'e, V: View<'e>>(
    items: V::Items,
    depth: usize,
    missing_ok: bool,
    mut eval: impl FnMut(Src<'e, V>, usize) -> Outcome,
) -> Outcome {
    if items.len() == 0 || depth >= MAX_EVENT_ARRAY_DEPTH {
        return if missing_ok {
            Outcome::Absent
        } else {
            Outcome::Fail
        };
    }
    let mut all_absent = true;
    for item in items {
        match eval(Src::Val(item), depth + 1) {
            Outcome::Value => return Outcome::Value,
            Outcome::Fail => all_absent = false,
            Outcome::Absent => {}
        }
    }
    if all_absent {
        Outcome::Absent
    } else {
        Outcome::Fail
    }
}

fn eval_node<'e, V: View<'e>>(node: &Node, src: Src<'e, V>, depth: usize) -> Outcome {
    if let Src::Val(v) = src {
        if let Some(items) = v.items() {
            return eval_array::<V>(items, depth, node.missing_ok, |s, d| eval_node(node, s, d));
        }
    }
    match src {
        Src::Missing if node.missing_ok => Outcome::Absent,
        Src::Missing => Outcome::Fail,
        _ => {
            let mut out = Outcome::Absent;
            for req in &node.reqs {
                match eval_req(req, src, depth) {
                    Outcome::Fail => return Outcome::Fail,
                    Outcome::Value => out = Outcome::Value,
                    Outcome::Absent => {}
                }
            }
            out
        }
    }
}

fn eval_req<'e, V: View<'e>>(req: &Req, src: Src<'e, V>, depth: usize) -> Outcome {
    match req {
        Req::Field(field) => eval_field(field, lookup(src, &field.seg)),
        Req::Child(child) => eval_child(child, src, depth),
        Req::Or(or) => {
            let mut out = Outcome::Fail;
            for branch in &or.branches {
                match eval_node(branch, src, depth) {
                    Outcome::Value => return Outcome::Value,
                    Outcome::Absent => out = Outcome::Absent,
                    Outcome::Fail => {}
                }
            }
            out
        }
    }
}

/// A leaf: any scalar at `value` (array elements included) satisfying any alternative.
fn eval_field<'e, V: View<'e>>(field: &FieldReq, value: Src<'e, V>) -> Outcome {
    let mut seen = false;
    let found = any_leaf(value, 0, &mut |v| {
        seen = true;
        field.matchers.iter().any(|m| m.test(v))
    });
    if found {
        Outcome::Value
    } else if !seen && field.absent_ok {
        Outcome::Absent
    } else {
        Outcome::Fail
    }
}

/// Calls `f` on each scalar at `src` (flattening arrays) until it returns `true`.
fn any_leaf<'e, V: View<'e>>(
    src: Src<'e, V>,
    depth: usize,
    f: &mut impl FnMut(super::scalar::Scalar<'e>) -> bool,
) -> bool {
    let Src::Val(v) = src else {
        return false;
    };
    if let Some(items) = v.items() {
        return depth < MAX_EVENT_ARRAY_DEPTH
            && items
                .into_iter()
                .any(|item| any_leaf(Src::Val(item), depth + 1, f));
    }
    v.scalar().is_some_and(f)
}

fn eval_child<'e, V: View<'e>>(child: &ChildReq, src: Src<'e, V>, depth: usize) -> Outcome {
    let direct = lookup(src, &child.seg);
    let out = eval_node(&child.node, direct, depth);
    if out == Outcome::Value && !child.node.has_absence {
        return out;
    }
    // Event keys may themselves contain dots ({"a.b": 1} is field a.b too); only then do
    // several event values feed the same nested pattern.
    let Src::Val(v) = src else {
        return out;
    };
    let Some(mut entries) = v.entries() else {
        return out;
    };
    if !entries.any(|(k, _)| is_dotted_child(k, &child.seg)) {
        return out;
    }
    eval_multi(child, v, direct, depth)
}

/// A nested pattern fed by several event values (a direct key and dotted keys): each of its
/// conditions may be satisfied by any of them.
fn eval_multi<'e, V: View<'e>>(
    child: &ChildReq,
    object: V,
    direct: Src<'e, V>,
    depth: usize,
) -> Outcome {
    let seg = &*child.seg;
    let candidates = || {
        let direct = match direct {
            Src::Missing => None,
            other => Some(other),
        };
        direct.into_iter().chain(
            object
                .entries()
                .into_iter()
                .flatten()
                .filter(|(k, _)| is_dotted_child(k, seg))
                .map(|(k, v)| Src::Prefixed(&k[seg.len() + 1..], v)),
        )
    };
    let mut out = Outcome::Absent;
    for req in &child.node.reqs {
        let mut all_absent = true;
        let mut used_value = false;
        for candidate in candidates() {
            match eval_req_at(req, candidate, depth) {
                Outcome::Value => {
                    used_value = true;
                    break;
                }
                Outcome::Fail => all_absent = false,
                Outcome::Absent => {}
            }
        }
        if used_value {
            out = Outcome::Value;
        } else if !all_absent {
            return Outcome::Fail;
        }
    }
    out
}

/// One condition at `src`, choosing array elements for it alone.
fn eval_req_at<'e, V: View<'e>>(req: &Req, src: Src<'e, V>, depth: usize) -> Outcome {
    if let Src::Val(v) = src {
        if let Some(items) = v.items() {
            return eval_array::<V>(items, depth, req.missing_ok(), |s, d| {
                eval_req_at(req, s, d)
            });
        }
    }
    eval_req(req, src, depth)
}

/// Whether the event at `event` satisfies the pattern `root` (any [`View`] of an event).
pub(crate) fn node_matches<'e, V: View<'e>>(root: &Node, event: V) -> bool {
    eval_node(root, Src::Val(event), 0) != Outcome::Fail
}

/// Path of the first condition that fails at `src` (which must fail as a whole).
fn explain_node(node: &Node, src: Src<'_, &Value>, depth: usize) -> Option<Vec<PathSeg>> {
    match src {
        Src::Val(Value::Array(items)) => {
            let failing = items
                .iter()
                .find(|item| eval_node(node, Src::Val(*item), depth + 1) == Outcome::Fail);
            match failing {
                Some(item) if depth < MAX_EVENT_ARRAY_DEPTH => {
                    explain_node(node, Src::Val(item), depth + 1)
                }
                _ => explain_node(node, Src::Missing, depth),
            }
        }
        _ => node
            .reqs
            .iter()
            .find(|req| eval_req(req, src, depth) == Outcome::Fail)
            .map(|req| match req {
                Req::Field(field) => field.path.clone(),
                Req::Or(or) => or.path.clone(),
                Req::Child(child) => {
                    let direct = lookup(src, &child.seg);
                    if eval_node(&child.node, direct, depth) == Outcome::Fail {
                        explain_node(&child.node, direct, depth).unwrap_or(child.path.clone())
                    } else {
                        child.path.clone()
                    }
                }
            }),
    }
}

/// An event pattern parsed and validated once, ready to match many events.
///
/// Matching follows EventBridge: every field of the pattern must match (AND), any listed
/// alternative of a field may match (OR), arrays in the event match when any element does,
/// and nested objects under the same event array must match within one element.
#[derive(Debug, Clone)]
pub struct CompiledPattern {
    root: Node,
}

impl CompiledPattern {
    /// Validates and compiles `pattern`, returning every grammar issue on failure
    /// (see `validate`).
    pub fn new(pattern: &Value) -> Result<Self, Vec<PatternIssue>> {
        grammar::compile(pattern).map(|root| CompiledPattern { root })
    }

    /// The compiled tree, for [`super::set`]'s index.
    pub(crate) fn root(&self) -> &Node {
        &self.root
    }

    /// Whether `event` matches, without allocating.
    pub fn matches(&self, event: &Value) -> bool {
        node_matches(&self.root, event)
    }

    /// `None` when `event` matches; otherwise the path (into the pattern) of the first field,
    /// nested object or `$or` that the event does not satisfy.
    pub fn explain(&self, event: &Value) -> Option<Vec<PathSeg>> {
        if self.matches(event) {
            return None;
        }
        Some(explain_node(&self.root, Src::Val(event), 0).unwrap_or_default())
    }
}
