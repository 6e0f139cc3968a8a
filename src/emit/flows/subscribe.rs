//! The subscribe flows of the connections state machine: by topic (the client picks among
//! the route's topics) and by client-sent pattern (validated by EventBridge first, then
//! measured against the complexity limits: `super::complexity`). Every
//! refusal is an `error` reply to the client, never a failed execution.

use serde_json::json;

use super::complexity;
use super::states::{pass, put, reject, reply};
use super::tasks::{self, catch_all};
use crate::emit::ir::asl::{
    catch, no_retry, retry, rule, succeed, Choice, Fail, MapState, ResultPath, State, States, Task,
    Transition,
};
use crate::model::protocol::{Refusal, MAX_TOPICS_JSON};
use crate::model::PATTERN_PARTITION;
use crate::pattern::MAX_PATTERN_CHARS;

/// States for subscribing to topics (entry: `CheckTopicsRequest`).
pub fn subscribe_topics(s: &mut States) {
    s.add(
        "CheckTopicsRequest",
        State::Choice(Choice {
            comment: Some("No `topics` in the message means every topic the route allows".into()),
            choices: vec![
                rule(
                    "$.topicsSize",
                    "NumericEquals",
                    json!(0),
                    "UseAllowedTopics",
                ),
                rule(
                    "$.topicsSize",
                    "NumericGreaterThan",
                    json!(MAX_TOPICS_JSON),
                    "RejectTopicsRequest",
                ),
            ],
            default: "DecodeTopics".into(),
        }),
    );
    s.add(
        "UseAllowedTopics",
        pass(
            "Every allowed topic",
            json!({ "list.$": "$.allowed" }),
            "$.requested",
            "DedupeTopics",
        ),
    );
    s.add(
        "DecodeTopics",
        pass(
            "The client's `topics`, as it sent them",
            json!({ "list.$": "States.StringToJson(States.Base64Decode($.topics))" }),
            "$.requested",
            "IsTopicList",
        ),
    );
    s.add(
        "IsTopicList",
        State::Choice(Choice {
            comment: Some("Only a non-empty list has an element 0".into()),
            choices: vec![rule(
                "$.requested.list[0]",
                "IsPresent",
                json!(true),
                "DedupeTopics",
            )],
            default: "RejectTopicsRequest".into(),
        }),
    );
    s.add(
        "DedupeTopics",
        pass(
            "Each topic once",
            json!({
                "list.$": "States.ArrayUnique($.requested.list)",
                "count.$": "States.ArrayLength(States.ArrayUnique($.requested.list))"
            }),
            "$.requested",
            "CheckTopicCount",
        ),
    );
    s.add(
        "CheckTopicCount",
        State::Choice(Choice {
            comment: None,
            choices: vec![rule(
                "$.requested.count",
                "NumericGreaterThanPath",
                json!("$.maxTopics"),
                "RejectTooManyTopics",
            )],
            default: "CheckTopicNames".into(),
        }),
    );
    let mut check = States::default();
    check.add(
        "IsAllowedTopic",
        pass(
            "Is it one of the route's topics?",
            json!({ "ok.$": "States.ArrayContains($.allowed, $.topic)" }),
            "$.check",
            "TopicAllowed",
        ),
    );
    check.add(
        "TopicAllowed",
        State::Choice(Choice {
            comment: None,
            choices: vec![rule(
                "$.check.ok",
                "BooleanEquals",
                json!(true),
                "TopicAccepted",
            )],
            default: "TopicRefused".into(),
        }),
    );
    check.add("TopicAccepted", succeed("Allowed"));
    check.add(
        "TopicRefused",
        State::Fail(Fail {
            error: "UnknownTopic".into(),
            cause: "the route does not allow this topic".into(),
        }),
    );
    s.add(
        "CheckTopicNames",
        State::Map(Box::new(MapState {
            comment: Some("Refuse the whole request if any topic is not allowed".into()),
            items_path: "$.requested.list",
            item_selector: json!({ "topic.$": "$$.Map.Item.Value", "allowed.$": "$.allowed" }),
            max_concurrency: 0,
            item_processor: check.processor("IsAllowedTopic"),
            result_selector: None,
            result_path: ResultPath::Discard,
            catch: vec![catch(
                &["UnknownTopic"],
                ResultPath::At("$.error"),
                "RejectUnknownTopic",
            )],
            transition: Transition::next("SaveTopics"),
        })),
    );
    let mut save = States::default();
    save.add(
        "SaveTopic",
        put(
            "One record per (connection, topic), indexed by topic",
            json!({
                "connectionId": { "S.$": "$.connectionId" },
                "sk": { "S.$": "States.Format('topic#{}', $.topic)" },
                "topic": { "S.$": "$.topic" },
                "expiresAt": { "N.$": "States.JsonToString($.expiresAt)" }
            }),
            Transition::end(),
            vec![],
        ),
    );
    s.add(
        "SaveTopics",
        State::Map(Box::new(MapState {
            comment: Some("Store the subscriptions".into()),
            items_path: "$.requested.list",
            item_selector: json!({
                "topic.$": "$$.Map.Item.Value",
                "connectionId.$": "$.connectionId",
                "expiresAt.$": "$.expiresAt"
            }),
            max_concurrency: 10,
            item_processor: save.processor("SaveTopic"),
            result_selector: None,
            result_path: ResultPath::Discard,
            catch: catch_all("ReplyFailure"),
            transition: Transition::next("ReplyTopicsSubscribed"),
        })),
    );
    s.add(
        "ReplyTopicsSubscribed",
        reply(
            "Confirm",
            json!({ "type": "subscribed", "route.$": "$.route", "topics.$": "$.requested.list" }),
        ),
    );
    s.add("RejectTopicsRequest", reject(Refusal::BadTopics));
    s.add("RejectTooManyTopics", reject(Refusal::TooManyTopics));
    s.add("RejectUnknownTopic", reject(Refusal::UnknownTopic));
}

