//! The connections state machine: runs the `connect`, `disconnect`, `subscribe` and
//! `unsubscribe` routes, and answers the client (`subscribed`, `unsubscribed`, `error`).
//!
//! Its input is built by the routes' VTL (see `crate::emit::stack::mapping`): `action`, `route`,
//! `connectionId`, `requestTime` and `expiresAt` (epoch seconds), and per action the client's
//! request, base64-encoded so any client text keeps the input valid JSON.

use std::collections::BTreeSet;

use serde_json::json;

use super::forget;
use super::states::{put, reject, reply};
use super::subscribe::{subscribe_pattern, subscribe_topics};
use super::tasks::{self, catch_all};
use crate::emit::ir::asl::{rule, succeed, Choice, Definition, Fail, State, States, Transition};
use crate::model::protocol::Refusal;
use crate::model::{Model, RouteKind};

/// The branches of the dispatch, in the order they are tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Branch {
    Connect,
    Disconnect,
    SubscribeTopics,
    SubscribePattern,
    Unsubscribe,
}

/// The branch a route's action runs, if it starts this machine at all.
fn branch(kind: &RouteKind) -> Option<Branch> {
    match kind {
        RouteKind::Connect => Some(Branch::Connect),
        RouteKind::Disconnect => Some(Branch::Disconnect),
        RouteKind::SubscribeTopics { .. } => Some(Branch::SubscribeTopics),
        RouteKind::SubscribePattern => Some(Branch::SubscribePattern),
        RouteKind::Unsubscribe => Some(Branch::Unsubscribe),
        RouteKind::Publish { .. } => None,
    }
}

/// The definition for `model` (only the branches its routes use).
pub fn definition(model: &Model) -> Definition {
    let mut branches: BTreeSet<Branch> = model
        .routes
        .iter()
        .filter_map(|r| branch(&r.kind))
        .collect();
    // Deliverers forget a client that answered 410 Gone through the disconnect branch.
    if !model.rules.is_empty() {
        branches.insert(Branch::Disconnect);
    }
    let forgets = branches.contains(&Branch::Disconnect) || branches.contains(&Branch::Unsubscribe);
    let mut s = States::default();
    let mut choices = Vec::new();
    for &b in &branches {
        let on_action =
            |action: &str, next: &str| rule("$.action", "StringEquals", json!(action), next);
        match b {
            Branch::Connect => {
                choices.push(on_action("connect", "SaveConnection"));
                connect(&mut s);
            }
            Branch::Disconnect => choices.push(on_action("disconnect", forget::START)),
            Branch::SubscribeTopics => {
                choices.push(json!({
                    "And": [
                        { "Variable": "$.action", "StringEquals": "subscribe" },
                        { "Variable": "$.allowed", "IsPresent": true }
                    ],
                    "Next": "CheckTopicsRequest"
                }));
                subscribe_topics(&mut s);
            }
            Branch::SubscribePattern => {
                choices.push(on_action("subscribe", "CheckPatternRequest"));
                subscribe_pattern(&mut s);
            }
            Branch::Unsubscribe => {
                choices.push(on_action("unsubscribe", forget::START));
                s.add(
                    "ReplyUnsubscribed",
                    reply(
                        "Confirm",
                        json!({ "type": "unsubscribed", "route.$": "$.route" }),
                    ),
                );
            }
        }
    }
    if forgets {
        forget::forget(&mut s, branches.contains(&Branch::Unsubscribe));
    }
    if model.posts_replies() {
        send_reply(&mut s, &model.stage);
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
        TIMEOUT_SECONDS,
    )
}

/// Generous for a handful of DynamoDB calls with their retries and one reply.
const TIMEOUT_SECONDS: u32 = 120;

/// `$connect`: record the connection.
fn connect(s: &mut States) {
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
            // The client stays connected; without its record, disconnect has less to forget.
            catch_all("ConnectionNotSaved"),
        ),
    );
    s.add(
        "ConnectionNotSaved",
        State::Fail(Fail {
            error: "ConnectionNotSaved".into(),
            cause: "the connection record could not be written (the execution log has the error)"
                .into(),
        }),
    );
}

/// Replies to the client over `@connections`, and the generic failure reply.
fn send_reply(s: &mut States, stage: &str) {
    s.add("ReplyFailure", reject(Refusal::InternalError));
    s.add(
        "SendReply",
        State::Task(tasks::post(
            stage,
            "RequestBody.$",
            json!("$.reply"),
            catch_all("ReplyNotDelivered"),
            Transition::end(),
        )),
    );
    s.add(
        "ReplyNotDelivered",
        succeed("The client left before the reply: nothing to do"),
    );
}
