//! Command-line interface: `build`, `check`, `schema`, `test-pattern`, `dev`, `diagram`,
//! `init`, `completions`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::{did_you_mean, Code};
use crate::emit::Format;

/// Compile a small YAML spec into a deployable, Lambda-less WebSocket push stack:
/// a CloudFormation template, Step Functions state machines (ASL) and API Gateway VTL
/// mapping templates.
#[derive(Debug, Parser)]
#[command(name = "lambdaless-gen", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success, 1 the spec has errors (or cannot be read/written), 2 usage errors.\n\
Deploy: aws cloudformation deploy --template-file out/template.yaml --stack-name NAME --capabilities CAPABILITY_IAM"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a spec and write the template, state machines and mapping templates.
    ///
    /// Everything is compiled in memory first, then written to a temporary folder beside
    /// DIR that replaces DIR: on any error, DIR is left exactly as it was.
    Build {
        /// The spec file (YAML).
        spec: PathBuf,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Template format.
        #[arg(long, value_enum, default_value_t = TemplateFormat::Yaml)]
        format: TemplateFormat,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Silence the warnings of this code (repeatable, like clippy's `-A`).
        #[arg(long, value_name = "CODE", value_parser = warning_code)]
        allow: Vec<Code>,
    },
    /// Validate specs without writing anything (for pre-commit hooks and CI).
    Check {
        /// Spec files (YAML).
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// Diagnostics as human-readable reports or as JSON.
        #[arg(long, value_enum, default_value_t = Report::Human)]
        format: Report,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Silence the warnings of this code (repeatable, like clippy's `-A`).
        #[arg(long, value_name = "CODE", value_parser = warning_code)]
        allow: Vec<Code>,
    },
    /// Print the spec's JSON Schema (Draft 2020-12), for editors and validators.
    Schema,
    /// Test events against an EventBridge pattern, or route them through a spec's topics,
    /// offline, with EventBridge's semantics.
    ///
    /// With `--pattern P` (or `--spec S --topic T`), prints `match` or `no-match` per event; a
    /// no-match names the pattern's field, its condition, and whether the event lacks the
    /// field or holds another value. With `--spec S` alone, prints per event the topics it
    /// reaches and the routes that would deliver it (or `none`), then a count per topic.
    ///
    /// PATTERN is a file, `-` or inline text, in JSON or YAML. EVENTS is a file, `-` (standard
    /// input) or inline JSON, read as a stream: JSON lines (one event per line), a JSON array
    /// of events, or one or more pretty-printed events; the first non-blank line decides
    /// (starting with `[`: an array; a whole JSON value: JSON lines; else pretty-printed).
    /// An invalid event is reported with its line on standard error and the run goes on.
    ///
    /// Exit 0 when every event matches (with a spec alone: reaches some topic), 1 when some
    /// event does not, 2 on usage errors, an invalid pattern or spec, no event, or some
    /// invalid event.
    #[command(name = "test-pattern")]
    TestPattern {
        /// The pattern: a file, `-`, or inline JSON or YAML.
        #[arg(long, value_name = "PATTERN", conflicts_with = "spec")]
        pattern: Option<String>,
        /// A spec: its topic's pattern (with `--topic`), or all its topics (without).
        #[arg(long, value_name = "SPEC", required_unless_present = "pattern")]
        spec: Option<PathBuf>,
        /// The topic of `--spec` whose pattern to test.
        #[arg(long, value_name = "NAME", requires = "spec")]
        topic: Option<String>,
        /// The events: a file, `-`, or inline JSON (JSON lines, an array, or one event).
        #[arg(long, value_name = "EVENTS")]
        event: String,
        /// Results for people, or for scripts.
        #[arg(long, value_enum, default_value_t = Results::Human)]
        format: Results,
        /// Print nothing on standard output; only the exit status (and errors) tell.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run the stack on localhost: the WebSocket API, EventBridge PutEvents, the
    /// @connections API, a live trace and a console page; reloads when the spec changes.
    Dev {
        /// The spec file (YAML).
        spec: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Trace lines as text or as JSON lines.
        #[arg(long, value_enum, default_value_t = Log::Human)]
        log: Log,
        /// Region of events and of the SigV4 signatures `api.auth: iam` requires
        /// (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1).
        #[arg(long)]
        region: Option<String>,
        /// Also serve pages of this origin (e.g. a front-end's dev server,
        /// `http://localhost:5173`): its WebSocket upgrades and requests, with CORS
        /// (repeatable). Other origins than the console's own are refused.
        #[arg(long, value_name = "ORIGIN", value_parser = origin)]
        allow_origin: Vec<String>,
        /// Most WebSocket connections at once; past it an upgrade gets 429.
        #[arg(long, value_name = "N", default_value_t = 10_000,
              value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
    },
    /// Print a Mermaid diagram of what SPEC deploys: the stack, or one state machine (GitHub
    /// renders Mermaid in pull requests and Markdown files).
    Diagram {
        /// The spec.
        spec: PathBuf,
        /// A state machine (`connections`, `delivery`, `deliverer`) instead of the stack.
        #[arg(long, value_name = "NAME")]
        machine: Option<String>,
        /// Wrap the diagram in a ```mermaid fence, ready to paste into Markdown.
        #[arg(long)]
        markdown: bool,
    },
    /// Write a starter spec (with the schema modeline and comments) into DIR.
    Init {
        /// Folder to write `lambdaless.yaml` into (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The spec's name (default: the folder's name, made valid).
        #[arg(long)]
        name: Option<String>,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Trace format of `dev`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Log {
    /// One readable line per happening.
    Human,
    /// One JSON object per line.
    Json,
}

/// Diagnostic output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Report {
    /// miette reports with underlined snippets.
    Human,
    /// A JSON array: file, line, column, end, severity, code, message, help.
    Json,
}

/// Output format of `test-pattern`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Results {
    /// One line per event, then a summary.
    Human,
    /// JSON lines: one object per event, then `{"summary": ...}`.
    Json,
}

/// Template format of `build` (the command line's spelling of [`Format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// `template.yaml`.
    Yaml,
    /// `template.json`.
    Json,
}

impl From<TemplateFormat> for Format {
    fn from(f: TemplateFormat) -> Self {
        match f {
            TemplateFormat::Yaml => Format::Yaml,
            TemplateFormat::Json => Format::Json,
        }
    }
}

/// Parses `--allow-origin ORIGIN`: `http(s)://host[:port]`, as browsers send it.
fn origin(text: &str) -> Result<String, String> {
    if crate::dev::is_origin(text) {
        Ok(crate::dev::normalize_origin(text))
    } else {
        Err(format!(
            "`{text}` is not an origin: write the scheme, host and port only, e.g. http://localhost:5173"
        ))
    }
}

/// Parses `--allow CODE`: a warning's code (errors cannot be allowed).
fn warning_code(text: &str) -> Result<Code, String> {
    let warnings = || {
        Code::WARNINGS
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match Code::parse(text) {
        Some(code) if code.is_warning() => Ok(code),
        Some(_) => Err(format!(
            "`{text}` reports errors, which cannot be allowed; warnings: {}",
            warnings()
        )),
        None => Err(
            match did_you_mean(text, Code::ALL.iter().map(|c| c.as_str())) {
                Some(s) => format!("unknown code `{text}`; did you mean `{s}`?"),
                None => format!("unknown code `{text}`; warnings: {}", warnings()),
            },
        ),
    }
}
