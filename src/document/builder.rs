//! Builds the [`Node`] tree from saphyr's event stream, with an explicit stack (no recursion),
//! and with limits that make hostile YAML (alias bombs, deep nesting, huge files) an error.
//!
//! On a syntax error the builder hands what it knows about the collections open at that
//! point to [`super::syntax`], which turns saphyr's message into one a YAML user can act on.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::keys::{duplicate_key, find_entry, key_text, KeyIndex};
use super::lines::{line_of, Offsets};
use super::node::{Entry, Node, NodeKind};
use super::scalar::resolve_plain;
use super::syntax::{self, Collection};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::MAX_SOURCE_BYTES;
use crate::span::Span;

/// Deepest nesting accepted (a spec needs about 10 levels; event patterns a few more).
pub(crate) const MAX_DEPTH: usize = 64;
/// Most nodes accepted, counting every alias expansion (defeats "billion laughs").
pub(crate) const MAX_NODES: usize = 100_000;

/// What [`build`] found.
pub(super) struct Built {
    /// The tree, when the whole text was read (possibly with duplicate keys or tags).
    pub root: Option<Node>,
    /// Every error, in the order found.
    pub errors: Vec<Diagnostic>,
    /// On a syntax error: where the line at fault starts. The text before it is YAML that
    /// may be checked on its own.
    pub cut: Option<usize>,
}

/// A collection being built. What a syntax hint needs to know of it (a [`Collection`]) is
/// only gathered when a hint is written (see [`Builder::seen`]).
struct Frame {
    start: Span,
    /// `[...]`/`{...}` rather than indented lines.
    flow: bool,
    anchor: usize,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        /// Index into `entries` by key, built once a mapping outgrows a linear search (a
        /// spec's `topics` can hold hundreds).
        index: Option<KeyIndex>,
    },
}

struct Builder<'t> {
    offsets: Offsets<'t>,
    stack: Vec<Frame>,
    /// Block collections closed since the last node started: closed because the line being
    /// read dedents, so they were open for it (syntax hints offer their columns).
    just_closed: Vec<Collection>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    root: Option<Node>,
    errors: Vec<Diagnostic>,
}

/// Parses `text` into a node tree; see [`Built`].
pub(super) fn build(text: &str) -> Built {
    let mut b = Builder {
        offsets: Offsets::new(text),
        stack: Vec::new(),
        just_closed: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        errors: Vec::new(),
    };
    if text.len() > MAX_SOURCE_BYTES {
        b.errors.push(too_large(text.len()));
        return b.finish(false, None);
    }
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let at = b.offsets.byte(e.marker().index());
                let open: Vec<Collection> = b.open_collections();
                let (diagnostic, cut) = syntax::explain(text, e.info(), at, &open);
                b.errors.push(diagnostic);
                return b.finish(false, Some(cut));
            }
        };
        let span = b.offsets.span(span);
        if b.event(event, span, &mut documents) {
            return b.finish(false, None);
        }
    }
    if b.root.is_none() && b.errors.is_empty() {
        b.errors.push(
            Diagnostic::error(Code::YamlEmpty, "the spec is empty")
                .at(Span::new(0, 0))
                .help("start with `version: 1` and `name: my-app`; `lambdaless-gen schema` prints every key"),
        );
    }
    b.finish(true, None)
}

fn too_large(len: usize) -> Diagnostic {
    Diagnostic::error(
        Code::YamlTooLarge,
        format!("the spec is {len} bytes; the limit is {MAX_SOURCE_BYTES} bytes"),
    )
    .at(Span::new(0, 0))
    .help("a spec is a few kilobytes: is this the right file?")
}

fn second_document(span: Span) -> Diagnostic {
    Diagnostic::error(Code::YamlMultipleDocuments, "a spec is one YAML document")
        .at(span)
        .label("a second document starts here")
        .help("remove the `---` separator and everything after it")
}

fn scalar_tag(tag: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::YamlTag,
        format!("YAML tags are not supported (`{tag}`)"),
    )
    .at(span)
    .help("write plain values; quote a string that starts with `!`")
}

