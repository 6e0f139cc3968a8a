//! The client protocol's refusals: one list, used by the generated state machines and by the
//! dev server, so both answer a refused request with the same `code` and `message`.

use crate::pattern::{Breach, Limit, MAX_PATTERN_CHARS};

/// Why a client request was refused (`{"type":"error","code":...}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `topics` is not a non-empty list (or its JSON is over 2,500 characters).
    BadTopics,
    /// More distinct topics than the route's `max_topics`.
    TooManyTopics,
    /// A topic the route does not allow.
    UnknownTopic,
    /// No `pattern` in the message.
    MissingPattern,
    /// A pattern over EventBridge's size limit.
    PatternTooLarge,
    /// A pattern EventBridge rejects.
    InvalidPattern,
    /// A pattern over one of the complexity limits (`crate::pattern::LIMITS`): the first
    /// one broken, with the pattern's figure.
    PatternTooComplex(Breach),
    /// The stack failed to complete the request.
    InternalError,
}

impl Refusal {
    /// The `code` field.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::BadTopics => "bad-topics",
            Refusal::TooManyTopics => "too-many-topics",
            Refusal::UnknownTopic => "unknown-topic",
            Refusal::MissingPattern => "missing-pattern",
            Refusal::PatternTooLarge => "pattern-too-large",
            Refusal::InvalidPattern => "invalid-pattern",
            Refusal::PatternTooComplex(_) => PATTERN_TOO_COMPLEX,
            Refusal::InternalError => "internal-error",
        }
    }

    /// The `message` field.
    pub fn message(self) -> String {
        match self {
            Refusal::BadTopics => "`topics` must be a non-empty list of topic names".into(),
            Refusal::TooManyTopics => "too many topics in one request".into(),
            Refusal::UnknownTopic => {
                "a requested topic does not exist or is not allowed on this route".into()
            }
            Refusal::MissingPattern => {
                "send an EventBridge event pattern in the `pattern` field".into()
            }
            Refusal::PatternTooLarge => {
                format!("the pattern is longer than EventBridge's {MAX_PATTERN_CHARS} characters")
            }
            Refusal::InvalidPattern => "EventBridge rejected the pattern".into(),
            // The connections state machine builds the same text in JSONata
            // (src/emit/jsonata/complexity.jsonata); tests/engines/jsonata/complexity.mjs
            // compares the two.
            Refusal::PatternTooComplex(Breach { limit, figure }) => {
                format!("{} {figure} (at most {})", name(limit), limit.max())
            }
            Refusal::InternalError => "the request could not be completed; try again".into(),
        }
    }
}

/// The `code` of [`Refusal::PatternTooComplex`] (the connections state machine builds that
/// reply in JSONata).
pub const PATTERN_TOO_COMPLEX: &str = "pattern-too-complex";

/// The name of a complexity figure in the `pattern-too-complex` message (the README's
/// "Client patterns: limits" defines each).
pub fn name(limit: Limit) -> &'static str {
    match limit {
        Limit::Nesting => "nesting",
        Limit::Branches => "$or branches",
        Limit::Fields => "fields",
        Limit::Values => "values",
        Limit::Costly => "costly values",
    }
}

/// Largest `topics` JSON text (in UTF-16 units, as VTL's `.length()` counts) a subscribe
/// message may carry. `States.Base64Decode` accepts at most 10,000 characters, and a UTF-16
/// unit is at most 3 UTF-8 bytes, so 2,500 units always decode (4 × 2,500 = 10,000). A larger
/// request would fail the execution with an uncatchable error instead of a reply.
pub const MAX_TOPICS_JSON: u32 = 2500;

/// The largest message API Gateway posts to (or takes from) a WebSocket client: 128 KB.
/// <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html>
pub const MAX_MESSAGE_BYTES: u32 = 131_072;

/// API Gateway closes every WebSocket connection this many seconds after `$connect`
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): records of a
/// connection live at least that long.
pub const MAX_CONNECTION_SECONDS: u64 = 7200;

/// The largest WebSocket frame API Gateway takes from a client: 32 KB (a larger message
/// must be split into frames).
pub const MAX_FRAME_BYTES: u32 = 32_768;
