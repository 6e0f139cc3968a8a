//! `lambdaless-gen diagram SPEC [--machine NAME] [--markdown]`: prints the Mermaid diagram of
//! the stack a spec deploys, or of one of its state machines, to paste into a pull request.

use std::io::Write;
use std::path::Path;

use crate::compile::compile;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::emit::Format;
use crate::render::{self, Style};
use crate::source::read_source;

/// Exit code of a run that printed the diagram.
const OK: u8 = 0;
/// The spec has errors or cannot be read.
const FAILED: u8 = 1;
/// `--machine` names no state machine of this spec.
const USAGE: u8 = 2;

/// Prints the diagram; errors (never warnings: `check` reports those) go to standard error.
pub(crate) fn run(spec: &Path, machine: Option<&str>, markdown: bool) -> u8 {
    let (source, result) = match read_source(spec) {
        Ok(source) => {
            let result = compile(&source, Format::Yaml);
            (source, result)
        }
        Err((source, diags)) => (source, Err(diags)),
    };
    let compiled = match result {
        Ok(c) => c,
        Err(diags) => {
            let mut err = std::io::stderr().lock();
            for d in &diags {
                let _ = write!(err, "{}", render::human(&source, d, Style::detect()));
            }
            let errors = diags.iter().filter(|d| Diagnostic::is_error(d)).count();
            let _ = writeln!(
                err,
                "error: {errors} error(s) in {}; no diagram",
                source.name()
            );
            return FAILED;
        }
    };
    let wanted = machine.map_or_else(|| "stack.mmd".to_owned(), |m| format!("{m}.mmd"));
    let diagrams = &compiled.artifacts.diagrams;
    let Some(diagram) = diagrams.iter().find(|d| d.file == wanted) else {
        let names: Vec<&str> = compiled
            .artifacts
            .machines
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        let asked = machine.unwrap_or_default();
        let hint = did_you_mean(asked, names.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        eprintln!(
            "error: {} has no state machine `{asked}`{hint} (it has: {})",
            source.name(),
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        );
        return USAGE;
    };
    let mut out = std::io::stdout().lock();
    let written = if markdown {
        write!(out, "```mermaid\n{}```\n", diagram.text)
    } else {
        out.write_all(diagram.text.as_bytes())
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            eprintln!("error: cannot write the diagram: {e}");
            FAILED
        }
    }
}
