//! The dev server's bounds (issue 21): a client that stops reading is answered as API Gateway
//! answers for a client whose buffer is full (429 `LimitExceededException`, the message not
//! delivered, the connection kept), so it costs bounded memory; connections and the
//! undelivered-work records are bounded too.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{Client, Server};

/// Resident memory of a process, in bytes (Linux).
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb * 1024
}

#[test]
fn a_client_that_stops_reading_costs_bounded_memory_and_gets_429s() {
    let mut s = Server::start("specs/topics.yaml".as_ref(), &[]);
    let (mut slow, id) = s.connect();
    assert_eq!(
        slow.ask(r#"{"action":"subscribe","topics":["orders"]}"#)["type"],
        "subscribed"
    );
    // From here on the client reads nothing.
    let path = format!("/{}/@connections/{id}", s.stage);
    let agent = ureq::agent();
    let url = format!("{}{path}", s.http);
    let post = |len: usize| {
        let body = format!("\"{}\"", "m".repeat(len - 2));
        match agent.post(&url).send_string(&body) {
            Ok(r) => (r.status(), String::new()),
            Err(ureq::Error::Status(code, r)) => (
                code,
                r.header("x-amzn-ErrorType").unwrap_or_default().to_owned(),
            ),
            Err(e) => panic!("{e}"),
        }
    };
    let before = rss(s.pid());
    let mut accepted = Vec::new();
    let mut refused = 0;
    for _ in 0..2000 {
        match post(120 * 1024) {
            (200, _) => accepted.push(120 * 1024),
            (429, kind) => {
                assert_eq!(kind, "LimitExceededException");
                refused += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    let grown = rss(s.pid()).saturating_sub(before);
    eprintln!(
        "slow reader: {} posts of 120 KB accepted, {refused} refused (429); the server grew by {:.1} MB",
        accepted.len(),
        grown as f64 / 1e6
    );
    assert!(
        grown <= 64 * 1024 * 1024,
        "2,000 posts of 120 KB grew the server by {grown} bytes"
    );
    assert!(
        refused > 1500,
        "{} accepted, {refused} refused",
        accepted.len()
    );

    // Fill what room is left, down to less than an event's message.
    let mut len = 60 * 1024;
    while len >= 16 {
        match post(len).0 {
            200 => accepted.push(len),
            429 => len /= 2,
            other => panic!("{other}"),
        }
    }
    // Events for it are recorded as API Gateway's 429 past the deliverer's retries; the
    // records are bounded (the oldest go).
    let (_, info) = s.call("GET", "/@dev/info");
    let kept = info["limits"]["undeliveredKept"].as_u64().unwrap() as usize;
    assert_eq!(kept, 1000);
    let entry = json!({ "Source": "shop.orders", "DetailType": "X", "Detail": "{}", "EventBusName": "live-orders-orders" });
    let ten = json!({ "Entries": vec![entry; 10] }).to_string();
    let mut last = Value::Null;
    for _ in 0..(kept + 10) / 10 {
        last = s.put_events(&ten).1["Entries"][9]["EventId"].clone();
    }
    s.wait("done", |r| r["eventId"] == last && r.get("path").is_some());
    let (_, records) = s.call("GET", "/@dev/undelivered");
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), kept);
    let newest = records.last().unwrap();
    assert_eq!(newest["reason"], "post-failed");
    assert_eq!(newest["eventId"], last, "the newest are kept");
    assert_eq!(
        newest["failures"],
        json!([{ "connectionId": id, "error": "ApiGateway.429" }])
    );
    let (_, info) = s.call("GET", "/@dev/info");
    assert_eq!(info["undeliveredDropped"], 10);

    // The connection is still open: once the client reads again it gets every accepted
    // message, in order, then new ones.
    if let tungstenite::stream::MaybeTlsStream::Plain(tcp) = slow.0.get_ref() {
        tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    }
    for (i, len) in accepted.iter().enumerate() {
        match slow.recv() {
            Value::String(m) => assert_eq!(m.len(), len - 2, "message {i}"),
            other => panic!("message {i}: {other}"),
        }
    }
    assert_eq!(post(7).0, 200);
    assert_eq!(slow.recv(), json!("mmmmm"));
}

#[test]
fn connections_are_bounded() {
    let mut s = Server::start("specs/topics.yaml".as_ref(), &["--max-connections", "2"]);
    let (a, a_id) = s.connect();
    let (_b, _) = s.connect();
    let mark = s.mark();
    let refused = Client::open(&s.ws, &[]).unwrap_err();
    assert!(refused.to_string().contains("429"), "{refused}");
    let r = s.wait_after(mark, "connect-refused", |_| true);
    assert!(
        r["detail"].as_str().unwrap().contains("--max-connections"),
        "{r}"
    );
    let trace = format!("ws://{}/@dev/trace", s.addr());
    assert!(Client::open(&trace, &[])
        .unwrap_err()
        .to_string()
        .contains("429"));
    drop(a);
    s.wait("disconnect", |r| r["connectionId"] == a_id.as_str());
    let (_c, _) = s.connect();
}
