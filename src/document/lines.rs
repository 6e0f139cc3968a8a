//! Positions in the spec text: saphyr's character indices as byte offsets, and lines.

use crate::span::Span;

/// Converts saphyr's character indices into byte offsets.
pub(super) struct Offsets<'t> {
    pub(super) text: &'t str,
    /// Byte offset of each char, only for non-ASCII text (ASCII maps one to one).
    table: Option<Vec<u32>>,
}

impl<'t> Offsets<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let table =
            (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b as u32).collect());
        Offsets { text, table }
    }

    /// The byte offset of the char at `char_index` (the text's end past the last char).
    pub(super) fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.text.len()),
            Some(t) => t.get(char_index).map_or(self.text.len(), |&b| b as usize),
        }
    }

    /// A saphyr span as a byte span.
    pub(super) fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Byte offset where the line holding `offset` starts.
pub(super) fn line_start(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// The line starting at byte `start`, without its line break.
pub(super) fn line_at(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or_default();
    rest.split(['\n', '\r']).next().unwrap_or_default()
}

/// Byte offset where the line after the one starting at `start` begins, if there is one.
pub(super) fn next_line(text: &str, start: usize) -> Option<usize> {
    text.get(start..)?.find('\n').map(|i| start + i + 1)
}

/// Byte offset where the line before the one starting at `start` begins, if there is one.
pub(super) fn previous_line(text: &str, start: usize) -> Option<usize> {
    (start > 0).then(|| line_start(text, start - 1))
}

/// Columns of leading spaces of a line (tabs are not indentation in YAML).
pub(super) fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}
