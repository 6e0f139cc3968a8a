//! The compiled form of a pattern: a tree of [`Node`]s keyed by dot-separated path segments.
//!
//! The grammar builds it (validation and compilation are one pass); the matcher walks it down
//! an event. EventBridge joins nested keys with `.`, so `{"a.b": [1]}` and `{"a": {"b": [1]}}`
//! compile to the same tree.

use super::operator::Matcher;
use crate::path::PathSeg;

/// A set of conditions that must all hold at one position of the event.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// The conditions, in pattern order.
    pub(crate) reqs: Vec<Req>,
    /// Whether the node holds where the event has nothing at all.
    pub(crate) missing_ok: bool,
    /// Whether some field below uses `exists: false`.
    pub(crate) has_absence: bool,
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
    /// Location in the pattern, for `CompiledPattern::explain`.
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

impl Req {
    /// Whether the condition holds where the event has nothing at all (after
    /// [`Node::finish`]).
    pub(crate) fn missing_ok(&self) -> bool {
        match self {
            Req::Field(f) => f.absent_ok,
            Req::Child(c) => c.node.missing_ok,
            Req::Or(o) => o.branches.iter().any(|b| b.missing_ok),
        }
    }
}
