//! A state machine as a Mermaid `stateDiagram-v2`, walked from its typed ASL definition: every
//! state (Map and Parallel bodies as composite states), every transition (`Next`, `End`,
//! `Default`, each Choice rule with its condition shortened, each `Catch`), start and end.
//!
//! Mermaid cannot style one transition apart from the others in a state diagram (no
//! `linkStyle`), so a Catch transition is labelled `catch <errors>` and the state it leads to
//! is drawn as an error handler.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use indexmap::IndexMap;

use super::condition;
use super::text::{escape, id, Context};
use crate::emit::ir::asl::{Catch, Definition, State, Transition};

/// Fill and stroke of each kind of state.
const CLASSES: &[(&str, &str)] = &[
    ("task", "fill:#e8f1fb,stroke:#2f6db5"),
    ("choice", "fill:#fff6d6,stroke:#b58900"),
    ("pass", "fill:#f4f4f4,stroke:#888888"),
    (
        "handler",
        "fill:#fde8e6,stroke:#c0392b,stroke-dasharray:4 3",
    ),
    ("succeed", "fill:#e6f6ea,stroke:#2e8b57"),
    ("fail", "fill:#f9d6d2,stroke:#a93226"),
];

/// The diagram of the state machine `name` (a file stem: `delivery`).
pub fn machine(name: &str, definition: &Definition) -> String {
    let mut w = Writer::new(definition);
    let _ = writeln!(
        w.out,
        "%% The {name} state machine, drawn from statemachines/{name}.asl.json by lambdaless-gen.\n\
         %% Catch transitions are labelled `catch …`; the states they reach are drawn dashed."
    );
    w.out.push_str("stateDiagram-v2\n");
    w.scope(1, &definition.start_at, &definition.states);
    w.classes();
    w.out
}

