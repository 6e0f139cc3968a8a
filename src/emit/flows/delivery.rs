//! The delivery pager: started by a topic's EventBridge rule with
//! `{"topic", "limit", "event"}`, it reads the topic's subscribers a page at a time and hands
//! each page to its own deliverer execution ([`super::deliverer`]), started asynchronously.
//! After [`PAGES_PER_EXECUTION`] pages it continues in a fresh execution of itself with the
//! cursor, so no execution's history or duration grows with the audience.
//!
//! Before reading anyone it checks that the event's message fits API Gateway's 128 KB: a
//! larger event gets one record (per topic it matched), not one failure per subscriber, and
//! never shares the state payload with a page. Every failure (a page that
//! cannot be read, a deliverer or continuation that cannot be started) becomes a record in the
//! queue of undelivered work ([`super::records`]).

use serde_json::json;

use super::records::{error_fields, keeper, record, Reason, Replay};
use super::tasks::{self, catch_all, DELIVERER, START_EXECUTION, TABLE, TOPIC_INDEX};
use crate::emit::ir::asl::{
    rule, succeed, Choice, Definition, JsonataChoice, JsonataRule, Pass, ResultPath, State, States,
    Task, Transition,
};
use crate::model::protocol::MAX_MESSAGE_BYTES;
use crate::model::{Model, Workflow};

/// Pages one pager execution reads before it continues in a fresh one. A page costs about a
/// dozen history events, so a Standard pager stays far below 25,000, and an Express pager far
/// below 5 minutes.
pub const PAGES_PER_EXECUTION: u32 = 20;

pub use crate::model::timing::PATTERN_PAGE_LIMIT;

/// UTF-8 size of the message a client would receive, in JSONata: code points, plus one per
/// code point above U+007F, one more above U+07FF, and one more per surrogate pair (4 bytes).
fn message_bytes() -> String {
    concat!(
        "($s := $string({'type': 'event', 'topic': $states.input.topic, 'event': $states.input.event});",
        " $length($s) + $length($replace($s, /[\\x00-\\x7F]+/, ''))",
        " + $length($replace($s, /[\\x00-\\u07FF]+/, ''))",
        " + $length($replace($s, /[^\\uD800-\\uDBFF]+/, '')))"
    )
    .to_owned()
}

fn read_page(name: &str, from_cursor: bool) -> State {
    let mut parameters = json!({
        "TableName": TABLE,
        "IndexName": TOPIC_INDEX,
        "KeyConditionExpression": "#t = :t",
        "ProjectionExpression": "#c, #p",
        "ExpressionAttributeNames": { "#t": "topic", "#c": "connectionId", "#p": "pattern" },
        "ExpressionAttributeValues": { ":t": { "S.$": "$.topic" } },
        "Limit.$": "$.limit"
    });
    if from_cursor {
        parameters["ExclusiveStartKey.$"] = json!("$.progress.cursor");
    }
    State::Task(Task {
        comment: Some(format!(
            "{name} of subscribers (the rule sets the page size)"
        )),
        resource: tasks::QUERY.into(),
        parameters,
        result_selector: None,
        result_path: ResultPath::At("$.page"),
        retry: tasks::query_retry(),
        catch: catch_all("RecordUnreadPage"),
        timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
        transition: Transition::next("AnySubscribers"),
    })
}

fn start(comment: &str, machine: (&str, &str), input: serde_json::Value, on_error: &str) -> Task {
    Task {
        comment: Some(comment.to_owned()),
        resource: START_EXECUTION.into(),
        parameters: json!({ machine.0: machine.1, "Input": input }),
        result_selector: None,
        result_path: ResultPath::Discard,
        retry: tasks::dynamodb_retry(),
        catch: catch_all(on_error),
        timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
        transition: Transition::next("MorePages"),
    }
}

