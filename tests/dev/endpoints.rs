//! The `@connections` API and the `/@dev/` endpoints.

use serde_json::json;

use crate::harness::Server;

#[test]
fn connections_api_posts_describes_and_closes() {
    let mut s = Server::start("specs/minimal.yaml".as_ref(), &[]);
    let (mut a, id) = s.connect();
    let path = format!("/{}/@connections/{id}", s.stage);
    assert_eq!(s.post(&path, &[], "hello").0, 200);
    assert_eq!(a.recv(), json!("hello"));
    let (status, info) = s.call("GET", &path);
    assert_eq!(status, 200);
    assert_eq!(info["identity"]["sourceIp"], "127.0.0.1");
    assert!(info["connectedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(s.post(&path, &[], &"x".repeat(140_000)).0, 413);
    assert_eq!(s.call("DELETE", &path).0, 204);
    assert_eq!(a.recv(), json!({ "close": 1000 }));
    s.wait("disconnect", |r| r["connectionId"] == id.as_str());
    assert_eq!(s.post(&path, &[], "late").0, 410);
    assert_eq!(s.call("GET", &path).0, 410);
    assert_eq!(s.call("DELETE", &path).0, 410);
    assert_eq!(
        s.post(&format!("/other/@connections/{id}"), &[], "x").0,
        403
    );
}

#[test]
fn info_describes_the_running_stack() {
    let s = Server::start("specs/topics.yaml".as_ref(), &[]);
    let (status, info) = s.call("GET", "/@dev/info");
    assert_eq!(status, 200);
    assert_eq!(info["name"], "live-orders");
    assert_eq!(info["selectionField"], "action");
    assert_eq!(info["bus"], "live-orders-orders");
    let subscribe = info["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "subscribe")
        .unwrap();
    assert_eq!(subscribe["topics"], json!(["orders", "big-payments"]));
    let (status, page) = s.call("GET", "/");
    assert_eq!(status, 200);
    assert!(page.as_str().unwrap().contains("<html"));
    assert_eq!(s.call("GET", "/nowhere/at/all").0, 404);
    assert_eq!(s.call("GET", "/@dev/nothing").0, 404);
    assert_eq!(
        s.call("GET", "/prod").0,
        426,
        "the stage, without an upgrade"
    );
    assert_eq!(s.call("GET", "/staging").0, 403, "not the stage");
}
