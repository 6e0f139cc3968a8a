//! The deliverer: an Express execution the pager starts for one page of subscribers, with
//! `{"topic", "event", "subscribers": [DynamoDB items]}`. Its work is bounded by the page.
//!
//! On a page of pattern subscribers (topic `*`), the subscribers whose own pattern does not
//! match are dropped first: by one JSONata matcher inside the workflow (no API call per
//! subscriber), or, with `delivery.pattern_matching: eventbridge`, by a `TestEventPattern`
//! call per subscriber. Then the event is posted to each, `delivery.concurrency` at once. A
//! client that answers 410 Gone has its records deleted; a post that fails past its retries,
//! and a page that fails as a whole, become one record each in the queue of undelivered work.

use serde_json::json;

use super::records::{error_fields, record, Reason, Replay};
use super::tasks::{self, catch_all};
use crate::emit::ir::asl::{
    catch, no_retry, retry, rule, succeed, Choice, Definition, JsonataPass, MapState, Parallel,
    Pass, ResultPath, State, States, Task, Transition,
};
use crate::emit::jsonata;
use crate::model::{Model, PatternMatching, PATTERN_PARTITION};

/// Keeps the page's subscribers whose pattern matches the event (JSONata, in a Parallel so
/// that an evaluation error is caught and recorded).
fn match_patterns() -> State {
    let output = format!(
        "{{% ($matches := {}; $merge([$states.input, {{'subscribers': [$filter($states.input.subscribers, function($s) {{ $matches($parse($s.pattern.S), $states.input.event) }})]}}])) %}}",
        jsonata::matcher()
    );
    let mut branch = States::default();
    branch.add(
        "SelectMatching",
        State::JsonataPass(JsonataPass {
            comment: Some("Each subscriber's own EventBridge pattern, tested in JSONata".into()),
            query_language: "JSONata",
            output: json!(output),
            transition: Transition::end(),
        }),
    );
    State::Parallel(Box::new(Parallel {
        comment: Some("Keep the subscribers whose pattern matches the event".into()),
        branches: vec![branch.branch("SelectMatching")],
        result_path: ResultPath::Replace,
        output_path: Some("$[0]"),
        catch: catch_all("RecordPageFailed"),
        transition: Transition::next("Deliver"),
    }))
}