/// The states that read pages and decide what comes next.
fn paging(s: &mut States, workflow: Workflow) {
    s.add(
        "Resume",
        State::Choice(Choice {
            comment: Some("A continuation (or a replay) carries the cursor".into()),
            choices: vec![
                rule("$.progress", "IsPresent", json!(false), "CheckSize"),
                rule("$.progress.cursor", "IsNull", json!(true), "CheckSize"),
            ],
            default: "ReadNextPage".into(),
        }),
    );
    s.add(
        "CheckSize",
        State::JsonataChoice(JsonataChoice {
            comment: Some(format!(
                "A message over {MAX_MESSAGE_BYTES} bytes reaches nobody: record it once"
            )),
            query_language: "JSONata",
            choices: vec![JsonataRule {
                condition: format!("{{% {} > {MAX_MESSAGE_BYTES} %}}", message_bytes()),
                next: "RecordTooLarge".into(),
            }],
            default: "Begin".into(),
        }),
    );
    s.add(
        "Begin",
        State::Pass(Pass {
            comment: Some("First page of this event".into()),
            parameters: json!({ "pages": 0, "cursor": null }),
            result_path: ResultPath::At("$.progress"),
            transition: Transition::next("ReadFirstPage"),
        }),
    );
    s.add("ReadFirstPage", read_page("First page", false));
    s.add("ReadNextPage", read_page("Next page", true));
    s.add(
        "AnySubscribers",
        State::Choice(Choice {
            comment: None,
            choices: vec![rule(
                "$.page.Items[0]",
                "IsPresent",
                false.into(),
                "MorePages",
            )],
            default: "HandOffPage".into(),
        }),
    );
    s.add(
        "MorePages",
        State::Choice(Choice {
            comment: Some(format!(
                "DynamoDB returns LastEvaluatedKey while more subscribers may follow; every {PAGES_PER_EXECUTION} pages a fresh execution continues"
            )),
            choices: vec![
                rule("$.page.LastEvaluatedKey", "IsPresent", false.into(), "Delivered"),
                rule(
                    "$.progress.pages",
                    "NumericGreaterThanEquals",
                    json!(PAGES_PER_EXECUTION - 1),
                    "ContinueLater",
                ),
            ],
            default: "InTime".into(),
        }),
    );
    s.add(
        "InTime",
        State::JsonataChoice(JsonataChoice {
            comment: Some(format!(
                "After {}s a fresh execution continues too: its time limit cannot be caught, and a throttled page may take minutes",
                continue_after_seconds(workflow)
            )),
            query_language: "JSONata",
            choices: vec![JsonataRule {
                condition: format!(
                    "{{% $toMillis($states.context.State.EnteredTime) - $toMillis($states.context.Execution.StartTime) >= {} %}}",
                    continue_after_seconds(workflow) * 1000
                ),
                next: "ContinueLater".into(),
            }],
            default: "Advance".into(),
        }),
    );
    s.add(
        "Advance",
        State::Pass(Pass {
            comment: None,
            parameters: json!({
                "pages.$": "States.MathAdd($.progress.pages, 1)",
                "cursor.$": "$.page.LastEvaluatedKey"
            }),
            result_path: ResultPath::At("$.progress"),
            transition: Transition::next("ReadNextPage"),
        }),
    );
}

