//! `api.routes.<key>:`: what one WebSocket route does.

use serde::Deserialize;

use super::throttle::Throttle;

/// One route as written in the spec. Which keys apply depends on `do`; the analysis
/// reports keys that do not apply, with their spans.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Route {
    /// What the route does.
    #[serde(rename = "do")]
    pub action: Action,
    /// Free text for the integration's Description.
    pub description: Option<String>,
    /// subscribe: `from-message`.
    pub pattern: Option<String>,
    /// subscribe: allowed topics.
    pub topics: Option<Vec<String>>,
    /// subscribe with topics: most topics per message.
    pub max_topics: Option<u32>,
    /// publish: event source.
    pub source: Option<String>,
    /// publish: event detail-type.
    pub detail_type: Option<String>,
    /// publish: the events may reach the subscribers of a topic (a deliberate loop).
    pub loopback: Option<bool>,
    /// Route throttling.
    pub throttling: Option<Throttle>,
}

/// What a route does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Action {
    /// Record the connection (`$connect`).
    Connect,
    /// Forget the connection and its subscriptions (`$disconnect`).
    Disconnect,
    /// Subscribe to topics or to a client-sent pattern.
    Subscribe,
    /// Drop every subscription of the connection.
    Unsubscribe,
    /// Put the client's message on the bus.
    Publish,
}

impl Action {
    /// The spelling used in the spec.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Connect => "connect",
            Action::Disconnect => "disconnect",
            Action::Subscribe => "subscribe",
            Action::Unsubscribe => "unsubscribe",
            Action::Publish => "publish",
        }
    }
}