/// Per-subscriber `TestEventPattern` (the `eventbridge` fallback): decides before posting.
fn test_own_pattern(item: &mut States) {
    item.add(
        "HasOwnPattern",
        State::Choice(Choice {
            comment: Some("Pattern subscribers filter with their own pattern".into()),
            choices: vec![rule(
                "$.subscriber.pattern.S",
                "IsPresent",
                json!(true),
                "TestOwnPattern",
            )],
            default: "PostEvent".into(),
        }),
    );
    item.add(
        "TestOwnPattern",
        State::Task(Task {
            comment: Some("EventBridge decides whether the client's pattern matches".into()),
            resource: tasks::TEST_EVENT_PATTERN.into(),
            parameters: json!({
                "Event.$": "States.JsonToString($.event)",
                "EventPattern.$": "$.subscriber.pattern.S"
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
        small_output("The client's pattern does not match this event", json!({})),
    );
}

/// A Pass whose whole output is `parameters`: iteration results stay small (the Map collects
/// them all), whatever the event's size.
fn small_output(comment: &str, parameters: serde_json::Value) -> State {
    State::Pass(Pass {
        comment: Some(comment.to_owned()),
        parameters,
        result_path: ResultPath::Replace,
        transition: Transition::end(),
    })
}

/// One subscriber: post, clean up a gone connection, or report the failure.
fn item_processor(model: &Model) -> (States, &'static str) {
    let mut item = States::default();
    let eventbridge =
        model.pattern_matching == PatternMatching::Eventbridge && model.has_pattern_subscriptions();
    if eventbridge {
        test_own_pattern(&mut item);
    }
    let mut post = tasks::post(
        &model.stage,
        "RequestBody",
        json!({ "type": "event", "topic.$": "$.topic", "event.$": "$.event" }),
        vec![
            catch(
                &["ApiGateway.410"],
                ResultPath::At("$.error"),
                "ForgetConnection",
            ),
            catch(&["States.ALL"], ResultPath::At("$.error"), "NotDelivered"),
        ],
        Transition::end(),
    );
    post.result_selector = Some(json!({ "delivered": true }));
    post.result_path = ResultPath::Replace;
    item.add("PostEvent", State::Task(post));
    item.add(
        "NotDelivered",
        small_output(
            // The cause is in the deliverer's error log: a page of causes with the event
            // could outgrow the state payload.
            "Report the failure (error name only); the page's record lists it",
            json!({
                "connectionId.$": "$.connectionId",
                "error.$": "$.error.Error",
                "subscriber": { "connectionId": { "S.$": "$.connectionId" } }
            }),
        ),
    );
    item.add(
        "ForgetConnection",
        State::Task(Task {
            comment: Some("The connections machine deletes every record of the client".into()),
            resource: tasks::START_EXECUTION.into(),
            parameters: json!({
                "StateMachineArn": tasks::CONNECTIONS,
                "Input": { "action": "disconnect", "connectionId.$": "$.connectionId" }
            }),
            result_selector: None,
            result_path: ResultPath::Discard,
            retry: tasks::dynamodb_retry(),
            // Not forgotten now: the records expire with their TTL.
            catch: vec![catch(&["States.ALL"], ResultPath::Discard, "Gone")],
            transition: Transition::next("Gone"),
        }),
    );
    item.add(
        "Gone",
        small_output(
            "The client left: its records are being deleted",
            json!({ "gone.$": "$.connectionId" }),
        ),
    );
    (
        item,
        if eventbridge {
            "HasOwnPattern"
        } else {
            "PostEvent"
        },
    )
}

/// The fan-out, then one record for every post that failed.
fn deliver(s: &mut States, model: &Model) {
    let (item, start) = item_processor(model);
    let mut item_selector = json!({
        "connectionId.$": "$$.Map.Item.Value.connectionId.S",
        "topic.$": "$.topic",
        "event.$": "$.event"
    });
    if start == "HasOwnPattern" {
        // TestEventPattern reads the subscriber's stored pattern.
        item_selector["subscriber.$"] = json!("$$.Map.Item.Value");
    }
    s.add(
        "Deliver",
        State::Map(Box::new(MapState {
            comment: Some("Post the event to every subscriber of the page".into()),
            items_path: "$.subscribers",
            item_selector,
            max_concurrency: model.concurrency,
            item_processor: item.processor(start),
            // Keep only the subscribers the event did not reach.
            result_selector: Some(json!({ "failed.$": "$[?(@.error)]" })),
            result_path: ResultPath::At("$.failures"),
            catch: catch_all("RecordPageFailed"),
            transition: Transition::next("AnyFailures"),
        })),
    );
    s.add(
        "AnyFailures",
        State::Choice(Choice {
            comment: None,
            choices: vec![rule(
                "$.failures.failed[0]",
                "IsPresent",
                json!(true),
                "RecordFailures",
            )],
            default: "Delivered".into(),
        }),
    );
    s.add(
        "RecordFailures",
        record(
            Reason::PostFailed,
            json!({ "failures.$": "$.failures.failed" }),
            Some(Replay::this_machine(json!({
                "topic.$": "$.topic",
                "event.$": "$.event",
                "subscribers.$": "$.failures.failed[*].subscriber",
                "matched": true
            }))),
            Transition::next("Delivered"),
        ),
    );
    s.add(
        "RecordPageFailed",
        record(
            Reason::PageFailed,
            error_fields(),
            Some(Replay::this_machine(json!({
                "topic.$": "$.topic",
                "event.$": "$.event",
                "subscribers.$": "$.subscribers"
            }))),
            Transition::next("Delivered"),
        ),
    );
}

/// The definition for `model`.
pub fn definition(model: &Model) -> Definition {
    let mut s = States::default();
    let workflow_matching = model.matches_in_workflow();
    let first = if workflow_matching {
        s.add(
            "NeedsMatching",
            State::Choice(Choice {
                comment: Some(
                    "Pattern subscribers receive only events their own pattern matches (a replay of matched subscribers skips this)"
                        .into(),
                ),
                choices: vec![json!({
                    "And": [
                        { "Variable": "$.topic", "StringEquals": PATTERN_PARTITION },
                        { "Variable": "$.matched", "IsPresent": false }
                    ],
                    "Next": "MatchPatterns"
                })],
                default: "Deliver".into(),
            }),
        );
        s.add("MatchPatterns", match_patterns());
        "NeedsMatching"
    } else {
        "Deliver"
    };
    deliver(&mut s, model);
    s.add(
        "Delivered",
        succeed("Every subscriber of the page was posted to, cleaned up or recorded"),
    );
    s.definition(
        &format!(
            "{}: deliver an event to one page of subscribers",
            model.name
        ),
        first,
        // Express workflows run at most 5 minutes.
        300,
    )
}
