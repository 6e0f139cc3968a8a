//! Log groups: the spec's retention and key; retained when the stack is deleted.

use super::names::kms_key_arn;
use crate::emit::ir::cfn::Resource;
use crate::emit::ir::properties::{LogGroup, Properties};
use crate::model::Model;

/// A log group with the spec's retention and key. Logs are evidence: they outlive the stack
/// (Retain), and CloudFormation names them, so a redeployed stack never collides with them.
pub fn log_group(model: &Model) -> Resource {
    let o = &model.observability;
    let r = Resource::new(Properties::LogGroup(LogGroup {
        retention_in_days: o.log_retention_days,
        kms_key_id: o.log_kms_key.as_deref().map(kms_key_arn),
    }))
    .keep("Retain");
    if o.log_kms_key.is_some() {
        r
    } else {
        r.skip_checks(&[(
            "CKV_AWS_158",
            "No observability.log_kms_key in the spec: CloudWatch Logs encrypts log data at rest with a service-owned key",
        )])
    }
}
