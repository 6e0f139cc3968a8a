//! `lambdaless-gen`: a declarative compiler from a small YAML spec to a CloudFormation
//! template, Step Functions state machines (ASL) and API Gateway VTL mapping templates that
//! push EventBridge events to WebSocket clients without any Lambda code.

pub mod pattern;
pub mod diagnostic;
pub mod document;
pub mod source;
pub mod span;
pub mod schema;
pub mod spec;
