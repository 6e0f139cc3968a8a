//! Assembles the CloudFormation template: the API ([`super::api`]), the data plane
//! ([`super::data`]) and the state machines ([`super::machines`]), then the outputs.

use indexmap::IndexMap;
use serde_json::json;

use super::logs::log_group;
use super::names::{bus_arn, bus_name, name_prefix_max_length, ENDPOINT, NAME_PREFIX};
use super::parts::Parts;
use crate::emit::ir::cfn::{Output, Parameter, Resources, Template};
use crate::emit::ir::expr::{get_att, r#ref, sub, Expr};
use crate::model::{Auth, Model};

/// The whole template.
pub fn template(model: &Model, parts: &Parts<'_>) -> Template {
    let mut r = Resources::new();
    super::api::resources(model, parts, &mut r);
    super::data::resources(model, parts.delivery.is_some(), &mut r);
    if model.observability.workflow_logs.is_some()
        && (parts.connections.is_some() || parts.delivery.is_some())
    {
        r.insert("WorkflowLogs".into(), log_group(model));
    }
    super::machines::telemetry_policy(model, &mut r);
    if let Some(delivery) = parts.delivery {
        super::delivery::resources(model, delivery, &mut r);
        super::undelivered::resources(model, &mut r);
    }
    if let Some(connections) = parts.connections {
        super::connections::resources(model, connections, &mut r);
    }
    let account_note = if model.observability.account_role {
        " Creates the account-level API Gateway CloudWatch role (AWS::ApiGateway::Account, one per account and region), as the spec asks: deploy it in one stack only."
    } else {
        ""
    };
    Template {
        format_version: "2010-09-09",
        description: format!("{}{account_note}", model.description),
        metadata: json!({ "Generator": { "Name": "lambdaless-gen", "Version": env!("CARGO_PKG_VERSION"), "Spec": model.name } }),
        parameters: parameters(model),
        outputs: outputs(model, parts, &r),
        resources: r,
    }
}

/// `NamePrefix`: every physical name starts with it, so one template deploys many times.
fn parameters(model: &Model) -> IndexMap<String, Parameter> {
    let max = name_prefix_max_length(model);
    IndexMap::from([(
        NAME_PREFIX.to_owned(),
        Parameter {
            kind: "String",
            description:
                "Starts every physical name: one value per deployment in an account and region"
                    .to_owned(),
            default: model.name.clone(),
            allowed_pattern: "^[a-z][a-z0-9-]*$",
            min_length: 1,
            max_length: max,
            constraint_description: format!("[a-z][a-z0-9-]*, at most {max} characters"),
        },
    )])
}

fn outputs(model: &Model, parts: &Parts<'_>, r: &Resources) -> IndexMap<String, Output> {
    let out = |d: &str, v: Expr| Output {
        description: d.to_owned(),
        value: v,
    };
    let mut o = IndexMap::new();
    o.insert(
        "WebSocketUrl".into(),
        out(
            "Clients connect here",
            sub(format!("wss://{ENDPOINT}/{}", model.stage)),
        ),
    );
    if model.access.auth == Auth::Iam {
        o.insert(
            "ConnectExecuteApiArn".into(),
            out(
                "Grant execute-api:Invoke on this to the clients that may connect",
                sub(format!(
                    "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/{}/$connect",
                    model.stage
                )),
            ),
        );
    }
    o.insert(
        "CallbackUrl".into(),
        out(
            "POST here to send to a connection (@connections API)",
            sub(format!("https://{ENDPOINT}/{}/@connections", model.stage)),
        ),
    );
    o.insert(
        "EventBusName".into(),
        out("Put events on this bus", bus_name(model)),
    );
    o.insert(
        "EventBusArn".into(),
        out("ARN of the event bus", bus_arn(model)),
    );
    o.insert(
        "ConnectionsTableName".into(),
        out(
            "DynamoDB table of connections and subscriptions",
            r#ref("ConnectionsTable"),
        ),
    );
    if parts.connections.is_some() {
        o.insert(
            "ConnectionsStateMachineArn".into(),
            out(
                "Runs connect, disconnect, subscribe and unsubscribe",
                r#ref("ConnectionsStateMachine"),
            ),
        );
    }
    if parts.delivery.is_some() {
        o.insert(
            "DeliveryStateMachineArn".into(),
            out(
                "Pages each event's subscribers (started by the topics' rules)",
                r#ref("DeliveryStateMachine"),
            ),
        );
        o.insert(
            "DelivererStateMachineArn".into(),
            out(
                "Delivers an event to one page of subscribers",
                r#ref("DelivererStateMachine"),
            ),
        );
        o.insert(
            "UndeliveredQueueUrl".into(),
            out(
                "Records of undelivered work (inspect and replay: see the README)",
                r#ref("UndeliveredQueue"),
            ),
        );
    }
    if r.contains_key("DeadLetterQueue") {
        o.insert(
            "DeadLetterQueueUrl".into(),
            out(
                "Events EventBridge could not hand to the delivery workflow",
                r#ref("DeadLetterQueue"),
            ),
        );
        o.insert(
            "DeadLetterQueueArn".into(),
            out(
                "ARN of the dead-letter queue",
                get_att("DeadLetterQueue", "Arn"),
            ),
        );
    }
    if r.contains_key("UsagePlan") {
        o.insert(
            "UsagePlanId".into(),
            out(
                "Usage plan metering API keys on the stage",
                r#ref("UsagePlan"),
            ),
        );
    }
    for (id, res) in r {
        if res.kind() == "AWS::ApiGateway::ApiKey" {
            o.insert(
                format!("{id}Id"),
                out(
                    "API key ID (value: aws apigateway get-api-key --include-value --api-key ID)",
                    r#ref(id),
                ),
            );
        }
    }
    for (id, what) in [
        ("AccessLogs", "Stage access logs"),
        ("WorkflowLogs", "State machine logs"),
    ] {
        if r.contains_key(id) {
            o.insert(format!("{id}Group"), out(what, r#ref(id)));
        }
    }
    o
}
