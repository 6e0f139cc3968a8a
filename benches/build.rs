//! Build speed. `cargo bench --bench build` reports:
//! - `compile/<spec>`: the in-process pipeline (parse, schema, analysis, emission, quotas);
//! - `process/build seed`: the whole `lambdaless-gen build specs/seed.yaml -o DIR` process,
//!   files written, as a user runs it (compare: the reference app's `cdk synth`, ~4.5 s).

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use std::path::Path;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::source::Source;

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for spec in ["seed", "topics", "everything"] {
        let path = root.join(format!("specs/{spec}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let source = Source::new(path.display().to_string(), text).with_dir(&root.join("specs"));
        c.bench_function(&format!("compile/{spec}"), |b| {
            b.iter(|| {
                compile(&source, Format::Yaml)
                    .expect("compiles")
                    .artifacts
                    .files(Format::Yaml)
            });
        });
    }
    let bin = root.join("target/release/lambdaless-gen");
    if bin.exists() {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("out");
        let mut group = c.benchmark_group("process");
        group.sample_size(50);
        group.bench_function("build seed", |b| {
            b.iter(|| {
                let status = Command::new(&bin)
                    .args(["build", "specs/seed.yaml", "-o"])
                    .arg(&dir)
                    .current_dir(root)
                    .stdout(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success());
            });
        });
        group.finish();
    } else {
        eprintln!("skipping process/build seed: run `cargo build --release` first");
    }
}

criterion_group!(build, benches);
criterion_main!(build);
