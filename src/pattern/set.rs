//! [`PatternSet`]: many patterns matched against one event at once.
//!
//! This first version keeps one [`CompiledPattern`] per key and parses the event into a
//! `serde_json::Value`; the API is the one the compiled automaton will keep.

use super::issue::PatternIssue;
use super::matcher::CompiledPattern;
use serde_json::Value;

/// A set of EventBridge patterns, each under a caller-chosen key, matched together.
#[derive(Debug, Clone)]
pub struct PatternSet<K> {
    patterns: Vec<(K, CompiledPattern)>,
}

/// Why an event could not be matched: it is not one JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    /// What is wrong, in serde_json's words.
    pub message: String,
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EventError {}

impl<K> Default for PatternSet<K> {
    fn default() -> Self {
        PatternSet {
            patterns: Vec::new(),
        }
    }
}

impl<K: Clone> PatternSet<K> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `pattern` under `key`, or returns its grammar issues (see `validate`).
    pub fn add(&mut self, key: K, pattern: &Value) -> Result<(), Vec<PatternIssue>> {
        let compiled = CompiledPattern::new(pattern)?;
        self.patterns.push((key, compiled));
        Ok(())
    }

    /// The keys of every pattern `event` (JSON text) matches, in the order they were added.
    pub fn matches(&self, event: &[u8]) -> Result<Vec<K>, EventError> {
        let value: Value = serde_json::from_slice(event).map_err(|e| EventError {
            message: e.to_string(),
        })?;
        if !value.is_object() {
            return Err(EventError {
                message: "an event must be a JSON object".to_owned(),
            });
        }
        Ok(self.matches_value(&value))
    }

    /// The keys of every pattern an already-parsed `event` matches, in the order they were added.
    pub fn matches_value(&self, event: &Value) -> Vec<K> {
        self.patterns
            .iter()
            .filter(|(_, p)| p.matches(event))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// How many patterns the set holds.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}
