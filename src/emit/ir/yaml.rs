//! The template as compact YAML: block style for the outline a reviewer scans (sections,
//! resources, their attributes, each property), and every property value on one line as JSON,
//! which YAML reads as a flow collection or a double-quoted scalar.
//!
//! That keeps a diff per property while the template stays small enough for CloudFormation's
//! 51,200-byte inline limit (block YAML spends most of its bytes on indentation).
//!
//! Written from the typed [`Template`] (see `fields.rs`), without a `serde_json::Value` of it.

use serde::Serialize;

use super::cfn::Template;
use super::fields::{push_fields, push_value};
use super::yaml_scalar::push_key;

/// Top-level sections whose entries are written in block style, each entry's fields too.
pub(crate) const BLOCK_SECTIONS: [&str; 3] = ["Parameters", "Resources", "Outputs"];

/// `template` as YAML text.
pub fn template_yaml(template: &Template) -> String {
    let mut out = Vec::with_capacity(64 * 1024);
    line(
        &mut out,
        "AWSTemplateFormatVersion",
        &template.format_version,
    );
    line(&mut out, "Description", &template.description);
    line(&mut out, "Metadata", &template.metadata);
    block(&mut out, "Parameters", &template.parameters);
    block(&mut out, "Resources", &template.resources);
    block(&mut out, "Outputs", &template.outputs);
    String::from_utf8(out).expect("the template is written from UTF-8 text")
}

/// `Key: value` on one line.
fn line<T: Serialize + ?Sized>(out: &mut Vec<u8>, key: &str, value: &T) {
    push_key(out, key);
    out.extend_from_slice(b": ");
    push_value(out, value);
    out.push(b'\n');
}

/// A section in block style: each entry's fields at depth 2, `Properties` one level deeper.
fn block<T: Serialize>(out: &mut Vec<u8>, section: &str, entries: &indexmap::IndexMap<String, T>) {
    push_key(out, section);
    out.extend_from_slice(b":\n");
    for (name, entry) in entries {
        out.extend_from_slice(b"  ");
        push_key(out, name);
        out.extend_from_slice(b":\n");
        if push_fields(out, "    ", Some("Properties"), entry).is_none() {
            out.extend_from_slice(b"    ");
            push_value(out, entry);
            out.push(b'\n');
        }
    }
}
