//! Text inside Mermaid diagrams: labels that cannot break the syntax around them, and
//! identifiers Mermaid accepts.

use std::borrow::Cow;

/// Longest label, in characters, before it is shortened with `…` (wider boxes stop being
/// readable at a glance).
pub(super) const MAX_LABEL: usize = 48;

/// `text` made safe inside a quoted label (flowchart `["…"]`, `state "…" as X`) and after a
/// transition's `:`. Characters Mermaid's parsers read as syntax become its entity codes
/// (`#quot;`), which it renders as the character itself. Line breaks are the caller's
/// `<br/>`, so this runs on each line.
pub(super) fn escape(text: &str) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '"' | '#' | ';' | '<' | '>' | '&' | '\n' | '\r' | '\t');
    if !text.contains(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` cut to `max` characters, ending with `…` when it was longer.
pub(super) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => {
            format!("{}…", text[..end].trim_end())
        }
        _ => text.to_owned(),
    }
}

/// Words Mermaid's flowchart and state-diagram parsers take as keywords wherever an
/// identifier may stand (compared without case).
const RESERVED: &[&str] = &[
    "as",
    "class",
    "classdef",
    "click",
    "default",
    "direction",
    "end",
    "flowchart",
    "graph",
    "hide",
    "left",
    "linkstyle",
    "note",
    "of",
    "right",
    "state",
    "style",
    "subgraph",
];

/// An identifier Mermaid accepts for `name`: letters, digits and `_` kept, anything else `_`;
/// a leading digit or a keyword gets an `s_` prefix. Distinct names may meet on one
/// identifier; callers that need uniqueness add a suffix.
pub(super) fn id(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let keyword = RESERVED.iter().any(|w| w.eq_ignore_ascii_case(&out));
    if out.is_empty() || keyword || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "s_");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_mermaid_parses() {
        assert_eq!(
            escape(r#"a "b" #c; <d> & e"#),
            "a #quot;b#quot; #35;c#59; #lt;d#gt; #amp; e"
        );
    }

    #[test]
    fn shortens_on_characters() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
        assert_eq!(shorten("ééééé", 3), "éé…");
    }

    #[test]
    fn ids_avoid_keywords_and_odd_characters() {
        assert_eq!(id("ReadFirstPage"), "ReadFirstPage");
        assert_eq!(id("end"), "s_end");
        assert_eq!(id("9 lives"), "s_9_lives");
        assert_eq!(id(""), "s_");
    }
}
