//! Output types only: CloudFormation values and resources, IAM policy documents and Amazon
//! States Language. Nothing here knows the spec or the [`crate::model::Model`]; the layers
//! above (`flows`, `stack`) build these values from it.

pub mod asl;
pub mod cfn;
pub mod expr;
mod fields;
pub mod json;
pub mod policy;
pub mod properties;
pub mod target;
pub mod yaml;
mod yaml_scalar;
