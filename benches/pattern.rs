//! Matching speed, end to end (events read from their bytes: parse + match), of
//! `PatternSet::matches` (validating every byte) and `PatternSet::matches_trusted` (reading
//! only what can matter) against the `quamina` crate, on a deterministic corpus of 5,000
//! realistic EventBridge events, for 1, 10, 100, 300 and 1,000 patterns.
//!
//! * `quamina-ops/{ours-validating,ours-trusted,quamina}/N`: the same N patterns for all, using operators quamina
//!   supports (exact, prefix, anything-but lists, exists, wildcard, numeric ranges,
//!   equals-ignore-case, nested fields and arrays of objects).
//! * `mix/{ours-validating,ours-trusted}/N`: our other operators too ($or, cidr, suffix/prefix equals-ignore-case,
//!   anything-but prefix/suffix, exists false).
//!
//! Throughput is in events (`Throughput::Elements`): criterion reports events per second.
//! `cargo bench --bench pattern` measures; `cargo test --benches` runs each once.

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lambdaless_gen::pattern::PatternSet;
use serde_json::{json, Value};

const EVENTS: usize = 5_000;
const SIZES: [usize; 5] = [1, 10, 100, 300, 1_000];

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const REGIONS: [&str; 6] = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-south-1",
    "sa-east-1",
];
const STATUSES: [&str; 6] = ["PLACED", "Paid", "shipped", "CANCELLED", "refunded", "Held"];
const CURRENCIES: [&str; 3] = ["EUR", "USD", "BRL"];
const TIERS: [&str; 4] = ["gold", "silver", "bronze", "platinum"];
const COUNTRIES: [&str; 8] = ["DE", "FR", "US", "BR", "IN", "JP", "GB", "ES"];

fn source(k: u64) -> String {
    format!("com.example.svc{}", k % 60)
}

fn detail_type(k: u64) -> String {
    [
        "OrderPlaced",
        "OrderPaid",
        "OrderShipped",
        "Refund",
        "Alarm",
    ][(k % 5) as usize]
        .to_owned()
        + &format!("V{}", k % 7)
}

fn sku(k: u64) -> String {
    format!("SKU-{:05}", k % 2_000)
}

/// One event of about 1 KB: the EventBridge envelope, a nested detail with an array of
/// objects, numbers, an IP address; some fields missing.
fn event(rng: &mut Rng, i: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..rng.below(5))
        .map(|_| {
            json!({"sku": sku(rng.next()), "qty": rng.below(5) + 1,
                   "price": rng.below(100_000) as f64 / 100.0, "tags": ["gift", "promo"]})
        })
        .collect();
    let region = REGIONS[rng.below(6) as usize];
    let mut detail = json!({
        "orderId": format!("o-{i}"),
        "status": STATUSES[rng.below(6) as usize],
        "total": rng.below(500_000) as f64 / 100.0,
        "currency": CURRENCIES[rng.below(3) as usize],
        "customer": {
            "id": format!("c-{}", rng.below(10_000)),
            "tier": TIERS[rng.below(4) as usize],
            "country": COUNTRIES[rng.below(8) as usize],
            "ip": format!("10.{}.{}.{}", rng.below(256), rng.below(256), rng.below(256)),
        },
        "items": items,
        "note": null,
    });
    if rng.chance(10) {
        detail["refund"] = json!({"amount": rng.below(10_000), "reason": "damaged"});
    }
    let mut event = json!({
        "version": "0",
        "id": format!("{:08x}-1428-4cd3-a780-{:012x}", rng.next() as u32, i),
        "detail-type": detail_type(rng.next()),
        "source": source(rng.next()),
        "account": format!("{:012}", rng.below(5) * 111_111_111_111),
        "time": format!("2026-11-25T10:{:02}:{:02}Z", rng.below(60), rng.below(60)),
        "region": region,
        "resources": (0..rng.below(3)).map(|k| format!("arn:aws:shop:{region}:123456789012:order/o-{i}-{k}")).collect::<Vec<_>>(),
        "detail": detail,
    });
    if rng.chance(5) {
        event.as_object_mut().map(|m| m.remove("resources"));
    }
    serde_json::to_vec(&event).unwrap_or_default()
}

fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(2026);
    (0..EVENTS).map(|i| event(&mut rng, i)).collect()
}

/// Pattern `i` of the families both engines support.
fn common_pattern(i: u64) -> Value {
    let k = i / 10;
    let r = REGIONS[(k % 6) as usize];
    match i % 10 {
        0 => json!({"source": [source(k)]}),
        1 => json!({"source": [source(k)], "detail-type": [detail_type(k)]}),
        2 => {
            json!({"detail-type": [{"prefix": format!("Order{}", ["P", "Pa", "S", "Sh"][(k % 4) as usize])}], "source": [source(k + 3)]})
        }
        3 => json!({"source": [source(k + 1)], "region": [{"anything-but": [r, "us-east-1"]}]}),
        4 => json!({"source": [source(k + 2)], "detail": {"refund": [{"exists": true}]}}),
        5 => {
            json!({"resources": [{"wildcard": format!("arn:aws:shop:{r}:*:order/o-{}*", k % 50)}]})
        }
        6 => {
            json!({"source": [source(k + 4)], "detail": {"total": [{"numeric": [">", (k % 50) * 100, "<=", (k % 50) * 100 + 2_000]}]}})
        }
        7 => {
            json!({"detail-type": [detail_type(k + 1)], "detail": {"status": [{"equals-ignore-case": STATUSES[(k % 6) as usize]}]}})
        }
        8 => json!({"detail": {"items": {"sku": [sku(k), sku(k + 1_000)]}}}),
        _ => {
            json!({"detail": {"customer": {"tier": ["platinum", TIERS[(k % 4) as usize]], "country": [COUNTRIES[(k % 8) as usize]]}}, "source": [source(k + 5)]})
        }
    }
}

