//! A WebSocket route and what its action implies. Every fact about an action lives on
//! [`RouteKind`], matched exhaustively, so adding an action makes the compiler list every
//! place that must handle it.

use crate::spec::Throttle;

/// One WebSocket route.
#[derive(Clone, Debug)]
pub struct Route {
    /// Route key as API Gateway sees it (`$connect`, `subscribe`).
    pub key: String,
    /// Logical-ID stem (`RouteConnect`, `RouteSubscribe`).
    pub id: String,
    /// File-name stem for its mapping templates (`_connect`, `subscribe`).
    pub file: String,
    /// Integration description.
    pub description: Option<String>,
    /// Route throttling (overrides the stage's).
    pub throttling: Option<Throttle>,
    /// What it does.
    pub kind: RouteKind,
}

/// What a route does, with everything it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// Record the connection.
    Connect,
    /// Forget the connection.
    Disconnect,
    /// Subscribe to some of `allowed` (topic names), at most `max_topics` per message.
    SubscribeTopics {
        /// Topics this route may subscribe to.
        allowed: Vec<String>,
        /// Most topics one message may name.
        max_topics: u32,
    },
    /// Subscribe with a client-sent EventBridge pattern.
    SubscribePattern,
    /// Drop every subscription.
    Unsubscribe,
    /// Put the client's message on the bus.
    Publish {
        /// Event `source`.
        source: String,
        /// Event `detail-type`.
        detail_type: String,
    },
}

/// What a route's integration calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `StartExecution` of the connections state machine.
    ConnectionsMachine,
    /// `PutEvents` on the bus.
    Bus,
}

/// What the connections machine's input carries beyond the common fields (`action`, `route`,
/// `connectionId`, `requestTime`, `expiresAt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachineInput {
    /// Nothing from the client's message.
    Plain,
    /// The client's `topics` (base64) with the route's allowed topics and `max_topics`.
    Topics,
    /// The client's `pattern` (base64) and its size.
    Pattern,
}

/// How a client learns the outcome of its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// It does not (`$disconnect`: the client is gone).
    Silent,
    /// API Gateway answers with the integration's response (`$connect` needs one to accept
    /// the connection; publish returns `{"type":"published",...}`).
    RouteResponse,
    /// The connections machine posts a reply over the `@connections` API.
    Posted,
}

impl RouteKind {
    /// The action word: the spec's `do` and the connections machine's `action` input.
    pub fn action(&self) -> &'static str {
        match self {
            RouteKind::Connect => "connect",
            RouteKind::Disconnect => "disconnect",
            RouteKind::SubscribeTopics { .. } | RouteKind::SubscribePattern => "subscribe",
            RouteKind::Unsubscribe => "unsubscribe",
            RouteKind::Publish { .. } => "publish",
        }
    }

    /// What the route's integration calls.
    pub fn target(&self) -> Target {
        match self {
            RouteKind::Connect
            | RouteKind::Disconnect
            | RouteKind::SubscribeTopics { .. }
            | RouteKind::SubscribePattern
            | RouteKind::Unsubscribe => Target::ConnectionsMachine,
            RouteKind::Publish { .. } => Target::Bus,
        }
    }

    /// What the connections machine receives (`None` for routes that do not start it).
    pub fn machine_input(&self) -> Option<MachineInput> {
        match self {
            RouteKind::Connect | RouteKind::Disconnect | RouteKind::Unsubscribe => {
                Some(MachineInput::Plain)
            }
            RouteKind::SubscribeTopics { .. } => Some(MachineInput::Topics),
            RouteKind::SubscribePattern => Some(MachineInput::Pattern),
            RouteKind::Publish { .. } => None,
        }
    }

    /// How the client learns the outcome.
    pub fn reply(&self) -> Reply {
        match self {
            RouteKind::Disconnect => Reply::Silent,
            RouteKind::Connect | RouteKind::Publish { .. } => Reply::RouteResponse,
            RouteKind::SubscribeTopics { .. }
            | RouteKind::SubscribePattern
            | RouteKind::Unsubscribe => Reply::Posted,
        }
    }

    /// Whether the route is `$connect`, where authorization and API keys apply.
    pub fn is_connect(&self) -> bool {
        matches!(self, RouteKind::Connect)
    }
}
