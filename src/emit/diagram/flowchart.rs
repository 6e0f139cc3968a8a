//! A small writer of Mermaid flowcharts: nodes with a shape, multi-line labels and a class;
//! solid and dashed edges with labels; subgraphs; class definitions.

use std::fmt::Write;

use super::text::{escape, Context};

/// A node's outline.
#[derive(Clone, Copy, Debug)]
pub(super) enum Shape {
    /// `["…"]`.
    Box,
    /// `(["…"])`: people and outside parties.
    Stadium,
    /// `[("…")]`: a data store.
    Cylinder,
    /// `{{"…"}}`: an event bus.
    Hexagon,
    /// `[/"…"/]`: a rule.
    Parallelogram,
    /// `[["…"]]`: a queue.
    Subroutine,
    /// `>"…"]`: a notification.
    Flag,
}

impl Shape {
    fn brackets(self) -> (&'static str, &'static str) {
        match self {
            Shape::Box => ("[\"", "\"]"),
            Shape::Stadium => ("([\"", "\"])"),
            Shape::Cylinder => ("[(\"", "\")]"),
            Shape::Hexagon => ("{{\"", "\"}}"),
            Shape::Parallelogram => ("[/\"", "\"/]"),
            Shape::Subroutine => ("[[\"", "\"]]"),
            Shape::Flag => (">\"", "\"]"),
        }
    }
}

/// A flowchart being written, line by line.
pub(super) struct Flowchart {
    out: String,
    depth: usize,
    classes: Vec<(&'static str, Vec<String>)>,
}

impl Flowchart {
    /// A flowchart under `comment` lines (`%%`), laid out top to bottom (GitHub shows
    /// diagrams in a narrow column, where a wide one shrinks to unreadable).
    pub(super) fn new(comment: &[&str]) -> Self {
        let mut out = String::with_capacity(4096);
        for line in comment {
            let _ = writeln!(out, "%% {line}");
        }
        out.push_str("flowchart TB\n");
        Flowchart {
            out,
            depth: 1,
            classes: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
    }

    /// A node; `lines` are escaped and joined with line breaks (the first is the title).
    pub(super) fn node<S: AsRef<str>>(
        &mut self,
        id: &str,
        shape: Shape,
        lines: &[S],
        class: &'static str,
    ) {
        let (open, close) = shape.brackets();
        self.indent();
        self.out.push_str(id);
        self.out.push_str(open);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.out.push_str("<br/>");
            }
            self.out
                .push_str(&escape(line.as_ref(), Context::Flowchart));
        }
        self.out.push_str(close);
        self.out.push('\n');
        match self.classes.iter_mut().find(|(c, _)| *c == class) {
            Some((_, members)) => members.push(id.to_owned()),
            None => self.classes.push((class, vec![id.to_owned()])),
        }
    }

    /// Opens a subgraph titled `title`; [`Flowchart::end`] closes it.
    pub(super) fn subgraph(&mut self, id: &str, title: &str) {
        self.indent();
        let _ = writeln!(
            self.out,
            "subgraph {id} [\"{}\"]",
            escape(title, Context::Flowchart)
        );
        self.depth += 1;
    }

    /// An invisible edge: places `to` below `from` without drawing anything.
    pub(super) fn invisible(&mut self, from: &str, to: &str) {
        self.indent();
        let _ = writeln!(self.out, "{from} ~~~ {to}");
    }

    /// Closes the innermost subgraph.
    pub(super) fn end(&mut self) {
        self.depth -= 1;
        self.indent();
        self.out.push_str("end\n");
    }

    /// A solid edge: the way events and requests go.
    pub(super) fn edge(&mut self, from: &str, to: &str, label: &str) {
        self.link(from, "-->", to, label);
    }

    /// A dashed edge: where failures and records of them go.
    pub(super) fn dashed(&mut self, from: &str, to: &str, label: &str) {
        self.link(from, "-.->", to, label);
    }

    fn link(&mut self, from: &str, arrow: &str, to: &str, label: &str) {
        self.indent();
        if label.is_empty() {
            let _ = writeln!(self.out, "{from} {arrow} {to}");
        } else {
            let _ = writeln!(
                self.out,
                "{from} {arrow}|\"{}\"| {to}",
                escape(label, Context::Flowchart)
            );
        }
    }

    /// The text, with a `classDef` for each class used (styles from `styles`) and the
    /// `class` lines assigning nodes to them.
    pub(super) fn finish(mut self, styles: &[(&str, &str)]) -> String {
        for (class, members) in &self.classes {
            if let Some((_, style)) = styles.iter().find(|(c, _)| c == class) {
                let _ = writeln!(self.out, "    classDef {class} {style}");
                let _ = writeln!(self.out, "    class {} {class}", members.join(","));
            }
        }
        self.out
    }
}
