#![warn(missing_docs)]
//! `lambdaless-gen`: a declarative compiler from a small YAML spec to a CloudFormation
//! template, Step Functions state machines (ASL) and API Gateway VTL mapping templates that
//! push EventBridge events to WebSocket clients without any Lambda code.

pub mod analysis;
pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod document;
pub mod emit;
pub mod logical_id;
pub mod model;
pub mod output;
pub mod path;
pub mod pattern;
pub mod quota;
pub mod render;
pub mod run;
pub mod schema;
pub mod source;
pub mod span;
pub mod spec;
pub mod test_pattern;
