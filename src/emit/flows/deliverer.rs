//! The deliverer: an Express execution the pager starts for one page of subscribers, with
//! `{"topic", "event", "subscribers": [DynamoDB items]}`. Its work is bounded by the page.
//!
//! Every subscriber is one iteration of a Map, `delivery.concurrency` at once, so that nothing
//! one subscriber's pattern does (an evaluation that AWS's JSONata bounds stop, a slow one)
//! touches another. A pattern subscriber's own pattern decides first: by the JSONata matcher
//! ([`crate::emit::jsonata`]) in its own state, or by EventBridge's `TestEventPattern` (with
//! `delivery.pattern_matching: eventbridge`, and for events the matcher leaves to EventBridge).
//! A pattern whose evaluation fails is recorded for that subscriber alone
//! (`pattern-unevaluable`). Then the event is posted; a client that answers 410 Gone has its
//! records deleted; a post (or a pattern test) that fails past its retries, and a page that
//! fails as a whole, become one record each in the queue of undelivered work.

use serde_json::json;

use super::records::{error_fields, keeper, record, Reason, Replay};
use super::tasks::{self, catch_all};
use crate::emit::ir::asl::{
    catch, no_retry, retry, rule, succeed, Choice, Definition, JsonataPass, MapState, Parallel,
    Pass, ResultPath, State, States, Task, Transition,
};
use crate::emit::jsonata;
use crate::model::{Model, PatternMatching};

/// The subscriber's own pattern, by the JSONata matcher in a state of its own: `true`,
/// `false`, or `"eventbridge"` for an event the matcher leaves to `TestEventPattern`. In a
/// Parallel, because only Task, Map and Parallel states can catch (an evaluation AWS's bounds
/// stop ends in `States.QueryEvaluationError`).
fn match_own_pattern(item: &mut States) {
    let mut branch = States::default();
    branch.add(
        "EvaluatePattern",
        State::JsonataPass(JsonataPass {
            comment: Some("The client's EventBridge pattern against the event, in JSONata".into()),
            query_language: "JSONata",
            output: json!(format!(
                "{{% {} %}}",
                jsonata::call(
                    "$parse($states.input.subscriber.pattern.S)",
                    "$states.input.event"
                )
            )),
            transition: Transition::end(),
        }),
    );
    item.add(
        "MatchOwnPattern",
        State::Parallel(Box::new(Parallel {
            comment: Some("Whether the subscriber's own pattern matches the event".into()),
            branches: vec![branch.branch("EvaluatePattern")],
            result_selector: Some(json!({ "matches.$": "$[0]" })),
            result_path: ResultPath::At("$.match"),
            output_path: None,
            catch: catch_all("Unevaluable"),
            transition: Transition::next("PatternMatches"),
        })),
    );
    item.add(
        "PatternMatches",
        State::Choice(Choice {
            comment: None,
            choices: vec![
                json!({
                    "And": [
                        { "Variable": "$.match.matches", "IsBoolean": true },
                        { "Variable": "$.match.matches", "BooleanEquals": true }
                    ],
                    "Next": "PostEvent"
                }),
                rule(
                    "$.match.matches",
                    "StringEquals",
                    json!("eventbridge"),
                    "TestOwnPattern",
                ),
            ],
            default: "NotMatched".into(),
        }),
    );
    item.add(
        "Unevaluable",
        small_output(
            "The page's record of unevaluable patterns lists it: the others of the page are served",
            json!({
                "unevaluable": true,
                "connectionId.$": "$.connectionId",
                "evaluationError.$": "$.error.Error",
                "evaluationCause.$": "$.error.Cause",
                "subscriber.$": "$.subscriber"
            }),
        ),
    );
}

