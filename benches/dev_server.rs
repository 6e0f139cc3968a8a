//! The dev server under load. `cargo bench --bench dev_server` reports:
//! - start to ready: `lambdaless-gen dev specs/seed.yaml --port 0`, from spawning the process
//!   to its ready line (20 starts: median, p95, max);
//! - for topic subscribers (`specs/topics.yaml`, topic `orders`) and pattern subscribers
//!   (`specs/seed.yaml`, each with its own pattern): 1,000 concurrent WebSocket clients,
//!   events put through the PutEvents endpoint (10 per call, 4 callers), each delivered to
//!   all 1,000: events/s (an event counts when every subscriber has it) and delivery latency
//!   (put to receipt, per event and subscriber: p50, p99, max).
//!
//! Under `cargo test --benches` it runs a small version (50 clients, 40 events) as a test.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_lambdaless-gen");

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (clients, events, starts) = if full { (1000, 2000, 20) } else { (50, 40, 3) };
    start_to_ready(starts);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for (label, spec, how) in [
        ("topic subscribers", "specs/topics.yaml", Subscribe::Topic),
        ("pattern subscribers", "specs/seed.yaml", Subscribe::Pattern),
    ] {
        runtime.block_on(load(label, spec, clients, events, how, None));
        // Latency below saturation: one event per call, 50 events/s.
        runtime.block_on(load(label, spec, clients, events / 4, how, Some(50)));
    }
}

/// A started server: the process and its URLs.
struct Dev {
    child: std::process::Child,
    ws: String,
    http: String,
    ready_after: Duration,
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(spec: &str) -> Dev {
    let began = Instant::now();
    let mut child = Command::new(BIN)
        .args(["dev", spec, "--port", "0", "--log", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let ready_after = began.elapsed();
    // Keep draining the trace so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    Dev {
        child,
        ws: ready["urls"]["websocket"].as_str().unwrap().to_owned(),
        http: ready["urls"]["events"].as_str().unwrap().to_owned(),
        ready_after,
    }
}

fn start_to_ready(n: usize) {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| start("specs/seed.yaml").ready_after)
        .collect();
    times.sort();
    println!(
        "start to ready (specs/seed.yaml, {n} starts): median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(times[n / 2]),
        ms(times[(n * 95 / 100).min(n - 1)]),
        ms(times[n - 1])
    );
}

#[derive(Clone, Copy)]
enum Subscribe {
    Topic,
    Pattern,
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64
}

async fn load(
    label: &str,
    spec: &str,
    clients: usize,
    events: usize,
    how: Subscribe,
    pace: Option<u32>,
) {
    // The stage's default throttling (100/s, burst 200) would refuse most of 1,000 clients
    // connecting at once, as API Gateway would: the benchmark raises it.
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(spec)).unwrap();
    let unthrottled = dir.path().join("spec.yaml");
    // Example events the spec names live beside it.
    std::fs::create_dir(dir.path().join("events")).unwrap();
    for f in std::fs::read_dir(root.join("specs/events")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join("events").join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        &unthrottled,
        text.replacen(
            "\napi:\n",
            "\napi:\n  throttling: { rate: 100000, burst: 100000 }\n",
            1,
        ),
    )
    .unwrap();
    let dev = start(unthrottled.to_str().unwrap());
    let ready = Arc::new(Barrier::new(clients + 1));
    let mut tasks = Vec::new();
    for i in 0..clients {
        let (url, ready) = (dev.ws.clone(), Arc::clone(&ready));
        tasks.push(tokio::spawn(async move {
            client(url, i, how, events, ready).await
        }));
    }
    ready.wait().await;
    let began = Instant::now();
    let http = dev.http.clone();
    let bus = if matches!(how, Subscribe::Topic) {
        "live-orders-orders"
    } else {
        "seed"
    };
    let callers = if pace.is_some() { 1 } else { 4 };
    let putters: Vec<_> = (0..callers)
        .map(|p| {
            let (http, bus) = (http.clone(), bus.to_owned());
            tokio::task::spawn_blocking(move || put(&http, &bus, p, callers, events, pace))
        })
        .collect();
    for p in putters {
        p.await.unwrap();
    }
    let mut latencies = Vec::with_capacity(clients * events);
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let elapsed = began.elapsed();
    assert_eq!(
        latencies.len(),
        clients * events,
        "every subscriber got every event"
    );
    latencies.sort_unstable();
    let pct =
        |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)] as f64 / 1000.0;
    let mode = match pace {
        Some(rate) => format!("paced at {rate} events/s"),
        None => "as fast as 4 callers put them, 10 per call".to_owned(),
    };
    println!(
        "{label} ({spec}), {mode}: {clients} clients, {events} events: {:.0} events/s delivered to all ({:.0} messages/s); latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        events as f64 / elapsed.as_secs_f64(),
        (events * clients) as f64 / elapsed.as_secs_f64(),
        pct(50),
        pct(99),
        *latencies.last().unwrap() as f64 / 1000.0
    );
}

