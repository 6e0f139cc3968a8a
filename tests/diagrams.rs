//! The diagrams tell the truth about what `build` writes, for every spec in `specs/`:
//! - each state machine's diagram has every state of its ASL definition and exactly its
//!   transitions (start, `Next`, `End`, each Choice rule, `Default`, each `Catch`), read back
//!   from the `.asl.json` file (not from the generator's types) and from the `.mmd` text;
//! - the stack diagram's nodes are the template's resources, by logical ID, and every route,
//!   state machine, table, bus, rule, queue, alarm and usage plan of the template is drawn;
//! - the README's architecture diagram is the one `diagram specs/topics.yaml` prints.
//!
//! That every diagram renders is proven by Mermaid itself in `tests/diagrams/run`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lambdaless_gen::compile::{compile, Compiled};
use lambdaless_gen::emit::Format;
use lambdaless_gen::source::read_source;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every spec of `specs/`, and those of `tests/diagrams/specs/` (written to break diagrams:
/// labels Mermaid would misread, more rules than the stack diagram draws one by one).
fn builds() -> Vec<(PathBuf, Compiled)> {
    let mut specs: Vec<_> = ["specs", "tests/diagrams/specs"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root().join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
        .into_iter()
        .map(|p| {
            let source = read_source(&p).expect("readable");
            let compiled = compile(&source, Format::Yaml).expect("valid spec");
            (p, compiled)
        })
        .collect()
}

fn file<'a>(c: &'a Compiled, path: &str) -> &'a str {
    let (_, bytes) = c
        .files
        .iter()
        .find(|(p, _)| p.to_string_lossy().replace('\\', "/") == path)
        .unwrap_or_else(|| panic!("{path} is not written"));
    std::str::from_utf8(bytes).unwrap()
}

/// A transition: scope (the composite state and branch it is drawn in), from, to, and its
/// kind (`next`, `rule`, `default`, `catch <errors>`). `[*]` is the start or the end.
type Edge = (String, String, String, String);

/// Every state name and transition of an ASL definition (a JSON value, read from the file).
fn asl_graph(definition: &Value) -> (BTreeSet<String>, Vec<Edge>) {
    let mut states = BTreeSet::new();
    let mut edges = Vec::new();
    asl_scope("", definition, &mut states, &mut edges);
    edges.sort();
    (states, edges)
}

