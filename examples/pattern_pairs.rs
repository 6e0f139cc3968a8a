//! Seeded random (pattern, event) pairs for the differential test of the JSONata matcher.
//!
//! ```text
//! cargo run --release --example pattern_pairs -- --seed 1 --count 100000 > pairs.jsonl
//! cargo run --release --example pattern_pairs -- --matcher        # the embedded matcher
//! cargo run --release --example pattern_pairs -- --check pairs.jsonl  # verdicts from text
//! cargo run --release --example pattern_pairs -- --complexity --seed 1 --count 1000
//! cargo run --release --example pattern_pairs -- --measure patterns.jsonl   # or - for stdin
//! ```
//!
//! Each line is `{"pattern": ..., "event": ..., "match": bool}`: a pattern generated from
//! EventBridge's grammar (every operator, nested objects, `$or`, dotted keys), an event
//! derived from it (satisfied or perturbed, then mutated: arrays, dotted event keys, noise),
//! and the Rust matcher's verdict. Fixed edge pairs (`pattern_pairs/edges.rs`) come first,
//! then `--count` random pairs. Patterns `CompiledPattern::new` rejects are skipped. The
//! generator is deterministic for a seed (splitmix64) and needs no dependency.
//!
//! `--complexity` writes patterns with their complexity figures instead (fixed edge patterns,
//! then `--count` random valid ones around the limits), and `--measure` tells whether each
//! pattern of a file is admitted at subscribe time: one record per line (see
//! `pattern_pairs/complexity.rs`). A line of the file is a pattern, or an object whose
//! `pattern` member is one (pairs, recorded cases, records).

#[path = "pattern_pairs/complexity.rs"]
mod complexity;
#[path = "pattern_pairs/differential.rs"]
mod differential;
#[path = "pattern_pairs/edges.rs"]
mod edges;
#[path = "pattern_pairs/event.rs"]
mod event;
#[path = "pattern_pairs/ip.rs"]
mod ip;
#[path = "pattern_pairs/pattern.rs"]
mod pattern;
#[path = "pattern_pairs/values.rs"]
mod values;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use lambdaless_gen::pattern::CompiledPattern;
use serde_json::{json, Value};

use values::Rng;

