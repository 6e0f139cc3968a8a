//! CloudFormation template structure, typed for serde: the template, its resources and
//! outputs. A resource's `Type` comes from its property variant, so the two cannot disagree.

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::expr::Expr;
use super::properties::Properties;

/// Resources by logical ID, in emission order.
pub type Resources = IndexMap<String, Resource>;

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
    /// Values chosen at deployment.
    #[serde(rename = "Parameters")]
    pub parameters: IndexMap<String, Parameter>,
    /// Resources in a stable, readable order.
    #[serde(rename = "Resources")]
    pub resources: IndexMap<String, Resource>,
    /// Stack outputs.
    #[serde(rename = "Outputs")]
    pub outputs: IndexMap<String, Output>,
}

/// One resource. Serialized as CloudFormation writes it: `Type` (from the properties'
/// variant), `DependsOn`, `DeletionPolicy`, `UpdateReplacePolicy`, `Metadata`, `Properties`.
#[derive(Clone, Debug)]
pub struct Resource {
    /// What must exist first when no reference says so.
    pub depends_on: Vec<String>,
    /// What happens to the data when the resource is deleted.
    pub deletion_policy: Option<&'static str>,
    /// What happens to the data when an update replaces the resource.
    pub update_replace_policy: Option<&'static str>,
    /// Resource metadata (justified checkov skips).
    pub metadata: Option<serde_json::Value>,
    /// The typed properties; they determine the resource type.
    pub properties: Properties,
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Type", self.kind())?;
        if !self.depends_on.is_empty() {
            m.serialize_entry("DependsOn", &self.depends_on)?;
        }
        if let Some(p) = self.deletion_policy {
            m.serialize_entry("DeletionPolicy", p)?;
        }
        if let Some(p) = self.update_replace_policy {
            m.serialize_entry("UpdateReplacePolicy", p)?;
        }
        if let Some(meta) = &self.metadata {
            m.serialize_entry("Metadata", meta)?;
        }
        m.serialize_entry("Properties", &self.properties)?;
        m.end()
    }
}

impl Resource {
    /// A resource with `properties` (its type follows from them).
    pub fn new(properties: Properties) -> Self {
        Resource {
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: None,
            properties,
        }
    }

    /// `AWS::Service::Type`.
    pub fn kind(&self) -> &'static str {
        self.properties.kind()
    }

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

/// A template parameter (a string).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// Always `String`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    /// What it is for.
    pub description: String,
    /// Used when a deployment gives none.
    pub default: String,
    /// What a value must look like.
    pub allowed_pattern: &'static str,
    /// Shortest value.
    pub min_length: usize,
    /// Longest value.
    pub max_length: usize,
    /// Shown when a value is refused.
    pub constraint_description: String,
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