/// States for subscribing with a client pattern (entry: `CheckPatternRequest`).
pub fn subscribe_pattern(s: &mut States) {
    s.add(
        "CheckPatternRequest",
        State::Choice(Choice {
            comment: Some(format!(
                "EventBridge patterns are at most {MAX_PATTERN_CHARS} characters"
            )),
            choices: vec![
                rule(
                    "$.patternSize",
                    "NumericEquals",
                    json!(0),
                    "RejectMissingPattern",
                ),
                rule(
                    "$.patternSize",
                    "NumericGreaterThan",
                    json!(MAX_PATTERN_CHARS),
                    "RejectLargePattern",
                ),
            ],
            default: "ValidatePattern".into(),
        }),
    );
    s.add(
        "ValidatePattern",
        State::Task(Task {
            comment: Some("Let EventBridge check the pattern's grammar before storing it".into()),
            resource: tasks::TEST_EVENT_PATTERN.into(),
            parameters: json!({
                "EventPattern.$": "States.Base64Decode($.pattern)",
                "Event": "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"account\":\"${AccountId}\",\"source\":\"lambdaless-gen.validation\",\"time\":\"1970-01-01T00:00:00Z\",\"region\":\"${Region}\",\"resources\":[],\"detail-type\":\"validation\",\"detail\":{}}"
            }),
            result_selector: None,
            result_path: ResultPath::Discard,
            retry: vec![
                no_retry(&["EventBridge.InvalidEventPatternException"]),
                retry(&["States.TaskFailed"], 1, 3),
            ],
            catch: vec![
                catch(&["EventBridge.InvalidEventPatternException"], ResultPath::At("$.error"), "RejectInvalidPattern"),
                catch(&["States.ALL"], ResultPath::At("$.error"), "ReplyFailure"),
            ],
            timeout_seconds: tasks::TASK_TIMEOUT_SECONDS,
            transition: Transition::next(complexity::START),
        }),
    );
    complexity::check_complexity(s, "SavePattern");
    s.add(
        "SavePattern",
        put(
            "Store the pattern under the pattern partition of the topic index (one per connection), then send the confirmation `MeasurePattern` prepared",
            json!({
                "connectionId": { "S.$": "$.connectionId" },
                "sk": { "S": tasks::PATTERN_SK },
                "topic": { "S": PATTERN_PARTITION },
                "pattern": { "S.$": "States.Base64Decode($.pattern)" },
                "expiresAt": { "N.$": "States.JsonToString($.expiresAt)" }
            }),
            Transition::next("SendReply"),
            catch_all("ReplyFailure"),
        ),
    );
    s.add("RejectMissingPattern", reject(Refusal::MissingPattern));
    s.add("RejectLargePattern", reject(Refusal::PatternTooLarge));
    s.add("RejectInvalidPattern", reject(Refusal::InvalidPattern));
}
