//! The command's inputs: the pattern (JSON or YAML), the spec's model, and the events' source.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

use serde_json::Value;

use crate::compile::compile;
use crate::document;
use crate::emit::Format;
use crate::model::Model;
use crate::render::{self, Style};
use crate::source::{read_source, Source};

/// Where an argument's text comes from.
#[derive(Debug, PartialEq, Eq)]
enum Origin<'a> {
    /// Standard input (`-`).
    Stdin,
    /// The argument itself.
    Inline(&'a str),
    /// A file.
    File(&'a Path),
}

/// Tells a file, `-` and inline text apart: `-` is standard input; text starting with `{` or
/// `[` is inline; so is text naming no file when it holds a newline or `:` (inline YAML,
/// with `yaml` set); anything else is a file.
fn origin(arg: &str, yaml: bool) -> Origin<'_> {
    let path = Path::new(arg);
    let json = arg.trim_start().starts_with(['{', '[']);
    let yaml_text = yaml && arg.contains([':', '\n']) && !path.exists();
    if arg == "-" {
        Origin::Stdin
    } else if json || yaml_text {
        Origin::Inline(arg)
    } else {
        Origin::File(path)
    }
}

/// Whether an argument reads standard input.
pub(super) fn is_stdin(arg: &str) -> bool {
    arg == "-"
}

/// The pattern of `--pattern`: a file, `-` or inline text, in JSON or YAML.
pub(super) fn read_pattern(arg: &str) -> Result<Value, String> {
    let text = match origin(arg, true) {
        Origin::Inline(text) => text.to_owned(),
        Origin::Stdin => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("cannot read the pattern from standard input: {e}"))?;
            s
        }
        Origin::File(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the pattern `{arg}`: {e}"))?,
    };
    parse_pattern(&text)
}

/// Parses a pattern as JSON, else as YAML. Text that starts like JSON and is not YAML either
/// gets the JSON parser's message.
pub(super) fn parse_pattern(text: &str) -> Result<Value, String> {
    let json_error = match serde_json::from_str::<Value>(text) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let source = Source::new("the pattern", text);
    match document::parse(&source) {
        Ok(doc) => Ok(doc.to_json()),
        Err(_) if text.trim_start().starts_with(['{', '[']) => {
            Err(format!("invalid pattern JSON: {json_error}"))
        }
        Err(failure) => {
            let first = failure.diagnostics.first();
            let at = first
                .and_then(|d| d.span)
                .map(|s| {
                    let (line, column) = source.line_col(s.start);
                    format!(" at line {line} column {column}")
                })
                .unwrap_or_default();
            let message = first.map_or("unreadable", |d| d.message.as_str());
            Err(format!("invalid pattern YAML: {message}{at}"))
        }
    }
}

/// Compiles the spec at `path`; its errors are printed, and summed up in the error.
pub(super) fn load_model(path: &Path) -> Result<Model, String> {
    let source = read_source(path).map_err(|(_, d)| {
        d.iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    match compile(&source, Format::Yaml) {
        Ok(compiled) => Ok(compiled.model),
        Err(diags) => {
            for d in &diags {
                eprint!("{}", render::human(&source, d, Style::detect()));
            }
            Err(format!("{} in {}", render::summary(&diags), path.display()))
        }
    }
}

/// The pattern of `topic` in `model`, or the list of its topics.
pub(super) fn topic_pattern(model: &Model, spec: &Path, topic: &str) -> Result<Value, String> {
    model
        .topics
        .iter()
        .find(|t| t.name == topic)
        .map(|t| Value::clone(&t.pattern))
        .ok_or_else(|| {
            let names: Vec<&str> = model.topics.iter().map(|t| t.name.as_str()).collect();
            format!(
                "`{}` has no topic `{topic}` (topics: {})",
                spec.display(),
                names.join(", ")
            )
        })
}

/// The events of `--event`, buffered: standard input, a file, or the inline text.
pub(super) fn open_events(arg: &str) -> Result<Box<dyn BufRead>, String> {
    match origin(arg, false) {
        Origin::Stdin => Ok(Box::new(std::io::stdin().lock())),
        Origin::Inline(text) => Ok(Box::new(Cursor::new(text.as_bytes().to_vec()))),
        Origin::File(path) => File::open(path)
            .map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as Box<dyn BufRead>)
            .map_err(|e| format!("cannot read the events `{arg}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_files_stdin_or_inline() {
        assert_eq!(origin("-", true), Origin::Stdin);
        assert_eq!(origin(" {\"a\":1}", false), Origin::Inline(" {\"a\":1}"));
        assert_eq!(origin("source: [a]", true), Origin::Inline("source: [a]"));
        assert_eq!(
            origin("source: [a]", false),
            Origin::File(Path::new("source: [a]"))
        );
        assert_eq!(origin("p.yaml", true), Origin::File(Path::new("p.yaml")));
    }

    #[test]
    fn patterns_are_json_or_yaml() {
        let json = parse_pattern(r#"{"source":["a"]}"#).unwrap();
        assert_eq!(parse_pattern("source: [a]").unwrap(), json);
        assert_eq!(parse_pattern("{source: [a]}").unwrap(), json);
        assert_eq!(
            parse_pattern("source:\n  - a\n").unwrap(),
            serde_json::json!({"source": ["a"]})
        );
        let bad_json = parse_pattern(r#"{"source": ["a"]"#).unwrap_err();
        assert!(
            bad_json.starts_with("invalid pattern JSON: EOF"),
            "{bad_json}"
        );
        let bad_yaml = parse_pattern("source: [a\n").unwrap_err();
        assert!(bad_yaml.starts_with("invalid pattern YAML: "), "{bad_yaml}");
        assert!(bad_yaml.contains("at line"), "{bad_yaml}");
    }
}
