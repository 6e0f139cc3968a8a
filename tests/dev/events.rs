//! `PutEvents`: EventBridge's request checks and per-entry answers, and delivery of what it
//! accepts.

use serde_json::{json, Value};

use crate::harness::Server;

fn topics() -> Server {
    Server::start("specs/topics.yaml".as_ref(), &[])
}

fn entry(source: &str, detail: Value) -> Value {
    json!({ "Source": source, "DetailType": "OrderPlaced", "Detail": detail.to_string(), "EventBusName": "live-orders-orders" })
}

#[test]
fn request_level_errors_are_400s_with_eventbridges_messages() {
    let s = topics();
    let (status, body) = s.post("/", &[("X-Amz-Target", "AWSEvents.ListRules")], "{}");
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    let (status, body) = s.put_events("{not json");
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
    let (status, body) = s.put_events("{}");
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Member must not be null"),
        "{body}"
    );
    let (_, body) = s.put_events(r#"{"Entries":[]}"#);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("greater than or equal to 1"),
        "{body}"
    );
    let eleven: Vec<Value> = (0..11).map(|_| entry("shop.orders", json!({}))).collect();
    let (status, body) = s.put_events(&json!({ "Entries": eleven }).to_string());
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"
    );
    let big = entry("shop.orders", json!({ "blob": "x".repeat(262_144) }));
    let (status, body) = s.put_events(&json!({ "Entries": [big] }).to_string());
    assert_eq!(
        (status, body["message"].as_str()),
        (
            400,
            Some("Total size of the entries in the request is over the limit.")
        )
    );
}

#[test]
fn each_entry_is_accepted_or_answered_in_place() {
    let s = topics();
    let entries = json!({ "Entries": [
        { "Source": "shop.orders" },
        entry("shop.orders", json!({ "orderId": "o-1" })),
        { "Source": "shop.orders", "DetailType": "X" },
        { "Source": "shop.orders", "DetailType": "X", "Detail": "[1]" },
        { "Source": "aws.ec2", "DetailType": "X", "Detail": "{}" },
        { "Source": "shop.orders", "DetailType": "X", "Detail": "{}", "EventBusName": "nope" },
        { "Source": "shop.orders", "DetailType": "X", "Detail": "{}", "EventBusName": "arn:aws:events:us-east-1:000000000000:event-bus/default" },
    ]});
    let (status, body) = s.put_events(&entries.to_string());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["FailedEntryCount"], 5);
    let e = &body["Entries"];
    assert_eq!(
        e[0]["ErrorMessage"],
        "Parameter DetailType is not valid. Reason: DetailType is a required argument."
    );
    assert_eq!(e[1]["EventId"].as_str().map(str::len), Some(36));
    assert_eq!(
        e[2]["ErrorMessage"],
        "Parameter Detail is not valid. Reason: Detail is a required argument."
    );
    assert_eq!(
        e[3],
        json!({ "ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed." })
    );
    assert_eq!(e[4]["ErrorCode"], "NotAuthorizedForSourceException");
    assert_eq!(e[5]["ErrorCode"], "ResourceNotFoundException");
    assert!(
        e[6]["EventId"].is_string(),
        "the default bus exists in every account"
    );
}

#[test]
fn accepted_events_reach_subscribers_completed_like_eventbridges() {
    let mut s = topics();
    let (mut a, a_id) = s.connect();
    let (mut b, _) = s.connect();
    assert_eq!(
        a.ask(r#"{"action":"subscribe","topics":["orders"]}"#)["type"],
        "subscribed"
    );
    assert_eq!(
        b.ask(r#"{"action":"subscribe","topics":["big-payments"]}"#)["type"],
        "subscribed"
    );
    let body = json!({ "Entries": [entry("shop.orders", json!({ "orderId": "o-1" }))] });
    let id = s.put_events(&body.to_string()).1["Entries"][0]["EventId"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = a.recv();
    assert_eq!(got["type"], "event");
    assert_eq!(got["topic"], "orders");
    let ev = &got["event"];
    assert_eq!(ev["id"], id.as_str());
    let keys: Vec<&String> = ev.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail"
        ]
    );
    assert_eq!(ev["detail"], json!({ "orderId": "o-1" }));
    let done = s.wait("delivered", |r| r["eventId"] == id.as_str());
    assert_eq!(done["count"], 1);
    // big-payments delivers summaries: id, source, detail-type, time, detail.
    let pay = json!({ "Entries": [{ "Source": "shop.payments", "DetailType": "Paid", "Detail": "{\"amount\":5000}", "EventBusName": "live-orders-orders" }] });
    s.put_events(&pay.to_string());
    let got = b.recv();
    let keys: Vec<&String> = got["event"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "source", "detail-type", "time", "detail"]);
    let _ = a_id;
}

#[test]
fn an_event_no_client_can_receive_is_recorded_not_posted() {
    let mut s = topics();
    let (mut a, _) = s.connect();
    a.ask(r#"{"action":"subscribe","topics":["orders"]}"#);
    let body = json!({ "Entries": [entry("shop.orders", json!({ "blob": "x".repeat(140_000) }))] });
    let id = s.put_events(&body.to_string()).1["Entries"][0]["EventId"]
        .as_str()
        .unwrap()
        .to_owned();
    s.wait("done", |r| r["eventId"] == id.as_str());
    let (_, records) = s.call("GET", "/@dev/undelivered");
    assert_eq!(records[0]["reason"], "event-too-large");
    assert_eq!(records[0]["eventId"], id.as_str());
    assert!(
        s.seen.iter().all(|r| r["kind"] != "delivered"),
        "nothing was posted"
    );
}
