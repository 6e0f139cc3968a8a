//! The connections state machine: runs the `connect`, `disconnect`, `subscribe` and
//! `unsubscribe` routes, and answers the client (`subscribed`, `unsubscribed`, `error`).
//!
//! Its input is built by the routes' VTL (see [`super::mapping`]): `action`, `route`,
//! `connectionId`, `requestTime` and `expiresAt` (epoch seconds), and per action the client's
//! request, base64-encoded so any client text keeps the input valid JSON.

use serde_json::{json, Value};

use super::asl::{
    rule, Choice, Definition, Fail, Pass, ResultPath, State, States, Task, Transition,
};
use super::subscribe_states::{subscribe_pattern, subscribe_topics};
use super::tasks::{self, catch_all, TABLE};
use crate::model::{Model, RouteKind};

/// A client-visible error reply: a Pass state writing `$.reply`, then `SendReply`.
pub(super) fn reject(code: &str, message: &str) -> State {
    State::Pass(Pass {
        comment: Some(format!("Refuse the request: {code}")),
        parameters: json!({ "type": "error", "route.$": "$.route", "code": code, "message": message }),
        result_path: ResultPath::At("$.reply"),
        transition: Transition::next("SendReply"),
    })
}

pub(super) fn reply(comment: &str, parameters: Value) -> State {
    State::Pass(Pass {
        comment: Some(comment.to_owned()),
        parameters,
        result_path: ResultPath::At("$.reply"),
        transition: Transition::next("SendReply"),
    })
}

pub(super) fn put(comment: &str, item: Value, next: Transition, catches: Vec<Value>) -> State {
    State::Task(Task {
        comment: Some(comment.to_owned()),
        resource: tasks::PUT_ITEM.into(),
        parameters: json!({ "TableName": TABLE, "Item": item }),
        result_selector: None,
        result_path: ResultPath::Discard,
        retry: tasks::dynamodb_retry(),
        catch: catches,
        transition: next,
    })
}

pub(super) fn pass(comment: &str, parameters: Value, at: &'static str, next: &str) -> State {
    State::Pass(Pass {
        comment: Some(comment.to_owned()),
        parameters,
        result_path: ResultPath::At(at),
        transition: Transition::next(next),
    })
}

/// The definition for `model` (only the branches its routes use).
pub fn definition(model: &Model) -> Definition {
    let mut s = States::default();
    let has = |f: fn(&RouteKind) -> bool| model.routes.iter().any(|r| f(&r.kind));
    let mut choices = Vec::new();
    let mut replies = false;

    if has(|k| *k == RouteKind::Connect) {
        choices.push(rule(
            "$.action",
            "StringEquals",
            json!("connect"),
            "SaveConnection",
        ));
        s.add(
            "SaveConnection",
            put(
                "Record the connection; DynamoDB TTL removes it at expiresAt",
                json!({
                    "connectionId": { "S.$": "$.connectionId" },
                    "sk": { "S": tasks::CONNECTION_SK },
                    "connectedAt": { "N.$": "States.JsonToString($.requestTime)" },
                    "expiresAt": { "N.$": "States.JsonToString($.expiresAt)" }
                }),
                Transition::end(),
                vec![],
            ),
        );
    }
    if has(|k| *k == RouteKind::Disconnect) {
        choices.push(rule(
            "$.action",
            "StringEquals",
            json!("disconnect"),
            "ListConnectionRecords",
        ));
        s.add(
            "ListConnectionRecords",
            tasks::query_connection("$.found", vec![], "DeleteConnectionRecords"),
        );
        s.add(
            "DeleteConnectionRecords",
            tasks::delete_records(
                (
                    "DeleteConnectionRecords",
                    "DeleteConnectionRecord",
                    "KeepConnectionRecord",
                ),
                "$.found.items",
                false,
                vec![],
                Transition::end(),
            ),
        );
    }
    if has(|k| matches!(k, RouteKind::SubscribeTopics { .. })) {
        replies = true;
        choices.push(json!({
            "And": [
                { "Variable": "$.action", "StringEquals": "subscribe" },
                { "Variable": "$.allowed", "IsPresent": true }
            ],
            "Next": "CheckTopicsRequest"
        }));
        subscribe_topics(&mut s);
    }
    if has(|k| *k == RouteKind::SubscribePattern) {
        replies = true;
        choices.push(rule(
            "$.action",
            "StringEquals",
            json!("subscribe"),
            "CheckPatternRequest",
        ));
        subscribe_pattern(&mut s);
    }
    if has(|k| *k == RouteKind::Unsubscribe) {
        replies = true;
        choices.push(rule(
            "$.action",
            "StringEquals",
            json!("unsubscribe"),
            "ListSubscriptions",
        ));
        s.add(
            "ListSubscriptions",
            tasks::query_connection("$.found", catch_all("ReplyFailure"), "DeleteSubscriptions"),
        );
        s.add(
            "DeleteSubscriptions",
            tasks::delete_records(
                (
                    "DeleteSubscriptions",
                    "DeleteSubscription",
                    "KeepConnection",
                ),
                "$.found.items",
                true,
                catch_all("ReplyFailure"),
                Transition::next("ReplyUnsubscribed"),
            ),
        );
        s.add(
            "ReplyUnsubscribed",
            reply(
                "Confirm",
                json!({ "type": "unsubscribed", "route.$": "$.route" }),
            ),
        );
    }
    if replies {
        s.add(
            "ReplyFailure",
            reject(
                "internal-error",
                "the request could not be completed; try again",
            ),
        );
        s.add(
            "SendReply",
            tasks::post(
                &model.stage,
                "RequestBody.$",
                json!("$.reply"),
                catch_all("ReplyNotDelivered"),
                Transition::end(),
            ),
        );
        s.add(
            "ReplyNotDelivered",
            super::asl::succeed("The client left before the reply: nothing to do"),
        );
    }
    s.add(
        "UnknownAction",
        State::Fail(Fail {
            error: "UnknownAction".into(),
            cause: "the input's action is not one this stack's routes use".into(),
        }),
    );
    let mut all = States::default();
    all.add(
        "Route",
        State::Choice(Choice {
            comment: Some("Dispatch on the route's action".into()),
            choices,
            default: "UnknownAction".into(),
        }),
    );
    all.append(s);
    all.definition(
        &format!(
            "{}: connections (connect, disconnect, subscribe, unsubscribe)",
            model.name
        ),
        "Route",
    )
}
