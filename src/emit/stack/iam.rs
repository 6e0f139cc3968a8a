//! The stack's roles and the statements they are made of, each with least privilege: every
//! statement names the generated resource it needs. The only `*` is
//! `events:TestEventPattern`, which AWS does not scope to a resource.

use serde_json::{json, Value};

use super::names::kms_key_arn;
use crate::emit::ir::expr::{lit, r#ref, Expr};
use crate::emit::ir::policy::{allow, trust, PolicyDocument, Statement};
use crate::emit::ir::properties::{Policy, Role};

/// For whom a service may assume a role: the confused-deputy guidance of the Step Functions and
/// EventBridge guides, with `aws:SourceAccount` (the stack's account) and `aws:SourceArn`.
pub enum Source {
    /// Both keys, which the service documents it sets: strictly required.
    Known(Vec<Expr>),
    /// Both keys with `IfExists`: enforced whenever the service sets them (API Gateway does
    /// not document that it sets them when it assumes an integration's role).
    IfSet(Vec<Expr>),
}

impl Source {
    fn condition(&self) -> Value {
        let (arns, strict) = match self {
            Source::Known(a) => (a, true),
            Source::IfSet(a) => (a, false),
        };
        // A source ARN names the account too, so the account key is only needed without one.
        if strict && !arns.is_empty() {
            return json!({ "ArnLike": { "aws:SourceArn": arns } });
        }
        let suffix = if strict { "" } else { "IfExists" };
        let mut c = json!({
            format!("StringEquals{suffix}"): { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }
        });
        if !arns.is_empty() {
            c[format!("ArnLike{suffix}")] = json!({ "aws:SourceArn": arns });
        }
        c
    }
}

/// A role that `service` may assume for `source`, with AWS managed policies only.
pub fn managed_role(
    description: String,
    service: &str,
    source: &Source,
    managed_policy_arns: Vec<Expr>,
) -> Role {
    let mut r = role(description, service, source, String::new(), Vec::new());
    r.policies.clear();
    r.managed_policy_arns = managed_policy_arns;
    r
}

/// A role that `service` (e.g. `states.amazonaws.com`) may assume for `source`, with one
/// inline policy.
pub fn role(
    description: String,
    service: &str,
    source: &Source,
    policy_name: String,
    statements: Vec<Statement>,
) -> Role {
    Role {
        description,
        assume_role_policy_document: PolicyDocument::new(vec![trust(
            service,
            Some(source.condition()),
        )]),
        managed_policy_arns: Vec::new(),
        policies: vec![Policy {
            policy_name,
            policy_document: PolicyDocument::new(statements),
        }],
    }
}

/// `states:StartExecution` on a state machine (its Ref is its ARN).
pub fn start_execution(machine: &str) -> Statement {
    allow(
        "StartExecution",
        &["states:StartExecution"],
        vec![r#ref(machine)],
    )
}

/// `events:TestEventPattern`: AWS accepts only `*` as its resource.
pub fn test_event_pattern() -> Statement {
    allow(
        "TestEventPattern",
        &["events:TestEventPattern"],
        vec![lit("*")],
    )
}

/// Vended log delivery (Step Functions logging): AWS documents these actions with `*` only.
pub fn log_delivery() -> Statement {
    allow(
        "LogDelivery",
        &[
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        vec![lit("*")],
    )
}

/// X-Ray tracing: these actions support no resource-level permission.
pub fn xray() -> Statement {
    allow(
        "XRayTracing",
        &[
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
        ],
        vec![lit("*")],
    )
}

/// Use of the table's customer managed key, only through DynamoDB.
pub fn table_key(key: &str, write: bool) -> Statement {
    let action = if write {
        vec![
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:GenerateDataKey*",
        ]
    } else {
        vec!["kms:Decrypt", "kms:DescribeKey"]
    };
    Statement {
        sid: "TableKey",
        effect: "Allow",
        principal: None,
        action,
        resource: vec![kms_key_arn(key)],
        condition: Some(
            serde_json::json!({ "StringEquals": { "kms:ViaService": { "Fn::Sub": "dynamodb.${AWS::Region}.${AWS::URLSuffix}" } } }),
        ),
    }
}
