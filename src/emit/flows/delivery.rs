//! The delivery state machine: started by an EventBridge rule with
//! `{"topic": <partition>, "event": <the event>}`, it reads the partition's subscribers page
//! by page from the topic index and posts the event to each, in parallel (bounded).
//!
//! Subscribers with their own pattern (partition `*`) get the event only if EventBridge's
//! `TestEventPattern` says it matches. A connection that answers 410 Gone has all its records
//! deleted; any other failure to post skips that client. "Nobody to deliver to" succeeds.

use serde_json::json;

use super::tasks::{self, catch_all, TABLE, TOPIC_INDEX};
use crate::emit::ir::asl::{
    catch, no_retry, retry, rule, succeed, Choice, Definition, MapState, ResultPath, State, States,
    Task, Transition,
};
use crate::model::Model;

fn query_page(model: &Model, next_page: bool) -> State {
    let mut parameters = json!({
        "TableName": TABLE,
        "IndexName": TOPIC_INDEX,
        "KeyConditionExpression": "#t = :t",
        "ExpressionAttributeNames": { "#t": "topic" },
        "ExpressionAttributeValues": { ":t": { "S.$": "$.topic" } },
        "Limit": model.page_size
    });
    if next_page {
        parameters["ExclusiveStartKey.$"] = json!("$.page.LastEvaluatedKey");
    }
    State::Task(Task {
        comment: Some(
            if next_page {
                "Next page of subscribers"
            } else {
                "First page of subscribers"
            }
            .into(),
        ),
        resource: tasks::QUERY.into(),
        parameters,
        result_selector: None,
        result_path: ResultPath::At("$.page"),
        retry: tasks::dynamodb_retry(),
        catch: vec![],
        transition: Transition::next("DeliverPage"),
    })
}

/// The definition for `model`.
pub fn definition(model: &Model) -> Definition {
    let mut item = States::default();
    if model.has_pattern_subscriptions() {
        item.add(
            "HasOwnPattern",
            State::Choice(Choice {
                comment: Some("Pattern subscribers filter with their own pattern".into()),
                choices: vec![rule(
                    "$.subscription.sk.S",
                    "StringEquals",
                    json!(tasks::PATTERN_SK),
                    "GetOwnPattern",
                )],
                default: "PostEvent".into(),
            }),
        );
        // The index is keys-only: a page of patterns (up to 2 KB each) could exceed Step
        // Functions' 256 KiB payload, so each iteration reads its own pattern.
        item.add(
            "GetOwnPattern",
            State::Task(Task {
                comment: Some("Read the client's pattern".into()),
                resource: tasks::GET_ITEM.into(),
                parameters: json!({
                    "TableName": tasks::TABLE,
                    "Key": {
                        "connectionId": { "S.$": "$.connectionId" },
                        "sk": { "S": tasks::PATTERN_SK }
                    },
                    "ProjectionExpression": "#p",
                    "ExpressionAttributeNames": { "#p": "pattern" }
                }),
                result_selector: None,
                result_path: ResultPath::At("$.stored"),
                retry: tasks::dynamodb_retry(),
                catch: catch_all("NotDelivered"),
                transition: Transition::next("StillSubscribed"),
            }),
        );
        item.add(
            "StillSubscribed",
            State::Choice(Choice {
                comment: Some("The client may have unsubscribed since the page was read".into()),
                choices: vec![rule(
                    "$.stored.Item.pattern.S",
                    "IsPresent",
                    json!(true),
                    "TestOwnPattern",
                )],
                default: "NotMatched".into(),
            }),
        );
        item.add(
            "TestOwnPattern",
            State::Task(Task {
                comment: Some("EventBridge decides whether the client's pattern matches".into()),
                resource: tasks::TEST_EVENT_PATTERN.into(),
                parameters: json!({
                    "Event.$": "States.JsonToString($.event)",
                    "EventPattern.$": "$.stored.Item.pattern.S"
                }),
                result_selector: Some(json!({ "matched.$": "$.Result" })),
                result_path: ResultPath::At("$.test"),
                retry: vec![
                    no_retry(&["EventBridge.InvalidEventPatternException"]),
                    retry(&["States.TaskFailed"], 1, 3),
                ],
                catch: catch_all("NotDelivered"),
                transition: Transition::next("PatternMatched"),
            }),
        );
        item.add(
            "PatternMatched",
            State::Choice(Choice {
                comment: None,
                choices: vec![rule(
                    "$.test.matched",
                    "BooleanEquals",
                    json!(true),
                    "PostEvent",
                )],
                default: "NotMatched".into(),
            }),
        );
        item.add(
            "NotMatched",
            succeed("The client's pattern does not match this event"),
        );
    }
    item.add(
        "PostEvent",
        tasks::post(
            &model.stage,
            "RequestBody",
            json!({ "type": "event", "topic.$": "$.topic", "event.$": "$.event" }),
            vec![
                catch(&["ApiGateway.410"], ResultPath::Discard, "FindStaleRecords"),
                catch(&["States.ALL"], ResultPath::At("$.error"), "NotDelivered"),
            ],
            Transition::end(),
        ),
    );
    item.add(
        "NotDelivered",
        succeed("This client could not be reached; the others still are"),
    );
    item.add(
        "FindStaleRecords",
        tasks::query_connection(
            "$.stale",
            catch_all("StaleNotRemoved"),
            "RemoveStaleRecords",
        ),
    );
    item.add(
        "RemoveStaleRecords",
        tasks::delete_records(
            ("RemoveStaleRecords", "RemoveStaleRecord", "KeepStaleRecord"),
            "$.stale.items",
            false,
            catch_all("StaleNotRemoved"),
            Transition::end(),
        ),
    );
    item.add(
        "StaleNotRemoved",
        succeed("Left for DynamoDB TTL to expire"),
    );
    let start = if model.has_pattern_subscriptions() {
        "HasOwnPattern"
    } else {
        "PostEvent"
    };

    let mut s = States::default();
    s.add("ReadSubscribers", query_page(model, false));
    s.add(
        "DeliverPage",
        State::Map(Box::new(MapState {
            comment: Some("Post the event to every subscriber of the page".into()),
            items_path: "$.page.Items",
            item_selector: json!({
                "connectionId.$": "$$.Map.Item.Value.connectionId.S",
                "subscription.$": "$$.Map.Item.Value",
                "topic.$": "$.topic",
                "event.$": "$.event"
            }),
            max_concurrency: model.concurrency,
            item_processor: item.processor(start),
            result_path: ResultPath::Discard,
            catch: vec![],
            transition: Transition::next("MorePages"),
        })),
    );
    s.add(
        "MorePages",
        State::Choice(Choice {
            comment: Some(
                "DynamoDB returns LastEvaluatedKey while more subscribers may follow".into(),
            ),
            choices: vec![rule(
                "$.page.LastEvaluatedKey",
                "IsPresent",
                json!(true),
                "ReadMoreSubscribers",
            )],
            default: "Delivered".into(),
        }),
    );
    s.add("ReadMoreSubscribers", query_page(model, true));
    s.add(
        "Delivered",
        succeed("Every subscriber was tried (none is a success too)"),
    );
    s.definition(
        &format!("{}: deliver an event to its subscribers", model.name),
        "ReadSubscribers",
    )
}
