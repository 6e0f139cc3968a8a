//! Text inside Mermaid diagrams: labels that cannot break the syntax around them, and
//! identifiers Mermaid accepts.

use std::borrow::Cow;

/// Longest label, in characters, before it is shortened with `…` (wider boxes stop being
/// readable at a glance).
pub(super) const MAX_LABEL: usize = 48;

/// Where a label goes: the two diagram kinds parse label text differently (findings, each
/// rendered, in `tests/diagrams/README.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Context {
    /// A flowchart's quoted label (`["…"]`, `-->|"…"|`, a subgraph title): HTML, not Markdown.
    Flowchart,
    /// A state diagram's text (`state "…" as X`, `X : …`, `A --> B : …`): Markdown, and a
    /// transition label ends at `;` and breaks on `::` or a trailing `:`.
    State,
}

/// `text` made safe in `context`. Characters Mermaid reads as syntax (or as HTML and Markdown)
/// become its entity codes (`#quot;`, `#42;`), which it draws as the character itself. Line
/// breaks are the caller's `<br/>`, so this runs on each line.
pub(super) fn escape(text: &str, context: Context) -> Cow<'_, str> {
    let state = context == Context::State;
    let special = |c: char| {
        matches!(
            c,
            '"' | '#' | ';' | '<' | '>' | '&' | '`' | '\n' | '\r' | '\t'
        ) || (state && matches!(c, '*' | '_' | ':'))
    };
    // `direction LR` anywhere on a line is a statement, and a `:` after `style`/`classDef`
    // on a line can lose the line's last `;`: see tests/diagrams/README.md.
    let lower = text.to_ascii_lowercase();
    let direction = lower.contains("direction");
    let styled = text.contains("style") || text.contains("classDef");
    if !text.contains(special) && !direction && !styled {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '*' if state => out.push_str("#42;"),
            '_' if state => out.push_str("#95;"),
            ':' if state || styled => out.push_str("#58;"),
            ' ' if direction && lower[..i].ends_with("direction") => out.push_str("#32;"),
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

/// Words Mermaid's flowchart or state-diagram parser takes as keywords (or its own ids)
/// where an identifier may stand, compared without case; `tests/diagrams/README.md` lists
/// which parser refuses which.
const RESERVED: &[&str] = &[
    "call",
    "class",
    "classdef",
    "click",
    "default",
    "end",
    "flowchart",
    "graph",
    "href",
    "interpolate",
    "linkstyle",
    "note",
    "root",
    "scale",
    "state",
    "statediagram",
    "style",
    "subgraph",
];

/// An identifier Mermaid accepts for `name`: letters, digits and `_` kept, anything else `_`;
/// a leading digit or `_` gets an `s_` prefix; a keyword, or a `_start`/`_end` ending, a `_`
/// suffix. Distinct names may meet on one
/// identifier; callers that need uniqueness add a suffix.
pub(super) fn id(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        out.insert_str(0, "s_");
    }
    if RESERVED.iter().any(|w| w.eq_ignore_ascii_case(&out)) {
        out.push('_');
    }
    // Mermaid names a composite's start and end `<Composite>_start` / `_end`.
    let lower = out.to_ascii_lowercase();
    if lower.ends_with("_start") || lower.ends_with("_end") {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_mermaid_parses() {
        let flow = |t| escape(t, Context::Flowchart).into_owned();
        let state = |t| escape(t, Context::State).into_owned();
        assert_eq!(
            flow(r#"a "b" #c; <d> & `e` *f* g:h"#),
            "a #quot;b#quot; #35;c#59; #lt;d#gt; #amp; #96;e#96; *f* g:h"
        );
        assert_eq!(state("$.a_b == *x*: y"), "$.a#95;b == #42;x#42;#58; y");
        assert_eq!(flow("go direction LR"), "go direction#32;LR");
        assert_eq!(flow("lifestyle:x"), "lifestyle#58;x");
        assert!(matches!(
            escape("plain · text", Context::State),
            Cow::Borrowed(_)
        ));
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
        assert_eq!(id("end"), "end_");
        assert_eq!(id("9 lives"), "s_9_lives");
        assert_eq!(id(""), "s_");
        assert_eq!(id("Default"), "Default_");
        assert_eq!(id("Deliver_end"), "Deliver_end_");
    }
}
