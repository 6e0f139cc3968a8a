//! States that compute or end without calling a service: Pass, Succeed, Fail.

use serde::Serialize;
use serde_json::Value;

use super::flow::{ResultPath, Transition};

/// A Pass state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Pass {
    /// What it does.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// The value it produces.
    pub parameters: Value,
    /// Where the value goes.
    #[serde(skip_serializing_if = "ResultPath::is_replace")]
    pub result_path: ResultPath,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// A Pass state in JSONata (`QueryLanguage: JSONata`): its output is `Output`, evaluated
/// against `$states.input`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JsonataPass {
    /// What it does.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// Always `JSONata`.
    pub query_language: &'static str,
    /// `{% expression %}` (or a JSON template holding such strings).
    pub output: Value,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}

/// Succeed (also used for named no-op endings).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Terminal {
    /// Why the execution ends here.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
}

/// Fail.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Fail {
    /// Error name (what a Catch matches).
    pub error: String,
    /// Human explanation.
    pub cause: String,
}
