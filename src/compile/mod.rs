//! The pipeline: source → document (values + spans) → schema check → typed spec →
//! analysis (the model) → emission → checks on the real output (AWS quotas).
//!
//! A spec with YAML errors stops at the document, after the checks that make sense on what
//! parses (see `compile/partial.rs`).

mod partial;
mod typed;

use std::path::PathBuf;

use crate::analysis;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::document;
use crate::emit::{self, Artifacts, Format};
use crate::model::Model;
use crate::path::PathSeg;
use crate::quota;
use crate::schema;
use crate::source::Source;
use crate::spec::Spec;

/// A successful compilation.
#[derive(Debug)]
pub struct Compiled {
    /// The validated model.
    pub model: Model,
    /// Every artifact, in memory.
    pub artifacts: Artifacts,
    /// The files a build writes (paths relative to the output folder), rendered once.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// Findings that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Compiles a spec: every artifact, or every error (sorted by position, de-duplicated).
pub fn compile(source: &Source, format: Format) -> Result<Compiled, Vec<Diagnostic>> {
    let doc = document::parse(source).map_err(|failure| tidy(partial::check(*failure)))?;
    let json = doc.to_json();
    let mut errors = schema::check(&doc, &json);
    let (pattern_errors, patterns) = analysis::check_patterns(&doc, &json);
    errors.extend(pattern_errors);
    if !errors.is_empty() {
        return Err(tidy(errors));
    }
    let spec: Spec = typed::from_json(json).map_err(|e| {
        // The schema admits only what the typed spec accepts; this is a last resort.
        vec![Diagnostic::error(
            Code::SpecInvalid,
            format!("the spec does not fit format v1: {e}"),
        )
        .at(doc.span(&[], false))]
    })?;
    let (model, mut warnings) =
        analysis::analyze(&spec, &patterns, &doc, source.dir()).map_err(tidy)?;
    let artifacts = emit::emit(&model);
    let anchor = doc.span(&[PathSeg::Key("name".into())], false);
    let files = artifacts.files(format);
    let template_bytes = files[0].1.len();
    let findings = quota::check(
        &artifacts,
        template_bytes,
        anchor,
        model.matches_in_workflow(),
    );
    warnings.extend(findings);
    let warnings = tidy(acknowledge(warnings, &model.acknowledged));
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(warnings);
    }
    Ok(Compiled {
        model,
        artifacts,
        files,
        warnings,
    })
}

/// Warnings the spec acknowledges become notes that say so: still reported, never failing
/// `--deny-warnings`.
fn acknowledge(diags: Vec<Diagnostic>, acknowledged: &[Code]) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|mut d| {
            if d.severity == Severity::Warning && acknowledged.contains(&d.code) {
                d.severity = Severity::Note;
                d.message = format!("acknowledged in the spec: {}", d.message);
            }
            d
        })
        .collect()
}

/// Sorts diagnostics by position (errors first on ties, notes last of all) and drops exact
/// duplicates.
pub fn tidy(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| {
        let pos = |d: &Diagnostic| d.span.map_or((0, 0), |s| (s.start, s.end));
        let note = |d: &Diagnostic| d.severity == Severity::Note;
        note(a)
            .cmp(&note(b))
            .then(pos(a).cmp(&pos(b)))
            .then(b.severity.cmp(&a.severity))
            .then(a.message.cmp(&b.message))
    });
    diags.dedup();
    diags
}
