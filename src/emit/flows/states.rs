//! Small state builders shared by the connections flows: replies to the client and
//! DynamoDB writes.

use serde_json::{json, Value};

use super::tasks::{self, TABLE};
use crate::emit::ir::asl::{Catch, Pass, ResultPath, State, Task, Transition};
use crate::model::protocol::Refusal;

/// A client-visible error reply: a Pass state writing `$.reply`, then `SendReply`.
pub fn reject(refusal: Refusal) -> State {
    let code = refusal.code();
    State::Pass(Pass {
        comment: Some(format!("Refuse the request: {code}")),
        parameters: json!({ "type": "error", "route.$": "$.route", "code": code, "message": refusal.message() }),
        result_path: ResultPath::At("$.reply"),
        transition: Transition::next("SendReply"),
    })
}

/// A reply to the client: a Pass state writing `$.reply`, then `SendReply`.
pub fn reply(comment: &str, parameters: Value) -> State {
    State::Pass(Pass {
        comment: Some(comment.to_owned()),
        parameters,
        result_path: ResultPath::At("$.reply"),
        transition: Transition::next("SendReply"),
    })
}

/// A DynamoDB PutItem of `item` into the connections table.
pub fn put(comment: &str, item: Value, next: Transition, catches: Vec<Catch>) -> State {
    State::Task(Task {
        comment: Some(comment.to_owned()),
        resource: tasks::PUT_ITEM.into(),
        parameters: json!({ "TableName": TABLE, "Item": item }),
        result_selector: None,
        result_path: ResultPath::Discard,
        retry: tasks::dynamodb_retry(),
        catch: catches,
        timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
        transition: next,
    })
}

/// A Pass state placing `parameters` at `at`, then `next`.
pub fn pass(comment: &str, parameters: Value, at: &'static str, next: &str) -> State {
    State::Pass(Pass {
        comment: Some(comment.to_owned()),
        parameters,
        result_path: ResultPath::At(at),
        transition: Transition::next(next),
    })
}
