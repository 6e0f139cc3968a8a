//! The way an event went through the stack, in the stack diagram's terms: the nodes (logical
//! IDs) it reached and the edges it took, for the console to light up. Every edge named here
//! is an edge of `diagrams/stack.mmd` (tests/dev/events.rs holds the two together).

use serde_json::{json, Value};

/// Nodes and edges, each once, in the order the event reached them.
#[derive(Debug, Default)]
pub(crate) struct Path {
    nodes: Vec<String>,
    edges: Vec<(String, String)>,
}

impl Path {
    /// The event reached `node` (a node inside a group: a rule in `Rules`).
    pub(crate) fn node(&mut self, node: &str) {
        if !self.nodes.iter().any(|n| n == node) {
            self.nodes.push(node.to_owned());
        }
    }

    /// The event went from `from` to `to`.
    pub(crate) fn edge(&mut self, from: &str, to: &str) {
        self.node(from);
        self.node(to);
        if !self.edges.iter().any(|(f, t)| f == from && t == to) {
            self.edges.push((from.to_owned(), to.to_owned()));
        }
    }

    /// `{"nodes": [...], "edges": [[from, to], ...]}`.
    pub(crate) fn to_json(&self) -> Value {
        json!({ "nodes": self.nodes, "edges": self.edges })
    }
}
