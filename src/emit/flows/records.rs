//! Records of undelivered work: every way a matched subscriber can miss an event ends as one
//! message in the encrypted SQS queue of undelivered work, never in a bare `Succeed`.
//!
//! A record says what was not delivered and why (`reason`, `eventId`, `topic`, the
//! subscribers or the page cursor, `error`, `cause`, the execution that gave up) and, where a
//! retry can help, how to replay it: `replay.stateMachineArn` and `replay.input` are exactly
//! what `aws stepfunctions start-execution` takes (see the README).

use serde_json::{json, Map, Value};

use super::tasks::{self, SEND_MESSAGE, UNDELIVERED_QUEUE};
use crate::emit::ir::asl::{retry, ResultPath, State, Task, Transition};

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

/// A SendMessage of one record to the queue of undelivered work. `fields` are Parameters
/// (`name.$` paths allowed) added after the common ones; `replay` when a retry can help.
/// SQS failures are retried; past that the execution fails (and its alarm fires).
pub fn record(reason: Reason, fields: Value, replay: Option<Replay>, next: Transition) -> State {
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
    State::Task(Task {
        comment: Some(format!("Record undelivered work: {}", reason.as_str())),
        resource: SEND_MESSAGE.into(),
        parameters: json!({ "QueueUrl": UNDELIVERED_QUEUE, "MessageBody": body }),
        result_selector: None,
        result_path: ResultPath::Discard,
        retry: vec![retry(&["States.TaskFailed"], 1, 3)],
        catch: vec![],
        timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
        transition: next,
    })
}

/// The error fields of a record, from a Catch that placed the error at `$.error`.
pub fn error_fields() -> Value {
    json!({ "error.$": "$.error.Error", "cause.$": "$.error.Cause" })
}
