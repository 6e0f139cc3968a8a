//! Builds the [`Node`] tree from saphyr's event stream, with an explicit stack (no recursion),
//! and with limits that make hostile YAML (alias bombs, deep nesting, huge files) an error.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::scalar::resolve_plain;
use super::{Entry, Node, NodeKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Largest spec file accepted. Real specs are a few KB; this bounds work and memory.
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;
/// Deepest nesting accepted (a spec needs about 10 levels; event patterns a few more).
pub const MAX_DEPTH: usize = 64;
/// Most nodes accepted, counting every alias expansion (defeats "billion laughs").
pub const MAX_NODES: usize = 100_000;

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

struct Builder<'t> {
    offsets: Offsets<'t>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    root: Option<Node>,
    errors: Vec<Diagnostic>,
}

/// Converts saphyr's character indices into byte offsets.
struct Offsets<'t> {
    text: &'t str,
    /// Byte offset of each char, only for non-ASCII text (ASCII maps one to one).
    table: Option<Vec<u32>>,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        let table =
            (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b as u32).collect());
        Offsets { text, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.text.len()),
            Some(t) => t.get(char_index).map_or(self.text.len(), |&b| b as usize),
        }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

/// Parses `text` into a node tree, or every error found.
pub fn build(text: &str) -> Result<Node, Vec<Diagnostic>> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(vec![Diagnostic::error(
            Code::YamlTooLarge,
            format!(
                "the spec is {} bytes; the limit is {} bytes",
                text.len(),
                MAX_SOURCE_BYTES
            ),
        )
        .at(Span::new(0, 0))
        .help("a spec is a few kilobytes: is this the right file?")]);
    }
    let mut b = Builder {
        offsets: Offsets::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        errors: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let at = b.offsets.byte(e.marker().index());
                let end = (at + 1).min(text.len()).max(at);
                b.errors.push(
                    Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {}", e.info()))
                        .at(Span::new(at, end))
                        .label("here"),
                );
                return Err(b.errors);
            }
        };
        let span = b.offsets.span(span);
        let fatal = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    b.errors.push(
                        Diagnostic::error(
                            Code::YamlMultipleDocuments,
                            "a spec is one YAML document",
                        )
                        .at(span)
                        .label("a second document starts here")
                        .help("remove the `---` separator and everything after it"),
                    );
                    return Err(b.errors);
                }
                false
            }
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(tag) = tag {
                    b.errors.push(
                        Diagnostic::error(
                            Code::YamlTag,
                            format!(
                                "YAML tags are not supported (`{}{}`)",
                                tag.handle, tag.suffix
                            ),
                        )
                        .at(span)
                        .help("write plain values; quote a string that starts with `!`"),
                    );
                }
                let kind = match style {
                    ScalarStyle::Plain => resolve_plain(&value),
                    _ => NodeKind::Str(value.into_owned()),
                };
                b.complete(Node { span, kind }, anchor)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if tag.is_some() =>
            {
                let _ = anchor;
                b.errors
                    .push(Diagnostic::error(Code::YamlTag, "YAML tags are not supported").at(span));
                return Err(b.errors);
            }
            Event::SequenceStart(anchor, _) => b.open(
                Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                },
                span,
            ),
            Event::MappingStart(anchor, _) => b.open(
                Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                },
                span,
            ),
            Event::SequenceEnd | Event::MappingEnd => b.close(span),
            Event::Alias(id) => b.alias(id, span),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => false,
        };
        if fatal {
            return Err(b.errors);
        }
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    b.root.ok_or_else(|| {
        vec![Diagnostic::error(Code::YamlEmpty, "the spec is empty")
            .at(Span::new(0, 0))
            .help("start with `version: 1` and `name: my-app`; `lambdaless-gen schema` prints every key")]
    })
}

