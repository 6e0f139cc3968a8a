//! The connections state machine and its role.

use super::machines::{machine, role, TableAccess};
use super::names::{manage_connections_arn, table_arn};
use crate::emit::ir::cfn::Resources;
use crate::emit::ir::policy::allow;
use crate::model::Model;

/// Adds the connections state machine (`definition`) and its role.
pub fn resources(model: &Model, definition: &str, r: &mut Resources) {
    r.insert(
        "ConnectionsStateMachine".into(),
        machine(
            model,
            "connections",
            model.workflow,
            "ConnectionsStateMachineRole",
            definition,
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
        // Subscribe-time validation: EventBridge's own validator, once per subscribe.
        statements.push(super::iam::test_event_pattern());
    }
    r.insert(
        "ConnectionsStateMachineRole".into(),
        role(
            "connections",
            "Assumed by the connections state machine",
            "manage-connections",
            statements,
            TableAccess::Write,
            model,
        ),
    );
}
