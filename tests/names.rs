//! One template, many deployments: every physical name comes from the `NamePrefix` parameter,
//! so two stacks of one template in one account and region share no name. For every spec in
//! `specs/`, the names of two deployments (`NamePrefix=<spec>-dev` and `<spec>-prod`) are
//! resolved from the template and compared.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::source::read_source;
use serde_json::Value;

/// The property holding a resource type's physical name, for every type the generator emits
/// that has one. A type missing here fails the test, so a new named resource cannot slip by.
const NAMED: &[(&str, &str)] = &[
    ("AWS::ApiGatewayV2::Api", "Name"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::Events::EventBus", "Name"),
    ("AWS::Events::Rule", "Name"),
    ("AWS::StepFunctions::StateMachine", "StateMachineName"),
    ("AWS::ApiGateway::UsagePlan", "UsagePlanName"),
    ("AWS::ApiGateway::ApiKey", "Name"),
];

/// Property names that name something without being a resource's own physical name.
const NOT_NAMES: &[&str] = &[
    "StageName",
    "EventBusName",
    "IndexName",
    "DisplayName",
    "AttributeName",
    "MetricName",
];

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

/// A name as CloudFormation would resolve it for a deployment with `prefix`.
fn resolve(v: &Value, prefix: &str) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.contains_key("Fn::Sub") => m["Fn::Sub"].as_str().unwrap().to_owned(),
        Value::Object(m) if m.get("Ref") == Some(&Value::from("NamePrefix")) => {
            "${NamePrefix}".to_owned()
        }
        other => panic!("a physical name that is not a string, Sub or Ref: {other}"),
    };
    text.replace("${NamePrefix}", prefix)
        .replace("${AWS::Region}", "eu-west-1")
        .replace("${AWS::AccountId}", "111122223333")
}

fn names(template: &Value, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (id, r) in template["Resources"].as_object().unwrap() {
        let kind = r["Type"].as_str().unwrap();
        let props = r["Properties"].as_object().unwrap();
        let named = NAMED.iter().find(|(k, _)| *k == kind).map(|(_, p)| *p);
        for key in props
            .keys()
            .filter(|k| k.ends_with("Name") && !NOT_NAMES.contains(&k.as_str()))
        {
            assert_eq!(
                Some(key.as_str()),
                named,
                "{id} ({kind}) has the name property {key} that tests/names.rs does not know"
            );
        }
        if let Some(p) = named {
            let name = resolve(&props[p], prefix);
            assert!(
                name.contains(prefix),
                "{id}: {name} does not carry the name prefix"
            );
            out.insert(format!("{kind} {name}"));
        }
    }
    out
}

#[test]
fn two_deployments_of_one_template_share_no_physical_name() {
    for path in specs() {
        let source = read_source(&path).expect("readable");
        let c = compile(&source, Format::Json).expect("valid spec");
        let template: Value = serde_json::from_slice(&c.files[0].1).unwrap();
        let p = &template["Parameters"]["NamePrefix"];
        assert_eq!(
            p["Default"],
            Value::from(c.model.name.as_str()),
            "{}",
            path.display()
        );
        let dev = format!("{}-dev", c.model.name);
        let prod = format!("{}-prod", c.model.name);
        let max = p["MaxLength"].as_u64().unwrap() as usize;
        assert!(
            prod.len() <= max,
            "{}: {prod} is longer than MaxLength {max}",
            path.display()
        );
        let (a, b) = (names(&template, &dev), names(&template, &prod));
        assert!(a.len() >= 3, "{}: only {a:?}", path.display());
        let shared: Vec<_> = a.intersection(&b).collect();
        assert!(
            shared.is_empty(),
            "{}: shared by both deployments: {shared:?}",
            path.display()
        );
    }
}

#[test]
fn the_longest_allowed_prefix_keeps_every_name_within_its_limit() {
    for path in specs() {
        let source = read_source(&path).expect("readable");
        let c = compile(&source, Format::Json).expect("valid spec");
        let template: Value = serde_json::from_slice(&c.files[0].1).unwrap();
        let max = template["Parameters"]["NamePrefix"]["MaxLength"]
            .as_u64()
            .unwrap() as usize;
        let longest = "p".repeat(max);
        for name in names(&template, &longest) {
            let (kind, name) = name.split_once(' ').unwrap();
            let limit = match kind {
                "AWS::Events::Rule" => 64,
                "AWS::StepFunctions::StateMachine" => 80,
                "AWS::DynamoDB::Table" => 255,
                "AWS::ApiGatewayV2::Api" => 128,
                _ => 256,
            };
            assert!(
                name.len() <= limit,
                "{}: {kind} {name} is over {limit}",
                path.display()
            );
        }
    }
}
