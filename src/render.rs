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

/// One diagnostic as miette draws it, with `file:line:col` and the underlined snippet.
pub fn human(source: &Source, d: &Diagnostic, style: Style) -> String {
    let mut m = MietteDiagnostic::new(d.message.clone())
        .with_code(d.code.as_str())
        .with_severity(match d.severity {
            Severity::Error => MSeverity::Error,
            Severity::Warning => MSeverity::Warning,
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
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{}: {}\n", d.code, d.message);
    }
    out
}

/// `N errors, M warnings` (only the non-zero parts).
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
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
    /// `error` or `warning`.
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
