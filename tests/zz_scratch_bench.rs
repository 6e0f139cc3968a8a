use lambdaless_gen::pattern::CompiledPattern;
use serde_json::json;
use std::time::Instant;
#[test]
fn bench() {
    let mut pats = Vec::new();
    for i in 0..300 {
        let p = match i % 6 {
            0 => json!({"source": [format!("app.{i}")], "detail-type": ["Order Placed"]}),
            1 => json!({"source": [{"prefix": "app."}], "detail": {"state": [format!("s{i}")]}}),
            2 => {
                json!({"detail": {"amount": [{"numeric": [">", i, "<=", i + 50]}], "currency": ["EUR", "USD"]}})
            }
            3 => {
                json!({"detail-type": [{"equals-ignore-case": "order placed"}], "detail": {"customer": {"tier": [{"anything-but": ["free", "trial"]}]}}})
            }
            4 => {
                json!({"detail": {"$or": [{"items": {"sku": [{"wildcard": format!("SKU-*-{i}")}]}}, {"flag": [{"exists": true}]}]}})
            }
            _ => json!({"detail": {"ip": [{"cidr": "10.0.0.0/8"}], "region": [{"suffix": "-1"}]}}),
        };
        pats.push(CompiledPattern::new(&p).unwrap());
    }
    let event = json!({
        "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "Order Placed",
        "source": "app.12", "account": "123456789012", "time": "2017-12-22T18:43:48Z", "region": "us-west-1",
        "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
        "detail": {"state": "s7", "amount": 120, "currency": "EUR", "customer": {"tier": "gold", "id": "c-1"},
                   "items": [{"sku": "SKU-A-3", "qty": 1}, {"sku": "SKU-B-4", "qty": 2}], "ip": "10.1.2.3", "region": "eu-west-1"}
    });
    for kind in 0..6 {
        let sel: Vec<&CompiledPattern> = pats
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 6 == kind)
            .map(|(_, p)| p)
            .collect();
        let start = Instant::now();
        let mut h = 0;
        for _ in 0..20_000 {
            for p in &sel {
                if p.matches(&event) {
                    h += 1;
                }
            }
        }
        eprintln!(
            "kind {kind}: {:.1} ns/pattern hits {}",
            start.elapsed().as_nanos() as f64 / (20_000 * sel.len()) as f64,
            h / 20_000
        );
    }
    let n = 20_000;
    let start = Instant::now();
    let mut hits = 0;
    for _ in 0..n {
        for p in &pats {
            if p.matches(&event) {
                hits += 1;
            }
        }
    }
    let el = start.elapsed();
    eprintln!(
        "hits/event {} ; {:.0} events/s (300 patterns) ; {:.1} ns/pattern",
        hits / n,
        n as f64 / el.as_secs_f64(),
        el.as_nanos() as f64 / (n * 300) as f64
    );
}
