//! `lambdaless-gen test-pattern`: EventBridge matching, offline, for people and scripts.
//!
//! With a pattern (`--pattern`, or `--spec S --topic T`), every event is tested against it
//! and a no-match is explained; with a spec alone, every event is routed through all the
//! spec's topics at once. Events are streamed: one is held in memory at a time.

// Layers, each file importing only from the ones below it:
//   mod (arguments to results)
//   single (one pattern)        spec (a whole spec)
//   report (output, exit codes)     route (the spec's topics in one PatternSet)
//   explain (why no match)   events (the streaming reader)   args (inputs)
mod args;
mod events;
mod explain;
mod report;
mod route;
mod single;
mod spec;

use std::io;
use std::path::PathBuf;

use serde_json::Value;

use crate::pattern::{path_to_string, CompiledPattern};
use report::Out;
pub(crate) use report::Style;
use report::INVALID;
use route::Router;

/// The command's arguments.
#[derive(Debug)]
pub(crate) struct Args {
    /// `--pattern`: file, `-` or inline JSON or YAML.
    pub pattern: Option<String>,
    /// `--spec`.
    pub spec: Option<PathBuf>,
    /// `--topic`.
    pub topic: Option<String>,
    /// `--event`: file, `-` or inline JSON.
    pub events: String,
    /// `--format`.
    pub style: Style,
    /// `--quiet`.
    pub quiet: bool,
}

/// What the run was asked to do.
enum Mode {
    /// Test one pattern.
    Pattern(Value),
    /// Route through a whole spec.
    Spec(Router),
}

/// Runs the command; returns the exit code.
pub(crate) fn run(args: Args) -> u8 {
    match mode(&args).and_then(|m| execute(m, &args)) {
        Ok(code) => code,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            INVALID
        }
    }
}

/// The pattern to test, or the spec to route through.
fn mode(args: &Args) -> Result<Mode, String> {
    if args.pattern.as_deref().is_some_and(args::is_stdin) && args::is_stdin(&args.events) {
        return Err("--pattern and --event cannot both read standard input".into());
    }
    match (&args.pattern, &args.spec, &args.topic) {
        (Some(p), None, None) => args::read_pattern(p).map(Mode::Pattern),
        (None, Some(spec), Some(topic)) => {
            let model = args::load_model(spec)?;
            args::topic_pattern(&model, spec, topic).map(Mode::Pattern)
        }
        (None, Some(spec), None) => Router::new(&args::load_model(spec)?).map(Mode::Spec),
        _ => Err("give --pattern, --spec with --topic, or --spec alone".into()),
    }
}

/// Reads the events and reports on each; the exit code, or an error message (empty when
/// already reported).
fn execute(mode: Mode, args: &Args) -> Result<u8, String> {
    let input = args::open_events(&args.events)?;
    let mut out = Out::new(args.style, args.quiet);
    let (events, code) = match &mode {
        Mode::Pattern(pattern) => {
            let compiled = compile(pattern)?;
            let tally = single::run(pattern, &compiled, input, &mut out).map_err(io_error)?;
            if tally.events > 0 {
                out.tally(&tally).map_err(io_error)?;
            }
            (tally.events, tally.code())
        }
        Mode::Spec(router) => {
            let tally = spec::run(router, input, &mut out).map_err(io_error)?;
            if tally.events > 0 {
                out.route_tally(&tally).map_err(io_error)?;
            }
            (tally.events, tally.code())
        }
    };
    out.finish().map_err(io_error)?;
    if events == 0 {
        return Err("no event given".into());
    }
    Ok(code)
}

/// Compiles the pattern, printing its grammar issues.
fn compile(pattern: &Value) -> Result<CompiledPattern, String> {
    CompiledPattern::new(pattern).map_err(|issues| {
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
        String::new()
    })
}

/// The message for a failure to read the events or write results (none for a closed pipe:
/// the reader has had enough).
fn io_error(e: io::Error) -> String {
    if e.kind() == io::ErrorKind::BrokenPipe {
        String::new()
    } else {
        format!("cannot read the events or write the results: {e}")
    }
}
