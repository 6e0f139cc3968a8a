//! The parsed spec: a YAML value tree in which every node knows its span.
//!
//! Values and spans come from one parser (saphyr), so they can never disagree. The tree
//! converts to a `serde_json::Value` for the schema check and the typed [`crate::spec::Spec`],
//! and locates any JSON path back to its YAML span for diagnostics.

mod builder;
mod keys;
mod lines;
mod node;
mod scalar;
mod syntax;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::path::PathSeg;
use crate::source::Source;
use crate::span::Span;

pub(crate) use node::{Node, NodeKind};

/// A parsed spec document.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    root: Node,
    source: Source,
}

/// A spec whose YAML has errors: the errors, and the part of the spec that can still be
/// checked.
#[derive(Debug)]
pub(crate) struct YamlFailure {
    /// Every YAML error found.
    pub diagnostics: Vec<Diagnostic>,
    /// What still parses, when anything does.
    pub checkable: Option<Checkable>,
}

/// The part of a spec with YAML errors that can be checked on its own.
#[derive(Debug)]
pub(crate) struct Checkable {
    /// The document: the whole spec (only keys are duplicated, or a scalar has a tag: each
    /// first definition is kept), or the lines before a syntax error.
    pub doc: Document,
    /// For the lines before a syntax error: the byte offset where they end. Their last
    /// values may be cut short.
    pub cut: Option<usize>,
}

/// Parses a spec's YAML text. Reports every duplicate key, and the first syntax error.
pub(crate) fn parse(source: &Source) -> Result<Document, Box<YamlFailure>> {
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
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        self.source.line_col(offset)
    }

    /// The root node.
    pub(crate) fn root(&self) -> &Node {
        &self.root
    }

    /// The document as a JSON value (what the schema and serde see).
    pub(crate) fn to_json(&self) -> Value {
        self.root.to_json()
    }

    /// The span of the root mapping's first key (where a key missing from the whole spec is
    /// reported), if the root is a non-empty mapping.
    pub(crate) fn first_key(&self) -> Option<Span> {
        match &self.root.kind {
            NodeKind::Map(entries) => entries.first().map(|e| e.key_span),
            _ => None,
        }
    }

    /// The spans of the keys leading to the document's last value, the root's span, and its
    /// first key's (where a key the whole spec misses is reported). In a document cut short,
    /// these are the collections that may be missing entries.
    pub(crate) fn open_keys(&self) -> Vec<Span> {
        let mut spans = vec![self.root.span];
        spans.extend(self.first_key());
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
    pub(crate) fn span(&self, path: &[PathSeg], on_key: bool) -> Span {
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
