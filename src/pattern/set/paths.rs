//! [`PathTrie`]: every field path the patterns of a set name, one segment per level, so that
//! the scanner can tell at each event key whether anything below it matters.

use super::hash::FxMap;

/// Above this many children a trie node also indexes them in a hash map.
const LINEAR_CHILDREN: usize = 8;

/// Byte equality without a `memcmp` call: keys are short.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// One segment level of the trie.
#[derive(Debug, Clone, Default)]
struct PathNode {
    children: Vec<(Box<str>, u32)>,
    index: Option<FxMap<Box<str>, u32>>,
    /// The field tested at this path, if a pattern tests a value here.
    field: Option<u32>,
}

/// Where an event key leads, from a trie node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyPath {
    /// No pattern names the key's first segment: the member is invisible to every pattern.
    Unnamed,
    /// Every segment of the key is named: its value is scanned at this node.
    Named(u32),
    /// A dotted key whose first segment is named but not the rest: the member matters only as
    /// a key (see the evaluator's dotted keys), never its value.
    Partial,
}

/// The trie of field paths; node 0 is the event's root object.
#[derive(Debug, Clone)]
pub(crate) struct PathTrie {
    nodes: Vec<PathNode>,
}

impl Default for PathTrie {
    fn default() -> Self {
        PathTrie {
            nodes: vec![PathNode::default()],
        }
    }
}

impl PathTrie {
    /// The child of `node` under segment `seg`.
    pub(crate) fn child(&self, node: u32, seg: &str) -> Option<u32> {
        let here = self.nodes.get(node as usize)?;
        match &here.index {
            Some(index) => index.get(seg).copied(),
            None => here
                .children
                .iter()
                .find(|(s, _)| same(s.as_bytes(), seg.as_bytes()))
                .map(|(_, c)| *c),
        }
    }

    /// The child of `node` under `seg`, created if needed.
    pub(crate) fn insert(&mut self, node: u32, seg: &str) -> u32 {
        if let Some(found) = self.child(node, seg) {
            return found;
        }
        let id = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        self.nodes.push(PathNode::default());
        let here = &mut self.nodes[node as usize];
        here.children.push((seg.into(), id));
        if here.children.len() > LINEAR_CHILDREN {
            here.index = Some(here.children.iter().cloned().collect());
        }
        id
    }

    /// How many segments follow `node` (at node 0: the top-level keys some pattern names).
    pub(crate) fn children(&self, node: u32) -> usize {
        self.nodes
            .get(node as usize)
            .map_or(0, |n| n.children.len())
    }

    /// The field tested at `node`.
    pub(crate) fn field(&self, node: u32) -> Option<u32> {
        self.nodes.get(node as usize).and_then(|n| n.field)
    }

    /// Records that `field` is tested at `node`.
    pub(crate) fn set_field(&mut self, node: u32, field: u32) {
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.field = Some(field);
        }
    }

    /// Where event key `key` (which may contain dots) leads from `node`.
    pub(crate) fn key_path(&self, node: u32, key: &str) -> KeyPath {
        if !key.as_bytes().contains(&b'.') {
            return self
                .child(node, key)
                .map_or(KeyPath::Unnamed, KeyPath::Named);
        }
        let mut segments = key.split('.');
        let first = segments.next().unwrap_or("");
        let Some(mut here) = self.child(node, first) else {
            return KeyPath::Unnamed;
        };
        for seg in segments {
            match self.child(here, seg) {
                Some(next) => here = next,
                None => return KeyPath::Partial,
            }
        }
        KeyPath::Named(here)
    }
}
