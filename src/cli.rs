//! Command-line interface: `build`, `check`, `schema`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
        #[arg(long, value_enum, default_value_t = Format::Yaml)]
        format: Format,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
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
    },
    /// Print the spec's JSON Schema (Draft 2020-12), for editors and validators.
    Schema,
}

/// Diagnostic output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Report {
    /// miette reports with underlined snippets.
    Human,
    /// A JSON array: file, line, column, end, severity, code, message, help.
    Json,
}
