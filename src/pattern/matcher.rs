//! Compiled patterns and EventBridge's matching semantics.
//!
//! A pattern compiles to a tree of [`Node`]s keyed by dot-separated path segments (EventBridge
//! joins nested keys with `.`, so `{"a.b": [1]}` and `{"a": {"b": [1]}}` are the same field).
//! Matching walks that tree down the event, which gives event-ruler's *array consistency* for
//! free: when a sub-pattern meets an event array, one element must satisfy all of it.
//!
//! Each evaluation yields an [`Outcome`]: besides pass/fail it records whether the pass used a
//! value, because `{"exists": false}` under an array only holds if *no* element has the field
//! (unless another condition already pinned the element).

use serde_json::{Map, Value};

use super::operator::Matcher;
use super::{grammar, PathSeg, PatternIssue};

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

/// A set of conditions that must all hold at one position of the event.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// The conditions, in pattern order.
    pub(crate) reqs: Vec<Req>,
    /// Whether the node holds where the event has nothing at all.
    missing_ok: bool,
    /// Whether some field below uses `exists: false`.
    has_absence: bool,
}

/// One condition of a [`Node`].
#[derive(Debug, Clone)]
pub(crate) enum Req {
    /// A leaf field and its alternatives.
    Field(FieldReq),
    /// A nested object.
    Child(ChildReq),
    /// A `$or`: at least one branch holds at this position.
    Or(OrReq),
}

/// A leaf field: the event value at `seg` must satisfy one of `matchers`, or be absent when
/// `absent_ok` (`exists: false`).
#[derive(Debug, Clone)]
pub(crate) struct FieldReq {
    pub(crate) seg: Box<str>,
    pub(crate) matchers: Vec<Matcher>,
    pub(crate) absent_ok: bool,
    /// Location in the pattern, for [`CompiledPattern::explain`].
    pub(crate) path: Vec<PathSeg>,
}

/// A nested object under key segment `seg`.
#[derive(Debug, Clone)]
pub(crate) struct ChildReq {
    pub(crate) seg: Box<str>,
    pub(crate) node: Node,
    pub(crate) path: Vec<PathSeg>,
}

/// A `$or` and its branches.
#[derive(Debug, Clone)]
pub(crate) struct OrReq {
    pub(crate) branches: Vec<Node>,
    pub(crate) path: Vec<PathSeg>,
}

impl Node {
    /// Adds a condition. A field given twice (possible through dotted keys, e.g. `"a.b"` and
    /// `{"a": {"b": ..}}`) keeps the last one, as EventBridge does; nested objects under the
    /// same segment merge, so their fields share array elements.
    pub(crate) fn add(&mut self, req: Req) {
        match req {
            Req::Field(field) => {
                let existing = self.reqs.iter_mut().find_map(|r| match r {
                    Req::Field(f) if f.seg == field.seg => Some(f),
                    _ => None,
                });
                match existing {
                    Some(slot) => *slot = field,
                    None => self.reqs.push(Req::Field(field)),
                }
            }
            Req::Child(child) => {
                let existing = self.reqs.iter_mut().find_map(|r| match r {
                    Req::Child(c) if c.seg == child.seg => Some(c),
                    _ => None,
                });
                match existing {
                    Some(slot) => child.node.reqs.into_iter().for_each(|r| slot.node.add(r)),
                    None => self.reqs.push(Req::Child(child)),
                }
            }
            Req::Or(or) => self.reqs.push(Req::Or(or)),
        }
    }

    /// Computes the summary flags, bottom-up (depth is bounded by the grammar).
    pub(crate) fn finish(&mut self) {
        self.missing_ok = true;
        self.has_absence = false;
        for req in &mut self.reqs {
            let (missing_ok, has_absence) = match req {
                Req::Field(f) => (f.absent_ok, f.absent_ok),
                Req::Child(c) => {
                    c.node.finish();
                    (c.node.missing_ok, c.node.has_absence)
                }
                Req::Or(o) => {
                    o.branches.iter_mut().for_each(Node::finish);
                    (
                        o.branches.iter().any(|b| b.missing_ok),
                        o.branches.iter().any(|b| b.has_absence),
                    )
                }
            };
            self.missing_ok &= missing_ok;
            self.has_absence |= has_absence;
        }
    }
}

fn req_missing_ok(req: &Req) -> bool {
    match req {
        Req::Field(f) => f.absent_ok,
        Req::Child(c) => c.node.missing_ok,
        Req::Or(o) => o.branches.iter().any(|b| b.missing_ok),
    }
}

/// Where a condition is evaluated: nothing, an event value, or an event value stored under a
/// dotted key (`Prefixed("b.c", v)` stands for `{"b": {"c": v}}`).
#[derive(Debug, Clone, Copy)]
enum Src<'e> {
    Missing,
    Val(&'e Value),
    Prefixed(&'e str, &'e Value),
}

