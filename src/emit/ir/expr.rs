//! CloudFormation values: literals and the intrinsic functions the generator uses.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

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
