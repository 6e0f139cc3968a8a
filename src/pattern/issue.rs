//! Pattern issues and the reporter that collects them while a pattern is walked.
//!
//! The lowest layer of the pattern module: the grammar and every operator parser report
//! through [`Ctx`], which knows where in the pattern the walk is.

use std::fmt;

use crate::diagnostic::Code;
use crate::path::{self, PathSeg};

/// One problem in a pattern, located by a path relative to the pattern root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternIssue {
    /// Where the problem is, e.g. `[Key("detail"), Key("amount"), Index(0), Key("numeric")]`.
    pub path: Vec<PathSeg>,
    /// `true` when the object *key* at `path` is at fault (e.g. an unknown operator name),
    /// `false` when the value at `path` is.
    pub on_key: bool,
    /// Stable identifier from the crate's one registry, e.g. `pattern-empty-array`.
    pub code: Code,
    /// Short description with the same meaning as EventBridge's own error message.
    pub message: String,
    /// Optional hint: a did-you-mean suggestion or the accepted form.
    pub help: Option<String>,
}

impl PatternIssue {
    /// Sets the help text (builder style, used while reporting).
    pub(crate) fn hint(&mut self, text: impl Into<String>) -> &mut Self {
        self.help = Some(text.into());
        self
    }
}

impl fmt::Display for PatternIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = path::render(&self.path);
        write!(f, "{} at {at}: {}", self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// The reporter: the current location in the pattern and the issues found so far.
#[derive(Debug, Default)]
pub(crate) struct Ctx {
    path: Vec<PathSeg>,
    issues: Vec<PatternIssue>,
}

impl Ctx {
    /// Reports a problem with the value at the current path extended by `extra`.
    pub(crate) fn report(
        &mut self,
        extra: &[PathSeg],
        code: Code,
        message: impl Into<String>,
    ) -> &mut PatternIssue {
        self.push(extra, false, code, message.into())
    }

    /// Reports a problem with the object key at the current path extended by `extra`.
    pub(crate) fn report_key(
        &mut self,
        extra: &[PathSeg],
        code: Code,
        message: impl Into<String>,
    ) -> &mut PatternIssue {
        self.push(extra, true, code, message.into())
    }

    fn push(
        &mut self,
        extra: &[PathSeg],
        on_key: bool,
        code: Code,
        message: String,
    ) -> &mut PatternIssue {
        let mut path = self.path.clone();
        path.extend_from_slice(extra);
        let index = self.issues.len();
        self.issues.push(PatternIssue {
            path,
            on_key,
            code,
            message,
            help: None,
        });
        &mut self.issues[index]
    }

    /// Runs `f` with `key` appended to the current path.
    pub(crate) fn with_key<R>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(PathSeg::Key(key.to_string()));
        let result = f(self);
        self.path.pop();
        result
    }

    /// Runs `f` with `index` appended to the current path.
    pub(crate) fn with_index<R>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(PathSeg::Index(index));
        let result = f(self);
        self.path.pop();
        result
    }

    /// The current location.
    pub(crate) fn path(&self) -> &[PathSeg] {
        &self.path
    }

    /// How many issues have been reported so far (to tell whether a step added any).
    pub(crate) fn issue_count(&self) -> usize {
        self.issues.len()
    }

    /// The issues, in the order they were reported.
    pub(crate) fn into_issues(self) -> Vec<PatternIssue> {
        self.issues
    }
}