impl Builder<'_> {
    fn count(&mut self, n: usize, span: Span) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            self.errors.push(
                Diagnostic::error(
                    Code::YamlTooManyNodes,
                    format!("the spec expands to more than {MAX_NODES} values"),
                )
                .at(span)
                .help("YAML aliases (`*name`) are expanded: avoid aliases of aliases"),
            );
            return true;
        }
        false
    }

    fn open(&mut self, frame: Frame, span: Span) -> bool {
        if self.stack.len() >= MAX_DEPTH {
            self.errors.push(
                Diagnostic::error(
                    Code::YamlTooDeep,
                    format!("the spec nests deeper than {MAX_DEPTH} levels"),
                )
                .at(span)
                .label("too deep"),
            );
            return true;
        }
        if self.count(1, span) {
            return true;
        }
        self.stack.push(frame);
        false
    }

    fn close(&mut self, end: Span) -> bool {
        let Some(frame) = self.stack.pop() else {
            return false;
        };
        // A collection spans from its start to its last child, or to its closing `]`/`}`
        // (block collections end with an empty span).
        let extent = |start: Span, last_child: Option<usize>| {
            let stop = last_child.unwrap_or(end.end).max(start.end);
            let stop = if end.end > stop && !end.is_empty() {
                end.end
            } else {
                stop
            };
            Span::new(start.start, stop)
        };
        let (node, anchor) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                let span = extent(start, items.last().map(|n| n.span.end));
                (
                    Node {
                        span,
                        kind: NodeKind::Seq(items),
                    },
                    anchor,
                )
            }
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => {
                let span = extent(start, entries.last().map(|e| e.value.span.end));
                (
                    Node {
                        span,
                        kind: NodeKind::Map(entries),
                    },
                    anchor,
                )
            }
        };
        self.complete_counted(node, anchor)
    }

    fn alias(&mut self, id: usize, span: Span) -> bool {
        let Some((node, size)) = self.anchors.get(&id).cloned() else {
            self.errors
                .push(Diagnostic::error(Code::YamlAlias, "unknown YAML alias").at(span));
            return true;
        };
        if self.count(size, span) {
            return true;
        }
        // The copy keeps the anchor's spans: diagnostics point at the definition.
        self.push_value(node, span)
    }

    fn complete(&mut self, node: Node, anchor: usize) -> bool {
        if self.count(1, node.span) {
            return true;
        }
        self.complete_counted(node, anchor)
    }

    fn complete_counted(&mut self, node: Node, anchor: usize) -> bool {
        if anchor > 0 {
            let size = subtree_size(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let span = node.span;
        self.push_value(node, span)
    }

    fn push_value(&mut self, node: Node, at: Span) -> bool {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                false
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                false
            }
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some((k, key_span)) => {
                    if let Some(first) = entries.iter().find(|e| e.key == k) {
                        let line = line_of(self.offsets.text, first.key_span.start);
                        self.errors.push(
                            Diagnostic::error(
                                Code::YamlDuplicateKey,
                                format!("duplicate key `{k}`"),
                            )
                            .at(key_span)
                            .label("second definition")
                            .help(format!("`{k}` is already defined on line {line}; keep one")),
                        );
                    } else {
                        entries.push(Entry {
                            key: k,
                            key_span,
                            value: node,
                        });
                    }
                    false
                }
                None => {
                    let k = match node.kind {
                        NodeKind::Str(s) => s,
                        NodeKind::Null => String::new(),
                        NodeKind::Bool(b) => b.to_string(),
                        NodeKind::Int(i) => i.to_string(),
                        NodeKind::Float(_) => {
                            self.offsets.text[node.span.start..node.span.end].to_owned()
                        }
                        NodeKind::Seq(_) | NodeKind::Map(_) => {
                            self.errors.push(
                                Diagnostic::error(
                                    Code::YamlComplexKey,
                                    "a mapping key must be a plain value",
                                )
                                .at(at),
                            );
                            return true;
                        }
                    };
                    *key = Some((k, node.span));
                    false
                }
            },
        }
    }
}

fn subtree_size(node: &Node) -> usize {
    // Depth is bounded by MAX_DEPTH, so this recursion is bounded too.
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(subtree_size).sum(),
        NodeKind::Map(entries) => entries.iter().map(|e| subtree_size(&e.value)).sum(),
        _ => 0,
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_codes(text: &str) -> Vec<&'static str> {
        build(text)
            .unwrap_err()
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "a: 1\nb:\n  c: [x, \"y\"]\n";
        let root = build(text).unwrap();
        let NodeKind::Map(entries) = &root.kind else {
            panic!()
        };
        assert_eq!(
            &text[entries[1].key_span.start..entries[1].key_span.end],
            "b"
        );
        let c = &entries[1].value;
        let NodeKind::Map(inner) = &c.kind else {
            panic!()
        };
        let NodeKind::Seq(items) = &inner[0].value.kind else {
            panic!()
        };
        assert_eq!(&text[items[0].span.start..items[0].span.end], "x");
        assert_eq!(items[1].kind, NodeKind::Str("y".into()));
    }

    #[test]
    fn non_ascii_spans_are_bytes() {
        let text = "é: ünïcode\nk: v\n";
        let root = build(text).unwrap();
        let NodeKind::Map(entries) = &root.kind else {
            panic!()
        };
        assert_eq!(
            &text[entries[1].key_span.start..entries[1].key_span.end],
            "k"
        );
    }

    #[test]
    fn hostile_inputs_are_errors() {
        assert_eq!(err_codes("a: 1\na: 2\n"), ["yaml-duplicate-key"]);
        assert_eq!(err_codes(""), ["yaml-empty"]);
        assert_eq!(err_codes("a: [1, 2"), ["yaml-syntax"]);
        // saphyr stops runaway flow nesting itself; we stop block nesting.
        assert_eq!(err_codes(&"[".repeat(100_000)), ["yaml-syntax"]);
        let block: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(err_codes(&block), ["yaml-too-deep"]);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert_eq!(err_codes(&bomb), ["yaml-too-many-nodes"]);
        assert_eq!(err_codes("a: !Ref x\n"), ["yaml-tag"]);
        assert_eq!(err_codes("a: 1\n---\nb: 2\n"), ["yaml-multiple-documents"]);
    }
}
