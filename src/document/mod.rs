//! The parsed spec: a YAML value tree in which every node knows its span.
//!
//! Values and spans come from one parser (saphyr), so they can never disagree. The tree
//! converts to a `serde_json::Value` for the schema check and the typed [`crate::spec::Spec`],
//! and locates any JSON path back to its YAML span for diagnostics.

mod builder;
mod lines;
mod scalar;
mod syntax;

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::path::PathSeg;
use crate::source::Source;
use crate::span::Span;

pub use builder::{MAX_DEPTH, MAX_NODES, MAX_SOURCE_BYTES};

/// A YAML node with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node is written.
    pub span: Span,
    /// What it holds.
    pub kind: NodeKind,
}

/// The value of a node, resolved with the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order (keys are unique: duplicates are an error).
    Map(Vec<Entry>),
}

/// A mapping entry: the key (always a string in a spec) with its span, and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// A parsed spec document.
#[derive(Clone, Debug)]
pub struct Document {
    root: Node,
    source: Source,
}

/// A spec whose YAML has errors: the errors, and the part of the spec that can still be
/// checked.
#[derive(Debug)]
pub struct YamlFailure {
    /// Every YAML error found.
    pub diagnostics: Vec<Diagnostic>,
    /// What still parses, when anything does.
    pub checkable: Option<Checkable>,
}

/// The part of a spec with YAML errors that can be checked on its own.
#[derive(Debug)]
pub struct Checkable {
    /// The document: the whole spec (only keys are duplicated, or a scalar has a tag: each
    /// first definition is kept), or the lines before a syntax error.
    pub doc: Document,
    /// For the lines before a syntax error: the byte offset where they end. Their last
    /// values may be cut short.
    pub cut: Option<usize>,
}

/// Parses a spec's YAML text. Reports every duplicate key, and the first syntax error.
pub fn parse(source: &Source) -> Result<Document, Box<YamlFailure>> {
    let built = builder::build(source.text());
    let document = |root| Document {
        root,
        source: source.clone(),
    };
    if built.errors.is_empty() {
        if let Some(root) = built.root {
            return Ok(document(root));
        }
    }
    let checkable = match (built.root, built.cut) {
        (Some(root), _) => Some(Checkable {
            doc: document(root),
            cut: None,
        }),
        (None, Some(cut)) => builder::build(&source.text()[..cut])
            .root
            .map(|root| Checkable {
                doc: document(root),
                cut: Some(cut),
            }),
        (None, None) => None,
    };
    Err(Box::new(YamlFailure {
        diagnostics: built.errors,
        checkable,
    }))
}

impl Document {
    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.source.line_col(offset)
    }

    /// The root node.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The document as a JSON value (what the schema and serde see).
    pub fn to_json(&self) -> Value {
        self.root.to_json()
    }

    /// The node at `path`, if it exists.
    pub fn node(&self, path: &[PathSeg]) -> Option<&Node> {
        path.iter()
            .try_fold(&self.root, |node, seg| node.child(seg))
    }

    /// The spans of the keys leading to the document's last value, and the root's span.
    /// In a document cut short, these are the collections that may be missing entries.
    pub(crate) fn open_keys(&self) -> Vec<Span> {
        let mut spans = vec![self.root.span];
        let mut node = &self.root;
        // Depth is bounded by the parser; each step goes one level down.
        loop {
            node = match &node.kind {
                NodeKind::Map(entries) => match entries.last() {
                    Some(e) => {
                        spans.push(e.key_span);
                        &e.value
                    }
                    None => break,
                },
                NodeKind::Seq(items) => match items.last() {
                    Some(item) => {
                        spans.push(item.span);
                        item
                    }
                    None => break,
                },
                _ => break,
            };
        }
        spans
    }

    /// The span to underline for `path`: the value, or with `on_key` the mapping key that
    /// leads to it. Falls back to the deepest existing ancestor, so it always answers.
    pub fn span(&self, path: &[PathSeg], on_key: bool) -> Span {
        let mut node = &self.root;
        let mut span = node.span;
        for (i, seg) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            match (&node.kind, seg) {
                (NodeKind::Map(entries), PathSeg::Key(k)) => {
                    let Some(entry) = entries.iter().find(|e| &e.key == k) else {
                        return span;
                    };
                    span = if last && on_key {
                        entry.key_span
                    } else {
                        entry.value.span
                    };
                    node = &entry.value;
                }
                (NodeKind::Seq(items), PathSeg::Index(n)) => {
                    let Some(item) = items.get(*n) else {
                        return span;
                    };
                    span = item.span;
                    node = item;
                }
                _ => return span,
            }
        }
        span
    }
}

impl Node {
    /// The child at one path step.
    pub fn child(&self, seg: &PathSeg) -> Option<&Node> {
        match (&self.kind, seg) {
            (NodeKind::Map(entries), PathSeg::Key(k)) => {
                entries.iter().find(|e| &e.key == k).map(|e| &e.value)
            }
            (NodeKind::Seq(items), PathSeg::Index(n)) => items.get(*n),
            _ => None,
        }
    }

    /// The mapping entry for `key`, if this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The node as a JSON value. Depth is bounded by the parser, so recursion is safe.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::from(*i),
            NodeKind::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}
