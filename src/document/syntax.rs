//! YAML syntax errors a spec author can act on.
//!
//! saphyr reports where its scanner gave up, which is often a line after the mistake, in the
//! words of the YAML grammar ("mapping values are not allowed in this context"). This module
//! finds the character at fault for the usual mistakes (a tab in the indentation, a key
//! indented to no mapping, a missing space after `:`, a second `: ` in a value, a bracket or
//! quote left open, a value starting with a reserved character) and says how to fix it.

use super::lines::{indent, line_at, line_of, line_start, next_line, previous_line};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// A collection open when the error happened, as far as hints need it.
#[derive(Clone, Debug)]
pub(super) struct Collection {
    /// Byte offset of its first key or `-` (block), or of its `[`/`{` (flow).
    pub start: usize,
    /// `[...]`/`{...}` rather than indented lines.
    pub flow: bool,
    /// A sequence rather than a mapping.
    pub seq: bool,
    /// The key it is the value of, if any.
    pub parent_key: Option<String>,
    /// A mapping's latest key, and where it is written.
    pub last_key: Option<(String, usize)>,
}

/// The diagnostic for saphyr's error `info` at byte `at`, and where the line at fault starts
/// (the text before it is YAML that may be checked on its own). `open` lists the collections
/// open before the line being read, outermost first.
pub(super) fn explain(
    text: &str,
    info: &str,
    at: usize,
    open: &[Collection],
) -> (Diagnostic, usize) {
    let found = tab(text, info, at)
        .or_else(|| unclosed_flow(text, info, at, open))
        .or_else(|| unclosed_quote(text, info, at))
        .or_else(|| reserved_start(text, info, at))
        .or_else(|| second_colon(text, info, at))
        .or_else(|| missing_space(text, info, at))
        .or_else(|| key_in_list(text, info, at, open))
        .or_else(|| misindented(text, info, at, open));
    match found {
        Some((d, culprit)) => (d, line_start(text, culprit)),
        None => (generic(text, info, at), line_start(text, at)),
    }
}

/// What a finder returns: the diagnostic, and a byte offset on the line at fault.
type Found = Option<(Diagnostic, usize)>;

fn error(message: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(Code::YamlSyntax, message).at(span)
}

/// One character at `at` (or an empty span at the end).
fn char_span(text: &str, at: usize) -> Span {
    let len = text[at.min(text.len())..]
        .chars()
        .next()
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

/// A tab in the indentation of the error line or the next two (saphyr reports it at the
/// start of the scalar before it).
fn tab(text: &str, info: &str, at: usize) -> Found {
    if !info.contains("tab") {
        return None;
    }
    let mut start = line_start(text, at);
    for _ in 0..3 {
        let line = line_at(text, start);
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..lead].find('\t') {
            let d = error(
                "a tab indents this line; YAML indents with spaces only",
                char_span(text, start + i),
            )
            .label("tab")
            .help("replace the tab with spaces, as many as the lines around it use");
            return Some((d, start));
        }
        start = next_line(text, start)?;
    }
    let i = text[at..]
        .find('\t')
        .filter(|&i| !text[at..at + i].contains('\n'))?;
    let d = error(
        "a tab where YAML does not allow one",
        char_span(text, at + i),
    )
    .label("tab")
    .help("use spaces instead");
    Some((d, at))
}

/// A `[` or `{` left open: still open on a later line, or closed by the wrong bracket.
fn unclosed_flow(text: &str, info: &str, at: usize, open: &[Collection]) -> Found {
    let flow = open.iter().rev().find(|c| c.flow)?;
    let bracket = &text[flow.start..flow.start + 1];
    let (close, kind) = if bracket == "[" {
        ("]", "flow sequence")
    } else {
        ("}", "flow mapping")
    };
    let help = if line_of(text, flow.start) != line_of(text, at) {
        format!(
            "close it with `{close}`; a `{bracket}...{close}` that spans lines must indent every line after its first more than its key"
        )
    } else if info.contains(kind) {
        match text[at..].chars().next().filter(|c| matches!(c, ']' | '}')) {
            Some(wrong) => format!("close it with `{close}` before the `{wrong}`"),
            None => format!("close it with `{close}`, and separate its items with `,`"),
        }
    } else {
        return None;
    };
    let d = error(
        format!("this `{bracket}` is not closed"),
        char_span(text, flow.start),
    )
    .label("not closed")
    .help(help);
    Some((d, flow.start))
}

