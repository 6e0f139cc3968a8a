//! Diagnostics: what the compiler reports, located in the spec.
//!
//! Every finding carries a [`Code`] from the one registry, and every
//! did-you-mean hint comes from [`did_you_mean`].

mod code;
mod flow;
mod suggest;

use std::fmt;

use crate::span::Span;

pub use code::Code;
pub(crate) use flow::flow;
pub use suggest::{did_you_mean, did_you_mean_help};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context for another diagnostic (e.g. which checks a YAML error kept from running).
    Note,
    /// Deploys, but probably not what the author wants.
    Warning,
    /// The spec is invalid: nothing is written.
    Error,
}

/// One finding about a spec: a stable `code`, a message, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable identifier (rendered `schema-unknown-key`), for tools and docs.
    pub code: Code,
    /// One sentence: what is wrong.
    pub message: String,
    /// Where: `None` for whole-file problems (unreadable file, I/O).
    pub span: Option<Span>,
    /// Text printed under the underline.
    pub label: Option<String>,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a message and no location yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            help: None,
        }
    }

    /// A warning with a message and no location yet (`code` is one of [`Code::WARNINGS`]).
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        debug_assert!(code.is_warning(), "{code} is not listed in Code::WARNINGS");
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// A note with a message and no location yet.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    /// Locates the diagnostic at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets the text printed under the underline.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