/// `TestEventPattern` for the subscriber's pattern: with `pattern_matching: eventbridge`, and
/// for events the JSONata matcher leaves to EventBridge.
fn test_own_pattern(item: &mut States) {
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
            // Recorded with the subscriber's pattern, so that its replay tests it again.
            catch: vec![catch(
                &["States.ALL"],
                ResultPath::At("$.error"),
                "NotTested",
            )],
            timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
            transition: Transition::next("EventBridgeMatched"),
        }),
    );
    item.add(
        "EventBridgeMatched",
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
        "NotTested",
        small_output(
            "Report the failure with the subscriber's pattern: the page's record lists it",
            json!({
                "connectionId.$": "$.connectionId",
                "error.$": "$.error.Error",
                "subscriber.$": "$.subscriber"
            }),
        ),
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

/// The states that post to one subscriber and handle what the post answers.
fn post(item: &mut States, model: &Model) {
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
            // could outgrow the state payload. The pattern is left out: it matched.
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
            timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
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
}

/// One subscriber: its own pattern (if it has one), the post, and what the post answers.
fn item_processor(model: &Model) -> (States, &'static str) {
    let mut item = States::default();
    if !model.has_pattern_subscriptions() {
        post(&mut item, model);
        return (item, "PostEvent");
    }
    let first = if model.pattern_matching == PatternMatching::Eventbridge {
        "TestOwnPattern"
    } else {
        "MatchOwnPattern"
    };
    item.add(
        "HasOwnPattern",
        State::Choice(Choice {
            comment: Some(
                "Pattern subscribers receive only events their own pattern matches (a replay of matched subscribers carries no pattern)"
                    .into(),
            ),
            choices: vec![rule(
                "$.subscriber.pattern.S",
                "IsPresent",
                json!(true),
                first,
            )],
            default: "PostEvent".into(),
        }),
    );
    if model.pattern_matching == PatternMatching::Workflow {
        match_own_pattern(&mut item);
    }
    test_own_pattern(&mut item);
    item.add(
        "NotMatched",
        small_output("The client's pattern does not match this event", json!({})),
    );
    post(&mut item, model);
    (item, "HasOwnPattern")
}

/// The fan-out, then one record for every post (or pattern test) that failed.
fn deliver(s: &mut States, model: &Model) {
    let (item, start) = item_processor(model);
    let mut item_selector = json!({
        "connectionId.$": "$$.Map.Item.Value.connectionId.S",
        "topic.$": "$.topic",
        "event.$": "$.event"
    });
    if start == "HasOwnPattern" {
        // The subscriber's stored pattern, when it has one.
        item_selector["subscriber.$"] = json!("$$.Map.Item.Value");
    }
    s.add(
        "Deliver",
        State::Map(Box::new(MapState {
            comment: Some("Each subscriber of the page, in its own iteration".into()),
            items_path: "$.subscribers",
            item_selector,
            max_concurrency: model.concurrency,
            item_processor: item.processor(start),
            // Keep only the subscribers the event did not reach.
            result_selector: Some(json!({
                "failed.$": "$[?(@.error)]",
                "unevaluable.$": "$[?(@.unevaluable)]"
            })),
            result_path: ResultPath::At("$.failures"),
            catch: catch_all("RecordPageFailed"),
            transition: Transition::next("AnyFailures"),
        })),
    );
    s.add(
        "AnyFailures",
        State::Choice(Choice {
            comment: None,
            choices: vec![
                rule(
                    "$.failures.failed[0]",
                    "IsPresent",
                    json!(true),
                    "RecordFailures",
                ),
                rule(
                    "$.failures.unevaluable[0]",
                    "IsPresent",
                    json!(true),
                    "RecordUnevaluable",
                ),
            ],
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
                "subscribers.$": "$.failures.failed[*].subscriber"
            }))),
            "QueueRecord",
        ),
    );
    s.add(
        "RecordUnevaluable",
        record(
            Reason::PatternUnevaluable,
            // The patterns are in the replay's subscribers (once: a record is at most 256 KiB).
            json!({
                "connections.$": "$.failures.unevaluable[*].connectionId",
                "errors.$": "$.failures.unevaluable[*].evaluationError",
                "causes.$": "$.failures.unevaluable[*].evaluationCause"
            }),
            Some(Replay::this_machine(json!({
                "topic.$": "$.topic",
                "event.$": "$.event",
                "subscribers.$": "$.failures.unevaluable[*].subscriber"
            }))),
            "QueueRecord",
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
            "QueueRecord",
        ),
    );
    keeper(
        s,
        ["QueueRecord", "KeepRecord", "RecordLost"],
        Transition::next("Recorded"),
    );
    s.add(
        "Recorded",
        State::Choice(Choice {
            comment: Some(
                "A page may also hold unevaluable patterns: they get their own record".into(),
            ),
            choices: vec![json!({
                "And": [
                    { "Variable": "$.record.reason", "StringEquals": Reason::PostFailed.as_str() },
                    { "Variable": "$.failures.unevaluable[0]", "IsPresent": true }
                ],
                "Next": "RecordUnevaluable"
            })],
            default: "Delivered".into(),
        }),
    );
}

/// The definition for `model`.
pub fn definition(model: &Model) -> Definition {
    let mut s = States::default();
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
        "Deliver",
        // Express workflows run at most 5 minutes.
        300,
    )
}
