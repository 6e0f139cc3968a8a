//! `lambdaless-gen test-pattern`: EventBridge matching, offline, for people and scripts.

use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;

use crate::compile::compile;
use crate::emit::Format;
use crate::pattern::{path_to_string, CompiledPattern};
use crate::render::{self, Style};
use crate::source::read_source;

/// Every event matched.
pub(crate) const ALL_MATCH: u8 = 0;
/// Some event did not match.
pub(crate) const SOME_MISS: u8 = 1;
/// Usage error, unreadable input, invalid pattern or event.
pub(crate) const INVALID: u8 = 2;

/// The command's arguments.
#[derive(Debug)]
pub(crate) struct Args {
    /// `--pattern`: file, `-` or inline JSON.
    pub pattern: Option<String>,
    /// `--spec`.
    pub spec: Option<PathBuf>,
    /// `--topic`.
    pub topic: Option<String>,
    /// `--event`: file, `-` or inline JSON / JSON lines.
    pub events: String,
    /// `--quiet`.
    pub quiet: bool,
}

/// Reads an argument that is a file, `-` (stdin) or inline JSON.
fn read_arg(arg: &str, what: &str) -> Result<String, String> {
    let trimmed = arg.trim_start();
    if trimmed.starts_with(['{', '[']) {
        return Ok(arg.to_owned());
    }
    if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read {what} from standard input: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(arg).map_err(|e| format!("cannot read {what} `{arg}`: {e}"))
}

/// Parses events: one JSON value (an array is a list of events), or JSON lines.
pub(crate) fn parse_events(text: &str) -> Result<Vec<Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(events)) => Ok(events),
        Ok(event) => Ok(vec![event]),
        Err(whole) => {
            let mut events = Vec::new();
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let event = serde_json::from_str(line).map_err(|e| {
                    if i == 0 {
                        format!("invalid event JSON: {whole}")
                    } else {
                        format!("line {}: invalid event JSON: {e}", i + 1)
                    }
                })?;
                events.push(event);
            }
            if events.is_empty() {
                return Err("no event given".into());
            }
            Ok(events)
        }
    }
}

fn pattern_from_spec(spec: &std::path::Path, topic: &str) -> Result<Value, String> {
    let source = read_source(spec).map_err(|(_, d)| {
        d.iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    match compile(&source, Format::Yaml) {
        Ok(c) => c
            .model
            .topics
            .iter()
            .find(|t| t.name == topic)
            .map(|t| t.pattern.clone())
            .ok_or_else(|| {
                let names: Vec<&str> = c.model.topics.iter().map(|t| t.name.as_str()).collect();
                format!(
                    "`{}` has no topic `{topic}` (topics: {})",
                    spec.display(),
                    names.join(", ")
                )
            }),
        Err(diags) => {
            for d in &diags {
                eprint!("{}", render::human(&source, d, Style::detect()));
            }
            Err(format!("{} in {}", render::summary(&diags), spec.display()))
        }
    }
}

/// A short label for an event: its `id`, else its position.
fn label(i: usize, event: &Value) -> String {
    match event.get("id").and_then(Value::as_str) {
        Some(id) => format!("#{} ({id})", i + 1),
        None => format!("#{}", i + 1),
    }
}

/// Runs the command; returns the exit code.
pub(crate) fn run(args: Args) -> u8 {
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        INVALID
    };
    let pattern = match (&args.pattern, &args.spec, &args.topic) {
        (Some(p), _, _) => match read_arg(p, "the pattern").and_then(|t| {
            serde_json::from_str::<Value>(&t).map_err(|e| format!("invalid pattern JSON: {e}"))
        }) {
            Ok(v) => v,
            Err(e) => return fail(e),
        },
        (None, Some(spec), Some(topic)) => match pattern_from_spec(spec, topic) {
            Ok(v) => v,
            Err(e) => return fail(e),
        },
        _ => return fail("give --pattern, or --spec with --topic".into()),
    };
    let compiled = match CompiledPattern::new(&pattern) {
        Ok(c) => c,
        Err(issues) => {
            for i in &issues {
                eprintln!(
                    "error: invalid pattern at {}: {}",
                    path_to_string(&i.path),
                    i.message
                );
                if let Some(h) = &i.help {
                    eprintln!("  help: {h}");
                }
            }
            return INVALID;
        }
    };
    let events = match read_arg(&args.events, "the events").and_then(|t| parse_events(&t)) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let mut missed = 0;
    for (i, event) in events.iter().enumerate() {
        match compiled.explain(event) {
            None => {
                if !args.quiet {
                    println!("match     {}", label(i, event));
                }
            }
            Some(path) => {
                missed += 1;
                if !args.quiet {
                    println!(
                        "no-match  {}: {} does not match",
                        label(i, event),
                        path_to_string(&path)
                    );
                }
            }
        }
    }
    if !args.quiet && events.len() > 1 {
        println!("{} of {} events match", events.len() - missed, events.len());
    }
    if missed == 0 {
        ALL_MATCH
    } else {
        SOME_MISS
    }
}
