//! `dev` and the browser (issue 21): a web page the developer visits must not drive the
//! server. Only loopback `Host` names (and `--host`) are served, so DNS rebinding gets
//! nothing; cross-origin WebSocket upgrades and requests are refused, requests without
//! `Origin` (CLI, SDKs) and the console's own origin are served; `--allow-origin` lets a
//! named front-end in, with CORS.

use std::process::Command;

use serde_json::{json, Value};

use crate::harness::{Client, Server, BIN};

const EVIL: &str = "https://evil.example";

fn put_events_body() -> String {
    json!({ "Entries": [{ "Source": "shop.orders", "DetailType": "X", "Detail": "{}", "EventBusName": "live-orders-orders" }] }).to_string()
}

#[test]
fn other_host_names_are_refused_so_dns_rebinding_gets_nothing() {
    let mut s = Server::start("specs/topics.yaml".as_ref(), &[]);
    let port = s.addr().rsplit(':').next().unwrap().to_owned();
    for (host, served) in [
        (format!("evil.example:{port}"), false),
        ("evil.example".to_owned(), false),
        (format!("127.0.0.1.nip.io:{port}"), false),
        (format!("localhost:{port}"), true),
        (format!("127.0.0.1:{port}"), true),
        (format!("[::1]:{port}"), true),
    ] {
        let (status, _, body) = s.raw(&format!("GET /@dev/info HTTP/1.1\r\nHost: {host}"), "");
        assert_eq!(status == 200, served, "Host {host}: {status} {body}");
        if !served {
            assert_eq!(status, 403, "Host {host}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert!(
                v["reason"].as_str().unwrap().contains("DNS rebinding"),
                "{v}"
            );
        }
    }
    let mark = s.mark();
    let rebound = Client::open(&s.ws, &[("host", "evil.example")]).unwrap_err();
    assert!(rebound.to_string().contains("403"), "{rebound}");
    let r = s.wait_after(mark, "request-refused", |_| true);
    assert_eq!(r["path"], format!("/{}", s.stage));
    assert!(
        s.seen[mark..].iter().all(|r| r["kind"] != "connect"),
        "no connection was made"
    );
    let (status, _, _) = s.raw(
        "POST / HTTP/1.1\r\nHost: evil.example\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Type: application/x-amz-json-1.1",
        &put_events_body(),
    );
    assert_eq!(status, 403, "no event put through a rebound name");
}

#[test]
fn cross_origin_upgrades_and_posts_are_refused_the_console_and_clis_are_served() {
    let mut s = Server::start("specs/topics.yaml".as_ref(), &[]);
    let own = s.http.clone();
    // WebSocket upgrades: the stage and the trace.
    let refused = Client::open(&s.ws, &[("origin", EVIL)]).unwrap_err();
    assert!(refused.to_string().contains("403"), "{refused}");
    let trace = format!("ws://{}/@dev/trace", s.addr());
    let refused = Client::open(&trace, &[("origin", EVIL)]).unwrap_err();
    assert!(refused.to_string().contains("403"), "the trace: {refused}");
    assert!(Client::open(&trace, &[("origin", &own)]).is_ok());
    let mark = s.mark();
    let mut own_page = Client::open(&s.ws, &[("origin", &own)]).expect("the console's origin");
    s.wait_after(mark, "done", |r| r["route"] == "$connect");
    let (mut cli, id) = s.connect(); // no Origin: a WebSocket library
    assert_eq!(
        own_page.ask(r#"{"action":"unsubscribe"}"#)["type"],
        "unsubscribed"
    );

    // A cross-origin "simple" POST (text/plain, no preflight) to @connections.
    let path = format!("/{}/@connections/{id}", s.stage);
    let forged = s.raw(
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {EVIL}\r\nContent-Type: text/plain",
            s.addr()
        ),
        "forged",
    );
    assert_eq!(forged.0, 403, "{forged:?}");
    assert!(forged.2.contains("--allow-origin"), "{}", forged.2);
    let (status, _, _) = s.raw(
        &format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nOrigin: {EVIL}\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Type: text/plain",
            s.addr()
        ),
        &put_events_body(),
    );
    assert_eq!(status, 403, "no cross-origin PutEvents");
    let (status, _, _) = s.raw(
        &format!(
            "GET /@dev/info HTTP/1.1\r\nHost: {}\r\nOrigin: null",
            s.addr()
        ),
        "",
    );
    assert_eq!(status, 403, "an opaque origin is another origin");
    // The AWS CLI and SDKs send no Origin; the console's page sends its own.
    assert_eq!(s.post(&path, &[], "from the CLI").0, 200);
    assert_eq!(
        cli.recv(),
        json!("from the CLI"),
        "the forged post never arrived"
    );
    assert_eq!(
        s.post(&path, &[("Origin", &own)], "from the console").0,
        200
    );
    assert_eq!(cli.recv(), json!("from the console"));
    assert_eq!(
        s.post(
            "/",
            &[
                ("X-Amz-Target", "AWSEvents.PutEvents"),
                ("Content-Type", "application/x-amz-json-1.1"),
                ("Origin", &own)
            ],
            &put_events_body()
        )
        .0,
        200
    );
    s.wait("event", |_| true); // the last PutEvents is traced after the refusals
    s.mark();
    let refusals = s
        .seen
        .iter()
        .filter(|r| r["kind"] == "request-refused")
        .count();
    assert!(refusals >= 4, "each refusal is traced");
}

#[test]
fn allow_origin_lets_a_named_front_end_in_with_cors() {
    let front = "http://localhost:5173";
    let mut s = Server::start(
        "specs/topics.yaml".as_ref(),
        &["--allow-origin", "http://LOCALHOST:5173/"],
    );
    let mark = s.mark();
    let mut page = Client::open(&s.ws, &[("origin", front)]).expect("the named front-end");
    s.wait_after(mark, "done", |r| r["route"] == "$connect");
    assert_eq!(
        page.ask(r#"{"action":"subscribe","topics":["orders"]}"#)["type"],
        "subscribed"
    );
    let other = Client::open(&s.ws, &[("origin", "http://localhost:5174")]).unwrap_err();
    assert!(
        other.to_string().contains("403"),
        "another port is another origin"
    );
    // The browser's preflight for PutEvents (custom headers), then the call.
    let (status, head, _) = s.raw(
        &format!(
            "OPTIONS / HTTP/1.1\r\nHost: {}\r\nOrigin: {front}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type,x-amz-target",
            s.addr()
        ),
        "",
    );
    assert_eq!(status, 204, "{head}");
    assert!(
        head.contains(&format!("access-control-allow-origin: {front}")),
        "{head}"
    );
    assert!(
        head.contains("access-control-allow-headers: content-type,x-amz-target"),
        "{head}"
    );
    let (status, head, body) = s.raw(
        &format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nOrigin: {front}\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Type: application/x-amz-json-1.1",
            s.addr()
        ),
        &put_events_body(),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        head.contains(&format!("access-control-allow-origin: {front}")),
        "{head}"
    );
    assert_eq!(page.recv()["topic"], "orders");

    let out = Command::new(BIN)
        .args([
            "dev",
            "specs/topics.yaml",
            "--port",
            "0",
            "--allow-origin",
            "localhost:5173",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("http://localhost:5173"),
        "the error shows the form"
    );
}
