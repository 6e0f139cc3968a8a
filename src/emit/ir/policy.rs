//! IAM policy documents, typed for serde (trust and permission policies alike).

use serde::Serialize;

use super::expr::Expr;

/// An IAM policy document.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Always `2012-10-17`.
    pub version: &'static str,
    /// Statements.
    pub statement: Vec<Statement>,
}

impl PolicyDocument {
    /// A document of `statements` in the current policy language version.
    pub fn new(statement: Vec<Statement>) -> Self {
        PolicyDocument {
            version: "2012-10-17",
            statement,
        }
    }
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

/// A trust statement: `service` (e.g. `states.amazonaws.com`) may assume the role, under
/// `condition`.
pub fn trust(service: &str, condition: Option<serde_json::Value>) -> Statement {
    Statement {
        sid: "TrustService",
        effect: "Allow",
        principal: Some(serde_json::json!({ "Service": service })),
        action: vec!["sts:AssumeRole"],
        resource: vec![],
        condition,
    }
}
