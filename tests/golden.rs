//! Golden tests: every `specs/*.yaml` compiles to the reviewed files under `golden/<spec>/`,
//! and every `specs/invalid/*.yaml` renders the reviewed diagnostics under `golden/invalid/`.
//! Update with `cargo insta test --accept` (or `INSTA_UPDATE=always cargo test --test golden`)
//! and read every diff.
//!
//! `insta::glob!` runs every spec and reports every mismatching snapshot, not just the first.
//! Specs are read by absolute path but named relative to the repository root (as users type
//! them), so goldens do not depend on the checkout path or on the working directory.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use lambdaless_gen::compile::compile;
use lambdaless_gen::diagnostic::Diagnostic;
use lambdaless_gen::emit::Format;
use lambdaless_gen::render::{self, Style};
use lambdaless_gen::source::{read_source, Source};

/// The repository root, canonical like the paths `glob!` hands out.
fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// `path` relative to the repository root, with `/` separators.
fn relative(path: &Path) -> String {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Reads the spec at the absolute `path` and names it by its repository-relative path.
fn load(path: &Path) -> Result<Source, (Source, Vec<Diagnostic>)> {
    let rename = |s: Source| {
        let renamed = Source::new(relative(path), s.text());
        match s.dir() {
            Some(dir) => renamed.with_dir(dir),
            None => renamed,
        }
    };
    read_source(path)
        .map(rename)
        .map_err(|(s, diags)| (rename(s), diags))
}

/// Renders `diags` as `check` prints them. Messages that quote a path the compiler resolved
/// (example files) show it relative to the repository root.
fn render_all(source: &Source, diags: &[Diagnostic]) -> String {
    let prefix = format!("{}/", root().display());
    diags
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.message = d.message.replace(&prefix, "");
            render::human(source, &d, Style::plain())
        })
        .collect()
}

/// `glob!` counts failures on a process-wide stack: two globs running at once (tests run in
/// parallel) would count each other's failures. Each test holds this lock while it globs.
fn one_glob_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Settings writing `<name>.snap` into `golden/<folder>`, with no glob suffix.
fn settings(folder: &str, path: &Path) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.remove_snapshot_suffix();
    s.set_snapshot_path(root().join("golden").join(folder));
    s.set_prepend_module_to_snapshot(false);
    s.set_input_file(path);
    s.set_omit_expression(true);
    s
}

#[test]
fn valid_specs_match_golden_output() {
    let _lock = one_glob_at_a_time();
    let mut broken = Vec::new();
    insta::glob!("../specs", "*.yaml", |path| {
        let source = match load(path) {
            Ok(source) => source,
            Err((source, diags)) => {
                broken.push(format!(
                    "{}:\n{}",
                    source.name(),
                    render_all(&source, &diags)
                ));
                return;
            }
        };
        let compiled = match compile(&source, Format::Yaml) {
            Ok(c) => c,
            Err(diags) => {
                broken.push(format!(
                    "{}:\n{}",
                    source.name(),
                    render_all(&source, &diags)
                ));
                return;
            }
        };
        settings(&stem(path), path).bind(|| {
            for (rel, bytes) in compiled.artifacts.files(Format::Yaml) {
                let name = rel.to_string_lossy().replace('/', "__");
                insta::assert_snapshot!(name, String::from_utf8_lossy(&bytes).into_owned());
            }
            insta::assert_snapshot!("warnings", render_all(&source, &compiled.warnings));
        });
    });
    assert!(
        broken.is_empty(),
        "valid specs that do not compile:\n{}",
        broken.join("\n")
    );
}

#[test]
fn invalid_specs_match_golden_diagnostics() {
    let _lock = one_glob_at_a_time();
    let mut compiled = Vec::new();
    insta::glob!("../specs/invalid", "*.yaml", |path| {
        let (source, diags) = match load(path) {
            Ok(source) => match compile(&source, Format::Yaml) {
                Ok(c) => (source, c.warnings),
                Err(diags) => (source, diags),
            },
            Err(pair) => pair,
        };
        if !diags.iter().any(Diagnostic::is_error) {
            compiled.push(source.name().to_owned());
        }
        let mut text = render_all(&source, &diags);
        text.push_str(&render::summary(&diags));
        settings("invalid", path).bind(|| insta::assert_snapshot!(stem(path), text));
    });
    assert!(
        compiled.is_empty(),
        "invalid specs without an error: {}",
        compiled.join(", ")
    );
}