/// Command-line options.
struct Options {
    seed: u64,
    count: u64,
    matcher: bool,
    check: Option<String>,
    complexity: bool,
    measure: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        seed: 1,
        count: 1000,
        matcher: false,
        check: None,
        complexity: false,
        measure: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let text = args.next().ok_or(format!("{name} needs a value"))?;
            text.parse()
                .map_err(|_| format!("{name}: not a number: {text}"))
        };
        match arg.as_str() {
            "--seed" => options.seed = number("--seed")?,
            "--count" => options.count = number("--count")?,
            "--matcher" => options.matcher = true,
            "--check" => options.check = Some(args.next().ok_or("--check needs a file")?),
            "--complexity" => options.complexity = true,
            "--measure" => options.measure = Some(args.next().ok_or("--measure needs a file")?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!(
                "pattern_pairs: {message}\nusage: pattern_pairs [--seed S] [--count N] [--complexity] | --matcher | --check FILE | --measure FILE"
            );
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &options.check {
        return check(file);
    }
    if let Some(file) = &options.measure {
        return measure(file);
    }
    if options.complexity {
        return complexities(options.seed, options.count);
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if options.matcher {
        let _ = writeln!(out, "{}", lambdaless_gen::emit::jsonata::matcher());
        return ExitCode::SUCCESS;
    }
    let mut rng = Rng::new(options.seed);
    let (mut written, mut matched, mut skipped, mut edges_written) = (0u64, 0u64, 0u64, 0u64);
    let fixed = edges::pairs();
    let total = options.count + fixed.len() as u64;
    let mut fixed = fixed.into_iter();
    while written < total {
        if let Some((pattern, event)) = fixed.next() {
            let Ok(compiled) = CompiledPattern::new(&pattern) else {
                skipped += 1;
                continue;
            };
            let matches = compiled.matches(&event);
            matched += u64::from(matches);
            let line = json!({"pattern": pattern, "event": event, "match": matches});
            if writeln!(out, "{line}").is_err() {
                return ExitCode::FAILURE;
            }
            written += 1;
            edges_written += 1;
            continue;
        }
        let pattern = pattern::random_pattern(&mut rng);
        let Ok(compiled) = CompiledPattern::new(&pattern) else {
            skipped += 1;
            continue;
        };
        let event = pattern::random_event(&mut rng, &pattern);
        let matches = compiled.matches(&event);
        matched += u64::from(matches);
        let line = json!({"pattern": pattern, "event": event, "match": matches});
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
        written += 1;
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    eprintln!(
        "pattern_pairs: seed {} wrote {written} pairs ({edges_written} fixed edge pairs + {} random; \
         {matched} matching, {:.1}%), skipped {skipped} invalid patterns",
        options.seed,
        written - edges_written,
        100.0 * matched as f64 / written.max(1) as f64
    );
    ExitCode::SUCCESS
}

/// Re-reads a pairs file and matches each pair again from its JSON text (as JSONata and
/// `lambdaless-gen test-pattern` see it): the verdict must not change.
fn check(file: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("pattern_pairs: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut total, mut bad) = (0u64, 0u64);
    let mut chunk = Vec::new();
    let mut tally = differential::Tally::default();
    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        total += 1;
        let pair: Value = serde_json::from_str(line).unwrap_or(Value::Null);
        let verdict = CompiledPattern::new(&pair["pattern"]).map(|c| c.matches(&pair["event"]));
        if verdict.ok() != pair["match"].as_bool() {
            bad += 1;
            eprintln!(
                "pattern_pairs: {file}:{}: verdict changed from text: {line}",
                number + 1
            );
        }
        chunk.push((pair["pattern"].clone(), pair["event"].clone()));
        if chunk.len() == 64 {
            differential::check_chunk(&chunk, &mut tally);
            chunk.clear();
        }
    }
    differential::check_chunk(&chunk, &mut tally);
    for example in &tally.examples {
        eprintln!("pattern_pairs: PatternSet disagrees: {example}");
    }
    eprintln!(
        "pattern_pairs: PatternSet::matches(bytes) vs CompiledPattern: {} pairs one by one, \
         {} verdicts in sets of 64, {} non-object events rejected, {} disagreements",
        tally.pairs, tally.cross, tally.rejected, tally.disagreements
    );
    bad += tally.disagreements;
    eprintln!("pattern_pairs: {file}: {total} pairs re-read from text, {bad} verdicts changed");
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes the fixed complexity edges, then `count` random valid patterns, with their figures.
fn complexities(seed: u64, count: u64) -> ExitCode {
    let mut rng = Rng::new(seed);
    let mut out = BufWriter::new(io::stdout().lock());
    let (mut written, mut admitted) = (0u64, 0u64);
    let mut emit = |record: Value, out: &mut BufWriter<io::StdoutLock<'_>>| {
        admitted += u64::from(record["admitted"] == true);
        written += 1;
        writeln!(out, "{record}").is_ok()
    };
    for pattern in complexity::edges() {
        let record = complexity::record(&pattern);
        if record["valid"] == true && !emit(record, &mut out) {
            return ExitCode::FAILURE;
        }
    }
    let mut random = 0;
    while random < count {
        let record = complexity::record(&complexity::random_pattern(&mut rng));
        if record["valid"] == true {
            random += 1;
            if !emit(record, &mut out) {
                return ExitCode::FAILURE;
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    eprintln!("pattern_pairs: seed {seed} wrote {written} patterns with their complexity ({admitted} admitted)");
    ExitCode::SUCCESS
}

/// One record per line of `file` (`-`: standard input): whether its pattern is admitted.
fn measure(file: &str) -> ExitCode {
    let text = if file == "-" {
        io::read_to_string(io::stdin())
    } else {
        std::fs::read_to_string(file)
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            eprintln!("pattern_pairs: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            eprintln!("pattern_pairs: {file}:{}: not JSON", number + 1);
            return ExitCode::from(2);
        };
        let pattern = match value.get("pattern") {
            Some(p @ Value::Object(_)) => p,
            _ => &value,
        };
        if writeln!(out, "{}", complexity::record(pattern)).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
