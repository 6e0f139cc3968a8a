//! The data plane: the connections table, the bus, one rule per subscribable topic (plus the
//! pattern-subscription rule), their dead-letter queue, and the role EventBridge assumes.

use serde_json::{json, Value};

use super::iam;
use super::names::{bus_name, kms_key_arn, physical};
use crate::emit::flows::delivery::PATTERN_PAGE_LIMIT;
use crate::emit::flows::tasks::TOPIC_INDEX;
use crate::emit::ir::cfn::{Resource, Resources};
use crate::emit::ir::expr::{get_att, r#ref, sub, Expr};
use crate::emit::ir::properties::*;
use crate::emit::ir::target::{DeadLetterConfig, InputTransformer, RetryPolicy, RuleTarget};
use crate::model::{Bus, Deliver, Model, PATTERN_PARTITION};

/// Adds the data plane. `delivery`: whether the delivery state machine exists (rules
/// target it).
pub fn resources(model: &Model, delivery: bool, r: &mut Resources) {
    r.insert("ConnectionsTable".into(), table(model));
    if let Bus::Created(suffix) = &model.bus {
        r.insert(
            "Bus".into(),
            Resource::new(Properties::EventBus(EventBus {
                name: physical(suffix),
                description: format!("{}: events pushed to WebSocket clients", model.name),
            }))
            // A bus holds no events (EventBridge passes them on): it goes with the stack.
            .keep("Delete"),
        );
    }
    if !delivery {
        return;
    }
    let dlq = model.dead_letter_queue;
    for rule in &model.rules {
        // The page size travels with the event: pattern pages carry patterns, so they are
        // smaller (see PATTERN_PAGE_LIMIT).
        let limit = if rule.partition == PATTERN_PARTITION {
            model.page_size.min(PATTERN_PAGE_LIMIT)
        } else {
            model.page_size
        };
        let target = RuleTarget {
            id: "delivery",
            arn: r#ref("DeliveryStateMachine"),
            role_arn: get_att("EventsRole", "Arn"),
            input_transformer: input_transformer(rule, limit),
            retry_policy: RetryPolicy {
                maximum_retry_attempts: model.retry_attempts,
                maximum_event_age_in_seconds: model.max_event_age,
            },
            dead_letter_config: dlq.then(|| DeadLetterConfig {
                arn: get_att("DeadLetterQueue", "Arn"),
            }),
        };
        r.insert(
            rule.id.clone(),
            Resource::new(Properties::Rule(Box::new(Rule {
                name: physical(&rule.name_suffix),
                description: rule.description.clone(),
                event_bus_name: bus_name(model),
                event_pattern: rule.pattern.clone(),
                targets: vec![target],
            }))),
        );
    }
    if dlq {
        // EventBridge cannot write to a queue encrypted with the AWS managed key alias/aws/sqs;
        // SQS-managed encryption works. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
        r.insert(
            "DeadLetterQueue".into(),
            super::undelivered::queue(
                "Encrypted at rest with SQS-managed SSE (SqsManagedSseEnabled); EventBridge cannot use the AWS managed key alias/aws/sqs",
            ),
        );
        r.insert(
            "DeadLetterQueuePolicy".into(),
            Resource::new(Properties::QueuePolicy(QueuePolicy {
                queues: vec![r#ref("DeadLetterQueue")],
                policy_document: dead_letter_policy(model),
            })),
        );
    }
    r.insert(
        "EventsRole".into(),
        Resource::new(Properties::Role(iam::role(
            "Assumed by EventBridge to start the delivery state machine".into(),
            "events.amazonaws.com",
            &iam::Source::Known(rule_arns(model)),
            "start-delivery".into(),
            vec![iam::start_execution("DeliveryStateMachine")],
        ))),
    );
}

/// Lets the stack's rules, and only them, send to the dead-letter queue: the rules of its bus
/// named after its `NamePrefix`, as the role EventBridge assumes trusts them (one ARN pattern
/// rather than one ARN per topic, which kept every topic 44 bytes bigger in the template).
fn dead_letter_policy(model: &Model) -> Value {
    let sources: Vec<Value> = rule_arns(model)
        .iter()
        .map(|arn| serde_json::to_value(arn).expect("expressions serialize"))
        .collect();
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "EventBridgeDeadLetters",
            "Effect": "Allow",
            "Principal": { "Service": "events.amazonaws.com" },
            "Action": "sqs:SendMessage",
            "Resource": { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] },
            "Condition": { "ArnLike": { "aws:SourceArn": sources } }
        }]
    })
}

