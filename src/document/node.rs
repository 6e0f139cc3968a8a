//! The YAML value tree: nodes that know their span.

use serde_json::{Map, Value};

use crate::span::Span;

/// A YAML node with its span.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// Where the node is written.
    pub span: Span,
    /// What it holds.
    pub kind: NodeKind,
}

/// The value of a node, resolved with the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
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
pub(crate) struct Entry {
    /// The key text.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The node as a JSON value. Depth is bounded by the parser, so recursion is safe.
    pub(crate) fn to_json(&self) -> Value {
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