fn asl_scope(scope: &str, body: &Value, states: &mut BTreeSet<String>, edges: &mut Vec<Edge>) {
    let edge = |from: &str, to: &str, kind: &str| {
        (
            scope.to_owned(),
            from.to_owned(),
            to.to_owned(),
            kind.to_owned(),
        )
    };
    edges.push(edge("[*]", body["StartAt"].as_str().unwrap(), "next"));
    for (name, state) in body["States"].as_object().unwrap() {
        states.insert(name.clone());
        if let Some(next) = state["Next"].as_str() {
            edges.push(edge(name, next, "next"));
        }
        let terminal = matches!(state["Type"].as_str(), Some("Succeed" | "Fail"));
        if state["End"] == Value::Bool(true) || terminal {
            edges.push(edge(name, "[*]", "next"));
        }
        for rule in state["Choices"].as_array().into_iter().flatten() {
            edges.push(edge(name, rule["Next"].as_str().unwrap(), "rule"));
        }
        if let Some(default) = state["Default"].as_str() {
            edges.push(edge(name, default, "default"));
        }
        for c in state["Catch"].as_array().into_iter().flatten() {
            let errors: Vec<&str> = c["ErrorEquals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap())
                .collect();
            let kind = format!("catch {}", errors.join(", "));
            edges.push(edge(name, c["Next"].as_str().unwrap(), &kind));
        }
        if let Some(processor) = state.get("ItemProcessor") {
            asl_scope(&format!("{scope}/{name}#0"), processor, states, edges);
        }
        for (i, branch) in state["Branches"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            asl_scope(&format!("{scope}/{name}#{i}"), branch, states, edges);
        }
    }
}

/// Every state and transition of a `stateDiagram-v2`, read from its text:
/// `state "Name<br/>…" as Id`, `Id : text` and `state Id {` declare states (the first also
/// names them), `A --> B [: label]` are
/// transitions, `--` starts a composite's next branch.
fn mmd_graph(text: &str) -> (BTreeSet<String>, Vec<Edge>) {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut states = BTreeSet::new();
    let mut edges = Vec::new();
    let mut scopes: Vec<(String, usize)> = Vec::new();
    let scope_key = |scopes: &[(String, usize)]| -> String {
        scopes.iter().map(|(s, b)| format!("/{s}#{b}")).collect()
    };
    let body = text
        .split_once("stateDiagram-v2\n")
        .expect("a state diagram")
        .1;
    for line in body.lines().map(str::trim) {
        let name = |id: &str, names: &BTreeMap<String, String>| {
            names.get(id).cloned().unwrap_or_else(|| id.to_owned())
        };
        if let Some(rest) = line.strip_prefix("state \"") {
            // `state "Name<br/>what it is" as Id`: the name is the label's first line.
            let (label, id) = rest.split_once("\" as ").unwrap();
            let name = label.split("<br/>").next().unwrap().to_owned();
            if !id.ends_with(" {") {
                states.insert(name.clone());
            }
            names.insert(id.trim_end_matches(" {").to_owned(), name);
        }
        if let Some(id) = line
            .strip_prefix("state ")
            .and_then(|l| l.strip_suffix(" {"))
        {
            let id = id.rsplit(" as ").next().unwrap();
            states.insert(name(id, &names));
            scopes.push((name(id, &names), 0));
        } else if line == "}" {
            scopes.pop();
        } else if line == "--" {
            scopes.last_mut().unwrap().1 += 1;
        } else if let Some((from, rest)) = line.split_once(" --> ") {
            let (to, label) = rest.split_once(" : ").unwrap_or((rest, ""));
            let kind = match label {
                "" => "next".to_owned(),
                "otherwise" => "default".to_owned(),
                l if l.starts_with("catch ") => l.to_owned(),
                _ => "rule".to_owned(),
            };
            edges.push((
                scope_key(&scopes),
                name(from, &names),
                name(to, &names),
                kind,
            ));
        } else if let Some((id, _)) = line.split_once(" : ") {
            states.insert(name(id, &names));
        }
    }
    edges.sort();
    (states, edges)
}

#[test]
fn every_state_and_transition_of_each_machine_is_drawn() {
    let mut checked = 0;
    for (spec, c) in builds() {
        for m in &c.artifacts.machines {
            let asl: Value =
                serde_json::from_str(file(&c, &format!("statemachines/{}.asl.json", m.name)))
                    .unwrap();
            let mmd = file(&c, &format!("diagrams/{}.mmd", m.name));
            let (want_states, want_edges) = asl_graph(&asl);
            let (states, edges) = mmd_graph(mmd);
            let at = format!("{} {}", spec.display(), m.name);
            assert_eq!(states, want_states, "{at}: states");
            assert_eq!(edges, want_edges, "{at}: transitions");
            assert!(want_edges.iter().any(|e| e.3.starts_with("catch")), "{at}");
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} machines checked");
}

/// Node IDs of a flowchart (`Id["…"]`, `Id(["…"])`, …), subgraph IDs, and edges (from, to).
fn flowchart(text: &str) -> (BTreeSet<String>, BTreeSet<String>, Vec<(String, String)>) {
    let (mut nodes, mut groups, mut edges) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    for line in text.lines().map(str::trim) {
        if line.starts_with("%%") || line.starts_with("class") || line == "end" {
            continue;
        }
        if let Some(rest) = line.strip_prefix("subgraph ") {
            groups.insert(rest.split(' ').next().unwrap().to_owned());
        } else if [" -->", " -.->", " ~~~ "].iter().any(|a| line.contains(a)) {
            let from = line.split(' ').next().unwrap();
            let to = line.rsplit(' ').next().unwrap();
            edges.push((from.to_owned(), to.to_owned()));
        } else if let Some(end) = line.find(['[', '(', '{', '>']) {
            nodes.insert(line[..end].to_owned());
        }
    }
    (nodes, groups, edges)
}

/// Nodes that stand for something outside the template, or for part of a resource: the
/// clients (sending, receiving), the API's `@connections` endpoint, a bus or SNS topic the
/// stack only uses, and the node that counts the rules not drawn one by one.
const NOT_RESOURCES: &[&str] = &[
    "Clients",
    "Receivers",
    "ConnectionsApi",
    "Bus",
    "NotifiedTopic",
    "MoreRules",
];

/// Resource types a reviewer must see in the stack diagram.
const DRAWN_TYPES: &[&str] = &[
    "AWS::ApiGatewayV2::Route",
    "AWS::StepFunctions::StateMachine",
    "AWS::DynamoDB::Table",
    "AWS::Events::EventBus",
    "AWS::Events::Rule",
    "AWS::SQS::Queue",
    "AWS::CloudWatch::Alarm",
    "AWS::SNS::Topic",
    "AWS::ApiGateway::UsagePlan",
];

#[test]
fn the_stack_diagram_draws_the_templates_resources() {
    for (spec, c) in builds() {
        let at = spec.display();
        let (nodes, groups, edges) = flowchart(file(&c, "diagrams/stack.mmd"));
        let resources = &c.artifacts.template.resources;
        for node in &nodes {
            assert!(
                resources.contains_key(node) || NOT_RESOURCES.contains(&node.as_str()),
                "{at}: node {node} is no resource of the template"
            );
        }
        let mut counted = 0; // rules beyond the ones drawn, which one node counts
        for (id, r) in resources {
            if !DRAWN_TYPES.contains(&r.kind()) || nodes.contains(id) {
                continue;
            }
            assert_eq!(r.kind(), "AWS::Events::Rule", "{at}: {id} is not drawn");
            counted += 1;
        }
        if counted > 0 {
            let text = file(&c, "diagrams/stack.mmd");
            assert!(
                text.contains(&format!("\"{counted} more rules<br/>")),
                "{at}: {counted} rules are neither drawn nor counted"
            );
        }
        for (from, to) in &edges {
            for end in [from, to] {
                assert!(
                    nodes.contains(end) || groups.contains(end),
                    "{at}: edge {from} -> {to} leads to nothing drawn"
                );
            }
        }
    }
}

/// The README's architecture diagram, between its markers.
fn readme_diagram(readme: &str) -> Option<&str> {
    let start = readme.find(README_START)? + README_START.len();
    let end = start + readme[start..].find(README_END)?;
    Some(readme[start..end].trim_start_matches('\n'))
}

const README_START: &str =
    "<!-- generated: lambdaless-gen diagram specs/topics.yaml --markdown -->";
const README_END: &str = "<!-- end of generated diagram -->";

#[test]
fn the_readme_architecture_diagram_is_generated() {
    let (_, c) = builds()
        .into_iter()
        .find(|(p, _)| p.ends_with("specs/topics.yaml"))
        .expect("specs/topics.yaml");
    let want = format!("```mermaid\n{}```\n", file(&c, "diagrams/stack.mmd"));
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let have = readme_diagram(&readme).expect("README.md has the diagram markers");
    if have != want && std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, readme.replacen(have, &want, 1)).unwrap();
        return;
    }
    assert!(
        have == want,
        "README.md's architecture diagram differs from `lambdaless-gen diagram specs/topics.yaml \
         --markdown`; run `UPDATE_README=1 cargo test --test diagrams` and review the diff"
    );
}
