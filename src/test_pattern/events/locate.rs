//! Where an event's error is in the input: parser and matcher positions, counted within the
//! event, as the input's line and column.

use super::Event;

impl Event {
    /// Places a parser's message (`... at line L column C`, counted within the event) in the
    /// input: `line L, column C: ...`.
    pub(in crate::test_pattern) fn locate(&self, message: &str) -> String {
        if let Some((what, at)) = message.rsplit_once(" at line ") {
            if let Some((l, c)) = at.split_once(" column ") {
                if let (Ok(l), Ok(c)) = (l.parse::<usize>(), c.parse::<usize>()) {
                    let column = if l == 1 { self.column + c - 1 } else { c };
                    return format!("line {}, column {column}: {what}", self.line + l - 1);
                }
            }
        }
        format!("line {}: {message}", self.line)
    }

    /// Places a matcher's message (`... at byte N`, an offset into `text`, this event's
    /// text) in the input: `line L, column C: ...`.
    pub(in crate::test_pattern) fn locate_byte(&self, text: &[u8], message: &str) -> String {
        let Some((what, at)) = message.rsplit_once(" at byte ") else {
            return self.locate(message);
        };
        let Ok(offset) = at.parse::<usize>() else {
            return self.locate(message);
        };
        let before = &text[..offset.min(text.len())];
        let newlines = before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let c = offset - line_start + 1;
        let column = if newlines == 0 {
            self.column + c - 1
        } else {
            c
        };
        format!("line {}, column {column}: {what}", self.line + newlines)
    }
}