/// One subscriber: connects, subscribes, then collects the latency of every event.
async fn client(
    url: String,
    i: usize,
    how: Subscribe,
    events: usize,
    ready: Arc<Barrier>,
) -> Vec<u64> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .expect("connects");
    let subscribe = match how {
        Subscribe::Topic => json!({ "action": "subscribe", "topics": ["orders"] }),
        // Each client its own pattern (all matching the benchmark's events).
        Subscribe::Pattern => {
            json!({ "action": "pattern", "pattern": { "source": ["bench.load"], "detail": { "n": [{ "numeric": [">=", -(i as i64)] }] } } })
        }
    };
    ws.send(Message::text(subscribe.to_string())).await.unwrap();
    let reply = ws.next().await.unwrap().unwrap();
    assert!(reply.to_text().unwrap().contains("subscribed"), "{reply}");
    ready.wait().await;
    let mut latencies = Vec::with_capacity(events);
    while latencies.len() < events {
        let msg = tokio::time::timeout(Duration::from_secs(60), ws.next())
            .await
            .expect("events keep coming")
            .unwrap()
            .unwrap();
        let got = now_micros();
        let v: Value = serde_json::from_str(msg.to_text().unwrap()).unwrap();
        let sent = v["event"]["detail"]["sentMicros"]
            .as_u64()
            .expect("a benchmark event");
        latencies.push(got.saturating_sub(sent));
    }
    latencies
}

/// Caller `p` of `callers` puts its share of `events`: 10 per PutEvents call, or one per
/// call at `pace` events per second.
fn put(http: &str, bus: &str, p: usize, callers: usize, events: usize, pace: Option<u32>) {
    let mine: Vec<usize> = (0..events).filter(|e| e % callers == p).collect();
    let per_call = if pace.is_some() { 1 } else { 10 };
    let began = Instant::now();
    for (k, chunk) in mine.chunks(per_call).enumerate() {
        if let Some(rate) = pace {
            let due = began + Duration::from_secs_f64(k as f64 / f64::from(rate));
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
        }
        let entries: Vec<Value> = chunk
            .iter()
            .map(|&n| {
                let detail = json!({ "n": n, "sentMicros": now_micros() });
                let source = if bus == "seed" { "bench.load" } else { "shop.orders" };
                json!({ "Source": source, "DetailType": "Load", "Detail": detail.to_string(), "EventBusName": bus })
            })
            .collect();
        let body = json!({ "Entries": entries }).to_string();
        let r = ureq::post(http)
            .set("X-Amz-Target", "AWSEvents.PutEvents")
            .set("Content-Type", "application/x-amz-json-1.1")
            .send_string(&body)
            .expect("PutEvents answers");
        let v: Value = serde_json::from_str(&r.into_string().unwrap()).unwrap();
        assert_eq!(v["FailedEntryCount"], 0, "{v}");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
