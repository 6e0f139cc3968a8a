//! CloudFormation template structure and intrinsic functions, typed for serde.

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::resources::Properties;

/// A value that CloudFormation may compute: a literal or an intrinsic function.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A plain string.
    Lit(String),
    /// `{"Ref": name}`.
    Ref(String),
    /// `{"Fn::GetAtt": [resource, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Sub": text}`: `${Name}` refers to a resource, a pseudo parameter or an attribute.
    Sub(String),
}

/// `"text"`.
pub fn lit(s: impl Into<String>) -> Expr {
    Expr::Lit(s.into())
}

/// `!Ref name`.
pub fn r#ref(name: &str) -> Expr {
    Expr::Ref(name.to_owned())
}

/// `!GetAtt resource.attribute`.
pub fn get_att(resource: &str, attribute: &str) -> Expr {
    Expr::GetAtt(resource.to_owned(), attribute.to_owned())
}

/// `!Sub text`.
pub fn sub(text: impl Into<String>) -> Expr {
    Expr::Sub(text.into())
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Lit(v) => s.serialize_str(v),
            Expr::Ref(r) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("Ref", r)?;
                m.end()
            }
            Expr::GetAtt(r, a) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("Fn::GetAtt", &[r, a])?;
                m.end()
            }
            Expr::Sub(t) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("Fn::Sub", t)?;
                m.end()
            }
        }
    }
}

/// A whole template.
#[derive(Clone, Debug, Serialize)]
pub struct Template {
    /// Always `2010-09-09`.
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: &'static str,
    /// Shown in the console.
    #[serde(rename = "Description")]
    pub description: String,
    /// Generator information.
    #[serde(rename = "Metadata")]
    pub metadata: serde_json::Value,
    /// Resources in a stable, readable order.
    #[serde(rename = "Resources")]
    pub resources: IndexMap<String, Resource>,
    /// Stack outputs.
    #[serde(rename = "Outputs")]
    pub outputs: IndexMap<String, Output>,
}

/// One resource.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    /// `AWS::Service::Type`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// What must exist first when no reference says so.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// What happens to the data when the resource is deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<&'static str>,
    /// What happens to the data when an update replaces the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<&'static str>,
    /// Resource metadata (justified checkov skips).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Value>,
    /// The typed properties.
    pub properties: Properties,
}

impl Resource {
    /// A resource of `kind` with `properties`.
    pub fn new(kind: &'static str, properties: Properties) -> Self {
        Resource {
            kind,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: None,
            properties,
        }
    }
}

impl Resource {
    /// Sets both DeletionPolicy and UpdateReplacePolicy (cfn-lint wants them paired).
    pub fn keep(mut self, policy: &'static str) -> Self {
        self.deletion_policy = Some(policy);
        self.update_replace_policy = Some(policy);
        self
    }

    /// Records checkov checks that do not apply, each with the reason a reviewer reads.
    pub fn skip_checks(mut self, skips: &[(&str, &str)]) -> Self {
        if !skips.is_empty() {
            let list: Vec<_> = skips
                .iter()
                .map(|(id, why)| serde_json::json!({ "id": id, "comment": why }))
                .collect();
            self.metadata = Some(serde_json::json!({ "checkov": { "skip": list } }));
        }
        self
    }
}

/// One output.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// What it is.
    pub description: String,
    /// Its value.
    pub value: Expr,
}
