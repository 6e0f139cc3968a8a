//! Choice states: JSONPath rules, and JSONata conditions.

use serde::Serialize;
use serde_json::{json, Value};

/// A Choice state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Choice {
    /// What it decides.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// Rules, first match wins.
    pub choices: Vec<Value>,
    /// When no rule matches.
    pub default: String,
}

/// `{"Variable": var, op: value, "Next": next}`.
pub fn rule(var: &str, op: &str, value: Value, next: &str) -> Value {
    json!({ "Variable": var, op: value, "Next": next })
}

/// A Choice state whose rules are JSONata conditions (`QueryLanguage: JSONata`), reading
/// `$states.input`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JsonataChoice {
    /// What it decides.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// Always `JSONata`.
    pub query_language: &'static str,
    /// Rules, first true condition wins.
    pub choices: Vec<JsonataRule>,
    /// When no condition holds.
    pub default: String,
}

/// One rule of a [`JsonataChoice`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JsonataRule {
    /// `{% boolean expression %}`.
    pub condition: String,
    /// Where to go when it holds.
    pub next: String,
}
