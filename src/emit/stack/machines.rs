//! A state machine resource and its role: definition with its substitutions, type, logs,
//! traces, and the statements every role needs. The machines themselves are added by
//! [`super::connections`] and [`super::delivery`].

use indexmap::IndexMap;
use serde_json::json;

use super::iam;
use super::names::{machine_arn, physical, ENDPOINT};
use crate::emit::flows::tasks::INTEGRATIONS;
use crate::emit::ir::cfn::{Resource, Resources};
use crate::emit::ir::expr::{get_att, r#ref, sub, Expr};
use crate::emit::ir::policy::{PolicyDocument, Statement};
use crate::emit::ir::properties::*;
use crate::model::{Model, Workflow};

/// Only the `${Name}` placeholders a definition uses, so none is left dangling or unused.
fn substitutions(text: &str) -> IndexMap<&'static str, Expr> {
    let used = placeholders(text);
    let integrations = INTEGRATIONS.iter().map(|(name, integration)| {
        (
            *name,
            sub(format!("arn:${{AWS::Partition}}:states:::{integration}")),
        )
    });
    integrations
        .chain([
            ("Region", r#ref("AWS::Region")),
            ("AccountId", r#ref("AWS::AccountId")),
            ("ConnectionsTable", r#ref("ConnectionsTable")),
            ("ApiEndpoint", sub(ENDPOINT)),
            ("DelivererArn", r#ref("DelivererStateMachine")),
            ("ConnectionsArn", r#ref("ConnectionsStateMachine")),
            ("UndeliveredQueueUrl", r#ref("UndeliveredQueue")),
        ])
        .filter(|(name, _)| used.contains(name))
        .collect()
}

/// The names of the `${Name}` placeholders in `text`, found in one pass.
fn placeholders(text: &str) -> std::collections::HashSet<&str> {
    text.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// A state machine named `<name>-<suffix>`, of type `workflow`, assuming `role`, running
/// `definition` (compact JSON).
pub fn machine(
    model: &Model,
    suffix: &str,
    workflow: Workflow,
    role: &str,
    definition: &str,
) -> Resource {
    let o = &model.observability;
    Resource::new(Properties::StateMachine(Box::new(StateMachine {
            state_machine_name: physical(&format!("-{suffix}")),
            state_machine_type: match workflow {
                Workflow::Express => "EXPRESS",
                Workflow::Standard => "STANDARD",
            },
            role_arn: get_att(role, "Arn"),
            definition_string: definition.to_owned(),
            definition_substitutions: substitutions(definition),
            logging_configuration: o.workflow_logs.map(|level| {
                json!({
                    "Level": level,
                    "IncludeExecutionData": o.include_execution_data,
                    // GetAtt Arn of a log group ends with `:*`, as Step Functions requires.
                    "Destinations": [{ "CloudWatchLogsLogGroup": { "LogGroupArn": { "Fn::GetAtt": ["WorkflowLogs", "Arn"] } } }]
                })
            }),
            tracing_configuration: o.tracing.then(|| json!({ "Enabled": true })),
        })),
    )
}

/// Statements every state machine role needs for logs, traces and the table's key.
/// The statements of the telemetry policy every state machine role shares: log delivery and
/// tracing (the same for every machine, so written once).
fn telemetry_statements(model: &Model) -> Vec<Statement> {
    let mut s = Vec::new();
    if model.observability.workflow_logs.is_some() {
        s.push(iam::log_delivery());
    }
    if model.observability.tracing {
        s.push(iam::xray());
    }
    s
}

/// Adds `WorkflowTelemetryPolicy`, the managed policy the state machine roles share, when the
/// spec asks for logs or traces.
pub fn telemetry_policy(model: &Model, r: &mut Resources) {
    let statements = telemetry_statements(model);
    if !statements.is_empty() {
        r.insert(
            TELEMETRY_POLICY.into(),
            Resource::new(Properties::ManagedPolicy(ManagedPolicy {
                description: "Log delivery and tracing for the stack's state machines".into(),
                policy_document: PolicyDocument::new(statements),
            })),
        );
    }
}

/// Logical ID of the shared telemetry policy.
const TELEMETRY_POLICY: &str = "WorkflowTelemetryPolicy";

/// How a state machine role uses the table's customer managed key, if there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableAccess {
    /// Reads only: decrypt.
    Read,
    /// Reads and writes.
    Write,
}

/// The role the state machine `<prefix>-<suffix>` assumes: `statements`, the table key as
/// `table` needs it, and the shared telemetry policy.
pub fn role(
    suffix: &str,
    description: &str,
    policy: &str,
    mut statements: Vec<Statement>,
    table: TableAccess,
    model: &Model,
) -> Resource {
    if let Some(key) = &model.table.kms_key {
        statements.push(iam::table_key(key, table == TableAccess::Write));
    }
    let machine = machine_arn(suffix);
    // Standard executions are `execution:<machine>:<name>`, Express ones `express:<machine>:...`.
    let executions = sub(format!(
        "arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:*:${{NamePrefix}}-{suffix}:*"
    ));
    let mut role = iam::role(
        description.into(),
        "states.amazonaws.com",
        &iam::Source::Known(vec![machine, executions]),
        policy.into(),
        statements,
    );
    if !telemetry_statements(model).is_empty() {
        role.managed_policy_arns = vec![r#ref(TELEMETRY_POLICY)];
    }
    Resource::new(Properties::Role(role))
}
