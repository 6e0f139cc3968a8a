//! The typed spec (format v1): exactly the keys the schema allows, deserialized with serde.
//!
//! Optional keys stay `Option` here; defaults are decided by [`crate::analysis`], which
//! turns a `Spec` into a validated [`crate::model::Model`].

mod duration;
mod route;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

pub use duration::Duration;
pub use route::{Action, Route};

/// A whole spec file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Format version: 1.
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
}

/// `api:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Stage name.
    pub stage: Option<String>,
    /// Route selection expression.
    pub route_selection: Option<String>,
    /// Route key → route, in spec order.
    pub routes: Option<IndexMap<String, Route>>,
}

/// `connections:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connections {
    /// How long records live.
    pub ttl: Option<Duration>,
}

/// `bus:`: exactly one of the two keys (the schema enforces it).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bus {
    /// A bus the stack creates.
    pub name: Option<String>,
    /// An existing bus: name or ARN.
    pub existing: Option<String>,
}

/// `topics.<name>:`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Free text for the rule's Description.
    pub description: Option<String>,
    /// The EventBridge pattern.
    pub pattern: Value,
    /// Example events the pattern must match or ignore.
    pub examples: Option<Examples>,
}

/// `topics.<name>.examples:`. Each item is an inline event or a path to a JSON file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
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
pub struct Delivery {
    /// `express` or `standard`.
    pub workflow: Option<Workflow>,
    /// Map MaxConcurrency.
    pub concurrency: Option<u32>,
    /// DynamoDB Query page size.
    pub page_size: Option<u32>,
    /// EventBridge retry policy.
    pub retry: Option<Retry>,
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
pub struct Retry {
    /// Maximum retry attempts.
    pub attempts: Option<u32>,
    /// Maximum event age.
    pub max_age: Option<Duration>,
}
