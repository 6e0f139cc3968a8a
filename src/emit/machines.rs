//! The state machines (definitions from [`super::connections_machine`] and
//! [`super::delivery_machine`]), their roles, and their logs and traces.

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::cfn::{get_att, r#ref, sub, Expr, Resource};
use super::iam::{self, allow, Statement};
use super::resources::*;
use super::template::{log_group, Parts, Resources, ENDPOINT};
use crate::model::{Model, RouteKind, Workflow};

/// Only the `${Name}` placeholders a definition uses, so none is left dangling or unused.
fn substitutions(definition: &Value) -> IndexMap<&'static str, Expr> {
    let text = definition.to_string();
    let integrations = super::tasks::INTEGRATIONS
        .iter()
        .map(|(name, integration)| {
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
    Resource::new(
        "AWS::StepFunctions::StateMachine",
        Properties::StateMachine(Box::new(StateMachine {
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
    Resource::new(
        "AWS::IAM::Role",
        Properties::Role(iam::role(
            description.into(),
            "states.amazonaws.com",
            policy.into(),
            statements,
        )),
    )
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
                vec![iam::table_arn(), iam::topic_index_arn()],
            ),
            allow(
                "RemoveStaleConnections",
                &["dynamodb:DeleteItem"],
                vec![iam::table_arn()],
            ),
            allow(
                "PostToConnections",
                &["execute-api:ManageConnections"],
                vec![iam::manage_connections_arn(&model.stage)],
            ),
        ];
        if model.has_pattern_subscriptions() {
            statements.push(allow(
                "ReadPatterns",
                &["dynamodb:GetItem"],
                vec![iam::table_arn()],
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
            vec![iam::table_arn()],
        )];
        let replies = model.routes.iter().any(|r| {
            matches!(
                r.kind,
                RouteKind::SubscribeTopics { .. }
                    | RouteKind::SubscribePattern
                    | RouteKind::Unsubscribe
            )
        });
        if replies {
            statements.push(allow(
                "ReplyToClients",
                &["execute-api:ManageConnections"],
                vec![iam::manage_connections_arn(&model.stage)],
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
