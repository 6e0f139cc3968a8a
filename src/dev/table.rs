//! The connections table, as the deployed stack keeps it in DynamoDB: one record per
//! connection, one per (connection, topic) indexed by topic, and at most one client pattern
//! per connection (the pattern partition of the topic index).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::Value;

use crate::pattern::CompiledPattern;

/// A client's own pattern, as stored (its text) and compiled for matching.
#[derive(Debug)]
pub(crate) struct StoredPattern {
    /// The pattern as the client sent it (JSON text).
    pub text: String,
    /// Compiled once, when stored.
    pub compiled: CompiledPattern,
}

/// The records.
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// Connection records: connection id -> connected at (epoch seconds).
    connections: HashMap<String, u64>,
    /// The topic index: topic -> connection ids.
    topics: BTreeMap<String, BTreeSet<String>>,
    /// Topics of each connection (to forget them).
    by_connection: HashMap<String, BTreeSet<String>>,
    /// Client patterns by connection id.
    patterns: BTreeMap<String, Arc<StoredPattern>>,
}

/// Who a rule's delivery reaches: topic subscribers, or pattern subscribers with their
/// patterns.
#[derive(Debug)]
pub(crate) enum Audience {
    /// Subscribers of one topic.
    Topic(Vec<String>),
    /// Connections with a client pattern.
    Patterns(Vec<(String, Arc<StoredPattern>)>),
}

impl Audience {
    /// How many records the delivery read.
    pub(crate) fn len(&self) -> usize {
        match self {
            Audience::Topic(ids) => ids.len(),
            Audience::Patterns(p) => p.len(),
        }
    }
}

impl Table {
    /// `$connect`: the connection record.
    pub(crate) fn put_connection(&mut self, id: &str, connected_at: u64) {
        self.connections.insert(id.to_owned(), connected_at);
    }

    /// Subscribes `id` to `topics` (added to what it has).
    pub(crate) fn subscribe(&mut self, id: &str, topics: &[String]) {
        for t in topics {
            self.topics
                .entry(t.clone())
                .or_default()
                .insert(id.to_owned());
            self.by_connection
                .entry(id.to_owned())
                .or_default()
                .insert(t.clone());
        }
    }

    /// Stores `id`'s pattern, replacing any earlier one.
    pub(crate) fn set_pattern(&mut self, id: &str, pattern: StoredPattern) {
        self.patterns.insert(id.to_owned(), Arc::new(pattern));
    }

    /// Deletes `id`'s subscriptions, and its connection record unless `keep_connection`;
    /// returns how many records were deleted.
    pub(crate) fn forget(&mut self, id: &str, keep_connection: bool) -> usize {
        let mut deleted = 0;
        for t in self.by_connection.remove(id).unwrap_or_default() {
            if let Some(set) = self.topics.get_mut(&t) {
                deleted += usize::from(set.remove(id));
                if set.is_empty() {
                    self.topics.remove(&t);
                }
            }
        }
        deleted += usize::from(self.patterns.remove(id).is_some());
        if !keep_connection {
            deleted += usize::from(self.connections.remove(id).is_some());
        }
        deleted
    }

    /// Drops every subscription to a topic not in `keep`, and every pattern when `patterns`
    /// is false (after a reload removed them); returns how many records were dropped.
    pub(crate) fn retain(&mut self, keep: &BTreeSet<&str>, patterns: bool) -> usize {
        let gone: Vec<String> = self
            .topics
            .keys()
            .filter(|t| !keep.contains(t.as_str()))
            .cloned()
            .collect();
        let mut dropped = 0;
        for t in gone {
            for id in self.topics.remove(&t).unwrap_or_default() {
                dropped += 1;
                if let Some(set) = self.by_connection.get_mut(&id) {
                    set.remove(&t);
                }
            }
        }
        if !patterns {
            dropped += self.patterns.len();
            self.patterns.clear();
        }
        dropped
    }

    /// The audience of a partition: a topic's subscribers, or every client pattern (`*`).
    pub(crate) fn audience(&self, partition: &str, pattern_partition: bool) -> Audience {
        if pattern_partition {
            return Audience::Patterns(
                self.patterns
                    .iter()
                    .map(|(id, p)| (id.clone(), Arc::clone(p)))
                    .collect(),
            );
        }
        Audience::Topic(
            self.topics
                .get(partition)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
        )
    }

    /// `id`'s records as JSON (for the console and tests): topics and pattern.
    pub(crate) fn describe(&self, id: &str) -> Value {
        let topics: Vec<&String> = self
            .by_connection
            .get(id)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        serde_json::json!({
            "connected": self.connections.contains_key(id),
            "topics": topics,
            "pattern": self.patterns.get(id).map(|p| p.text.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pattern(v: Value) -> StoredPattern {
        StoredPattern {
            text: v.to_string(),
            compiled: CompiledPattern::new(&v).unwrap(),
        }
    }

    #[test]
    fn subscriptions_are_indexed_and_forgotten() {
        let mut t = Table::default();
        t.put_connection("A", 1);
        t.put_connection("B", 1);
        t.subscribe("A", &["orders".into(), "payments".into()]);
        t.subscribe("B", &["orders".into()]);
        t.set_pattern("B", pattern(json!({"source": ["x"]})));
        assert_eq!(t.audience("orders", false).len(), 2);
        assert_eq!(t.audience("*", true).len(), 1);
        assert_eq!(t.forget("B", true), 2, "a topic and a pattern");
        assert_eq!(t.audience("orders", false).len(), 1);
        assert_eq!(t.describe("B")["connected"], true);
        assert_eq!(t.forget("A", false), 3);
        assert_eq!(
            t.describe("A"),
            json!({"connected": false, "topics": [], "pattern": null})
        );
        t.subscribe("B", &["orders".into(), "gone".into()]);
        assert_eq!(t.retain(&BTreeSet::from(["orders"]), false), 1);
        assert_eq!(t.describe("B")["topics"], json!(["orders"]));
    }
}
