//! Mapping keys while the tree is built: a key's text, finding an earlier entry with the
//! same key (a duplicate is an error), and the diagnostic for it.

use std::collections::HashMap;

use super::node::{Entry, Node, NodeKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Index of a large mapping's entries by key.
pub(super) type KeyIndex = HashMap<String, usize>;

/// The entry with key `k`: a linear search in small mappings; past 16 entries, a hash
/// index built once and kept up to date.
pub(super) fn find_entry<'e>(
    entries: &'e [Entry],
    index: &mut Option<KeyIndex>,
    k: &str,
) -> Option<&'e Entry> {
    if index.is_none() && entries.len() > 16 {
        *index = Some(
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect(),
        );
    }
    match index {
        Some(index) => index.get(k).map(|&i| &entries[i]),
        None => entries.iter().find(|e| e.key == k),
    }
}

pub(super) fn duplicate_key(key: &str, span: Span, first_line: usize) -> Diagnostic {
    Diagnostic::error(Code::YamlDuplicateKey, format!("duplicate key `{key}`"))
        .at(span)
        .label("second definition")
        .help(format!(
            "`{key}` is already defined on line {first_line}; keep one"
        ))
}

/// The text of a scalar key; `None` for a collection.
pub(super) fn key_text(text: &str, node: Node) -> Option<String> {
    Some(match node.kind {
        NodeKind::Str(s) => s,
        NodeKind::Null => String::new(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(_) => text[node.span.start..node.span.end].to_owned(),
        NodeKind::Seq(_) | NodeKind::Map(_) => return None,
    })
}
