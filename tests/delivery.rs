//! Structural guarantees of the generated delivery machines, for every spec in `specs/`:
//! pattern matching makes no EventBridge call unless the spec asks for it, and no failure can
//! end in a bare `Succeed` (every catch leads to a record or a reported failure).
//! Behaviour is proven by executing the machines in `tests/engines`; these checks keep the
//! shape honest for specs the engines do not run.

use std::path::{Path, PathBuf};

use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::{Format, Machine};
use lambdaless_gen::model::{Model, PatternMatching};
use lambdaless_gen::source::read_source;
use serde_json::Value;

fn specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

fn each_build(mut f: impl FnMut(&Path, &Model, &[Machine], &str)) {
    for path in specs() {
        let source = read_source(&path).expect("readable");
        let c = compile(&source, Format::Json).expect("valid spec");
        let template = String::from_utf8(c.files[0].1.clone()).unwrap();
        f(&path, &c.model, &c.artifacts.machines, &template);
    }
}

fn machine(machines: &[Machine], name: &str) -> Option<Value> {
    machines
        .iter()
        .find(|m| m.name == name)
        .map(|m| serde_json::to_value(&m.definition).expect("ASL serializes"))
}

/// Every state of a definition, nested ones included, with its name.
fn states(def: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (name, state) in def["States"].as_object().into_iter().flatten() {
        out.push((name.clone(), state.clone()));
        if let Some(p) = state.get("ItemProcessor") {
            out.extend(states(p));
        }
        for b in state["Branches"].as_array().into_iter().flatten() {
            out.extend(states(b));
        }
    }
    out
}

#[test]
fn testeventpattern_only_for_client_patterns_and_in_workflow_mode_only_when_the_matcher_asks() {
    each_build(|path, model, machines, template| {
        let mentions = |v: &Value| v.to_string().to_lowercase().contains("testeventpattern");
        let patterns = model.has_pattern_subscriptions();
        if let Some(pager) = machine(machines, "delivery") {
            assert!(
                !mentions(&pager),
                "{}: the pager tests patterns",
                path.display()
            );
        }
        if let Some(deliverer) = machine(machines, "deliverer") {
            assert_eq!(
                mentions(&deliverer),
                patterns,
                "{}: deliverer",
                path.display()
            );
            if patterns && model.pattern_matching == PatternMatching::Workflow {
                // Only the matcher's "eventbridge" answer leads to TestEventPattern.
                let text = deliverer.to_string();
                assert!(
                    text.contains(r#""StringEquals":"eventbridge","Next":"TestOwnPattern""#),
                    "{}: the matcher's answer does not route to TestOwnPattern",
                    path.display()
                );
            }
        }
        let t: Value = serde_json::from_str(template).unwrap();
        for id in ["DeliveryStateMachine", "DelivererStateMachine"] {
            let subs = &t["Resources"][id]["Properties"]["DefinitionSubstitutions"];
            let expected = patterns && id == "DelivererStateMachine";
            assert_eq!(mentions(subs), expected, "{}: {id}", path.display());
        }
        if let Some(connections) = machine(machines, "connections") {
            // Subscribe-time validation keeps AWS's own validator.
            assert_eq!(mentions(&connections), model.has_pattern_subscriptions());
        }
    });
}

#[test]
fn no_delivery_failure_ends_in_a_bare_succeed() {
    each_build(|path, _, machines, _| {
        for name in ["delivery", "deliverer"] {
            let Some(def) = machine(machines, name) else {
                continue;
            };
            let all = states(&def);
            let kind = |n: &str| {
                all.iter().find(|(s, _)| s == n).map_or_else(
                    || panic!("{}: no state {n}", path.display()),
                    |(_, st)| st["Type"].as_str().unwrap().to_owned(),
                )
            };
            for (state_name, state) in &all {
                let t = state["Type"].as_str().unwrap();
                let catches = state["Catch"].as_array().cloned().unwrap_or_default();
                let catches_all = catches
                    .iter()
                    .any(|c| c["ErrorEquals"] == serde_json::json!(["States.ALL"]));
                let records = state["Resource"] == "${SqsSendMessage}";
                let inside_cleanup = state_name == "RemoveStaleRecord";
                if matches!(t, "Task" | "Map" | "Parallel") && !records && !inside_cleanup {
                    assert!(
                        catches_all,
                        "{}: {name}.{state_name} catches nothing",
                        path.display()
                    );
                }
                for c in catches {
                    let target = c["Next"].as_str().unwrap();
                    assert_ne!(
                        kind(target),
                        "Succeed",
                        "{}: {name}.{state_name} catches into a Succeed",
                        path.display()
                    );
                }
            }
        }
    });
}