/// A quoted string that runs into the next lines.
fn unclosed_quote(text: &str, info: &str, at: usize) -> Found {
    let quote = text[at..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''))?;
    if !info.contains("quoted scalar") {
        return None;
    }
    let d = error("this quoted string is not closed", char_span(text, at))
        .label("opening quote")
        .help(format!(
            "close it with `{quote}` on the same line (a string that spans lines must indent every line after its first more than its key)"
        ));
    Some((d, at))
}

/// A plain value that starts with a character YAML reserves (`@`, `` ` ``, `%`, ...).
fn reserved_start(text: &str, info: &str, at: usize) -> Found {
    if !info.starts_with("unexpected character") {
        return None;
    }
    let c = text[at..].chars().next()?;
    let value = line_at(text, at).trim_end();
    let d = error(
        format!("`{c}` cannot start a plain YAML value"),
        char_span(text, at),
    )
    .label("reserved character")
    .help(format!("quote the value: {}", quoted(value)));
    Some((d, at))
}

/// `key: a: b` — a second `: ` on a line, so the value reads as a mapping.
fn second_colon(text: &str, info: &str, at: usize) -> Found {
    if !info.starts_with("mapping values are not allowed") || !text[at..].starts_with(':') {
        return None;
    }
    let start = line_start(text, at);
    let line = line_at(text, start);
    let before = &text[start..at];
    let lead = before.len() - before.trim_start_matches([' ', '-']).len();
    let sep = before[lead..].find(": ")? + lead;
    let key = &line[lead..sep];
    let value = line[sep + 2..].trim();
    let d = error(
        "a second `: ` on this line: YAML reads the value as a mapping",
        char_span(text, at),
    )
    .label("second `: `")
    .help(format!("quote the value: `{key}: {}`", quoted(value)));
    Some((d, at))
}

/// `key:value` on a line before the error: saphyr read it as one word, then choked on what
/// followed.
fn missing_space(text: &str, info: &str, at: usize) -> Found {
    let relevant = [
        "mapping values are not allowed",
        "simple key expect",
        "did not find expected key",
    ];
    if !relevant.iter().any(|r| info.contains(r)) {
        return None;
    }
    let mut start = line_start(text, at);
    for _ in 0..3 {
        start = previous_line(text, start)?;
        let line = line_at(text, start);
        if let Some(colon) = glued_colon(line) {
            let word = line.trim_start().trim_start_matches("- ").trim_end();
            let fixed = word.replacen(':', ": ", 1);
            let d = error(
                format!("missing space after `:`: YAML reads `{word}` as one word"),
                char_span(text, start + colon),
            )
            .label("add a space after `:`")
            .help(format!("write `{fixed}`"));
            return Some((d, start));
        }
        if line.contains(": ") || line.trim_end().ends_with(':') {
            return None;
        }
    }
    None
}

/// Where the `:` is in a line `key:value` (a key glued to its value).
fn glued_colon(line: &str) -> Option<usize> {
    let content = line.trim_start();
    let content = content.strip_prefix("- ").unwrap_or(content);
    let offset = line.len() - content.len();
    let colon = content.find(':')?;
    let key = &content[..colon];
    let next = content[colon + 1..].chars().next()?;
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | '.'));
    let glued = !matches!(next, ' ' | ':' | '/') && !key.starts_with("http");
    (is_key && glued).then_some(offset + colon)
}

/// A key where a block list expects `- ` items.
fn key_in_list(text: &str, info: &str, at: usize, open: &[Collection]) -> Found {
    if !info.contains("expected '-' indicator") {
        return None;
    }
    let start = line_start(text, at);
    let line = line_at(text, start);
    let col = indent(line);
    let list = open
        .iter()
        .rev()
        .find(|c| c.seq && !c.flow && column(text, c.start) == col)?;
    let name = subject(line);
    let owner = list
        .parent_key
        .as_ref()
        .map_or("the list".to_owned(), |k| format!("the list under `{k}`"));
    let d = error(
        format!(
            "{name} is not a `- ` item, but {owner} (line {}) continues here",
            line_of(text, list.start)
        ),
        word_span(text, start),
    )
    .label("not a list item")
    .help("write `- ` before it to add an item, or indent it less to end the list");
    Some((d, start))
}

