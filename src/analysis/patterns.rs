//! EventBridge's grammar for every topic's pattern, on the raw document: runs beside the
//! schema check, so pattern errors and schema errors are reported together. Each pattern is
//! compiled once, here; the checks that match events against it later share the result.

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::pattern::CompiledPattern;

/// Every topic's compiled pattern, in spec order (the order of `topics` in the document, which
/// the typed spec keeps): `None` where the pattern is not a valid mapping.
#[derive(Debug, Default)]
pub(crate) struct TopicPatterns(Vec<Option<CompiledPattern>>);

impl TopicPatterns {
    /// The compiled pattern of the `i`-th topic, when it is valid.
    pub(crate) fn get(&self, i: usize) -> Option<&CompiledPattern> {
        self.0.get(i).and_then(Option::as_ref)
    }
}

/// Checks every `topics.<name>.pattern` that is a mapping; returns the grammar errors and
/// the compiled patterns.
pub(crate) fn check_patterns(doc: &Document, json: &Value) -> (Vec<Diagnostic>, TopicPatterns) {
    let mut out = Vec::new();
    let Some(topics) = json.get("topics").and_then(Value::as_object) else {
        return (out, TopicPatterns::default());
    };
    let mut compiled = Vec::with_capacity(topics.len());
    for (name, topic) in topics {
        let Some(pattern) = topic.get("pattern").filter(|p| p.is_object()) else {
            compiled.push(None);
            continue;
        };
        let issues = match CompiledPattern::new(pattern) {
            Ok(p) => {
                compiled.push(Some(p));
                continue;
            }
            Err(issues) => issues,
        };
        compiled.push(None);
        let base = super::ctx::path(&["topics", name, "pattern"]);
        for issue in issues {
            let p = [base.as_slice(), &issue.path].concat();
            out.push(
                Diagnostic::error(issue.code, format!("topic `{name}`: {}", issue.message))
                    .at(doc.span(&p, issue.on_key))
                    .maybe_help(issue.help),
            );
        }
    }
    (out, TopicPatterns(compiled))
}
