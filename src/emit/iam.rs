//! IAM policy documents and the stack's four roles, each with least privilege: every
//! statement names the generated resource it needs. The only `*` is
//! `events:TestEventPattern`, which AWS does not scope to a resource.

use serde::Serialize;

use super::cfn::{get_att, lit, r#ref, sub, Expr};
use super::resources::{Policy, Role};

/// An IAM policy document.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Always `2012-10-17`.
    pub version: &'static str,
    /// Statements.
    pub statement: Vec<Statement>,
}

/// One statement.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// Statement id (readable name).
    pub sid: &'static str,
    /// Always `Allow`.
    pub effect: &'static str,
    /// Who (trust policies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<serde_json::Value>,
    /// Actions.
    pub action: Vec<&'static str>,
    /// Resources (permission policies only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<Expr>,
    /// Conditions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<serde_json::Value>,
}

/// An `Allow` statement.
pub fn allow(sid: &'static str, action: &[&'static str], resource: Vec<Expr>) -> Statement {
    Statement {
        sid,
        effect: "Allow",
        principal: None,
        action: action.to_vec(),
        resource,
        condition: None,
    }
}

/// A role that `service` may assume, with AWS managed policies only.
pub fn managed_role(description: String, service: &str, managed_policy_arns: Vec<Expr>) -> Role {
    let mut r = role(description, service, String::new(), Vec::new());
    r.policies.clear();
    r.managed_policy_arns = managed_policy_arns;
    r
}

/// A role that `service` (e.g. `states.amazonaws.com`) may assume, with one inline policy.
pub fn role(
    description: String,
    service: &str,
    policy_name: String,
    statements: Vec<Statement>,
) -> Role {
    Role {
        description,
        assume_role_policy_document: PolicyDocument {
            version: "2012-10-17",
            statement: vec![Statement {
                sid: "TrustService",
                effect: "Allow",
                principal: Some(serde_json::json!({ "Service": service })),
                action: vec!["sts:AssumeRole"],
                resource: vec![],
                condition: None,
            }],
        },
        managed_policy_arns: Vec::new(),
        policies: vec![Policy {
            policy_name,
            policy_document: PolicyDocument {
                version: "2012-10-17",
                statement: statements,
            },
        }],
    }
}

/// The table's ARN.
pub fn table_arn() -> Expr {
    get_att("ConnectionsTable", "Arn")
}

/// The topic index's ARN.
pub fn topic_index_arn() -> Expr {
    sub(format!(
        "${{ConnectionsTable.Arn}}/index/{}",
        super::tasks::TOPIC_INDEX
    ))
}

/// `POST @connections/*` on this API and stage: what posting to a client needs.
/// (`{connectionId}` literally, as in the reference app, matches nothing.)
pub fn manage_connections_arn(stage: &str) -> Expr {
    sub(format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/{stage}/POST/@connections/*"))
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

/// A customer managed key's ARN: a key ID becomes an ARN in the stack's partition, region
/// and account; an ARN is used as written.
pub fn kms_key_arn(key: &str) -> Expr {
    if key.starts_with("arn:") {
        lit(key)
    } else {
        sub(format!(
            "arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:key/{key}"
        ))
    }
}

/// Use of the table's customer managed key, only through DynamoDB.
pub fn table_key(key: &str) -> Statement {
    Statement {
        sid: "TableKey",
        effect: "Allow",
        principal: None,
        action: vec![
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey*",
            "kms:ReEncrypt*",
            "kms:DescribeKey",
        ],
        resource: vec![kms_key_arn(key)],
        condition: Some(
            serde_json::json!({ "StringEquals": { "kms:ViaService": { "Fn::Sub": "dynamodb.${AWS::Region}.${AWS::URLSuffix}" } } }),
        ),
    }
}
