//! Build speed. `cargo bench --bench build` reports:
//! - `compile/<spec>`: the in-process pipeline (parse, schema, analysis, emission, quotas);
//! - `compile/topics300`: a generated spec with 300 topics and one subscribe route naming
//!   them all (the same shape `scripts/instructions` measures);
//! - `process/build seed`, `process/check seed`, `process/build topics300`: the whole
//!   process, files written, as a user runs it (compare: the reference app's `cdk synth`,
//!   ~4.5 s). `scripts/instructions` counts the same processes' instructions.

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use std::path::Path;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::source::Source;

/// A spec with `n` topics, each with its own pattern (every operator family in turn), and a
/// subscribe route naming every topic.
fn topics_spec(n: usize) -> String {
    let names: Vec<String> = (0..n).map(|i| format!("t{i:03}")).collect();
    let mut s = format!(
        "version: 1\nname: topics{n}\napi:\n  routes:\n    $connect: {{ do: connect }}\n    \
         $disconnect: {{ do: disconnect }}\n    subscribe: {{ do: subscribe, topics: [{}] }}\n\
         bus: {{ name: b{n} }}\ntopics:\n",
        names.join(", ")
    );
    for (i, name) in names.iter().enumerate() {
        let pattern = match i % 5 {
            0 => format!("{{ source: [app.s{i}] }}"),
            1 => format!("{{ source: [app.orders], detail-type: [{{ prefix: Order{i} }}] }}"),
            2 => format!("{{ detail: {{ amount: [{{ numeric: ['>', {i}] }}] }} }}"),
            3 => format!(
                "{{ detail: {{ status: [{{ anything-but: [s{i}, x] }}] }}, source: [app.orders] }}"
            ),
            _ => format!("{{ $or: [{{ source: [a{i}] }}, {{ detail: {{ tier: [gold{i}] }} }}] }}"),
        };
        s.push_str(&format!("  {name}: {{ pattern: {pattern} }}\n"));
    }
    s
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = tempfile::tempdir().unwrap();
    let topics300 = generated.path().join("topics300.yaml");
    std::fs::write(&topics300, topics_spec(300)).unwrap();
    let specs = ["seed", "topics", "everything"].map(|s| root.join(format!("specs/{s}.yaml")));
    for path in specs.iter().chain([&topics300]) {
        let spec = path.file_stem().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).unwrap();
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
    let built = root.join("target/release/lambdaless-gen");
    if built.exists() {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("out");
        // Timed as installed: `cargo install` copies the binary, and on ext4 a copy starts
        // about 0.35 ms faster than the file the linker wrote (same bytes; fewer page faults,
        // the page cache holds a sequentially written file in larger folios).
        let bin = out.path().join("lambdaless-gen");
        std::fs::copy(&built, &bin).unwrap();
        let mut group = c.benchmark_group("process");
        group.sample_size(50);
        let seed = root.join("specs/seed.yaml");
        let runs: [(&str, Vec<std::ffi::OsString>); 3] = [
            (
                "build seed",
                vec![
                    "build".into(),
                    seed.clone().into(),
                    "-o".into(),
                    dir.clone().into(),
                ],
            ),
            ("check seed", vec!["check".into(), seed.clone().into()]),
            (
                "build topics300",
                vec![
                    "build".into(),
                    topics300.clone().into(),
                    "-o".into(),
                    dir.clone().into(),
                ],
            ),
        ];
        for (name, args) in runs {
            group.bench_function(name, |b| {
                b.iter(|| {
                    let status = Command::new(&bin)
                        .args(&args)
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .status()
                        .unwrap();
                    assert!(status.success());
                });
            });
        }
        // The harness's own floor: spawning and waiting for a process that does nothing.
        if Path::new("/bin/true").exists() {
            group.bench_function("baseline /bin/true", |b| {
                b.iter(|| assert!(Command::new("/bin/true").status().unwrap().success()));
            });
        }
        group.finish();
    } else {
        eprintln!("skipping process/*: run `cargo build --release` first");
    }
}

criterion_group!(build, benches);
criterion_main!(build);
