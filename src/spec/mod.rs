//! The typed spec (format v1): exactly the keys the schema allows, deserialized with serde.
//!
//! Optional keys stay `Option` here; defaults are decided by [`crate::analysis`], which
//! turns a `Spec` into a validated [`crate::model::Model`].

mod duration;
mod route;
mod throttle;

use std::sync::Arc;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

pub(crate) use duration::Duration;
pub(crate) use route::{Action, Route};
pub(crate) use throttle::StageThrottling;
pub use throttle::Throttle;

/// A whole spec file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Spec {
    /// Format version: 1 (the schema admits nothing else; serde must still accept the key).
    #[allow(dead_code)]
    pub version: u32,
    /// Application name: prefixes physical names.
    pub name: String,
    /// Free text for the template's Description.
    pub description: Option<String>,
    /// The WebSocket API.
    #[serde(default)]
    pub api: Api,
    /// Connection storage.
    #[serde(default)]
    pub connections: Connections,
    /// The event bus.
    pub bus: Option<Bus>,
    /// Named event patterns, in spec order.
    pub topics: IndexMap<String, Topic>,
    /// Delivery settings.
    #[serde(default)]
    pub delivery: Delivery,
    /// Logs and traces.
    #[serde(default)]
    pub observability: Observability,
    /// Warning codes the spec acknowledges as deliberate.
    #[serde(default)]
    pub acknowledge: Vec<String>,
}

/// `api:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Api {
    /// Stage name.
    pub stage: Option<String>,
    /// Route selection expression.
    pub route_selection: Option<String>,
    /// Route key → route, in spec order.
    pub routes: Option<IndexMap<String, Route>>,
    /// Who may connect.
    pub auth: Option<Auth>,
    /// Whether connecting needs an API key.
    pub api_key: Option<ApiKey>,
    /// Usage plan (with API keys).
    pub usage_plan: Option<UsagePlan>,
    /// Stage default throttling (`off`: none).
    pub throttling: Option<StageThrottling>,
}

/// `api.auth`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// Anyone with the URL.
    #[default]
    None,
    /// SigV4-signed upgrade requests (AWS_IAM on `$connect`).
    Iam,
}

/// `api.api_key`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ApiKey {
    /// No key needed.
    #[default]
    None,
    /// A key (header `x-api-key`) is needed to connect.
    Required,
}

/// `api.usage_plan`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UsagePlan {
    /// Requests per period per key.
    pub quota: Option<Quota>,
    /// Rate and burst per key.
    pub throttle: Option<Throttle>,
    /// API keys to create.
    #[serde(default)]
    pub keys: Vec<String>,
}

/// `api.usage_plan.quota`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Quota {
    /// Requests per period.
    pub limit: u64,
    /// `day`, `week` or `month`.
    pub period: String,
}

/// `observability:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Observability {
    /// Stage access logs.
    #[serde(default)]
    pub access_logs: bool,
    /// API Gateway execution logging level.
    pub execution_logs: Option<String>,
    /// Create the account-level API Gateway CloudWatch role.
    #[serde(default)]
    pub api_gateway_account_role: bool,
    /// Step Functions logging level.
    pub workflow_logs: Option<String>,
    /// Log inputs and outputs.
    #[serde(default)]
    pub include_execution_data: bool,
    /// X-Ray tracing.
    #[serde(default)]
    pub tracing: bool,
    /// Log retention in days.
    pub log_retention: Option<u32>,
    /// KMS key for log groups.
    pub log_kms_key: Option<String>,
    /// Email address notified by the delivery alarms.
    pub alarm_email: Option<String>,
    /// SNS topic (name or ARN) notified by the delivery alarms.
    pub alarm_topic: Option<String>,
}

/// `connections:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Connections {
    /// How long records live.
    pub ttl: Option<Duration>,
    /// DynamoDB point-in-time recovery.
    #[serde(default)]
    pub point_in_time_recovery: bool,
    /// Customer managed KMS key for the table.
    pub kms_key: Option<String>,
}

/// `bus:`: exactly one of the two keys (the schema enforces it).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Bus {
    /// A bus the stack creates.
    pub name: Option<String>,
    /// An existing bus: name or ARN.
    pub existing: Option<String>,
}

/// `topics.<name>:`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Topic {
    /// Free text for the rule's Description.
    pub description: Option<String>,
    /// The EventBridge pattern (shared with the model and the template: it is never copied).
    pub pattern: Arc<Value>,
    /// Example events the pattern must match or ignore.
    pub examples: Option<Examples>,
    /// What subscribers receive of each event.
    pub deliver: Option<Deliver>,
}

/// `topics.<name>.deliver`: what subscribers receive of each event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deliver {
    /// The whole event, `account`, `region` and `resources` included.
    #[default]
    Event,
    /// `id`, `source`, `detail-type`, `time` and `detail` only.
    Summary,
}

/// `topics.<name>.examples:`. Each item is an inline event or a path to a JSON file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Examples {
    /// Events the pattern must match.
    #[serde(default)]
    pub matches: Vec<Value>,
    /// Events the pattern must not match.
    #[serde(default)]
    pub ignores: Vec<Value>,
}

/// `delivery:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Delivery {
    /// `express` or `standard`.
    pub workflow: Option<Workflow>,
    /// Map MaxConcurrency.
    pub concurrency: Option<u32>,
    /// DynamoDB Query page size.
    pub page_size: Option<u32>,
    /// EventBridge retry policy.
    pub retry: Option<Retry>,
    /// SQS dead-letter queue on every rule target.
    pub dead_letter_queue: Option<bool>,
    /// Where client patterns are matched.
    pub pattern_matching: Option<PatternMatching>,
}

/// `delivery.pattern_matching`: who decides whether a client's own pattern matches an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatternMatching {
    /// A JSONata matcher inside the delivery workflow: no API call per subscriber.
    #[default]
    Workflow,
    /// EventBridge's `TestEventPattern`, once per pattern subscriber per event.
    Eventbridge,
}

/// Step Functions workflow type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workflow {
    /// Express: cheap, fast, at-least-once.
    #[default]
    Express,
    /// Standard: exactly-once, with execution history.
    Standard,
}

/// `delivery.retry:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Retry {
    /// Maximum retry attempts.
    pub attempts: Option<u32>,
    /// Maximum event age.
    pub max_age: Option<Duration>,
}
