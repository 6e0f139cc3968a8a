//! Service calls shared by the state machines: resources, retries, the post to a
//! connection, and the purge of a connection's records.
//!
//! Placeholders `${Name}` are filled by the template's `DefinitionSubstitutions`
//! (see `crate::emit::stack::machines`), so the `.asl.json` files are exactly what the template embeds.

use serde_json::{json, Value};

use crate::emit::ir::asl::{catch, retry, Catch, ResultPath, Retry, State, Task, Transition};

// Each Task's `Resource` is one whole placeholder, filled with
// `arn:${AWS::Partition}:states:::<integration>` by DefinitionSubstitutions: the definition
// stays partition-neutral, and cfn-lint (which skips whole-placeholder values) can check the
// rest of the definition.

/// `states:::dynamodb:putItem` (optimized integration).
pub const PUT_ITEM: &str = "${DynamoDbPutItem}";
/// `states:::dynamodb:deleteItem` (optimized integration).
pub const DELETE_ITEM: &str = "${DynamoDbDeleteItem}";
/// DynamoDB Query through the AWS SDK integration (there is no optimized one).
pub const QUERY: &str = "${DynamoDbQuery}";
/// EventBridge TestEventPattern through the AWS SDK integration.
pub const TEST_EVENT_PATTERN: &str = "${EventBridgeTestEventPattern}";
/// API Gateway invoke (signed with the state machine's role).
pub const API_INVOKE: &str = "${ApiGatewayInvoke}";
/// SQS SendMessage (optimized integration).
pub const SEND_MESSAGE: &str = "${SqsSendMessage}";
/// Step Functions StartExecution, fire and forget (optimized integration).
pub const START_EXECUTION: &str = "${StartExecution}";

/// Placeholder name → the integration it stands for (after `states:::`).
pub const INTEGRATIONS: &[(&str, &str)] = &[
    ("DynamoDbPutItem", "dynamodb:putItem"),
    ("DynamoDbDeleteItem", "dynamodb:deleteItem"),
    ("DynamoDbQuery", "aws-sdk:dynamodb:query"),
    (
        "EventBridgeTestEventPattern",
        "aws-sdk:eventbridge:testEventPattern",
    ),
    ("ApiGatewayInvoke", "apigateway:invoke"),
    ("SqsSendMessage", "sqs:sendMessage"),
    ("StartExecution", "states:startExecution"),
];

/// Table name placeholder.
pub const TABLE: &str = "${ConnectionsTable}";
/// URL of the queue of undelivered work.
pub const UNDELIVERED_QUEUE: &str = "${UndeliveredQueueUrl}";
/// ARN of the deliverer state machine.
pub const DELIVERER: &str = "${DelivererArn}";
/// ARN of the connections state machine.
pub const CONNECTIONS: &str = "${ConnectionsArn}";
/// Sort key of the record a `$connect` writes.
pub const CONNECTION_SK: &str = "connection";
/// Sort key of a client-sent pattern subscription.
pub const PATTERN_SK: &str = "pattern";
/// Global secondary index: subscribers by topic.
pub const TOPIC_INDEX: &str = "topic-index";

/// `TimeoutSeconds` of every Task (see [`crate::model::timing`]): a call that hangs fails its
/// attempt with `States.Timeout`, which the state's Catch sees, instead of holding the
/// execution until the machine's own timeout, which nothing can catch. Retriers on
/// `States.TaskFailed` do not retry it (AWS: that name matches every error but
/// `States.Timeout`), so a call that hangs is recorded, not repeated.
pub use crate::model::timing::{POST_TIMEOUT_SECONDS, TASK_TIMEOUT_SECONDS};

/// Transient DynamoDB failures (throttling, 5xx) are retried; the request shapes are fixed
/// at compile time, so a validation error cannot happen.
pub fn dynamodb_retry() -> Vec<Retry> {
    vec![retry(&["States.TaskFailed"], 1, 3)]
}

/// Reading subscribers: throttling gets a long backoff (about a minute in all), other
/// transient failures the usual three retries. Past that, the page is recorded.
pub fn query_retry() -> Vec<Retry> {
    vec![
        retry(
            &[
                "DynamoDb.ProvisionedThroughputExceededException",
                "DynamoDb.RequestLimitExceededException",
                "DynamoDb.ThrottlingException",
            ],
            1,
            6,
        ),
        retry(&["States.TaskFailed"], 1, 3),
    ]
}

/// Retries API Gateway's transient answers; never 410 Gone (the connection is gone for good).
/// A non-2xx answer fails the task with `ApiGateway.<status>`.
pub fn post_retry() -> Vec<Retry> {
    vec![retry(
        &[
            "ApiGateway.429",
            "ApiGateway.500",
            "ApiGateway.502",
            "ApiGateway.503",
            "ApiGateway.504",
        ],
        1,
        3,
    )]
}

/// `POST /@connections/{connectionId}` with `body` (a Parameters value), discarding the
/// answer.
pub fn post(
    stage: &str,
    body_key: &str,
    body: Value,
    catches: Vec<Catch>,
    next: Transition,
) -> Task {
    let mut parameters = json!({
        "ApiEndpoint": "${ApiEndpoint}",
        "Method": "POST",
        "Stage": stage,
        "Path.$": "States.Format('/@connections/{}', $.connectionId)",
        "AuthType": "IAM_ROLE"
    });
    parameters[body_key] = body;
    Task {
        comment: Some(
            "Send a message to the client through the API's @connections endpoint".into(),
        ),
        resource: API_INVOKE.into(),
        parameters,
        result_selector: None,
        result_path: ResultPath::Discard,
        retry: post_retry(),
        catch: catches,
        timeout_seconds: POST_TIMEOUT_SECONDS,
        transition: next,
    }
}

/// Query every record of the connection at `$.connectionId` (keys only). One page always
/// suffices: a connection has one record per subscribed topic plus two, each < 100 bytes,
/// far below DynamoDB's 1 MB page.
pub fn query_connection(result_path: &'static str, catches: Vec<Catch>, next: &str) -> State {
    State::Task(Task {
        comment: Some("List the connection's records (keys only)".into()),
        resource: QUERY.into(),
        parameters: json!({
            "TableName": TABLE,
            "KeyConditionExpression": "#c = :c",
            "ProjectionExpression": "#c, #s",
            "ExpressionAttributeNames": { "#c": "connectionId", "#s": "sk" },
            "ExpressionAttributeValues": { ":c": { "S.$": "$.connectionId" } },
            "ConsistentRead": true
        }),
        result_selector: Some(json!({ "items.$": "$.Items" })),
        result_path: ResultPath::At(result_path),
        retry: dynamodb_retry(),
        catch: catches,
        timeout_seconds: TASK_TIMEOUT_SECONDS,
        transition: Transition::next(next),
    })
}

/// Catch everything into `next`, keeping the error at `$.error`.
pub fn catch_all(next: &str) -> Vec<Catch> {
    vec![catch(&["States.ALL"], ResultPath::At("$.error"), next)]
}
