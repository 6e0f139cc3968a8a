//! The spec's text and name, shared by every diagnostic that points into it.

use std::path::Path;
use std::sync::Arc;

use miette::NamedSource;

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Largest spec file accepted. Real specs are a few KB; this bounds work and memory.
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;

/// A spec file as read from disk (or stdin): its display name and its text.
///
/// Cheap to clone: diagnostics hold one to render snippets.
#[derive(Clone, Debug)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    dir: Option<Arc<Path>>,
}

impl Source {
    /// Wraps `text` read from the file called `name`.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            dir: None,
        }
    }

    /// Sets the folder relative paths in the spec (example files) resolve against.
    pub fn with_dir(mut self, dir: &Path) -> Self {
        self.dir = Some(Arc::from(dir));
        self
    }

    /// The folder relative paths resolve against: `None` for text not read from a file.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The name shown in diagnostics (usually the path as the user typed it).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// The source in the form miette renders snippets from. Control characters (other than
    /// tab and line breaks) become `?`, byte for byte, so a hostile file cannot send escape
    /// sequences to the terminal and spans stay valid.
    pub fn named(&self) -> NamedSource<String> {
        let unsafe_byte = |b: u8| b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r');
        if !self.text.bytes().any(unsafe_byte) {
            return NamedSource::new(&self.name, self.text.to_string()).with_language("yaml");
        }
        let safe: String = self
            .text
            .chars()
            .map(|c| {
                if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') {
                    '?'
                } else {
                    c
                }
            })
            .collect();
        NamedSource::new(&self.name, safe).with_language("yaml")
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Reads a spec file. Bytes that are not UTF-8 are an error located at the first bad byte.
pub fn read_source(path: &Path) -> Result<Source, (Source, Vec<Diagnostic>)> {
    let name = path.display().to_string();
    let limit = MAX_SOURCE_BYTES as u64;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() > limit {
            let d = Diagnostic::error(
                Code::YamlTooLarge,
                format!(
                    "`{}` is {} bytes; a spec may be at most {limit} bytes",
                    path.display(),
                    meta.len()
                ),
            )
            .at(Span::new(0, 0))
            .help("a spec is a few kilobytes: is this the right file?");
            return Err((Source::new(name, ""), vec![d]));
        }
    }
    match std::fs::read(path) {
        Err(e) => Err((
            Source::new(name, ""),
            vec![Diagnostic::error(
                Code::Io,
                format!("cannot read `{}`: {e}", path.display()),
            )],
        )),
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                Ok(Source::new(name, text).with_dir(dir))
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                // Offsets into the lossy text: the valid prefix is unchanged.
                let source = Source::new(name, text);
                let d = Diagnostic::error(Code::Encoding, "the spec is not UTF-8 text")
                    .at(Span::new(at, at + '\u{FFFD}'.len_utf8()))
                    .label("invalid byte")
                    .help("save the file as UTF-8");
                Err((source, vec![d]))
            }
        },
    }
}
