//! The state machines (definitions from `crate::emit::flows`), their roles, and their logs and traces.

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::iam;
use super::logs::log_group;
use super::names::{manage_connections_arn, table_arn, topic_index_arn, ENDPOINT};
use super::parts::Parts;
use crate::emit::flows::tasks::INTEGRATIONS;
use crate::emit::ir::cfn::{Resource, Resources};
use crate::emit::ir::expr::{get_att, r#ref, sub, Expr};
use crate::emit::ir::policy::{allow, Statement};
use crate::emit::ir::properties::*;
use crate::model::{Model, Workflow};

/// Only the `${Name}` placeholders a definition uses, so none is left dangling or unused.
fn substitutions(definition: &Value) -> IndexMap<&'static str, Expr> {
    let text = definition.to_string();
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
        ])
        .filter(|(name, _)| text.contains(&format!("${{{name}}}")))
        .collect()
}

fn machine(model: &Model, suffix: &str, role: &str, definition: &Value) -> Resource {
    let o = &model.observability;
    Resource::new(Properties::StateMachine(Box::new(StateMachine {
            state_machine_name: format!("{}-{suffix}", model.name),
            state_machine_type: match model.workflow {
                Workflow::Express => "EXPRESS",
                Workflow::Standard => "STANDARD",
            },
            role_arn: get_att(role, "Arn"),
            definition: definition.clone(),
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
fn common_statements(model: &Model) -> Vec<Statement> {
    let mut s = Vec::new();
    if let Some(key) = &model.table.kms_key {
        s.push(iam::table_key(key));
    }
    if model.observability.workflow_logs.is_some() {
        s.push(iam::log_delivery());
    }
    if model.observability.tracing {
        s.push(iam::xray());
    }
    s
}

fn role(
    description: &str,
    policy: &str,
    mut statements: Vec<Statement>,
    model: &Model,
) -> Resource {
    statements.extend(common_statements(model));
    Resource::new(Properties::Role(iam::role(
        description.into(),
        "states.amazonaws.com",
        policy.into(),
        statements,
    )))
}

/// Adds the state machines, their roles and their log group.
pub fn resources(model: &Model, parts: &Parts<'_>, r: &mut Resources) {
    if model.observability.workflow_logs.is_some()
        && (parts.connections.is_some() || parts.delivery.is_some())
    {
        r.insert("WorkflowLogs".into(), log_group(model));
    }
    if let Some(delivery) = parts.delivery {
        r.insert(
            "DeliveryStateMachine".into(),
            machine(model, "delivery", "DeliveryStateMachineRole", delivery),
        );
        let mut statements = vec![
            allow(
                "ReadSubscribers",
                &["dynamodb:Query"],
                vec![table_arn(), topic_index_arn()],
            ),
            allow(
                "RemoveStaleConnections",
                &["dynamodb:DeleteItem"],
                vec![table_arn()],
            ),
            allow(
                "PostToConnections",
                &["execute-api:ManageConnections"],
                vec![manage_connections_arn(&model.stage)],
            ),
        ];
        if model.has_pattern_subscriptions() {
            statements.push(allow(
                "ReadPatterns",
                &["dynamodb:GetItem"],
                vec![table_arn()],
            ));
            statements.push(iam::test_event_pattern());
        }
        r.insert(
            "DeliveryStateMachineRole".into(),
            role(
                "Assumed by the delivery state machine",
                "deliver-events",
                statements,
                model,
            ),
        );
    }
    if let Some(connections) = parts.connections {
        r.insert(
            "ConnectionsStateMachine".into(),
            machine(
                model,
                "connections",
                "ConnectionsStateMachineRole",
                connections,
            ),
        );
        let mut statements = vec![allow(
            "StoreConnections",
            &["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"],
            vec![table_arn()],
        )];
        if model.posts_replies() {
            statements.push(allow(
                "ReplyToClients",
                &["execute-api:ManageConnections"],
                vec![manage_connections_arn(&model.stage)],
            ));
        }
        if model.has_pattern_subscriptions() {
            statements.push(iam::test_event_pattern());
        }
        r.insert(
            "ConnectionsStateMachineRole".into(),
            role(
                "Assumed by the connections state machine",
                "manage-connections",
                statements,
                model,
            ),
        );
    }
}
