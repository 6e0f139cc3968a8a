//! The HTTP endpoints beside the WebSocket API: EventBridge's `PutEvents` on `POST /`, the
//! `@connections` management API, the console page, and the `/@dev/` endpoints the console
//! and test drivers use.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::clock;
use super::events;
use super::ids;
use super::outbox::{Outgoing, Posted};
use super::state::{Dev, Slot};
use crate::model::protocol::MAX_MESSAGE_BYTES;

/// The console page.
pub(crate) async fn console() -> Html<&'static str> {
    Html(include_str!("console.html"))
}

/// The console's stack diagram script.
pub(crate) async fn console_diagram() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("console-diagram.js"),
    )
}

/// An AWS JSON 1.1 error: HTTP 400 with `__type` and `message`.
fn aws_error(kind: &str, message: &str) -> Response {
    let mut r = (
        StatusCode::BAD_REQUEST,
        aws_json(json!({ "__type": kind, "message": message })),
    )
        .into_response();
    r.headers_mut()
        .insert("x-amzn-RequestId", request_id_header());
    r
}

fn aws_json(v: Value) -> ([(&'static str, &'static str); 1], String) {
    (
        [("content-type", "application/x-amz-json-1.1")],
        v.to_string(),
    )
}

fn request_id_header() -> HeaderValue {
    HeaderValue::from_str(&ids::event_id()).expect("a UUID is a valid header value")
}

/// `POST /`: an AWS JSON 1.1 call; only `AWSEvents.PutEvents` is served.
pub(crate) async fn aws_call(
    State(dev): State<Arc<Dev>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let response = if target == "AWSEvents.PutEvents" {
        match events::parse(&body).and_then(|entries| events::put(&dev, entries)) {
            Ok(result) => {
                let mut r = aws_json(result).into_response();
                r.headers_mut()
                    .insert("x-amzn-RequestId", request_id_header());
                r
            }
            Err(e) => aws_error(e.kind, &e.message),
        }
    } else {
        aws_error("UnknownOperationException", "")
    };
    if response.status() != StatusCode::OK {
        dev.trace.emit("http", json!({ "method": "POST", "path": "/", "target": target, "status": response.status().as_u16() }));
    }
    response
}

/// A `@connections` error, REST-JSON style (`x-amzn-ErrorType` names the exception).
fn connections_error(status: StatusCode, kind: &'static str, message: &str) -> Response {
    let mut r = (status, Json(json!({ "message": message }))).into_response();
    r.headers_mut()
        .insert("x-amzn-ErrorType", HeaderValue::from_static(kind));
    r
}

fn wrong_stage(dev: &Dev, stage: &str) -> Option<Response> {
    (stage != dev.stack().model.stage)
        .then(|| connections_error(StatusCode::FORBIDDEN, "ForbiddenException", "Forbidden"))
}

/// `POST /<stage>/@connections/{id}`: PostToConnection.
pub(crate) async fn post_to_connection(
    State(dev): State<Arc<Dev>>,
    Path((stage, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if let Some(r) = wrong_stage(&dev, &stage) {
        return r;
    }
    if body.len() > MAX_MESSAGE_BYTES as usize {
        return connections_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLargeException",
            "Request entity too large",
        );
    }
    let text = Utf8Bytes::from(String::from_utf8_lossy(&body).into_owned());
    match dev.post(&id, &text) {
        Posted::Sent => {
            dev.trace
                .emit("posted", json!({ "connectionId": id, "bytes": body.len() }));
            StatusCode::OK.into_response()
        }
        Posted::Full => {
            dev.trace.emit("http", json!({ "method": "POST", "path": format!("/{stage}/@connections/{id}"), "status": 429, "reason": "the client's outgoing buffer is full: it does not read what it is sent" }));
            connections_error(
                StatusCode::TOO_MANY_REQUESTS,
                "LimitExceededException",
                "Limit Exceeded",
            )
        }
        Posted::Gone => {
            dev.trace.emit("http", json!({ "method": "POST", "path": format!("/{stage}/@connections/{id}"), "status": 410 }));
            connections_error(StatusCode::GONE, "GoneException", "")
        }
    }
}

/// `GET /<stage>/@connections/{id}`: GetConnection.
pub(crate) async fn get_connection(
    State(dev): State<Arc<Dev>>,
    Path((stage, id)): Path<(String, String)>,
) -> Response {
    if let Some(r) = wrong_stage(&dev, &stage) {
        return r;
    }
    let clients = dev.clients();
    let Some(c) = clients.get(&id) else {
        return connections_error(StatusCode::GONE, "GoneException", "");
    };
    // The wire names of the API's model (SDKs show them as ConnectedAt, Identity...).
    Json(json!({
        "connectedAt": clock::millis(c.connected_at),
        "identity": { "sourceIp": c.source_ip, "userAgent": c.user_agent },
        "lastActiveAt": clock::millis(c.last_active),
    }))
    .into_response()
}

/// `DELETE /<stage>/@connections/{id}`: DeleteConnection (`$disconnect` runs).
pub(crate) async fn delete_connection(
    State(dev): State<Arc<Dev>>,
    Path((stage, id)): Path<(String, String)>,
) -> Response {
    if let Some(r) = wrong_stage(&dev, &stage) {
        return r;
    }
    let sent = dev
        .clients()
        .get(&id)
        .is_some_and(|c| c.outbox.control(Outgoing::Close(1000, "")));
    if sent {
        StatusCode::NO_CONTENT.into_response()
    } else {
        connections_error(StatusCode::GONE, "GoneException", "")
    }
}

/// Any other path: 404, traced.
pub(crate) async fn not_found(
    State(dev): State<Arc<Dev>>,
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> Response {
    dev.trace.emit(
        "http",
        json!({ "method": method.as_str(), "path": uri.path(), "status": 404 }),
    );
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "message": "Not Found" })),
    )
        .into_response()
}

