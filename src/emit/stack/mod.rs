//! The CloudFormation stack: the API and its mapping templates, the data plane, the state
//! machines with their roles, and the template assembly ([`template`]) on top.

pub mod api;
pub mod connections;
pub mod data;
pub mod delivery;
pub mod iam;
pub mod logs;
pub mod machines;
pub mod mapping;
pub mod names;
pub mod parts;
pub mod template;
pub mod undelivered;
