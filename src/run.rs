//! Runs a parsed command line; returns the process exit code.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::cli::{Cli, Command, Log, Report, Results};
use crate::compile::{compile, Compiled};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::emit::Format;
use crate::output::write_atomically;
use crate::render::{self, Style};
use crate::schema::SCHEMA_TEXT;
use crate::source::{read_source, Source};

/// Success.
pub const OK: u8 = 0;
/// The spec has errors, or a file cannot be read or written.
pub const FAILED: u8 = 1;

/// Prints diagnostics for people: each in full, but acknowledged warnings briefly (the spec
/// says they are deliberate).
fn print_human(source: &Source, diags: &[Diagnostic], style: Style) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let text = if is_acknowledged(d) {
            render::brief(source, d, style)
        } else {
            render::human(source, d, style)
        };
        let _ = write!(err, "{text}");
    }
}

/// Compiles one file; diagnostics (errors or warnings) come back with the source.
fn compile_file(path: &Path, format: Format) -> (Source, Result<Compiled, Vec<Diagnostic>>) {
    match read_source(path) {
        Ok(source) => {
            let result = compile(&source, format);
            (source, result)
        }
        Err((source, diags)) => (source, Err(diags)),
    }
}

/// Runs `cli`.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Schema => {
            print!("{SCHEMA_TEXT}");
            OK
        }
        Command::Build {
            spec,
            out,
            format,
            deny_warnings,
            allow,
        } => build(&spec, &out, format.into(), Gate::new(deny_warnings, allow)),
        Command::Check {
            specs,
            format,
            deny_warnings,
            allow,
        } => check(&specs, format, Gate::new(deny_warnings, allow)),
        Command::TestPattern {
            pattern,
            spec,
            topic,
            event,
            format,
            quiet,
        } => crate::test_pattern::run(crate::test_pattern::Args {
            pattern,
            spec,
            topic,
            events: event,
            style: match format {
                Results::Human => crate::test_pattern::Style::Human,
                Results::Json => crate::test_pattern::Style::Json,
            },
            quiet,
        }),
        Command::Dev {
            spec,
            host,
            port,
            log,
            region,
            allow_origin,
            max_connections,
        } => crate::dev::run(crate::dev::Options {
            spec,
            host,
            port,
            allow_origins: allow_origin,
            max_connections,
            log: match log {
                Log::Human => crate::dev::LogFormat::Human,
                Log::Json => crate::dev::LogFormat::Json,
            },
            region: region
                .or_else(|| std::env::var("AWS_REGION").ok())
                .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
                .unwrap_or_else(|| "us-east-1".to_owned()),
        }),
        Command::Diagram {
            spec,
            machine,
            markdown,
        } => crate::show_diagram::run(&spec, machine.as_deref(), markdown),
        Command::Init { dir, name } => crate::init::run(&dir, name.as_deref()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "lambdaless-gen", &mut std::io::stdout());
            OK
        }
    }
}

/// What warnings do to a run: `--allow`ed codes are dropped, and with `--deny-warnings` the
/// rest fail it. Notes (acknowledged warnings among them) never do.
struct Gate {
    deny: bool,
    allow: Vec<Code>,
}

impl Gate {
    fn new(deny: bool, allow: Vec<Code>) -> Self {
        Gate { deny, allow }
    }

    /// The diagnostics to report.
    fn filter(&self, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diags
            .into_iter()
            .filter(|d| !(d.severity == Severity::Warning && self.allow.contains(&d.code)))
            .collect()
    }

    /// Whether these (filtered) diagnostics fail the run.
    fn fails(&self, diags: &[Diagnostic]) -> bool {
        diags
            .iter()
            .any(|d| d.is_error() || (self.deny && d.severity == Severity::Warning))
    }
}

