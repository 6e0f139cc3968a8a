//! Renders diagnostics: miette's graphical report for people, JSON for editors and CI.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Severity as MSeverity,
};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;

/// How to draw reports.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

impl Style {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset; width 100.
    pub fn detect() -> Self {
        use std::io::IsTerminal;
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Style { color, width: 100 }
    }

    /// No colour, fixed width: what golden tests snapshot.
    pub fn plain() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// One diagnostic for people, the way rustc prints one: a header line
/// `error[schema-unknown-key]: unknown key ...`, then miette's snippet with `file:line:col`
/// and the underlined span, then `help:`; a blank line ends it.
pub fn human(source: &Source, d: &Diagnostic, style: Style) -> String {
    let mut out = header(d, style);
    out.push_str(&snippet(source, d, style));
    out.push('\n');
    out
}

/// A diagnostic in two lines, without snippet or help: the header, then `  --> file:line:col`
/// (for acknowledged warnings, deliberate choices the reader knows).
pub fn brief(source: &Source, d: &Diagnostic, style: Style) -> String {
    let mut out = header(d, style);
    if let Some(span) = d.span {
        let (line, col) = source.line_col(span.start);
        out.push_str(&format!("  --> {}:{line}:{col}\n", source.name()));
    }
    out
}

/// `severity[code]: message`, bold and coloured when `style.color`. Control characters in
/// the message (it may quote keys from the spec) become `?`, as in snippets.
fn header(d: &Diagnostic, style: Style) -> String {
    let (word, colour) = match d.severity {
        Severity::Error => ("error", "31"),
        Severity::Warning => ("warning", "33"),
        Severity::Note => ("note", "36"),
    };
    let message: String = d
        .message
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if style.color {
        format!(
            "\x1b[1;{colour}m{word}[{}]\x1b[0m\x1b[1m: {message}\x1b[0m\n",
            d.code
        )
    } else {
        format!("{word}[{}]: {message}\n", d.code)
    }
}

/// What miette draws under the header: the snippet (when the diagnostic has a span) and the
/// help. miette always starts with the message line; it is rendered empty and dropped.
fn snippet(source: &Source, d: &Diagnostic, style: Style) -> String {
    let mut m = MietteDiagnostic::new(String::new()).with_severity(match d.severity {
        Severity::Error => MSeverity::Error,
        Severity::Warning => MSeverity::Warning,
        Severity::Note => MSeverity::Advice,
    });
    if let Some(span) = d.span {
        m = m.with_label(LabeledSpan::new_with_span(d.label.clone(), span));
    }
    if let Some(h) = &d.help {
        m = m.with_help(h.clone());
    }
    let report = miette::Report::new(m).with_source_code(source.named());
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        return d
            .help
            .as_ref()
            .map_or_else(String::new, |h| format!("  help: {h}\n"));
    }
    match out.split_once('\n') {
        Some((_, rest)) => rest.to_owned(),
        None => String::new(),
    }
}

/// `N errors, M warnings` (only the non-zero parts; notes are not counted).
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// A diagnostic for machines: positions are 1-based, columns count characters.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// The spec file.
    pub file: &'a str,
    /// Start line.
    pub line: usize,
    /// Start column.
    pub column: usize,
    /// End line.
    pub end_line: usize,
    /// End column (exclusive).
    pub end_column: usize,
    /// `error`, `warning` or `note`.
    pub severity: Severity,
    /// Stable code.
    pub code: &'a str,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
}

/// The JSON form of `d` in `source`.
pub fn json<'a>(source: &'a Source, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let span = d.span.unwrap_or_default();
    let (line, column) = source.line_col(span.start);
    let (end_line, end_column) = source.line_col(span.end);
    JsonDiagnostic {
        file: source.name(),
        line,
        column,
        end_line,
        end_column,
        severity: d.severity,
        code: d.code.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::span::Span;

    #[test]
    fn the_code_heads_the_report_and_miettes_message_line_is_gone() {
        let source = Source::new("s.yaml", "a: 1\nb: 2\n");
        let d = Diagnostic::warning(Code::TopicUnused, "no route\u{1b}[31m")
            .at(Span::new(5, 6))
            .help("add one");
        let text = human(&source, &d, Style::plain());
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("warning[topic-unused]: no route?[31m"));
        assert!(lines.next().unwrap().contains("[s.yaml:2:1]"), "{text}");
        assert!(text.ends_with("  help: add one\n\n"), "{text}");
        let coloured = human(
            &source,
            &d,
            Style {
                color: true,
                width: 100,
            },
        );
        assert!(coloured.starts_with("\u{1b}[1;33mwarning[topic-unused]\u{1b}[0m"));
        let bare = Diagnostic::note(Code::ChecksSkipped, "n");
        assert_eq!(
            human(&source, &bare, Style::plain()),
            "note[checks-skipped]: n\n\n"
        );
    }

    #[test]
    fn summary_counts_errors_and_warnings_not_notes() {
        let e = Diagnostic::error(Code::YamlSyntax, "x");
        let w = Diagnostic::warning(Code::TopicUnused, "y");
        let n = Diagnostic::note(Code::ChecksSkipped, "z");
        assert_eq!(summary(&[e.clone(), n.clone()]), "1 error");
        assert_eq!(summary(&[e.clone(), e, w, n]), "2 errors, 1 warning");
    }
}
