//! An EventBridge rule's target (`AWS::Events::Rule` `Targets` item), typed: a stack has
//! one rule per topic, so building these as JSON trees cost a measurable share of a build.

// Each field is a CloudFormation property of the same name, documented by AWS.
#![allow(missing_docs)]

use serde::Serialize;

use super::expr::Expr;

/// One target of a rule.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuleTarget {
    pub id: &'static str,
    pub arn: Expr,
    pub role_arn: Expr,
    pub input_transformer: InputTransformer,
    pub retry_policy: RetryPolicy,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter_config: Option<DeadLetterConfig>,
}

/// What the target receives, built from the event.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InputTransformer {
    /// Placeholder name → JSONPath into the event, in order.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "pairs")]
    pub input_paths_map: Vec<(&'static str, &'static str)>,
    pub input_template: String,
}

/// How long and how often EventBridge retries the target.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RetryPolicy {
    pub maximum_retry_attempts: u32,
    pub maximum_event_age_in_seconds: u64,
}

/// Where events go that the target never accepted.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeadLetterConfig {
    pub arn: Expr,
}

/// `[(k, v)]` as a JSON object, in order.
fn pairs<S: serde::Serializer>(
    pairs: &[(&'static str, &'static str)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().copied())
}