fn table(model: &Model) -> Resource {
    let t = &model.table;
    let table = Resource::new(Properties::Table(Box::new(Table {
        table_name: physical("-connections"),
        billing_mode: "PAY_PER_REQUEST",
        attribute_definitions: ["connectionId", "sk", "topic"]
            .iter()
            .map(|a| json!({ "AttributeName": a, "AttributeType": "S" }))
            .collect(),
        key_schema: vec![
            json!({ "AttributeName": "connectionId", "KeyType": "HASH" }),
            json!({ "AttributeName": "sk", "KeyType": "RANGE" }),
        ],
        global_secondary_indexes: vec![json!({
            "IndexName": TOPIC_INDEX,
            "KeySchema": [
                { "AttributeName": "topic", "KeyType": "HASH" },
                { "AttributeName": "connectionId", "KeyType": "RANGE" }
            ],
            // Pattern subscriptions carry their pattern into the page (topic records have
            // none): no read per subscriber at delivery.
            "Projection": { "ProjectionType": "INCLUDE", "NonKeyAttributes": ["pattern"] }
        })],
        time_to_live_specification: json!({ "AttributeName": "expiresAt", "Enabled": true }),
        point_in_time_recovery_specification: t
            .point_in_time_recovery
            .then(|| json!({ "PointInTimeRecoveryEnabled": true })),
        // Backed-up records are worth protecting from a stray delete.
        deletion_protection_enabled: t.point_in_time_recovery.then_some(true),
        sse_specification: t.kms_key.as_ref().map(
            |k| json!({ "SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": kms_key_arn(k) }),
        ),
    })));
    let mut skips = Vec::new();
    if t.kms_key.is_none() {
        skips.push(("CKV_AWS_119", "No connections.kms_key in the spec: DynamoDB encrypts the table at rest with an AWS owned key"));
    }
    if !t.point_in_time_recovery {
        skips.push((
            "CKV_AWS_28",
            "Connection records are ephemeral (they expire with the connection TTL); set connections.point_in_time_recovery to back them up",
        ));
    }
    // Records expire within hours: nothing to keep, unless the spec asks for backups.
    table
        .keep(if t.point_in_time_recovery {
            "Retain"
        } else {
            "Delete"
        })
        .skip_checks(&skips)
}

/// The stack's rules by name (their `Arn` would be a circular reference from the role they
/// use): `rule/<bus>/<prefix>...` on a custom bus, `rule/<prefix>...` on the default bus.
fn rule_arns(model: &Model) -> Vec<Expr> {
    let bus = match &model.bus {
        Bus::Created(_) => "${Bus}/".to_owned(),
        Bus::Existing(b) => {
            let name = b.rsplit("event-bus/").next().unwrap_or(b);
            if name == "default" {
                String::new()
            } else {
                format!("{name}/")
            }
        }
    };
    vec![sub(format!(
        "arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{bus}${{NamePrefix}}*"
    ))]
}

/// The delivery pager's input: `{"topic", "limit", "event"}`, the event whole or summarised
/// (EventBridge writes each placeholder outside quotes as JSON).
fn input_transformer(rule: &crate::model::Rule, limit: u32) -> InputTransformer {
    let topic = serde_json::to_string(&rule.partition).expect("strings serialize");
    match rule.deliver {
        Deliver::Event => InputTransformer {
            input_paths_map: Vec::new(),
            input_template: format!("{{\"topic\": {topic}, \"limit\": {limit}, \"event\": <aws.events.event.json>}}"),
        },
        Deliver::Summary => InputTransformer {
            input_paths_map: vec![
                ("id", "$.id"), ("source", "$.source"), ("type", "$.detail-type"),
                ("time", "$.time"), ("detail", "$.detail"),
            ],
            input_template: format!("{{\"topic\": {topic}, \"limit\": {limit}, \"event\": {{\"id\": <id>, \"source\": <source>, \"detail-type\": <type>, \"time\": <time>, \"detail\": <detail>}}}}"),
        },
    }
}
