//! Matching speed. `cargo bench --bench pattern` reports events matched per second against
//! one pattern and against 300 patterns at once (EventBridge's rules-per-bus quota), on a
//! realistic event of a few KB.

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lambdaless_gen::pattern::CompiledPattern;
use serde_json::{json, Value};

/// An order event of about 3 KB: nested detail, arrays, numbers, an IP address.
fn event() -> Value {
    let items: Vec<Value> = (0..20)
        .map(|i| json!({ "sku": format!("SKU-{i:05}"), "qty": i % 4 + 1, "price": 9.99 + f64::from(i), "tags": ["gift", "eu", "promo"] }))
        .collect();
    json!({
        "version": "0",
        "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": "OrderPlaced",
        "source": "shop.orders",
        "account": "123456789012",
        "time": "2026-11-25T10:00:00Z",
        "region": "eu-west-1",
        "resources": ["arn:aws:shop:eu-west-1:123456789012:order/o-1"],
        "detail": {
            "orderId": "o-1", "status": "PLACED", "total": 1234.5, "currency": "EUR",
            "customer": { "id": "c-42", "tier": "gold", "country": "DE", "ip": "10.1.2.3" },
            "items": items
        }
    })
}

/// 300 distinct patterns using every operator family; about one in ten matches the event.
fn patterns() -> Vec<Value> {
    (0..300)
        .map(|i| match i % 10 {
            0 => json!({ "source": ["shop.orders"], "detail": { "total": [{ "numeric": [">", i] }] } }),
            1 => json!({ "source": [format!("shop.s{i}")] }),
            2 => json!({ "detail-type": [{ "prefix": format!("Order{i}") }] }),
            3 => json!({ "detail": { "customer": { "tier": [{ "anything-but": ["gold", format!("t{i}")] }] } } }),
            4 => json!({ "detail": { "customer": { "ip": [{ "cidr": format!("10.{}.0.0/16", i % 256) }] } } }),
            5 => json!({ "detail": { "items": { "sku": [format!("SKU-{i:05}")] } } }),
            6 => json!({ "detail": { "status": [{ "equals-ignore-case": format!("placed-{i}") }] } }),
            7 => json!({ "$or": [{ "source": [format!("a{i}")] }, { "detail": { "currency": [format!("X{i}")] } }] }),
            8 => json!({ "resources": [{ "wildcard": format!("arn:aws:shop:*:order/o-{i}") }] }),
            _ => json!({ "detail": { "refund": [{ "exists": true }] } }),
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let event = event();
    let compiled: Vec<CompiledPattern> = patterns()
        .iter()
        .map(|p| CompiledPattern::new(p).expect("valid"))
        .collect();
    let one = CompiledPattern::new(&json!({ "source": ["shop.orders"], "detail": { "total": [{ "numeric": [">", 1000] }], "customer": { "tier": ["gold", "platinum"] } } })).unwrap();
    let mut group = c.benchmark_group("match");
    group.throughput(Throughput::Elements(1));
    group.bench_function("1 pattern", |b| {
        b.iter(|| std::hint::black_box(one.matches(std::hint::black_box(&event))));
    });
    group.bench_function("300 patterns", |b| {
        b.iter(|| {
            compiled
                .iter()
                .filter(|p| p.matches(std::hint::black_box(&event)))
                .count()
        });
    });
    group.finish();
}

criterion_group!(pattern, benches);
criterion_main!(pattern);