fn build(spec: &Path, out: &Path, format: Format, gate: Gate) -> u8 {
    let started = Instant::now();
    let style = Style::detect();
    let (source, result) = compile_file(spec, format);
    let compiled = match result {
        Ok(c) => c,
        Err(diags) => {
            print_human(&source, &diags, style);
            eprintln!(
                "error: {} in {}; nothing written",
                render::summary(&diags),
                source.name()
            );
            return FAILED;
        }
    };
    let warnings = gate.filter(compiled.warnings.clone());
    let (acknowledged, shown): (Vec<Diagnostic>, Vec<Diagnostic>) =
        warnings.iter().cloned().partition(is_acknowledged);
    print_human(&source, &shown, style);
    if !acknowledged.is_empty() {
        eprintln!("{}", acknowledged_line(&source, &acknowledged));
    }
    if gate.fails(&warnings) {
        eprintln!(
            "error: {} in {} (--deny-warnings); nothing written",
            render::summary(&warnings),
            source.name()
        );
        return FAILED;
    }
    if let Err(e) = write_atomically(out, &compiled.files) {
        eprintln!("error: {e}; nothing written");
        return FAILED;
    }
    let a = &compiled.artifacts;
    println!(
        "built {} -> {}: {} resources, {} state machine(s), {} mapping template(s) in {:.1} ms",
        source.name(),
        out.display(),
        a.template.resources.len(),
        a.machines.len(),
        a.mappings.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    println!("deploy: {}", deploy_command(&compiled, out, format));
    // The process ends here: freeing tens of thousands of values one by one would only
    // delay the exit (the operating system takes the memory back at once).
    std::mem::forget(compiled);
    OK
}

/// A warning the spec acknowledges (`acknowledge:`), reported as a note.
fn is_acknowledged(d: &Diagnostic) -> bool {
    d.severity == Severity::Note && d.code.is_warning()
}

/// What `build` says of the warnings a spec acknowledges: one line naming them (they are
/// deliberate choices; `check` locates each).
fn acknowledged_line(source: &Source, notes: &[Diagnostic]) -> String {
    let codes: Vec<&str> = notes.iter().map(|d| d.code.as_str()).collect();
    format!(
        "note: {} acknowledges {} (`lambdaless-gen check {0}` shows {})",
        source.name(),
        codes.join(", "),
        if codes.len() == 1 { "it" } else { "each" }
    )
}

/// The `aws cloudformation deploy` command for this build: inline, or through S3 when the
/// template is over what CloudFormation accepts inline.
fn deploy_command(compiled: &Compiled, out: &Path, format: Format) -> String {
    let file = out.join(match format {
        Format::Yaml => "template.yaml",
        Format::Json => "template.json",
    });
    let mut cmd = format!(
        "aws cloudformation deploy --template-file {} --stack-name {} --capabilities CAPABILITY_IAM",
        shell_word(&file.display().to_string()),
        compiled.model.name
    );
    if compiled.files[0].1.len() > crate::quota::MAX_INLINE_TEMPLATE_BYTES {
        cmd.push_str(" --s3-bucket YOUR_BUCKET");
    }
    cmd
}

/// `word` as one POSIX shell word: as is when it is plain, otherwise single-quoted.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-:=@%+,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn check(specs: &[std::path::PathBuf], report: Report, gate: Gate) -> u8 {
    let style = Style::detect();
    let mut failed = false;
    let mut json = Vec::new();
    let mut all = Vec::new();
    for path in specs {
        let (source, result) = compile_file(path, Format::Yaml);
        let diags = gate.filter(match result {
            Ok(mut c) => {
                let warnings = std::mem::take(&mut c.warnings);
                // Not freed: see `build` (a few MB per spec, for the process's short life).
                std::mem::forget(c);
                warnings
            }
            Err(d) => d,
        });
        if gate.fails(&diags) {
            failed = true;
        }
        match report {
            Report::Human => print_human(&source, &diags, style),
            Report::Json => json.extend(
                diags
                    .iter()
                    .map(|d| serde_json::to_value(render::json(&source, d)).expect("serializes")),
            ),
        }
        all.extend(diags);
    }
    match report {
        Report::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("serializes")
        ),
        Report::Human if all.iter().all(|d| d.severity == Severity::Note) => {
            eprintln!("ok: {} spec(s) valid", specs.len());
        }
        Report::Human => eprintln!(
            "{}: {} in {} spec(s)",
            if failed { "error" } else { "warning" },
            render::summary(&all),
            specs.len()
        ),
    }
    if failed {
        FAILED
    } else {
        OK
    }
}