/// Whether `key` is `seg` followed by `.` and more.
fn is_dotted_child(key: &str, seg: &str) -> bool {
    key.len() > seg.len() && key.as_bytes()[seg.len()] == b'.' && key.starts_with(seg)
}

/// `map[key]`. Event objects are small, where comparing keys beats hashing the key.
fn get<'e>(map: &'e Map<String, Value>, key: &str) -> Option<&'e Value> {
    if map.len() <= 16 {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// The source directly under `seg`.
fn lookup<'e>(src: Src<'e>, seg: &str) -> Src<'e> {
    match src {
        Src::Val(Value::Object(map)) => get(map, seg).map_or(Src::Missing, Src::Val),
        Src::Prefixed(rest, value) if rest == seg => Src::Val(value),
        Src::Prefixed(rest, value) if is_dotted_child(rest, seg) => {
            Src::Prefixed(&rest[seg.len() + 1..], value)
        }
        _ => Src::Missing,
    }
}

/// Combines per-element outcomes: any element using a value wins; otherwise every element
/// must be satisfied by absence. An empty array counts as a missing field.
fn eval_array<'e>(
    items: &'e [Value],
    depth: usize,
    missing_ok: bool,
    mut eval: impl FnMut(Src<'e>, usize) -> Outcome,
) -> Outcome {
    if items.is_empty() || depth >= MAX_EVENT_ARRAY_DEPTH {
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

fn eval_node(node: &Node, src: Src<'_>, depth: usize) -> Outcome {
    match src {
        Src::Missing if node.missing_ok => Outcome::Absent,
        Src::Missing => Outcome::Fail,
        Src::Val(Value::Array(items)) => {
            eval_array(items, depth, node.missing_ok, |s, d| eval_node(node, s, d))
        }
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

fn eval_req(req: &Req, src: Src<'_>, depth: usize) -> Outcome {
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
fn eval_field(field: &FieldReq, value: Src<'_>) -> Outcome {
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
fn any_leaf(src: Src<'_>, depth: usize, f: &mut impl FnMut(&Value) -> bool) -> bool {
    match src {
        Src::Val(Value::Array(items)) if depth < MAX_EVENT_ARRAY_DEPTH => items
            .iter()
            .any(|item| any_leaf(Src::Val(item), depth + 1, f)),
        Src::Val(Value::Array(_) | Value::Object(_)) | Src::Missing | Src::Prefixed(..) => false,
        Src::Val(scalar) => f(scalar),
    }
}

fn eval_child(child: &ChildReq, src: Src<'_>, depth: usize) -> Outcome {
    let direct = lookup(src, &child.seg);
    let out = eval_node(&child.node, direct, depth);
    if out == Outcome::Value && !child.node.has_absence {
        return out;
    }
    // Event keys may themselves contain dots ({"a.b": 1} is field a.b too); only then do
    // several event values feed the same nested pattern.
    let Src::Val(Value::Object(map)) = src else {
        return out;
    };
    if !map.keys().any(|k| is_dotted_child(k, &child.seg)) {
        return out;
    }
    eval_multi(child, map, direct, depth)
}

/// A nested pattern fed by several event values (a direct key and dotted keys): each of its
/// conditions may be satisfied by any of them.
fn eval_multi(
    child: &ChildReq,
    map: &Map<String, Value>,
    direct: Src<'_>,
    depth: usize,
) -> Outcome {
    let seg = &*child.seg;
    let candidates = || {
        let direct = match direct {
            Src::Missing => None,
            other => Some(other),
        };
        direct.into_iter().chain(
            map.iter()
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
fn eval_req_at(req: &Req, src: Src<'_>, depth: usize) -> Outcome {
    match src {
        Src::Val(Value::Array(items)) => eval_array(items, depth, req_missing_ok(req), |s, d| {
            eval_req_at(req, s, d)
        }),
        _ => eval_req(req, src, depth),
    }
}

/// Path of the first condition that fails at `src` (which must fail as a whole).
fn explain_node(node: &Node, src: Src<'_>, depth: usize) -> Option<Vec<PathSeg>> {
    match src {
        Src::Val(Value::Array(items)) => {
            let failing = items
                .iter()
                .find(|item| eval_node(node, Src::Val(item), depth + 1) == Outcome::Fail);
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
    /// (see [`super::validate`]).
    pub fn new(pattern: &Value) -> Result<Self, Vec<PatternIssue>> {
        grammar::compile(pattern).map(|root| CompiledPattern { root })
    }

    /// Whether `event` matches, without allocating.
    pub fn matches(&self, event: &Value) -> bool {
        eval_node(&self.root, Src::Val(event), 0) != Outcome::Fail
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
