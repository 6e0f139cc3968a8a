//! The queue of undelivered work and the alarms that say something went wrong: its depth,
//! the dead-letter queue's depth, and failed delivery executions; optionally notified by
//! email (a new SNS topic) or an existing topic.

use super::names::physical;
use crate::emit::ir::cfn::{Resource, Resources};
use crate::emit::ir::expr::{get_att, lit, r#ref, sub, Expr};
use crate::emit::ir::properties::*;
use crate::model::{AlarmNotify, Model};

/// Records are kept 14 days, SQS's maximum.
const RETENTION_SECONDS: u32 = 1_209_600;

/// An encrypted queue kept 14 days (SQS-managed keys: see the skip's reason).
pub fn queue(why: &str) -> Resource {
    Resource::new(Properties::Queue(Queue {
        message_retention_period: RETENTION_SECONDS,
        sqs_managed_sse_enabled: true,
    }))
    .keep("Delete")
    .skip_checks(&[("CKV_AWS_27", why)])
}

/// Adds the queue of undelivered work, the alarms, and their notification topic.
pub fn resources(model: &Model, r: &mut Resources) {
    r.insert(
        "UndeliveredQueue".into(),
        queue("Encrypted at rest with SQS-managed SSE (SqsManagedSseEnabled), which the state machines can use without a KMS key policy"),
    );
    let actions = notify(model, r);
    let depth = |queue: &str, what: &str| {
        alarm(
            what,
            ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum"),
            ("QueueName", get_att(queue, "QueueName")),
            actions.clone(),
        )
    };
    r.insert(
        "UndeliveredAlarm".into(),
        depth(
            "UndeliveredQueue",
            "Events some subscribers did not receive are waiting in the queue of undelivered work",
        ),
    );
    if model.dead_letter_queue {
        r.insert(
            "DeadLetterAlarm".into(),
            depth(
                "DeadLetterQueue",
                "EventBridge could not start delivery for some events: they are in the dead-letter queue",
            ),
        );
    }
    let mut machines = vec![
        (
            "DeliveryFailedAlarm",
            "DeliveryStateMachine",
            "A delivery pager execution failed",
        ),
        (
            "DelivererFailedAlarm",
            "DelivererStateMachine",
            "A deliverer execution failed",
        ),
    ];
    if model.has_connections_machine() {
        machines.push((
            "ConnectionsFailedAlarm",
            "ConnectionsStateMachine",
            "A connections execution failed (a record not saved or not deleted)",
        ));
    }
    for (id, machine, what) in machines {
        r.insert(
            id.into(),
            alarm(
                what,
                ("AWS/States", "ExecutionsFailed", "Sum"),
                ("StateMachineArn", r#ref(machine)),
                actions.clone(),
            ),
        );
    }
}

/// The alarm actions: a new topic with an email subscription, or the given topic.
fn notify(model: &Model, r: &mut Resources) -> Vec<Expr> {
    match &model.observability.alarm_notify {
        None => Vec::new(),
        Some(AlarmNotify::Topic(topic)) => vec![topic_arn(topic)],
        Some(AlarmNotify::Email(email)) => {
            r.insert(
                "AlarmTopic".into(),
                Resource::new(Properties::Topic(Topic {
                    display_name: physical(" delivery alarms"),
                }))
                .skip_checks(&[(
                    "CKV_AWS_26",
                    "CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key alias/aws/sns; alarm notifications carry no event data",
                )]),
            );
            r.insert(
                "AlarmTopicEmail".into(),
                Resource::new(Properties::Subscription(Subscription {
                    topic_arn: r#ref("AlarmTopic"),
                    protocol: "email",
                    endpoint: email.clone(),
                })),
            );
            vec![r#ref("AlarmTopic")]
        }
    }
}

/// An alarm when the metric is above zero over five minutes (missing data is fine).
fn alarm(
    description: &str,
    (namespace, metric_name, statistic): (&'static str, &'static str, &'static str),
    (name, value): (&'static str, Expr),
    alarm_actions: Vec<Expr>,
) -> Resource {
    Resource::new(Properties::Alarm(Box::new(Alarm {
        alarm_description: description.to_owned(),
        namespace,
        metric_name,
        dimensions: vec![Dimension { name, value }],
        statistic,
        period: 300,
        evaluation_periods: 1,
        threshold: 0,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
        alarm_actions,
    })))
}

/// An SNS topic's ARN: a name is in the stack's partition, region and account.
fn topic_arn(topic: &str) -> Expr {
    if topic.starts_with("arn:") {
        lit(topic)
    } else {
        sub(format!(
            "arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{AWS::AccountId}}:{topic}"
        ))
    }
}
