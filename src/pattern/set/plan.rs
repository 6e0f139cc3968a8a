//! [`Index`]: what the patterns of a set need from an event, compiled once.
//!
//! * The [`PathTrie`] of every path a pattern names (the scanner keeps only those).
//! * Per tested path a [`FieldMatcher`]; identical conditions (same path, same alternatives)
//!   are shared between patterns.
//! * Per pattern, *groups* of conditions it cannot match without: a field that must have a
//!   value gives a group of one; a `$or` whose branches all need something gives the union of
//!   one group per branch. A pattern is a candidate once one condition of each of its groups
//!   has fired (patterns with no group are always candidates).
//! * Whether a candidate needs the full evaluator: not if it only ANDs fields that must have
//!   values (no `$or`, no `exists: false`) and the event has no array where two of its fields
//!   would have to share an element; then the groups decide alone.

use std::collections::HashMap;

use super::field::FieldMatcher;
use super::paths::PathTrie;
use crate::pattern::tree::{FieldReq, Node, Req};

/// What one pattern needs.
#[derive(Debug, Clone)]
pub(crate) struct PatternPlan {
    /// How many groups must fire.
    pub(crate) groups: u32,
    /// Whether firing groups decide the match when `shared` paths hold no array.
    pub(crate) simple: bool,
    /// Trie nodes under which several of the pattern's fields must share an array element.
    pub(crate) shared: Vec<u32>,
}

/// The compiled needs of every pattern of a set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    /// Every named path.
    pub(crate) paths: PathTrie,
    /// Per field id (a trie node tested by some condition).
    pub(crate) fields: Vec<FieldMatcher>,
    /// Per condition: the groups it belongs to.
    pub(crate) cond_groups: Vec<Vec<u32>>,
    /// Per group: its pattern.
    pub(crate) group_pattern: Vec<u32>,
    /// Per pattern.
    pub(crate) patterns: Vec<PatternPlan>,
    /// Patterns without groups.
    pub(crate) always: Vec<u32>,
    conditions: HashMap<(u32, String), u32>,
}

impl Index {
    /// Adds the compiled pattern `root` as the next pattern id.
    pub(crate) fn add(&mut self, root: &Node) {
        let pattern = u32::try_from(self.patterns.len()).unwrap_or(u32::MAX);
        let groups = self.required(root, 0);
        for group in &groups {
            let id = u32::try_from(self.group_pattern.len()).unwrap_or(u32::MAX);
            self.group_pattern.push(pattern);
            for &cond in group {
                self.cond_groups[cond as usize].push(id);
            }
        }
        if groups.is_empty() {
            self.always.push(pattern);
        }
        let mut shared = Vec::new();
        let simple = self.shape(root, 0, &mut shared);
        self.patterns.push(PatternPlan {
            groups: u32::try_from(groups.len()).unwrap_or(u32::MAX),
            simple,
            shared,
        });
    }

    /// The condition for `field` at trie node `at`, shared with identical ones.
    fn condition(&mut self, at: u32, field: &FieldReq) -> u32 {
        let field_id = match self.paths.field(at) {
            Some(id) => id,
            None => {
                let id = u32::try_from(self.fields.len()).unwrap_or(u32::MAX);
                self.fields.push(FieldMatcher::default());
                self.paths.set_field(at, id);
                id
            }
        };
        let key = (field_id, format!("{:?}", field.matchers));
        if let Some(&cond) = self.conditions.get(&key) {
            return cond;
        }
        let cond = u32::try_from(self.cond_groups.len()).unwrap_or(u32::MAX);
        self.cond_groups.push(Vec::new());
        for matcher in &field.matchers {
            self.fields[field_id as usize].add(matcher, cond);
        }
        self.conditions.insert(key, cond);
        cond
    }

    /// Registers the paths of `node` (at trie node `at`) and returns its groups.
    fn required(&mut self, node: &Node, at: u32) -> Vec<Vec<u32>> {
        let mut groups = Vec::new();
        for req in &node.reqs {
            match req {
                Req::Field(field) => {
                    let here = self.paths.insert(at, &field.seg);
                    if !field.absent_ok {
                        groups.push(vec![self.condition(here, field)]);
                    }
                }
                Req::Child(child) => {
                    let here = self.paths.insert(at, &child.seg);
                    let inner = self.required(&child.node, here);
                    if !child.node.missing_ok {
                        groups.extend(inner);
                    }
                }
                Req::Or(or) => {
                    let branches: Vec<Vec<Vec<u32>>> = or
                        .branches
                        .iter()
                        .map(|branch| self.required(branch, at))
                        .collect();
                    if !req.missing_ok() && branches.iter().all(|b| !b.is_empty()) {
                        let mut union: Vec<u32> =
                            branches.iter().flat_map(|b| b[0].iter().copied()).collect();
                        union.sort_unstable();
                        union.dedup();
                        groups.push(union);
                    }
                }
            }
        }
        groups
    }

    /// Whether `node` only ANDs fields that need values; collects in `shared` the trie nodes
    /// of nested objects holding two fields or more.
    fn shape(&self, node: &Node, at: u32, shared: &mut Vec<u32>) -> bool {
        self.count(node, at, shared).is_some()
    }

    /// Fields under `node`, or `None` when it is not simple.
    fn count(&self, node: &Node, at: u32, shared: &mut Vec<u32>) -> Option<usize> {
        let mut fields = 0;
        for req in &node.reqs {
            match req {
                Req::Field(field) if !field.absent_ok => fields += 1,
                Req::Child(child) if !child.node.missing_ok => {
                    let here = self.paths.child(at, &child.seg)?;
                    let inner = self.count(&child.node, here, shared)?;
                    if inner >= 2 {
                        shared.push(here);
                    }
                    fields += inner;
                }
                _ => return None,
            }
        }
        Some(fields)
    }
}