/// The states that start other executions, and what they record when they cannot.
fn hand_offs(s: &mut States, workflow: Workflow) {
    let event = json!({ "topic.$": "$.topic", "limit.$": "$.limit", "event.$": "$.event" });
    let page_input =
        json!({ "topic.$": "$.topic", "event.$": "$.event", "subscribers.$": "$.page.Items" });
    s.add(
        "HandOffPage",
        State::Task(start(
            "A deliverer execution posts this page",
            ("StateMachineArn", DELIVERER),
            page_input.clone(),
            "RecordPageNotHandedOff",
        )),
    );
    let mut rest = event.clone();
    rest["progress"] = json!({ "pages": 0, "cursor.$": "$.page.LastEvaluatedKey" });
    let mut cont = start(
        "The rest of the audience, in a fresh execution",
        ("StateMachineArn.$", "$$.StateMachine.Id"),
        rest.clone(),
        "RecordContinuationFailed",
    );
    if workflow == Workflow::Standard {
        // Named after the event, the topic and the cursor: a start retried after it succeeded
        // (its answer lost) returns the execution that exists instead of starting another,
        // which would deliver the rest of the audience twice (a Standard name is unique for
        // 90 days; Express executions are not deduplicated by name).
        cont.parameters["Name.$"] = json!(
            "States.Hash(States.Format('{}|{}|{}', $.event.id, $.topic, States.JsonToString($.page.LastEvaluatedKey)), 'SHA-256')"
        );
    }
    cont.transition = Transition::next("Delivered");
    s.add("ContinueLater", State::Task(cont));
    let mut unread = event.clone();
    unread["progress"] = json!({ "pages": 0, "cursor.$": "$.progress.cursor" });
    let mut cursor = error_fields();
    cursor["cursor.$"] = json!("$.progress.cursor");
    s.add(
        "RecordUnreadPage",
        record(
            Reason::SubscribersUnreadable,
            cursor,
            Some(Replay::this_machine(unread)),
            QUEUE,
        ),
    );
    s.add(
        "RecordPageNotHandedOff",
        record(
            Reason::DelivererNotStarted,
            error_fields(),
            Some(Replay::deliverer(page_input)),
            QUEUE,
        ),
    );
    let mut next_cursor = error_fields();
    next_cursor["cursor.$"] = json!("$.page.LastEvaluatedKey");
    s.add(
        "RecordContinuationFailed",
        record(
            Reason::ContinuationNotStarted,
            next_cursor,
            Some(Replay::this_machine(rest)),
            QUEUE,
        ),
    );
    s.add(
        "RecordTooLarge",
        record(
            Reason::EventTooLarge,
            json!({
                "source.$": "$.event.source",
                "detailType.$": "$.event.detail-type",
                "limitBytes": MAX_MESSAGE_BYTES
            }),
            None,
            QUEUE,
        ),
    );
    keeper(
        s,
        [QUEUE, "KeepRecord", "RecordLost"],
        Transition::next("Recorded"),
    );
    s.add(
        "Recorded",
        State::Choice(Choice {
            comment: Some("Paging goes on after a page that was not handed off".into()),
            choices: vec![rule(
                "$.record.reason",
                "StringEquals",
                json!(Reason::DelivererNotStarted.as_str()),
                "MorePages",
            )],
            default: "Delivered".into(),
        }),
    );
}

/// The pager's record keeper (see [`keeper`]).
const QUEUE: &str = "QueueRecord";

/// Seconds after which a pager execution continues in a fresh one whatever its page count:
/// its limit (5 minutes for Express, the definition's hour for Standard) minus the worst one
/// page can take (a Query throttled past its retries, the hand-off, its record kept): about
/// 3.5 minutes.
fn continue_after_seconds(workflow: Workflow) -> u32 {
    match workflow {
        Workflow::Express => 60,
        Workflow::Standard => 3000,
    }
}

/// The definition for `model`.
pub fn definition(model: &Model) -> Definition {
    let mut s = States::default();
    paging(&mut s, model.workflow);
    hand_offs(&mut s, model.workflow);
    s.add(
        "Delivered",
        succeed("Every page was handed off or recorded (nobody to deliver to is a success too)"),
    );
    s.definition(
        &format!(
            "{}: hand an event's subscribers, page by page, to deliverer executions",
            model.name
        ),
        "Resume",
        match model.workflow {
            // Express workflows run at most 5 minutes.
            Workflow::Express => 300,
            // 20 pages, each with up to a minute of throttling retries, and then some.
            Workflow::Standard => 3600,
        },
    )
}
