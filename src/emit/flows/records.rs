//! Records of undelivered work: every way a matched subscriber can miss an event ends as one
//! message in the encrypted SQS queue of undelivered work, never in a bare `Succeed`.
//!
//! A record says what was not delivered and why (`reason`, `eventId`, `topic`, the
//! subscribers or the page cursor, `error`, `cause`, the execution that gave up) and, where a
//! retry can help, how to replay it: `replay.stateMachineArn` and `replay.input` are exactly
//! what `aws stepfunctions start-execution` takes (see the README). A record is built once (a
//! Pass) and kept by the machine's [`keeper`]: the queue, or the connections table when SQS
//! refuses it, so nothing is lost when SQS fails.

use serde_json::{json, Map, Value};

use super::tasks::{self, SEND_MESSAGE, UNDELIVERED_QUEUE};
use crate::emit::ir::asl::{catch, retry, Fail, Pass, ResultPath, State, States, Task, Transition};

/// Why work was not delivered (the record's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The event's message is over API Gateway's 128 KB: no client can receive it.
    EventTooLarge,
    /// A page of subscribers could not be read (DynamoDB failed past retries).
    SubscribersUnreadable,
    /// A deliverer execution could not be started for a page.
    DelivererNotStarted,
    /// The pager could not continue in a fresh execution.
    ContinuationNotStarted,
    /// Posting to some subscribers failed past retries (not 410 Gone).
    PostFailed,
    /// A whole page failed inside its deliverer (its fan-out as a whole).
    PageFailed,
    /// A subscriber's own pattern could not be evaluated against the event (AWS's JSONata
    /// bounds stopped it, or it failed): that subscriber alone.
    PatternUnevaluable,
}

impl Reason {
    /// The record's `reason` text.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::EventTooLarge => "event-too-large",
            Reason::SubscribersUnreadable => "subscribers-unreadable",
            Reason::DelivererNotStarted => "deliverer-not-started",
            Reason::ContinuationNotStarted => "continuation-not-started",
            Reason::PostFailed => "post-failed",
            Reason::PageFailed => "page-failed",
            Reason::PatternUnevaluable => "pattern-unevaluable",
        }
    }
}

/// How to replay a record: which machine to start, with which input (a Parameters template).
pub struct Replay {
    /// `"stateMachineArn"` or `"stateMachineArn.$"` with its value.
    pub machine: (&'static str, &'static str),
    /// The input to start it with.
    pub input: Value,
}

impl Replay {
    /// Replays on the deliverer.
    pub fn deliverer(input: Value) -> Self {
        Replay {
            machine: ("stateMachineArn", tasks::DELIVERER),
            input,
        }
    }

    /// Replays on the running machine itself (the pager).
    pub fn this_machine(input: Value) -> Self {
        Replay {
            machine: ("stateMachineArn.$", "$$.StateMachine.Id"),
            input,
        }
    }
}

/// A Pass that writes one record at `$.record` and goes on to the machine's [`keeper`] (its
/// first state, `queue`), which queues it. `fields` are Parameters (`name.$` paths allowed) added after the
/// common ones; `replay` when a retry can help.
pub fn record(reason: Reason, fields: Value, replay: Option<Replay>, queue: &str) -> State {
    let mut body = Map::new();
    body.insert("reason".into(), json!(reason.as_str()));
    body.insert("eventId.$".into(), json!("$.event.id"));
    body.insert("topic.$".into(), json!("$.topic"));
    if let Value::Object(extra) = fields {
        body.extend(extra);
    }
    body.insert("execution.$".into(), json!("$$.Execution.Id"));
    if let Some(r) = replay {
        body.insert(
            "replay".into(),
            json!({ r.machine.0: r.machine.1, "input": r.input }),
        );
    }
    State::Pass(Pass {
        comment: Some(format!("Undelivered work: {}", reason.as_str())),
        parameters: Value::Object(body),
        result_path: ResultPath::At("$.record"),
        transition: Transition::next(queue),
    })
}

/// The sort key of a record kept in the connections table when SQS refused it (under the
/// partition `connectionId` = [`KEPT_PARTITION`], apart from every connection).
pub const KEPT_PARTITION: &str = "undelivered";

/// The states that keep the record at `$.record`, named `[queue, keep, lost]`: `queue` sends
/// it to the queue of undelivered work (SQS failures are retried); if SQS still refuses it,
/// `keep` writes it to the connections table under [`KEPT_PARTITION`], where an operator finds
/// it with its replay input (README); if DynamoDB refuses it too, `lost` fails the execution,
/// which the executions alarm reports. Then `after`.
pub fn keeper(s: &mut States, [queue, kept, lost]: [&str; 3], after: Transition) {
    s.add(
        queue,
        State::Task(Task {
            comment: Some("Queue the record of undelivered work".into()),
            resource: SEND_MESSAGE.into(),
            parameters: json!({ "QueueUrl": UNDELIVERED_QUEUE, "MessageBody.$": "$.record" }),
            result_selector: None,
            result_path: ResultPath::Discard,
            retry: vec![retry(&["States.TaskFailed"], 1, 3)],
            catch: vec![catch(&["States.ALL"], ResultPath::At("$.notQueued"), kept)],
            timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
            transition: after.clone(),
        }),
    );
    s.add(
        kept,
        State::Task(Task {
            comment: Some(
                "SQS refused it: keep the record in the connections table instead".into(),
            ),
            resource: tasks::PUT_ITEM.into(),
            parameters: json!({
                "TableName": tasks::TABLE,
                "Item": {
                    "connectionId": { "S": KEPT_PARTITION },
                    "sk": { "S.$": "States.UUID()" },
                    "record": { "S.$": "States.JsonToString($.record)" },
                    "queueError": { "S.$": "$.notQueued.Error" }
                }
            }),
            result_selector: None,
            result_path: ResultPath::Discard,
            retry: tasks::dynamodb_retry(),
            catch: vec![catch(&["States.ALL"], ResultPath::Discard, lost)],
            timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
            transition: after,
        }),
    );
    s.add(
        lost,
        State::Fail(Fail {
            error: "RecordLost".into(),
            cause: "a record of undelivered work was neither queued nor kept".into(),
        }),
    );
}

/// The error fields of a record, from a Catch that placed the error at `$.error`.
pub fn error_fields() -> Value {
    json!({ "error.$": "$.error.Error", "cause.$": "$.error.Cause" })
}