/// One transition out of a state.
enum Edge<'a> {
    /// `Next`.
    Next(&'a str),
    /// `End: true`, or a terminal state.
    End,
    /// A Choice rule, with its shortened condition.
    Rule(&'a str, String),
    /// A Choice's `Default`.
    Default(&'a str),
    /// A `Catch` clause.
    Catch(&'a Catch),
}

struct Writer {
    out: String,
    /// Mermaid identifier of each state name (unique in the diagram).
    ids: HashMap<String, String>,
    /// States of each class, in diagram order.
    classes: IndexMap<&'static str, Vec<String>>,
    /// States some Catch leads to.
    handlers: BTreeSet<String>,
}

impl Writer {
    fn new(definition: &Definition) -> Self {
        let names = definition.state_names();
        let mut ids = HashMap::new();
        let mut taken = BTreeSet::new();
        // ASL names are unique in a definition: when each is already an identifier, they are
        // their own identifiers (the usual case, and no map to consult).
        let all_plain = names.iter().all(|n| id(n) == *n);
        for name in names.into_iter().filter(|_| !all_plain) {
            let base = id(name);
            let mut unique = base.clone();
            let mut n = 2;
            while !taken.insert(unique.clone()) {
                unique = format!("{base}_{n}");
                n += 1;
            }
            ids.insert(name.to_owned(), unique);
        }
        Writer {
            out: String::with_capacity(4096),
            ids,
            classes: CLASSES.iter().map(|&(c, _)| (c, Vec::new())).collect(),
            handlers: BTreeSet::new(),
        }
    }

    fn id<'a>(&'a self, name: &'a str) -> &'a str {
        self.ids.get(name).map_or(name, String::as_str)
    }

    fn line(&mut self, depth: usize, text: std::fmt::Arguments<'_>) {
        for _ in 0..depth {
            self.out.push_str("    ");
        }
        let _ = self.out.write_fmt(text);
        self.out.push('\n');
    }

    /// A list of states: their declarations (composites first drawn inside out), then the
    /// start and every transition.
    fn scope(&mut self, depth: usize, start: &str, states: &IndexMap<String, State>) {
        for (name, state) in states {
            self.declare(depth, name, state);
        }
        let start = self.id(start).to_owned();
        self.line(depth, format_args!("[*] --> {start}"));
        for (name, state) in states {
            for edge in edges(state) {
                self.edge(depth, name, &edge);
            }
        }
    }

    fn declare(&mut self, depth: usize, name: &str, state: &State) {
        let sid = self.id(name).to_owned();
        let composite = matches!(state, State::Map(_) | State::Parallel(_));
        if composite && sid != name {
            self.line(
                depth,
                format_args!("state \"{}\" as {sid}", escape(name, Context::State)),
            );
        }
        match state {
            State::Map(map) => {
                self.line(depth, format_args!("state {sid} {{"));
                let body = &map.item_processor;
                self.scope(depth + 1, &body.start_at, &body.states);
                self.line(depth, format_args!("}}"));
            }
            State::Parallel(p) => {
                self.line(depth, format_args!("state {sid} {{"));
                for (i, branch) in p.branches.iter().enumerate() {
                    if i > 0 {
                        self.line(depth + 1, format_args!("--"));
                    }
                    self.scope(depth + 1, &branch.start_at, &branch.states);
                }
                self.line(depth, format_args!("}}"));
            }
            _ => {
                // `Id : text` would show the text instead of the name: both go in the label.
                let (class, what) = describe(name, state);
                let (name, what) = (escape(name, Context::State), escape(&what, Context::State));
                self.line(depth, format_args!("state \"{name}<br/>{what}\" as {sid}"));
                self.classes[class].push(sid);
            }
        }
    }

    fn edge(&mut self, depth: usize, from: &str, edge: &Edge<'_>) {
        let from = self.id(from).to_owned();
        let to = |w: &Self, name: &str| w.id(name).to_owned();
        match edge {
            Edge::Next(next) => {
                let to = to(self, next);
                self.line(depth, format_args!("{from} --> {to}"));
            }
            Edge::End => self.line(depth, format_args!("{from} --> [*]")),
            Edge::Rule(next, cond) => {
                let to = to(self, next);
                self.line(
                    depth,
                    format_args!("{from} --> {to} : {}", escape(cond, Context::State)),
                );
            }
            Edge::Default(next) => {
                let to = to(self, next);
                self.line(depth, format_args!("{from} --> {to} : otherwise"));
            }
            Edge::Catch(c) => {
                let to = to(self, &c.next);
                let errors = c.error_equals.join(", ");
                self.line(depth, format_args!("{from} --> {to} : catch {errors}"));
                self.handlers.insert(to);
            }
        }
    }

    /// `classDef` lines, then each class's states; a handler's dashed style wins over its kind.
    fn classes(&mut self) {
        let handlers = std::mem::take(&mut self.handlers);
        for (class, members) in &mut self.classes {
            if *class == "handler" {
                *members = handlers.iter().cloned().collect();
            } else {
                members.retain(|m| !handlers.contains(m));
            }
        }
        for &(class, style) in CLASSES {
            if !self.classes[class].is_empty() {
                let _ = writeln!(self.out, "    classDef {class} {style}");
            }
        }
        for (class, members) in &self.classes {
            if !members.is_empty() {
                let _ = writeln!(self.out, "    class {} {class}", members.join(","));
            }
        }
    }
}

/// The class of a simple state and the text under its name.
fn describe(name: &str, state: &State) -> (&'static str, String) {
    match state {
        State::Task(t) => ("task", format!("Task · {}", service(&t.resource))),
        State::Choice(_) | State::JsonataChoice(_) => ("choice", "Choice".to_owned()),
        State::Pass(_) | State::JsonataPass(_) => ("pass", "Pass".to_owned()),
        State::Succeed(_) => ("succeed", "Succeed".to_owned()),
        State::Fail(f) if f.error == name => ("fail", "Fail".to_owned()),
        State::Fail(f) => ("fail", format!("Fail · {}", f.error)),
        State::Map(_) | State::Parallel(_) => ("pass", String::new()),
    }
}

/// What a Task calls: a substitution's name (`${DynamoDbQuery}` → `DynamoDbQuery`) or the
/// integration of an ARN (`arn:aws:states:::aws-sdk:dynamodb:query` → `dynamodb:query`).
fn service(resource: &str) -> &str {
    if let Some(name) = resource
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
    {
        return name;
    }
    let integration = resource.split(":::").nth(1).unwrap_or(resource);
    integration.strip_prefix("aws-sdk:").unwrap_or(integration)
}

/// `Next` or `End`.
fn flow(t: &Transition) -> Edge<'_> {
    match t {
        Transition::Next(n) => Edge::Next(n),
        Transition::End(_) => Edge::End,
    }
}

/// Every transition out of `state`, in ASL order: rules, default, next or end, catches.
fn edges(state: &State) -> Vec<Edge<'_>> {
    let mut out = Vec::new();
    match state {
        State::Task(t) => {
            out.push(flow(&t.transition));
            out.extend(t.catch.iter().map(Edge::Catch));
        }
        State::Choice(c) => {
            for r in &c.choices {
                let next = r.get("Next").and_then(|n| n.as_str()).unwrap_or_default();
                out.push(Edge::Rule(next, condition::rule(r)));
            }
            out.push(Edge::Default(&c.default));
        }
        State::JsonataChoice(c) => {
            for r in &c.choices {
                out.push(Edge::Rule(&r.next, condition::jsonata(&r.condition)));
            }
            out.push(Edge::Default(&c.default));
        }
        State::Pass(p) => out.push(flow(&p.transition)),
        State::JsonataPass(p) => out.push(flow(&p.transition)),
        State::Map(m) => {
            out.push(flow(&m.transition));
            out.extend(m.catch.iter().map(Edge::Catch));
        }
        State::Parallel(p) => {
            out.push(flow(&p.transition));
            out.extend(p.catch.iter().map(Edge::Catch));
        }
        State::Succeed(_) | State::Fail(_) => out.push(Edge::End),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::ir::asl::{Pass, ResultPath, States};
    use serde_json::json;

    fn pass(next: Option<&str>) -> State {
        State::Pass(Pass {
            comment: None,
            parameters: json!({}),
            result_path: ResultPath::Replace,
            transition: next.map_or_else(Transition::end, Transition::next),
        })
    }

    #[test]
    fn names_that_are_no_identifiers_get_unique_ones() {
        let mut states = States::default();
        states
            .add("Read page", pass(Some("Read_page")))
            .add("Read_page", pass(Some("end")))
            .add("end", pass(None));
        let text = machine("odd", &states.definition("odd names", "Read page", 60));
        for line in [
            "state \"Read page<br/>Pass\" as Read_page\n",
            "state \"Read#95;page<br/>Pass\" as Read_page_2\n",
            "state \"end<br/>Pass\" as end_\n",
            "[*] --> Read_page\n",
            "Read_page --> Read_page_2\n",
            "Read_page_2 --> end_\n",
            "end_ --> [*]\n",
        ] {
            assert!(text.contains(line), "{line:?} missing in:\n{text}");
        }
    }
}
