//! Forgetting a connection's records, shared by `$disconnect`, unsubscribe (which keeps the
//! connection record) and the deliverer's clean-up of a client that answered 410 Gone (which
//! starts this machine with `{"action": "disconnect", "connectionId"}`).
//!
//! A failure to delete is a `RecordsNotDeleted` failure of the execution (logged, alarmed),
//! or for unsubscribe an `internal-error` reply; the records expire with their TTL anyway.

use serde_json::json;

use super::tasks::{self, catch_all, CONNECTION_SK, DELETE_ITEM, TABLE};
use crate::emit::ir::asl::{
    rule, succeed, Choice, Fail, MapState, ResultPath, State, States, Task, Transition,
};

/// Entry state of the flow.
pub const START: &str = "ListRecords";

/// The flow's states. `unsubscribe`: whether an unsubscribe route uses it (it then keeps the
/// connection record and replies).
pub fn forget(s: &mut States, unsubscribe: bool) {
    let failed = if unsubscribe {
        "ForgetFailed"
    } else {
        "RecordsNotDeleted"
    };
    s.add(
        START,
        tasks::query_connection("$.found", catch_all(failed), "DeleteRecords"),
    );
    let mut item = States::default();
    if unsubscribe {
        item.add(
            "KeepOrDelete",
            State::Choice(Choice {
                comment: Some("Unsubscribe keeps the connection record".into()),
                choices: vec![json!({
                    "And": [
                        { "Variable": "$.action", "StringEquals": "unsubscribe" },
                        { "Variable": "$.key.sk.S", "StringEquals": CONNECTION_SK }
                    ],
                    "Next": "KeepRecord"
                })],
                default: "DeleteRecord".into(),
            }),
        );
        item.add("KeepRecord", succeed("The connection itself stays"));
    }
    item.add(
        "DeleteRecord",
        State::Task(Task {
            comment: None,
            resource: DELETE_ITEM.into(),
            parameters: json!({ "TableName": TABLE, "Key.$": "$.key" }),
            result_selector: None,
            result_path: ResultPath::Discard,
            retry: tasks::dynamodb_retry(),
            catch: vec![],
            timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
            transition: Transition::end(),
        }),
    );
    let start = if unsubscribe {
        "KeepOrDelete"
    } else {
        "DeleteRecord"
    };
    s.add(
        "DeleteRecords",
        State::Map(Box::new(MapState {
            comment: Some("Delete the records".into()),
            items_path: "$.found.items",
            item_selector: json!({ "key.$": "$$.Map.Item.Value", "action.$": "$.action" }),
            max_concurrency: 10,
            item_processor: item.processor(start),
            result_selector: None,
            result_path: ResultPath::Discard,
            catch: catch_all(failed),
            transition: Transition::next(if unsubscribe {
                "Forgotten"
            } else {
                "Disconnected"
            }),
        })),
    );
    let after = |yes: &str, no: &str| {
        State::Choice(Choice {
            comment: None,
            choices: vec![rule("$.action", "StringEquals", json!("unsubscribe"), yes)],
            default: no.to_owned(),
        })
    };
    if unsubscribe {
        s.add("Forgotten", after("ReplyUnsubscribed", "Disconnected"));
        s.add("ForgetFailed", after("ReplyFailure", "RecordsNotDeleted"));
    }
    s.add(
        "Disconnected",
        succeed("Every record of the connection is gone"),
    );
    s.add(
        "RecordsNotDeleted",
        State::Fail(Fail {
            error: "RecordsNotDeleted".into(),
            cause: "the connection's records could not be deleted; they expire with their TTL"
                .into(),
        }),
    );
}
