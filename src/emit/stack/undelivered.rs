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
    r.insert(
        "DeliveryFailedAlarm".into(),
        executions_alarm(
            "A delivery execution (pager or deliverer) failed, timed out or was aborted",
            &["DeliveryStateMachine", "DelivererStateMachine"],
            actions.clone(),
        ),
    );
    if model.has_connections_machine() {
        r.insert(
            "ConnectionsFailedAlarm".into(),
            executions_alarm(
                "A connections execution failed (a record not saved or not deleted), timed out or was aborted",
                &["ConnectionsStateMachine"],
                actions,
            ),
        );
    }
}

/// The metrics of a state machine that mean an execution ended without finishing its work: a
/// failure, and a timeout or an abort, which no Catch sees and `ExecutionsFailed` does not
/// count (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html).
pub const ENDED_BADLY: [&str; 3] = [
    "ExecutionsFailed",
    "ExecutionsTimedOut",
    "ExecutionsAborted",
];

/// An alarm when executions of these state machines that ended badly are above zero over five
/// minutes (each metric missing data counts as zero).
fn executions_alarm(description: &str, machines: &[&str], alarm_actions: Vec<Expr>) -> Resource {
    let mut metrics: Vec<MetricQuery> = machines
        .iter()
        .flat_map(|machine| {
            ENDED_BADLY
                .iter()
                .map(move |metric_name| (*machine, *metric_name))
        })
        .enumerate()
        .map(|(i, (machine, metric_name))| MetricQuery {
            id: format!("m{i}"),
            expression: None,
            metric_stat: Some(MetricStat {
                metric: Metric {
                    namespace: "AWS/States",
                    metric_name,
                    dimensions: vec![Dimension {
                        name: "StateMachineArn",
                        value: r#ref(machine),
                    }],
                },
                period: 300,
                stat: "Sum",
            }),
            return_data: false,
        })
        .collect();
    let sum = (0..metrics.len())
        .map(|i| format!("FILL(m{i},0)"))
        .collect::<Vec<_>>()
        .join("+");
    metrics.push(MetricQuery {
        id: "ended".into(),
        expression: Some(sum),
        metric_stat: None,
        return_data: true,
    });
    Resource::new(Properties::SumAlarm(Box::new(SumAlarm {
        alarm_description: description.to_owned(),
        metrics,
        evaluation_periods: 1,
        threshold: 0,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
        alarm_actions,
    })))
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
