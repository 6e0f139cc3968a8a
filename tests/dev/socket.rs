//! The WebSocket API: route selection and API Gateway's refusals and limits, the client
//! protocol's replies, 410 clean-up, throttling and auth on `$connect`.

use serde_json::json;
use tungstenite::Message;

use crate::harness::{Client, Server};

#[test]
fn api_gateway_refuses_what_it_cannot_route_and_closes_on_its_limits() {
    let mut s = Server::start("specs/topics.yaml".as_ref(), &[]);
    let (mut a, id) = s.connect();
    let forbidden = a.ask("not json");
    assert_eq!(forbidden["message"], "Forbidden", "no $default route");
    assert_eq!(forbidden["connectionId"], id.as_str());
    assert_eq!(a.ask(r#"{"action":"nope"}"#)["message"], "Forbidden");
    assert_eq!(a.ask(r#"{"action":"$connect"}"#)["message"], "Forbidden");
    a.0.send(Message::binary(vec![1, 2, 3])).unwrap();
    assert_eq!(a.recv(), json!({ "close": 1003 }));
    let (mut b, _) = s.connect();
    b.send(&"x".repeat(40_000));
    assert_eq!(
        b.recv(),
        json!({ "close": 1009 }),
        "frames are at most 32 KB"
    );
    s.wait("disconnect", |r| r["code"] == 1009);
    // Malformed frames, written raw: text that is not UTF-8 (1007), an unknown opcode (1002).
    for (frame, code) in [
        (vec![0x81, 0x82, 0, 0, 0, 0, 0xC3, 0x28], 1007),
        (vec![0x83, 0x80, 0, 0, 0, 0], 1002),
    ] {
        let (mut m, id) = s.connect();
        if let tungstenite::stream::MaybeTlsStream::Plain(tcp) = m.0.get_mut() {
            std::io::Write::write_all(tcp, &frame).unwrap();
        }
        assert_eq!(m.recv(), json!({ "close": code }));
        s.wait("disconnect", |r| r["connectionId"] == id.as_str());
    }
    // A client gone without a close frame has lost its connection: it broke no protocol.
    let (gone, id) = s.connect();
    drop(gone);
    let r = s.wait("disconnect", |r| r["connectionId"] == id.as_str());
    assert_eq!(
        (&r["code"], &r["reason"]),
        (&json!(null), &json!("connection lost")),
        "{r}"
    );
    // The server is still serving.
    let (mut c, _) = s.connect();
    assert_eq!(c.ask(r#"{"action":"unsubscribe"}"#)["type"], "unsubscribed");
}

#[test]
fn refusals_have_the_stacks_codes_and_a_vanished_client_is_cleaned_up() {
    let mut s = Server::start("specs/seed.yaml".as_ref(), &[]);
    let (mut a, a_id) = s.connect();
    let (mut b, _) = s.connect();
    let code = |c: &mut Client, body: &str| c.ask(body)["code"].as_str().map(str::to_owned);
    assert_eq!(
        code(&mut a, r#"{"action":"pattern"}"#).as_deref(),
        Some("missing-pattern")
    );
    assert_eq!(
        code(
            &mut a,
            r#"{"action":"pattern","pattern":{"detail":{"x":[]}}}"#
        )
        .as_deref(),
        Some("invalid-pattern")
    );
    let big = json!({ "action": "pattern", "pattern": { "detail": { "x": ["y".repeat(3000)] } } });
    assert_eq!(
        code(&mut a, &big.to_string()).as_deref(),
        Some("pattern-too-large")
    );
    assert_eq!(
        a.ask(r#"{"action":"pattern","pattern":{"source":["shop.orders"]}}"#),
        json!({ "type": "subscribed", "route": "pattern", "pattern": true })
    );
    assert_eq!(
        b.ask(r#"{"action":"pattern","pattern":{"source":["shop.orders"]}}"#)["type"],
        "subscribed"
    );
    let (status, _) = s.post(&format!("/@dev/connections/{a_id}/stale"), &[], "");
    assert_eq!(status, 204);
    let body = json!({ "Entries": [{ "Source": "shop.orders", "DetailType": "X", "Detail": "{}", "EventBusName": "seed" }] });
    let id = s.put_events(&body.to_string()).1["Entries"][0]["EventId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(b.recv()["topic"], "*");
    let gone = s.wait("gone", |r| r["eventId"] == id.as_str());
    assert_eq!(gone["connectionId"], a_id.as_str());
    let (_, records) = s.call("GET", &format!("/@dev/connections/{a_id}"));
    assert_eq!(
        records,
        json!({ "connected": false, "topics": [], "pattern": null, "live": false })
    );
}

#[test]
fn throttling_answers_too_many_requests() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("t.yaml");
    std::fs::write(&spec, "version: 1\nname: t\napi:\n  throttling: { rate: 0.01, burst: 3 }\ntopics:\n  a:\n    pattern: { source: [x] }\n").unwrap();
    let mut s = Server::start(&spec, &[]);
    let (mut a, _) = s.connect();
    assert_eq!(a.ask(r#"{"action":"unsubscribe"}"#)["type"], "unsubscribed");
    assert_eq!(a.ask(r#"{"action":"unsubscribe"}"#)["type"], "unsubscribed");
    assert_eq!(
        a.ask(r#"{"action":"unsubscribe"}"#)["message"],
        "Too Many Requests",
        "$connect took a token too"
    );
    let refused = Client::open(&s.ws, &[]).unwrap_err();
    assert!(refused.to_string().contains("429"), "{refused}");
}

#[test]
fn a_server_that_verifies_signatures_says_with_which_key() {
    let mut s = Server::start_with(
        "specs/secure.yaml".as_ref(),
        &[],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
        ],
    );
    let made_up = format!(
        "{}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261128%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date=20261128T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature={}",
        s.ws,
        "ab".repeat(32)
    );
    let refused = Client::open(&made_up, &[("x-api-key", "ops-console")]).unwrap_err();
    assert!(refused.to_string().contains("403"), "{refused}");
    let r = s.wait("connect-refused", |_| true);
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("signature we calculated"),
        "{r}"
    );
    assert!(
        r["help"]
            .as_str()
            .unwrap()
            .contains("AWS_ACCESS_KEY_ID=AKIDEXAMPLE"),
        "{r}"
    );
}

#[test]
fn connect_needs_the_api_key_and_a_signature_when_the_spec_says_so() {
    let mut s = Server::start("specs/secure.yaml".as_ref(), &[]);
    let refused =
        |url: &str, headers: &[(&str, &str)]| Client::open(url, headers).unwrap_err().to_string();
    assert!(refused(&s.ws, &[("x-api-key", "ops-console")]).contains("403"));
    let signed = format!(
        "{}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261128%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date=20261128T120000Z&X-Amz-SignedHeaders=host&X-Amz-Signature={}",
        s.ws,
        "ab".repeat(32)
    );
    assert!(refused(&signed, &[]).contains("403"), "no API key");
    assert!(refused(&signed, &[("x-api-key", "wrong")]).contains("403"));
    let wrong_region = signed.replace("us-east-1", "eu-west-1");
    assert!(refused(&wrong_region, &[("x-api-key", "ops-console")]).contains("403"));
    let mark = s.mark();
    let mut ok =
        Client::open(&signed, &[("x-api-key", "ops-console")]).expect("signed, with a key");
    s.wait_after(mark, "connect", |_| true);
    assert_eq!(
        ok.ask(r#"{"action":"subscribe","topics":["payments"]}"#)["type"],
        "subscribed"
    );
    let refusals: Vec<&serde_json::Value> = s
        .seen
        .iter()
        .filter(|r| r["kind"] == "connect-refused")
        .collect();
    assert_eq!(refusals.len(), 4);
    // The trace says what is missing and how to add it.
    let unsigned = refusals[0];
    assert_eq!(unsigned["reason"], "Forbidden");
    assert!(
        unsigned["detail"]
            .as_str()
            .unwrap()
            .contains("api.auth is iam: the request carries no SigV4 signature"),
        "{unsigned}"
    );
    let help = unsigned["help"].as_str().unwrap();
    assert!(
        help.contains(&format!(
            "examples/clients/python/signed_client.py {}",
            s.ws
        )),
        "{help}"
    );
    let no_key = refusals[1];
    assert!(
        no_key["detail"]
            .as_str()
            .unwrap()
            .contains("no x-api-key header"),
        "{no_key}"
    );
}