impl Builder<'_> {
    /// Adds one event to the tree; returns `true` on a fatal error (stop reading).
    fn event(&mut self, event: Event<'_>, span: Span, documents: &mut usize) -> bool {
        if !matches!(event, Event::SequenceEnd | Event::MappingEnd) {
            self.just_closed.clear();
        }
        match event {
            Event::DocumentStart(_) => {
                *documents += 1;
                *documents > 1 && self.fail(second_document(span))
            }
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(tag) = tag {
                    let text = format!("{}{}", tag.handle, tag.suffix);
                    self.errors.push(scalar_tag(&text, span));
                }
                let kind = match style {
                    ScalarStyle::Plain => resolve_plain(value),
                    _ => NodeKind::Str(value.into_owned()),
                };
                self.complete(Node { span, kind }, anchor)
            }
            Event::SequenceStart(_, Some(_)) | Event::MappingStart(_, Some(_)) => {
                self.fail(Diagnostic::error(Code::YamlTag, "YAML tags are not supported").at(span))
            }
            Event::SequenceStart(anchor, None) => self.open(span, anchor, Body::Seq(Vec::new())),
            Event::MappingStart(anchor, None) => self.open(
                span,
                anchor,
                Body::Map {
                    entries: Vec::new(),
                    key: None,
                    index: None,
                },
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(id) => self.alias(id, span),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => false,
        }
    }

    fn finish(self, whole: bool, cut: Option<usize>) -> Built {
        Built {
            root: if whole { self.root } else { None },
            errors: self.errors,
            cut,
        }
    }

    /// Records a fatal error; returns `true` (stop).
    fn fail(&mut self, d: Diagnostic) -> bool {
        self.errors.push(d);
        true
    }

    /// The collections open before the line being read, outermost first (block ones the
    /// line's dedent just closed included).
    fn open_collections(&self) -> Vec<Collection> {
        let parents = std::iter::once(None).chain(self.stack.iter().map(Some));
        let open = self.stack.iter().zip(parents).map(|(f, p)| seen(f, p));
        open.chain(self.just_closed.iter().rev().cloned()).collect()
    }

    fn count(&mut self, n: usize, span: Span) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return self.fail(
                Diagnostic::error(
                    Code::YamlTooManyNodes,
                    format!("the spec expands to more than {MAX_NODES} values"),
                )
                .at(span)
                .help("YAML aliases (`*name`) are expanded: avoid aliases of aliases"),
            );
        }
        false
    }

    fn open(&mut self, start: Span, anchor: usize, body: Body) -> bool {
        if self.stack.len() >= MAX_DEPTH {
            return self.fail(
                Diagnostic::error(
                    Code::YamlTooDeep,
                    format!("the spec nests deeper than {MAX_DEPTH} levels"),
                )
                .at(start)
                .label("too deep"),
            );
        }
        if self.count(1, start) {
            return true;
        }
        let flow = matches!(
            self.offsets.text.as_bytes().get(start.start),
            Some(b'[' | b'{')
        );
        self.stack.push(Frame {
            start,
            flow,
            anchor,
            body,
        });
        false
    }

    fn close(&mut self, end: Span) -> bool {
        let Some(frame) = self.stack.pop() else {
            return false;
        };
        if !frame.flow {
            self.just_closed.push(seen(&frame, self.stack.last()));
        }
        // A collection spans from its start to its last child, or to its closing `]`/`}`
        // (block collections end with an empty span).
        let extent = |last_child: Option<usize>| {
            let stop = last_child.unwrap_or(end.end).max(frame.start.end);
            let stop = if end.end > stop && !end.is_empty() {
                end.end
            } else {
                stop
            };
            Span::new(frame.start.start, stop)
        };
        let node = match frame.body {
            Body::Seq(items) => Node {
                span: extent(items.last().map(|n| n.span.end)),
                kind: NodeKind::Seq(items),
            },
            Body::Map { entries, .. } => Node {
                span: extent(entries.last().map(|e| e.value.span.end)),
                kind: NodeKind::Map(entries),
            },
        };
        self.complete_counted(node, frame.anchor)
    }

    fn alias(&mut self, id: usize, span: Span) -> bool {
        let Some((node, size)) = self.anchors.get(&id).cloned() else {
            return self.fail(
                Diagnostic::error(Code::YamlAlias, "this alias refers to no complete anchor")
                    .at(span)
                    .help("an alias (`*name`) repeats a value anchored (`&name`) before it, outside it"),
            );
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
        let text = self.offsets.text;
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return false;
        };
        match &mut frame.body {
            Body::Seq(items) => items.push(node),
            Body::Map {
                entries,
                key,
                index,
            } => match key.take() {
                Some((k, key_span)) => match find_entry(entries, index, &k) {
                    Some(first) => {
                        let line = line_of(text, first.key_span.start);
                        self.errors.push(duplicate_key(&k, key_span, line));
                    }
                    None => {
                        if let Some(index) = index {
                            index.insert(k.clone(), entries.len());
                        }
                        entries.push(Entry {
                            key: k,
                            key_span,
                            value: node,
                        });
                    }
                },
                None => {
                    let span = node.span;
                    let Some(k) = key_text(text, node) else {
                        return self.fail(
                            Diagnostic::error(
                                Code::YamlComplexKey,
                                "a mapping key must be a plain value",
                            )
                            .at(at)
                            .help("keys are names: write `name: value`, not a list or mapping before the `:`"),
                        );
                    };
                    *key = Some((k, span));
                }
            },
        }
        false
    }
}

/// What a syntax hint needs to know of `frame` now; `parent` is the frame it is a value of.
/// While `frame` is open, a parent mapping's pending key is the key `frame` belongs to.
fn seen(frame: &Frame, parent: Option<&Frame>) -> Collection {
    let last_key = match &frame.body {
        Body::Map { entries, key, .. } => key
            .as_ref()
            .map(|(k, s)| (k.clone(), s.start))
            .or_else(|| entries.last().map(|e| (e.key.clone(), e.key_span.start))),
        Body::Seq(_) => None,
    };
    Collection {
        start: frame.start.start,
        flow: frame.flow,
        seq: matches!(frame.body, Body::Seq(_)),
        parent_key: match parent.map(|p| &p.body) {
            Some(Body::Map { key, .. }) => key.as_ref().map(|(k, _)| k.clone()),
            _ => None,
        },
        last_key,
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

#[cfg(test)]
mod tests;
