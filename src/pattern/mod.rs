//! EventBridge event patterns: grammar validation and matching.
