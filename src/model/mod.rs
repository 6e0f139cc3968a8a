//! The validated, fully resolved application: every default applied, every name checked.
//!
//! Only [`crate::analysis::analyze`] builds a `Model`, so holding one proves the spec is
//! valid; the emitters take it and cannot fail.

use std::sync::Arc;

use serde_json::Value;

pub mod protocol;
mod route;
pub mod timing;

pub use crate::spec::{Auth, Deliver, PatternMatching, Throttle, Workflow};
pub use route::{MachineInput, Reply, Route, RouteKind, Target};

/// A valid application, ready to emit.
#[derive(Clone, Debug)]
pub struct Model {
    /// Application name (prefix of physical names).
    pub name: String,
    /// Template Description.
    pub description: String,
    /// Stage name.
    pub stage: String,
    /// Route selection expression.
    pub route_selection: String,
    /// Routes in spec order.
    pub routes: Vec<Route>,
    /// Seconds a connection's records live.
    pub ttl_seconds: u64,
    /// The event bus.
    pub bus: Bus,
    /// Topics in spec order.
    pub topics: Vec<Topic>,
    /// EventBridge rules to create, in order: one per subscribable topic, then the
    /// pattern-subscription rule if any route subscribes `from-message`.
    pub rules: Vec<Rule>,
    /// Workflow type of the connections machine and the delivery pager (deliverers are
    /// always Express).
    pub workflow: Workflow,
    /// Who matches pattern subscribers' own patterns.
    pub pattern_matching: PatternMatching,
    /// Map MaxConcurrency for fan-out.
    pub concurrency: u32,
    /// DynamoDB Query page size.
    pub page_size: u32,
    /// EventBridge target retry attempts.
    pub retry_attempts: u32,
    /// EventBridge target maximum event age, seconds.
    pub max_event_age: u64,
    /// Who may connect, and how requests are metered.
    pub access: Access,
    /// Logs and traces.
    pub observability: Observability,
    /// Data protection of the connections table.
    pub table: TableProtection,
    /// Whether every rule target has an SQS dead-letter queue.
    pub dead_letter_queue: bool,
    /// Warnings the spec acknowledges (`acknowledge:`): reported as notes.
    pub acknowledged: Vec<crate::diagnostic::Code>,
}

/// Who may connect and how requests are metered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
    /// `none` or `iam` on `$connect`.
    pub auth: Auth,
    /// The usage plan, when API keys are required.
    pub api_keys: Option<UsagePlan>,
    /// Stage default throttling.
    pub throttling: Option<Throttle>,
}

/// A usage plan bound to the stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UsagePlan {
    /// (limit, `DAY`|`WEEK`|`MONTH`).
    pub quota: Option<(u64, &'static str)>,
    /// Per-key throttling.
    pub throttle: Option<Throttle>,
    /// API keys to create, by name.
    pub keys: Vec<String>,
}

/// Logs and traces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observability {
    /// Stage access logs.
    pub access_logs: bool,
    /// API Gateway execution logging: `ERROR` or `INFO`.
    pub execution_logs: Option<&'static str>,
    /// Create the account-level API Gateway CloudWatch role.
    pub account_role: bool,
    /// Step Functions logging level: `FATAL`, `ERROR` or `ALL`.
    pub workflow_logs: Option<&'static str>,
    /// Log execution inputs and outputs.
    pub include_execution_data: bool,
    /// X-Ray tracing of the state machines.
    pub tracing: bool,
    /// Log group retention, days.
    pub log_retention_days: u32,
    /// KMS key ARN for log groups.
    pub log_kms_key: Option<String>,
    /// Who the delivery alarms notify, if anyone.
    pub alarm_notify: Option<AlarmNotify>,
}

/// Who the delivery alarms notify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlarmNotify {
    /// A new SNS topic with this email subscription.
    Email(String),
    /// An existing SNS topic, by name (this account and region) or ARN.
    Topic(String),
}

/// Data protection of the connections table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableProtection {
    /// Point-in-time recovery.
    pub point_in_time_recovery: bool,
    /// Customer managed KMS key ARN.
    pub kms_key: Option<String>,
}

/// The event bus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bus {
    /// Created by the stack, named the name prefix followed by this suffix (empty, or
    /// `-<bus.name>`).
    Created(String),
    /// Already exists: a name or an ARN.
    Existing(String),
}

/// A named event pattern.
#[derive(Clone, Debug)]
pub struct Topic {
    /// Topic name.
    pub name: String,
    /// Rule description.
    pub description: Option<String>,
    /// The EventBridge pattern (validated), shared with the spec and the rule.
    pub pattern: Arc<Value>,
    /// What subscribers receive of each event.
    pub deliver: Deliver,
}

/// One EventBridge rule targeting the delivery state machine.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Logical ID (`TopicOrdersRule`, `PatternSubscriptionsRule`).
    pub id: String,
    /// What follows the name prefix in the physical rule name (`-orders`, `.patterns`); with
    /// the spec's name it is at most 64 characters.
    pub name_suffix: String,
    /// Rule description (the topic's, if the spec gives one).
    pub description: Option<String>,
    /// The event pattern, shared with the topic and the template.
    pub pattern: Arc<Value>,
    /// Subscription partition the delivery machine reads: the topic name, or
    /// [`PATTERN_PARTITION`] for client-sent patterns.
    pub partition: String,
    /// What subscribers receive of each event (the pattern rule always passes whole events:
    /// client patterns may test any field).
    pub deliver: Deliver,
}

/// The DynamoDB `topic` value under which client-sent patterns are stored. Topic names are
/// `[a-z][a-z0-9-]*`, so it can never clash with one.
pub const PATTERN_PARTITION: &str = "*";

impl Model {
    /// Whether some route subscribes with a client-sent pattern.
    pub fn has_pattern_subscriptions(&self) -> bool {
        self.routes
            .iter()
            .any(|r| r.kind == RouteKind::SubscribePattern)
    }

    /// Whether the deliverer matches client patterns itself, with the JSONata matcher.
    pub fn matches_in_workflow(&self) -> bool {
        self.has_pattern_subscriptions() && self.pattern_matching == PatternMatching::Workflow
    }

    /// Whether some route publishes to the bus.
    pub fn has_publish(&self) -> bool {
        self.routes.iter().any(|r| r.kind.target() == Target::Bus)
    }

    /// Whether some route starts the connections state machine.
    pub fn has_connections_machine(&self) -> bool {
        self.routes
            .iter()
            .any(|r| r.kind.target() == Target::ConnectionsMachine)
    }

    /// Whether the connections machine posts replies to clients (some route answers that way).
    pub fn posts_replies(&self) -> bool {
        self.routes.iter().any(|r| r.kind.reply() == Reply::Posted)
    }

    /// The route with this action, if any.
    pub fn route(&self, pred: impl Fn(&RouteKind) -> bool) -> Option<&Route> {
        self.routes.iter().find(|r| pred(&r.kind))
    }
}
