//! What every analysis pass shares: the diagnostics so far, and spans of spec paths.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::path::{self as spec_path, PathSeg};
use crate::span::Span;

/// Where spec paths are written: builds `PathSeg` lists tersely.
pub(crate) fn path(segs: &[&str]) -> Vec<PathSeg> {
    spec_path::keys(segs)
}

/// Accumulates diagnostics and answers span look-ups.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// Span of the value at `segs`.
    pub(super) fn value(&self, segs: &[&str]) -> Span {
        self.doc.span(&path(segs), false)
    }

    /// Span of the key at `segs`.
    pub(super) fn key(&self, segs: &[&str]) -> Span {
        self.doc.span(&path(segs), true)
    }

    /// Records a diagnostic.
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}
