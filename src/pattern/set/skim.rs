//! Trusted-mode skipping: the end of a value nobody names, in an event trusted to be
//! well-formed JSON, found without validating the value: a string ends at its first unescaped
//! `"`, a container where its brackets (outside strings) balance, a scalar at the next
//! delimiter. Nothing is checked beyond what finding the end needs; running out of input is
//! still an error, and nothing here can panic or loop.

use super::error::{Fail, What};
use super::lex::special;

fn fail(what: What, pos: usize) -> Fail {
    Fail { what, pos }
}

/// The position just past the value at `pos` (whitespace before it skipped).
pub(crate) fn skim(b: &[u8], mut pos: usize) -> Result<usize, Fail> {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(pos) {
        pos += 1;
    }
    match b.get(pos) {
        Some(b'"') => string(b, pos),
        Some(b'{' | b'[') => container(b, pos),
        Some(_) => {
            let end = pos
                + b.get(pos..)
                    .unwrap_or_default()
                    .iter()
                    .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(b.len() - pos);
            if end == pos {
                return Err(fail(What::ExpectedValue, pos));
            }
            Ok(end)
        }
        None => Err(fail(What::EofWhileParsingAValue, pos)),
    }
}

/// The position just past the string whose opening quote is at `pos`.
fn string(b: &[u8], pos: usize) -> Result<usize, Fail> {
    let mut i = pos + 1;
    loop {
        i = special(b, i);
        match b.get(i) {
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => i += 2,
            // A control character: well-formed events have none, and it ends nothing.
            Some(_) => i += 1,
            None => return Err(fail(What::EofWhileParsingAString, b.len())),
        }
    }
}

/// The position just past the container whose opening bracket is at `pos`.
fn container(b: &[u8], pos: usize) -> Result<usize, Fail> {
    let mut depth = 0u32;
    let mut i = pos;
    loop {
        match b.get(i) {
            Some(b'"') => i = string(b, i)?,
            Some(b'{' | b'[') => {
                depth += 1;
                i += 1;
            }
            Some(b'}' | b']') => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            Some(_) => i += 1,
            None => return Err(fail(What::EofWhileParsingAValue, b.len())),
        }
    }
}
