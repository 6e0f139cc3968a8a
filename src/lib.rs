//! `lambdaless-gen`: a declarative compiler from a small YAML spec to a CloudFormation
//! template, Step Functions state machines (ASL) and API Gateway VTL mapping templates that
//! push EventBridge events to WebSocket clients without any Lambda code.
//!
//! The public modules are what the binary, the tests, the benchmarks and the fuzz target use:
//! [`compile`] (the pipeline), [`emit`] (artifacts), [`model`], [`pattern`] (EventBridge's
//! grammar and matcher), [`diagnostic`], [`render`], [`source`], [`cli`] and [`run`]. The other
//! stages are crate-private.

pub(crate) mod analysis;
pub mod cli;
pub mod compile;
pub mod dev;
pub mod diagnostic;
pub(crate) mod document;
pub mod emit;
pub(crate) mod init;
pub(crate) mod logical_id;
pub mod model;
pub(crate) mod output;
pub(crate) mod path;
pub mod pattern;
pub(crate) mod quota;
pub mod render;
pub mod run;
pub(crate) mod schema;
pub(crate) mod show_diagram;
pub mod source;
pub mod span;
pub(crate) mod spec;
pub(crate) mod test_pattern;