/// Pattern `i` of the families only ours supports, with common ones in between.
fn mixed_pattern(i: u64) -> Value {
    let k = i / 10;
    match i % 10 {
        0 => {
            json!({"$or": [{"source": [source(k)]}, {"detail": {"refund": {"amount": [{"numeric": [">", 9_000 + k]}]}}}]})
        }
        1 => json!({"detail": {"customer": {"ip": [{"cidr": format!("10.{}.0.0/16", k % 256)}]}}}),
        2 => {
            json!({"detail-type": [{"suffix": {"equals-ignore-case": format!("v{}", k % 7)}}], "source": [source(k)]})
        }
        3 => {
            json!({"source": [{"anything-but": {"prefix": "com.example.svc1"}}], "region": [REGIONS[(k % 6) as usize]], "account": [format!("{:012}", (k % 5) * 111_111_111_111)]})
        }
        4 => json!({"source": [source(k)], "detail": {"refund": [{"exists": false}]}}),
        5 => json!({"detail": {"items": {"sku": [sku(k)], "qty": [{"numeric": [">=", 3]}]}}}),
        6 => {
            json!({"detail-type": [{"prefix": {"equals-ignore-case": "orderp"}}], "detail": {"currency": [{"anything-but": {"suffix": "D"}}]}, "source": [source(k + 1)]})
        }
        _ => common_pattern(i),
    }
}

fn ours(patterns: &[Value]) -> PatternSet<usize> {
    let mut set = PatternSet::new();
    for (i, p) in patterns.iter().enumerate() {
        set.add(i, p).expect("valid pattern");
    }
    set
}

fn quamina(patterns: &[Value]) -> quamina::Quamina<usize> {
    let mut q = quamina::Quamina::new();
    for (i, p) in patterns.iter().enumerate() {
        q.add_pattern(i, &p.to_string())
            .expect("quamina accepts the pattern");
    }
    q
}

fn benches(c: &mut Criterion) {
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    eprintln!(
        "corpus: {} events, {bytes} bytes ({} per event on average)",
        corpus.len(),
        bytes / corpus.len()
    );
    let mut group = c.benchmark_group("quamina-ops");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    for n in SIZES {
        let patterns: Vec<Value> = (0..n as u64).map(common_pattern).collect();
        let (set, q) = (ours(&patterns), quamina(&patterns));
        // Same work on both sides: the same matches, event by event.
        let mut total = 0;
        for event in &corpus {
            let mut a = set.matches(event).expect("valid event");
            let trusted = set.matches_trusted(event).expect("valid event");
            assert_eq!(a, trusted, "{}", String::from_utf8_lossy(event));
            let mut b = q.matches_for_event(event).expect("valid event");
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{}", String::from_utf8_lossy(event));
            total += a.len();
        }
        eprintln!("{n} patterns: {total} matches in {} events", corpus.len());
        engine(&mut group, "ours-validating", n, &corpus, |e| {
            set.matches(e).map_or(0, |m| m.len())
        });
        engine(&mut group, "ours-trusted", n, &corpus, |e| {
            set.matches_trusted(e).map_or(0, |m| m.len())
        });
        engine(&mut group, "quamina", n, &corpus, |e| {
            q.matches_for_event(e).map_or(0, |m| m.len())
        });
    }
    group.finish();
    let mut group = c.benchmark_group("mix");
    group.throughput(Throughput::Elements(corpus.len() as u64));
    for n in SIZES {
        let set = ours(&(0..n as u64).map(mixed_pattern).collect::<Vec<_>>());
        for event in &corpus {
            assert_eq!(set.matches(event), set.matches_trusted(event));
        }
        engine(&mut group, "ours-validating", n, &corpus, |e| {
            set.matches(e).map_or(0, |m| m.len())
        });
        engine(&mut group, "ours-trusted", n, &corpus, |e| {
            set.matches_trusted(e).map_or(0, |m| m.len())
        });
    }
    group.finish();
}

/// Benchmarks one engine at `n` patterns: every corpus event matched, end to end (bytes in,
/// match count out).
fn engine(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    n: usize,
    corpus: &[Vec<u8>],
    matches: impl Fn(&[u8]) -> usize,
) {
    group.bench_with_input(BenchmarkId::new(name, n), corpus, |b, corpus| {
        b.iter(|| corpus.iter().map(|e| matches(e)).sum::<usize>());
    });
}

criterion_group! {
    name = pattern;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(pattern);
