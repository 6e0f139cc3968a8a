//! The Task state: a call to an AWS service integration.

use serde::Serialize;
use serde_json::Value;

use super::flow::{Catch, ResultPath, Retry, Transition};

/// A Task state.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Task {
    /// What it does.
    // Documents the state in the source; not emitted (template size).
    #[serde(skip)]
    pub comment: Option<String>,
    /// Service integration ARN.
    pub resource: String,
    /// Request.
    pub parameters: Value,
    /// Shapes the raw result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_selector: Option<Value>,
    /// Where the result goes.
    #[serde(skip_serializing_if = "ResultPath::is_replace")]
    pub result_path: ResultPath,
    /// Retriers, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retry: Vec<Retry>,
    /// Catchers, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub catch: Vec<Catch>,
    /// How long one attempt may take before it fails with `States.Timeout` (without it, a
    /// call that never answers holds the execution until the machine's own timeout, which
    /// nothing can catch).
    pub timeout_seconds: u32,
    /// Next or End.
    #[serde(flatten)]
    pub transition: Transition,
}
