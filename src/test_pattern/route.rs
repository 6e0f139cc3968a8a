//! Routing through a whole spec: which topics an event reaches, and which routes deliver it.

use crate::model::{Model, RouteKind};
use crate::pattern::{path_to_string, EventError, PatternSet};

/// One topic, and the routes that subscribe to it by name.
#[derive(Debug)]
pub(super) struct TopicRoutes {
    /// The topic's name.
    pub name: String,
    /// Keys of the subscribe routes that list it, in spec order.
    pub routes: Vec<String>,
}

/// The spec's topics in one matcher, with the routes behind them.
#[derive(Debug)]
pub(super) struct Router {
    /// Every topic's pattern, keyed by the topic's index.
    set: PatternSet<usize>,
    /// Every topic, in spec order.
    pub topics: Vec<TopicRoutes>,
    /// Keys of the routes subscribing with client patterns (`pattern: from-message`): they
    /// may deliver any event some topic admits.
    pub pattern_routes: Vec<String>,
}

/// Where one event goes.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Routed {
    /// Indices of the topics it matches, in spec order.
    pub topics: Vec<usize>,
}

impl Router {
    /// The router of a compiled spec.
    pub(super) fn new(model: &Model) -> Result<Router, String> {
        let mut set = PatternSet::new();
        let mut topics = Vec::new();
        for (i, topic) in model.topics.iter().enumerate() {
            set.add(i, &topic.pattern).map_err(|issues| {
                let first = issues.first().map_or(String::new(), |i| {
                    format!(": {} at {}", i.message, path_to_string(&i.path))
                });
                format!("topic `{}` has an invalid pattern{first}", topic.name)
            })?;
            topics.push(TopicRoutes {
                name: topic.name.clone(),
                routes: subscribers(model, &topic.name),
            });
        }
        let pattern_routes = model
            .routes
            .iter()
            .filter(|r| r.kind == RouteKind::SubscribePattern)
            .map(|r| r.key.clone())
            .collect();
        Ok(Router {
            set,
            topics,
            pattern_routes,
        })
    }

    /// Routes one event, given as JSON text.
    pub(super) fn route(&self, event: &[u8]) -> Result<Routed, EventError> {
        self.set.matches(event).map(|topics| Routed { topics })
    }

    /// The routes that subscribe by name to some topic of `routed`, once each: the first
    /// topic's routes in spec order, then the next topic's new ones.
    pub(super) fn topic_routes(&self, routed: &Routed) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for &t in &routed.topics {
            for key in &self.topics[t].routes {
                if !keys.contains(&key.as_str()) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// The client-pattern routes that may deliver `routed` (if their client's pattern matches).
    pub(super) fn pattern_routes(&self, routed: &Routed) -> &[String] {
        if routed.topics.is_empty() {
            &[]
        } else {
            &self.pattern_routes
        }
    }
}

/// Keys of the routes that let clients subscribe to `topic` by name.
fn subscribers(model: &Model, topic: &str) -> Vec<String> {
    model
        .routes
        .iter()
        .filter(|r| match &r.kind {
            RouteKind::SubscribeTopics { allowed, .. } => allowed.iter().any(|a| a == topic),
            _ => false,
        })
        .map(|r| r.key.clone())
        .collect()
}
