//! The template as compact JSON: one line per parameter, resource and output, so a diff still
//! points at what changed while the template stays inside CloudFormation's 51,200-byte inline
//! limit (JSON pays for every key's quotes, so it has less room than YAML for indentation).
//!
//! State machines carry their definition as a `Definition` object here rather than a
//! `DefinitionString`: a JSON string would escape every `"` of the embedded definition.

use serde_json::{Map, Value};

use super::yaml::BLOCK_SECTIONS;

/// `template` (a JSON object, in order) as JSON text.
pub fn template_json(template: &Value) -> String {
    let Value::Object(sections) = template else {
        return template.to_string() + "\n";
    };
    let last = sections.len().saturating_sub(1);
    let mut out = String::from("{\n");
    for (i, (section, value)) in sections.iter().enumerate() {
        let comma = if i < last { "," } else { "" };
        let name = Value::from(section.as_str());
        match value {
            Value::Object(entries) if BLOCK_SECTIONS.contains(&section.as_str()) => {
                out.push_str(&format!("  {name}: {{\n"));
                let n = entries.len().saturating_sub(1);
                for (j, (id, entry)) in entries.iter().enumerate() {
                    let c = if j < n { "," } else { "" };
                    let id = Value::from(id.as_str());
                    out.push_str(&format!("    {id}: {}{c}\n", definition_as_object(entry)));
                }
                out.push_str(&format!("  }}{comma}\n"));
            }
            _ => out.push_str(&format!("  {name}: {value}{comma}\n")),
        }
    }
    out.push_str("}\n");
    out
}

/// `entry` with a state machine's `DefinitionString` replaced, in place, by the `Definition`
/// object it encodes (CloudFormation applies `DefinitionSubstitutions` to either).
fn definition_as_object(entry: &Value) -> Value {
    let Some(Value::Object(props)) = entry.get("Properties") else {
        return entry.clone();
    };
    let Some(Value::String(text)) = props.get("DefinitionString") else {
        return entry.clone();
    };
    let Ok(definition) = serde_json::from_str::<Value>(text) else {
        return entry.clone();
    };
    let props: Map<String, Value> = props
        .iter()
        .map(|(k, v)| match k.as_str() {
            "DefinitionString" => ("Definition".to_owned(), definition.clone()),
            _ => (k.clone(), v.clone()),
        })
        .collect();
    let mut entry = entry.clone();
    entry["Properties"] = Value::Object(props);
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_back_with_definitions_as_objects() {
        let definition = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
        let t = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Api": { "Type": "AWS::ApiGatewayV2::Api", "Properties": { "Name": "x\u{2028}" } },
                "Machine": { "Type": "AWS::StepFunctions::StateMachine", "Properties": {
                    "RoleArn": "r", "DefinitionString": definition, "StateMachineType": "EXPRESS"
                } }
            },
            "Outputs": { "Url": { "Value": { "Ref": "Api" } } }
        });
        let text = template_json(&t);
        let back: Value = serde_json::from_str(&text).unwrap();
        let mut expected = t.clone();
        expected["Resources"]["Machine"]["Properties"] = json!({
            "RoleArn": "r",
            "Definition": serde_json::from_str::<Value>(definition).unwrap(),
            "StateMachineType": "EXPRESS"
        });
        assert_eq!(back, expected);
        let keys: Vec<&String> = back["Resources"]["Machine"]["Properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["RoleArn", "Definition", "StateMachineType"]);
        assert_eq!(text.lines().count(), 10, "{text}");
    }
}
