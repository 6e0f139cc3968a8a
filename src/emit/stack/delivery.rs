//! The delivery state machines: the pager each topic's rule starts (of the spec's workflow
//! type) and the deliverer it starts per page (always Express), with their roles.

use super::iam;
use super::machines::{machine, role, TableAccess};
use super::names::{machine_arn, manage_connections_arn, topic_index_arn};
use super::parts::DeliveryParts;
use crate::emit::ir::cfn::Resources;
use crate::emit::ir::expr::{get_att, r#ref};
use crate::emit::ir::policy::allow;
use serde_json::json;

use crate::emit::flows::records::KEPT_PARTITION;
use crate::model::{Model, Workflow};

/// Adds both delivery machines and their roles.
pub fn resources(model: &Model, parts: DeliveryParts<'_>, r: &mut Resources) {
    r.insert(
        "DeliveryStateMachine".into(),
        machine(
            model,
            "delivery",
            model.workflow,
            "DeliveryStateMachineRole",
            parts.pager,
        ),
    );
    let record = || {
        allow(
            "RecordUndelivered",
            &["sqs:SendMessage"],
            vec![get_att("UndeliveredQueue", "Arn")],
        )
    };
    // Records SQS refuses are kept in the table, under their own partition only.
    let keep = || {
        let mut keep = allow(
            "KeepRecordsSqsRefused",
            &["dynamodb:PutItem"],
            vec![get_att("ConnectionsTable", "Arn")],
        );
        keep.condition = Some(json!({
            "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [KEPT_PARTITION] }
        }));
        keep
    };
    r.insert(
        "DeliveryStateMachineRole".into(),
        role(
            "delivery",
            "Assumed by the delivery pager",
            "page-subscribers",
            vec![
                allow(
                    "ReadSubscribers",
                    &["dynamodb:Query"],
                    vec![topic_index_arn()],
                ),
                // Its own ARN by name: a Ref to the machine would be a circular dependency.
                allow(
                    "StartDeliverers",
                    &["states:StartExecution"],
                    vec![r#ref("DelivererStateMachine"), machine_arn("delivery")],
                ),
                record(),
                keep(),
            ],
            TableAccess::Write,
            model,
        ),
    );
    r.insert(
        "DelivererStateMachine".into(),
        machine(
            model,
            "deliverer",
            Workflow::Express,
            "DelivererStateMachineRole",
            parts.deliverer,
        ),
    );
    let mut statements = vec![
        allow(
            "PostToConnections",
            &["execute-api:ManageConnections"],
            vec![manage_connections_arn(&model.stage)],
        ),
        allow(
            "ForgetGoneClients",
            &["states:StartExecution"],
            vec![r#ref("ConnectionsStateMachine")],
        ),
        record(),
        keep(),
    ];
    // Client patterns: TestEventPattern with `pattern_matching: eventbridge`, and for the
    // events the JSONata matcher leaves to EventBridge.
    if model.has_pattern_subscriptions() {
        statements.push(iam::test_event_pattern());
    }
    r.insert(
        "DelivererStateMachineRole".into(),
        role(
            "deliverer",
            "Assumed by the deliverer (one page of subscribers)",
            "deliver-events",
            statements,
            TableAccess::Write,
            model,
        ),
    );
}
