//! Golden tests: every `specs/*.yaml` compiles to the reviewed files under `golden/<spec>/`,
//! and every `specs/invalid/*.yaml` renders the reviewed diagnostics under `golden/invalid/`.
//! Update with `cargo insta test --accept` (or `INSTA_UPDATE=always cargo test --test golden`)
//! and read every diff.
//!
//! `insta::glob!` runs every spec and reports every mismatching snapshot, not just the first.
//! Specs are read by absolute path but named relative to the repository root (as users type
//! them), so goldens do not depend on the checkout path or on the working directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use lambdaless_gen::compile::compile;
use lambdaless_gen::diagnostic::{Code, Diagnostic};
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

/// Every reviewed file is still produced: a golden whose spec, route or machine is gone would
/// otherwise linger and mislead a reviewer.
#[test]
fn no_golden_outlives_its_spec() {
    let golden = root().join("golden");
    let mut orphans = Vec::new();
    for folder in std::fs::read_dir(&golden).unwrap() {
        let folder = folder.unwrap().path();
        let name = stem(&folder);
        let expected: Vec<String> = if name == "invalid" {
            std::fs::read_dir(root().join("specs/invalid"))
                .unwrap()
                .map(|e| format!("{}.snap", stem(&e.unwrap().path())))
                .collect()
        } else {
            let spec = root().join("specs").join(format!("{name}.yaml"));
            let Ok(Ok(compiled)) = load(&spec).map(|s| compile(&s, Format::Yaml)) else {
                orphans.push(format!("golden/{name}/ (no valid specs/{name}.yaml)"));
                continue;
            };
            let files = compiled.artifacts.files(Format::Yaml).into_iter();
            files
                .map(|(rel, _)| format!("{}.snap", rel.to_string_lossy().replace('/', "__")))
                .chain(["warnings.snap".to_owned()])
                .collect()
        };
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().file_name().to_string_lossy().into_owned();
            if !expected.contains(&file) {
                orphans.push(format!("golden/{name}/{file}"));
            }
        }
    }
    orphans.sort();
    assert!(orphans.is_empty(), "goldens nothing produces: {orphans:?}");
}

/// Codes no spec file can produce, and why. Every other code must be produced by some spec
/// under `specs/invalid/`, so each diagnostic has a reviewed rendering in `golden/invalid/`.
const NOT_FROM_A_SPEC_FILE: &[(Code, &str)] = &[
    (
        Code::Io,
        "the file cannot be read: tests/cli.rs checks a missing file",
    ),
    (
        Code::YamlTooLarge,
        "a spec over 1 MiB would have to be committed: tests/cli.rs writes one on the fly",
    ),
    (
        Code::SchemaInvalid,
        "the fallback for schema keywords without a code of their own; the schema uses none",
    ),
    (
        Code::PatternNotObject,
        "the schema requires `pattern` to be a mapping; `test-pattern --pattern '[1]'` shows it",
    ),
    (
        Code::SpecInvalid,
        "the schema admits only what the typed spec accepts; this is the compiler's last resort",
    ),
    (
        Code::QuotaOutputs,
        "the template has a fixed handful of outputs, whatever the spec",
    ),
    (
        Code::QuotaStateName,
        "state names are fixed by the generator, none is written in the spec",
    ),
    (
        Code::QuotaDefinitionSize,
        "the state machines have a fixed set of states (10-20 KB), whatever the spec",
    ),
];

#[test]
fn every_code_has_an_invalid_spec() {
    // (That codes are unique is checked next to the registry, in src/diagnostic/code.rs.)
    let mut produced = BTreeMap::<Code, String>::new();
    let dir = root().join("specs/invalid");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    for path in &specs {
        let diags = match load(path) {
            Ok(source) => match compile(&source, Format::Yaml) {
                Ok(c) => c.warnings,
                Err(diags) => diags,
            },
            Err((_, diags)) => diags,
        };
        for d in diags {
            produced.entry(d.code).or_insert_with(|| relative(path));
        }
    }
    let exempt: Vec<Code> = NOT_FROM_A_SPEC_FILE.iter().map(|(c, _)| *c).collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !produced.contains_key(c) && !exempt.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "no spec in specs/invalid/ produces: {missing:?}"
    );
    let stale: Vec<&str> = exempt
        .iter()
        .filter(|c| produced.contains_key(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "listed as impossible, yet produced: {stale:?}"
    );
    if std::env::var_os("PRINT_CODE_COVERAGE").is_some() {
        for (code, spec) in &produced {
            println!("{code}\t{spec}");
        }
    }
}
