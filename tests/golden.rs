//! Golden tests: every `specs/*.yaml` compiles to the reviewed files under `golden/<spec>/`,
//! and every `specs/invalid/*.yaml` renders the reviewed diagnostics under `golden/invalid/`.
//! Update with `cargo insta test --accept` (or `cargo insta review`) and read every diff.

use std::path::Path;

use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::render::{self, Style};
use lambdaless_gen::source::read_source;

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Spec files of `dir`, named relative to the repository root (as users type them), so
/// golden diagnostics do not depend on where the repository is checked out.
fn specs(dir: &str) -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).unwrap();
    let mut v: Vec<_> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| Path::new(dir).join(e.unwrap().file_name()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn valid_specs_match_golden_output() {
    for path in specs("specs") {
        let path = path.as_path();
        let source = read_source(path).expect("readable");
        let compiled = compile(&source, Format::Yaml)
            .unwrap_or_else(|d| panic!("{} should compile: {d:?}", path.display()));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("../golden/{}", stem(path)));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(path);
        settings.set_omit_expression(true);
        settings.bind(|| {
            for (rel, bytes) in compiled.artifacts.files(Format::Yaml) {
                let name = rel.to_string_lossy().replace('/', "__");
                insta::assert_snapshot!(name, String::from_utf8(bytes).unwrap());
            }
            let warnings: String = compiled
                .warnings
                .iter()
                .map(|d| render::human(&source, d, Style::plain()))
                .collect();
            insta::assert_snapshot!("warnings", warnings);
        });
    }
}

#[test]
fn invalid_specs_match_golden_diagnostics() {
    for path in specs("specs/invalid") {
        let path = path.as_path();
        let source = read_source(path).unwrap_or_else(|(s, _)| s);
        let diags = match read_source(path) {
            Ok(source) => {
                compile(&source, Format::Yaml).expect_err("an invalid spec must not compile")
            }
            Err((_, d)) => d,
        };
        assert!(
            diags.iter().any(|d| d.is_error()),
            "{}: expected an error",
            path.display()
        );
        let mut text: String = diags
            .iter()
            .map(|d| render::human(&source, d, Style::plain()))
            .collect();
        text.push_str(&render::summary(&diags));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../golden/invalid");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(path);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(stem(path), text));
    }
}
