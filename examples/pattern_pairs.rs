//! Seeded random (pattern, event) pairs for the differential test of the JSONata matcher.
//!
//! ```text
//! cargo run --release --example pattern_pairs -- --seed 1 --count 100000 > pairs.jsonl
//! cargo run --release --example pattern_pairs -- --matcher        # the embedded matcher
//! cargo run --release --example pattern_pairs -- --check pairs.jsonl  # verdicts from text
//! ```
//!
//! Each line is `{"pattern": ..., "event": ..., "match": bool}`: a pattern generated from
//! EventBridge's grammar (every operator, nested objects, `$or`, dotted keys), an event
//! derived from it (satisfied or perturbed, then mutated: arrays, dotted event keys, noise),
//! and the Rust matcher's verdict. Fixed edge pairs (`pattern_pairs/edges.rs`) come first,
//! then `--count` random pairs. Patterns `CompiledPattern::new` rejects are skipped. The
//! generator is deterministic for a seed (splitmix64) and needs no dependency.

#[path = "pattern_pairs/edges.rs"]
mod edges;
#[path = "pattern_pairs/event.rs"]
mod event;
#[path = "pattern_pairs/ip.rs"]
mod ip;
#[path = "pattern_pairs/values.rs"]
mod values;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use lambdaless_gen::pattern::CompiledPattern;
use serde_json::{json, Map, Value};

use values::Rng;

/// Command-line options.
struct Options {
    seed: u64,
    count: u64,
    matcher: bool,
    check: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        seed: 1,
        count: 1000,
        matcher: false,
        check: None,
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
                "pattern_pairs: {message}\nusage: pattern_pairs [--seed S] [--count N] | --matcher | --check FILE"
            );
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &options.check {
        return check(file);
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
        rng.small = rng.chance(0.35);
        let pattern = Value::Object(gen_object(&mut rng, 0, 3));
        let Ok(compiled) = CompiledPattern::new(&pattern) else {
            skipped += 1;
            continue;
        };
        let faithful = rng.chance(0.5);
        let mut event = Map::new();
        satisfy_object(&mut rng, &pattern, &mut event, faithful);
        let mut event = Value::Object(event);
        event::mutate(&mut rng, &mut event, 0);
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

/// Field names of patterns (never names reserved inside `$or`, never integer-like names: a
/// JavaScript object puts those first, which could reorder two definitions of one field).
const KEYS: [&str; 16] = [
    "a",
    "b",
    "c",
    "detail",
    "source",
    "id",
    "name",
    "ip",
    "n",
    "s",
    "ß",
    "Ωμέγα",
    "k-e_y",
    "",
    "constructor",
    "__proto__",
];

fn key(rng: &mut Rng) -> String {
    let pool: &[&str] = if rng.small { &["a", "b", "c"] } else { &KEYS };
    let first = rng.pick(pool).to_string();
    if rng.chance(if rng.small { 0.3 } else { 0.15 }) {
        format!("{first}.{}", rng.pick(pool))
    } else {
        first
    }
}

/// A pattern object with 1 to `max_keys` members at nesting `depth`.
fn gen_object(rng: &mut Rng, depth: u32, max_keys: u64) -> Map<String, Value> {
    let mut map = Map::new();
    let keys = 1 + rng.below(max_keys);
    for _ in 0..keys {
        let roll = rng.below(100);
        if depth < 3 && roll < 10 {
            let mut branches: Vec<Value> = (0..2 + rng.below(2))
                .map(|_| Value::Object(gen_object(rng, depth + 1, 2)))
                .collect();
            if rng.chance(0.3) {
                branches[0] = json!({ key(rng): [{"exists": false}] });
            }
            map.insert("$or".into(), Value::Array(branches));
        } else if depth < 3 && roll < 30 {
            let inner = gen_object(rng, depth + 1, 2);
            map.insert(key(rng), Value::Object(inner));
        } else {
            let items = (0..1 + rng.below(3))
                .map(|_| values::gen_element(rng))
                .collect();
            map.insert(key(rng), Value::Array(items));
        }
    }
    if rng.chance(0.15) {
        redefine(rng, &mut map);
    }
    map
}

/// Defines again, through a dotted key, a field that a nested object already defines (the
/// last definition wins), placing the new key after or before the nested object.
fn redefine(rng: &mut Rng, map: &mut Map<String, Value>) {
    let found = map.iter().find_map(|(k, v)| {
        let field = v.as_object()?.iter().find(|(_, inner)| inner.is_array())?.0;
        (k != "$or").then(|| format!("{k}.{field}"))
    });
    let Some(dotted) = found else {
        return;
    };
    let leaf = Value::Array(vec![values::gen_element(rng)]);
    if rng.chance(0.5) {
        map.insert(dotted, leaf);
    } else {
        let rest = std::mem::take(map);
        map.insert(dotted, leaf);
        map.extend(rest);
    }
}

/// The event object at `segments` below `event` (created as needed), or `None` when a
/// non-object value is already there.
fn descend<'e>(
    event: &'e mut Map<String, Value>,
    segments: &[&str],
) -> Option<&'e mut Map<String, Value>> {
    let mut here = event;
    for seg in segments {
        let slot = here
            .entry(seg.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        here = slot.as_object_mut()?;
    }
    Some(here)
}

/// Writes into `event` values for the members of `pattern` (an object): satisfying ones when
/// `faithful` (mostly), otherwise a mix of satisfying, wrong and missing values.
fn satisfy_object(rng: &mut Rng, pattern: &Value, event: &mut Map<String, Value>, faithful: bool) {
    let Some(map) = pattern.as_object() else {
        return;
    };
    for (key, value) in map {
        if key == "$or" {
            let branches = value.as_array().map(Vec::as_slice).unwrap_or_default();
            for branch in branches {
                if rng.chance(if faithful { 0.6 } else { 0.4 }) {
                    satisfy_object(rng, branch, event, faithful);
                }
            }
            if let Some(branch) = rng.pick_opt(branches) {
                satisfy_object(rng, branch, event, faithful);
            }
            continue;
        }
        let segments: Vec<&str> = key.split('.').collect();
        let (last, outer) = segments.split_last().unwrap_or((&"", &[]));
        let Some(parent) = descend(event, outer) else {
            continue;
        };
        match value {
            Value::Object(_) => {
                let mut inner = match parent.remove(*last) {
                    Some(Value::Object(existing)) => existing,
                    _ => Map::new(),
                };
                satisfy_object(rng, value, &mut inner, faithful);
                parent.insert(last.to_string(), Value::Object(inner));
            }
            Value::Array(items) => {
                let keep = if faithful { 0.97 } else { 0.6 };
                let item = rng.pick_opt(items).cloned().unwrap_or(Value::Null);
                let hit = rng.chance(keep);
                match event::leaf_value(rng, &item, hit) {
                    Some(v) => parent.insert(last.to_string(), v),
                    None => parent.remove(*last),
                };
            }
            _ => {}
        }
    }
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
    }
    eprintln!("pattern_pairs: {file}: {total} pairs re-read from text, {bad} verdicts changed");
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