/// `GET /@dev/info`.
pub(crate) async fn info(State(dev): State<Arc<Dev>>) -> Json<Value> {
    let mut v = dev.stack().info();
    v["region"] = json!(dev.settings.region);
    v["account"] = json!(dev.settings.account);
    v["spec"] = json!(dev.settings.spec.display().to_string());
    v["urls"] = super::urls(&dev);
    v["connections"] = json!(dev.clients().len());
    v["limits"] = json!({
        "maxConnections": dev.settings.max_connections,
        "clientBufferBytes": super::outbox::CAPACITY,
        "undeliveredKept": super::state::MAX_UNDELIVERED,
    });
    v["undeliveredDropped"] = json!(dev.undelivered().1);
    v["mermaid"] = json!(super::mermaid::path());
    Json(v)
}

/// `GET /@dev/undelivered`: the records kept, oldest first (the count of older ones dropped
/// is in `/@dev/info`).
pub(crate) async fn undelivered(State(dev): State<Arc<Dev>>) -> Json<Value> {
    Json(Value::Array(dev.undelivered().0))
}

/// `GET /@dev/connections/{id}`: the client's records, for the console.
pub(crate) async fn records(State(dev): State<Arc<Dev>>, Path(id): Path<String>) -> Json<Value> {
    let mut v = dev.table().describe(&id);
    v["live"] = json!(dev.clients().contains_key(&id));
    Json(v)
}

/// `POST /@dev/connections/{id}/stale`: the client vanishes without `$disconnect`.
pub(crate) async fn stale(State(dev): State<Arc<Dev>>, Path(id): Path<String>) -> StatusCode {
    let Some(client) = dev.clients().remove(&id) else {
        return StatusCode::GONE;
    };
    let _ = client.outbox.control(Outgoing::Vanish);
    dev.trace.emit(
        "stale",
        json!({ "connectionId": id, "at": clock::millis(SystemTime::now()) }),
    );
    StatusCode::NO_CONTENT
}

/// `GET /@dev/trace` (WebSocket): recent records, then each new one. A trace stream counts
/// towards `--max-connections`.
pub(crate) async fn trace(State(dev): State<Arc<Dev>>, ws: WebSocketUpgrade) -> Response {
    let Some(slot) = dev.claim_connection() else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({ "message": "Too Many Requests" })),
        )
            .into_response();
    };
    ws.on_upgrade(move |socket| stream_trace(dev, socket, slot))
}

async fn stream_trace(dev: Arc<Dev>, mut socket: WebSocket, _slot: Slot) {
    let (history, mut live) = dev.trace.subscribe();
    for record in history {
        if socket
            .send(Message::Text(Utf8Bytes::from(record.as_ref())))
            .await
            .is_err()
        {
            return;
        }
    }
    loop {
        tokio::select! {
            record = live.recv() => match record {
                Ok(r) => if socket.send(Message::Text(Utf8Bytes::from(r.as_ref()))).await.is_err() { return },
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    let note = json!({ "kind": "lagged", "missed": n }).to_string();
                    if socket.send(Message::Text(Utf8Bytes::from(note))).await.is_err() { return }
                }
                Err(_) => return,
            },
            incoming = socket.recv() => if matches!(incoming, None | Some(Err(_) | Ok(Message::Close(_)))) { return },
        }
    }
}
