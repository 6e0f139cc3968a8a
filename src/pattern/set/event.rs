//! [`Pruned`]: the parts of an event that some pattern of a set names, as the byte scanner
//! ([`super::scan`]) leaves them, and [`At`], the [`View`] the evaluator reads them through.
//!
//! Everything is stored as indices (into the event text or into `text`, for unescaped
//! strings), so the buffers are reused from one event to the next.

use crate::pattern::scalar::Scalar;
use crate::pattern::view::View;

/// A string of the event: a range of the event text, or of [`Pruned::text`] once unescaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    /// `input[start..end]`.
    Input(u32, u32),
    /// `text[start..end]`.
    Owned(u32, u32),
}

/// One value of the pruned event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Node {
    /// Members `entries[start..start + len]`.
    Object(u32, u32),
    /// Elements `items[start..start + len]`.
    Array(u32, u32),
    /// A string.
    Str(Text),
    /// A number, as the double its text reads as.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// The pruned event: objects keep only the members whose key some pattern names (or whose
/// dotted key starts with such a name); other values are skipped while scanning.
#[derive(Debug, Default)]
pub(crate) struct Pruned {
    /// Values; the root object is the last one pushed.
    pub(crate) nodes: Vec<Node>,
    /// Object members: key and value index.
    pub(crate) entries: Vec<(Text, u32)>,
    /// Array elements: value indices.
    pub(crate) items: Vec<u32>,
    /// Unescaped strings.
    pub(crate) text: String,
    /// Every scalar found at a field some pattern tests: (field id, value index).
    pub(crate) leaves: Vec<(u32, u32)>,
    /// Path-trie nodes where the event has an array.
    pub(crate) arrays: Vec<u32>,
    /// Members of the objects being scanned (moved to `entries` when an object ends).
    pub(crate) pending: Vec<(Text, u32)>,
    /// Elements of the arrays being scanned (moved to `items` when an array ends).
    pub(crate) pending_items: Vec<u32>,
    /// Trusted mode: the top-level trie nodes (first segments) whose keys were read.
    pub(crate) roots_seen: Vec<u32>,
    /// Whether the event needs the full evaluator for every candidate: it has dotted keys
    /// under named fields, repeated keys, or arrays nested very deep.
    pub(crate) complex: bool,
}

impl Pruned {
    /// Empties the buffers, keeping their capacity.
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.entries.clear();
        self.items.clear();
        self.text.clear();
        self.leaves.clear();
        self.arrays.clear();
        self.pending.clear();
        self.pending_items.clear();
        self.roots_seen.clear();
        self.complex = false;
    }

    /// The string `text` stands for, given the event text.
    #[inline]
    pub(crate) fn str<'e>(&'e self, input: &'e str, text: Text) -> &'e str {
        let (source, start, end) = match text {
            Text::Input(s, e) => (input, s, e),
            Text::Owned(s, e) => (self.text.as_str(), s, e),
        };
        source.get(start as usize..end as usize).unwrap_or("")
    }

    /// The scalar at value index `node`, if it is one.
    pub(crate) fn scalar<'e>(&'e self, input: &'e str, node: u32) -> Option<Scalar<'e>> {
        Some(match self.nodes.get(node as usize)? {
            Node::Str(t) => Scalar::Str(self.str(input, *t)),
            Node::Num(n) => Scalar::Num(*n),
            Node::Bool(b) => Scalar::Bool(*b),
            Node::Null => Scalar::Null,
            Node::Object(..) | Node::Array(..) => return None,
        })
    }

    /// A view of the root object.
    pub(crate) fn root<'e>(&'e self, input: &'e str) -> At<'e> {
        At {
            event: self,
            input,
            node: u32::try_from(self.nodes.len().saturating_sub(1)).unwrap_or(0),
        }
    }
}

/// A position in a [`Pruned`] event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'e> {
    event: &'e Pruned,
    input: &'e str,
    node: u32,
}

impl<'e> At<'e> {
    fn at(self, node: u32) -> Self {
        At { node, ..self }
    }

    fn members(self) -> Option<&'e [(Text, u32)]> {
        match self.event.nodes.get(self.node as usize)? {
            Node::Object(start, len) => self
                .event
                .entries
                .get(*start as usize..(*start + *len) as usize),
            _ => None,
        }
    }
}

/// Members of an object in a [`Pruned`] event.
#[derive(Debug, Clone)]
pub(crate) struct Entries<'e> {
    at: At<'e>,
    inner: std::slice::Iter<'e, (Text, u32)>,
}

impl<'e> Iterator for Entries<'e> {
    type Item = (&'e str, At<'e>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.inner.next()?;
        Some((self.at.event.str(self.at.input, *key), self.at.at(*value)))
    }
}

/// Elements of an array in a [`Pruned`] event.
#[derive(Debug, Clone)]
pub(crate) struct Items<'e> {
    at: At<'e>,
    inner: std::slice::Iter<'e, u32>,
}

impl<'e> Iterator for Items<'e> {
    type Item = At<'e>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|i| self.at.at(*i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for Items<'_> {}

impl<'e> View<'e> for At<'e> {
    type Entries = Entries<'e>;
    type Items = Items<'e>;

    fn get(self, key: &str) -> Option<Self> {
        // The scanner keeps one member per key.
        self.members()?
            .iter()
            .find(|(k, _)| self.event.str(self.input, *k) == key)
            .map(|(_, v)| self.at(*v))
    }

    fn entries(self) -> Option<Self::Entries> {
        self.members().map(|m| Entries {
            at: self,
            inner: m.iter(),
        })
    }

    fn items(self) -> Option<Self::Items> {
        match self.event.nodes.get(self.node as usize)? {
            Node::Array(start, len) => {
                let slice = self
                    .event
                    .items
                    .get(*start as usize..(*start + *len) as usize)?;
                Some(Items {
                    at: self,
                    inner: slice.iter(),
                })
            }
            _ => None,
        }
    }

    fn scalar(self) -> Option<Scalar<'e>> {
        self.event.scalar(self.input, self.node)
    }
}