/// A line indented to a column where no open block collection is.
fn misindented(text: &str, info: &str, at: usize, open: &[Collection]) -> Found {
    let relevant = [
        "mapping values are not allowed",
        "did not find expected key",
        "expected '-' indicator",
        "invalid indentation",
        "block sequence entries are not allowed",
    ];
    if !relevant.iter().any(|r| info.contains(r)) {
        return None;
    }
    let start = line_start(text, at);
    let line = line_at(text, start);
    let col = indent(line);
    let blocks: Vec<&Collection> = open.iter().filter(|c| !c.flow).collect();
    if line.trim().is_empty() || blocks.iter().any(|c| column(text, c.start) == col) {
        return None;
    }
    let d = error(
        format!(
            "{} is indented {col} space{}, which lines up with no mapping or list above it",
            subject(line),
            if col == 1 { "" } else { "s" }
        ),
        word_span(text, start),
    )
    .label(format!("indented {col}"))
    .help(indent_help(text, col, &blocks));
    Some((d, start))
}

/// "keys of one mapping line up: indent it by 2 to ..., or by 0 to ...", offering the
/// nearest column above `col` and the two nearest below.
fn indent_help(text: &str, col: usize, blocks: &[&Collection]) -> String {
    let mut below: Vec<&&Collection> = blocks
        .iter()
        .filter(|c| column(text, c.start) < col)
        .collect();
    below.sort_by_key(|c| std::cmp::Reverse(column(text, c.start)));
    below.dedup_by_key(|c| column(text, c.start));
    let above = blocks
        .iter()
        .filter(|c| column(text, c.start) > col)
        .min_by_key(|c| column(text, c.start));
    let choices: Vec<String> = above
        .into_iter()
        .chain(below.into_iter().take(2))
        .map(|c| placement(text, c))
        .collect();
    if choices.is_empty() {
        return "keys of one mapping line up, and a nested one is indented more".to_owned();
    }
    format!(
        "keys of one mapping line up: indent it {}",
        choices.join(", or ")
    )
}

/// "by 2 to put it under `delivery` (like `workflow`, line 4)".
fn placement(text: &str, c: &Collection) -> String {
    let col = column(text, c.start);
    let place = match (&c.parent_key, c.seq) {
        (Some(k), true) => format!("to continue the list under `{k}`"),
        (None, true) => "to continue the list".to_owned(),
        (Some(k), false) => format!("to put it under `{k}`"),
        (None, false) if col == 0 => "to make it a top-level key".to_owned(),
        (None, false) => "to keep it in the same list item".to_owned(),
    };
    let like = match &c.last_key {
        Some((k, at)) => format!(" (like `{k}`, line {})", line_of(text, *at)),
        None => format!(" (like line {})", line_of(text, c.start)),
    };
    format!("by {col} {place}{like}")
}

/// Column (in bytes, which are spaces in indentation) of a byte offset.
fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

/// How a message names a line: "`key`", "this list item" or "this line".
fn subject(line: &str) -> String {
    let content = line.trim();
    if content.starts_with("- ") || content == "-" {
        return "this list item".to_owned();
    }
    match content.split_once(':') {
        Some((key, _)) if !key.is_empty() && !key.contains(' ') => format!("`{key}`"),
        _ => "this line".to_owned(),
    }
}

/// The key (up to `:`) or first word of the line starting at `start`.
fn word_span(text: &str, start: usize) -> Span {
    let line = line_at(text, start);
    let content = line.trim_start();
    let from = start + line.len() - content.len();
    match content.find([':', ' ', '\t']).filter(|&n| n > 0) {
        Some(len) => Span::new(from, from + len),
        None if content.is_empty() => char_span(text, from),
        None => Span::new(from, from + content.len()),
    }
}

/// `value` in double quotes (single quotes when it holds `"` or `\`).
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// Any other error: saphyr's words, at its position, with a hint for the common ones.
fn generic(text: &str, info: &str, at: usize) -> Diagnostic {
    let help = if info.contains("did not find expected key") {
        Some("check the indentation of this line and the ones above: keys of one mapping line up")
    } else if info.contains("misplaced bracket") {
        Some("remove the extra bracket, or add the one that opens it")
    } else if info.contains("unknown anchor") {
        Some("an alias `*name` repeats a value marked `&name` earlier in the file")
    } else {
        None
    };
    error(format!("invalid YAML: {info}"), char_span(text, at))
        .label("here")
        .maybe_help(help.map(str::to_owned))
}

#[cfg(test)]
mod tests;
