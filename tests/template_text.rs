//! The YAML template of every spec in `specs/` reads back (with a YAML 1.1 reader, as
//! cfn-lint's is) as exactly the template the compiler built, and so does the JSON one with
//! each state machine's `DefinitionString` as the `Definition` object it holds.

use std::path::Path;

use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::source::read_source;
use serde_json::Value;

#[test]
fn templates_read_back_as_built() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty());
    for path in specs {
        let source = read_source(&path).unwrap();
        let compiled = compile(&source, Format::Yaml).unwrap();
        let built = serde_json::to_value(&compiled.artifacts.template).unwrap();
        let yaml: Value =
            serde_yaml::from_str(&compiled.artifacts.template_text(Format::Yaml)).unwrap();
        assert_eq!(yaml, built, "{}", path.display());
        let json: Value =
            serde_json::from_str(&compiled.artifacts.template_text(Format::Json)).unwrap();
        assert_eq!(json, with_definition_objects(built), "{}", path.display());
    }
}

/// `template` as the JSON format writes it: each `DefinitionString` (a string of minified JSON)
/// becomes the `Definition` object it holds.
fn with_definition_objects(mut template: Value) -> Value {
    let resources = template["Resources"].as_object_mut().unwrap();
    let mut converted = 0;
    for resource in resources.values_mut() {
        let Some(properties) = resource["Properties"].as_object_mut() else {
            continue;
        };
        if let Some(Value::String(text)) = properties.remove("DefinitionString") {
            properties.insert("Definition".into(), serde_json::from_str(&text).unwrap());
            converted += 1;
        }
    }
    assert!(converted > 0, "no state machine definition in the template");
    template
}
