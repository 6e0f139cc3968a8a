//! What happens when a client connects, sends a message or leaves: API Gateway's route
//! selection and throttling, then the route's action as the deployed integrations and the
//! connections state machine perform it, with the same replies.

use std::time::SystemTime;

use axum::extract::ws::Utf8Bytes;

use serde_json::{json, Value};

use super::clock;
use super::events::{self, Entry};
use super::ids;
use super::message;
use super::outbox::Posted;
use super::request;
use super::state::Dev;
use super::table::StoredPattern;
use crate::model::protocol::Refusal;
use crate::model::{Route, RouteKind};

/// `$connect` accepted: the connection record (when the spec has a `$connect` route).
pub(crate) fn connect(dev: &Dev, id: &str, source_ip: &str) {
    let stack = dev.stack();
    if stack.route("$connect").is_some() {
        dev.table()
            .put_connection(id, clock::epoch_seconds(SystemTime::now()));
    }
    dev.trace.emit(
        "connect",
        json!({ "connectionId": id, "sourceIp": source_ip }),
    );
    done(dev, id, "$connect");
}

/// The client left (or was closed): `$disconnect` forgets it when the spec has that route;
/// without one its records stay until a delivery finds it gone (410).
pub(crate) fn disconnect(dev: &Dev, id: &str, code: Option<u16>, reason: &str) {
    dev.clients().remove(id);
    let stack = dev.stack();
    let forgotten = if stack.route("$disconnect").is_some() {
        dev.table().forget(id, false)
    } else {
        0
    };
    dev.trace.emit(
        "disconnect",
        json!({ "connectionId": id, "code": code, "reason": reason, "recordsDeleted": forgotten }),
    );
    done(dev, id, "$disconnect");
}

/// A text message from client `id`.
pub(crate) fn message(dev: &Dev, id: &str, text: &str) {
    let stack = dev.stack();
    let body = message::parse(text);
    let Some(route) = stack
        .select(body.as_ref())
        .or_else(|| stack.default_route())
    else {
        // No route matched and there is no `$default`.
        gateway_error(dev, id, None, "Forbidden");
        return done(dev, id, "");
    };
    dev.trace.emit(
        "message",
        json!({ "connectionId": id, "route": route.key, "bytes": text.len() }),
    );
    if !dev.admit(&route.key) {
        gateway_error(dev, id, Some(&route.key), "Too Many Requests");
        return done(dev, id, &route.key);
    }
    run(dev, id, route, body.as_ref());
    done(dev, id, &route.key);
}

/// The route's integration and, for the connections machine, its flow.
fn run(dev: &Dev, id: &str, route: &Route, body: Option<&Value>) {
    let key = route.key.as_str();
    match &route.kind {
        RouteKind::Connect => dev
            .table()
            .put_connection(id, clock::epoch_seconds(SystemTime::now())),
        RouteKind::Disconnect => {
            dev.table().forget(id, false);
        }
        RouteKind::SubscribeTopics {
            allowed,
            max_topics,
        } => {
            // `$input.json` on a body that is not JSON fails the integration request.
            let Some(text) = request::field_json(body, "topics") else {
                return gateway_error(dev, id, Some(key), "Internal server error");
            };
            match request::topics(&text, allowed, *max_topics) {
                Ok(list) => {
                    let names: Vec<String> = list
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    dev.table().subscribe(id, &names);
                    dev.trace.emit(
                        "subscribed",
                        json!({ "connectionId": id, "route": key, "topics": names }),
                    );
                    reply(
                        dev,
                        id,
                        key,
                        json!({ "type": "subscribed", "route": key, "topics": list }),
                    );
                }
                Err(refusal) => refuse(dev, id, key, refusal),
            }
        }
        RouteKind::SubscribePattern => {
            let Some(text) = request::field_json(body, "pattern") else {
                return gateway_error(dev, id, Some(key), "Internal server error");
            };
            match request::pattern(&text) {
                Ok(compiled) => {
                    dev.table().set_pattern(
                        id,
                        StoredPattern {
                            text: text.clone(),
                            compiled,
                        },
                    );
                    dev.trace.emit(
                        "subscribed",
                        json!({ "connectionId": id, "route": key, "pattern": text }),
                    );
                    reply(
                        dev,
                        id,
                        key,
                        json!({ "type": "subscribed", "route": key, "pattern": true }),
                    );
                }
                Err(refusal) => refuse(dev, id, key, refusal),
            }
        }
        RouteKind::Unsubscribe => {
            dev.table().forget(id, true);
            dev.trace
                .emit("unsubscribed", json!({ "connectionId": id, "route": key }));
            reply(
                dev,
                id,
                key,
                json!({ "type": "unsubscribed", "route": key }),
            );
        }
        RouteKind::Publish {
            source,
            detail_type,
        } => publish(dev, id, key, body, source, detail_type),
    }
}

/// A publish route: PutEvents of the client's `detail`, then the route's response.
fn publish(dev: &Dev, id: &str, key: &str, body: Option<&Value>, source: &str, detail_type: &str) {
    let Some(body) = body else {
        return gateway_error(dev, id, Some(key), "Internal server error");
    };
    let data = body.get("detail").cloned().unwrap_or(Value::Null);
    let detail = json!({ "connectionId": id, "route": key, "data": data }).to_string();
    let entry = Entry {
        source: Some(source.to_owned()),
        detail_type: Some(detail_type.to_owned()),
        detail: Some(detail),
        bus: Some(dev.stack().bus.clone()),
        ..Entry::default()
    };
    let result = events::put(dev, vec![entry]).unwrap_or_else(|e| json!({ "error": e.message }));
    let ok = result["FailedEntryCount"] == 0;
    dev.trace.emit(
        "published",
        json!({ "connectionId": id, "route": key, "eventId": result["Entries"][0]["EventId"], "ok": ok }),
    );
    reply(
        dev,
        id,
        key,
        json!({ "type": "published", "route": key, "ok": ok }),
    );
}

/// An `error` reply with the refusal's code and message.
fn refuse(dev: &Dev, id: &str, route: &str, refusal: Refusal) {
    let message = json!({ "type": "error", "route": route, "code": refusal.code(), "message": refusal.message() });
    dev.trace.emit(
        "refused",
        json!({ "connectionId": id, "route": route, "code": refusal.code(), "message": refusal.message() }),
    );
    reply(dev, id, route, message);
}

/// A reply posted to the client (over `@connections` in the deployed stack, whose
/// connections machine retries a 429 and then gives the reply up: `ReplyNotDelivered`).
fn reply(dev: &Dev, id: &str, route: &str, message: Value) {
    let posted = dev.post(id, &Utf8Bytes::from(message.to_string()));
    let mut record = json!({ "connectionId": id, "route": route, "message": message });
    if posted == Posted::Full {
        record["notDelivered"] = json!("ApiGateway.429");
    }
    dev.trace.emit("reply", record);
}

/// API Gateway's own answer to a message it could not route or run.
fn gateway_error(dev: &Dev, id: &str, route: Option<&str>, what: &str) {
    let request_id = ids::request_id();
    let frame = json!({ "message": what, "connectionId": id, "requestId": request_id });
    dev.post(id, &Utf8Bytes::from(frame.to_string()));
    dev.trace.emit(
        "refused",
        json!({ "connectionId": id, "route": route, "code": what, "message": frame, "requestId": request_id }),
    );
}

/// Marks a client request as fully handled (test drivers wait for this).
fn done(dev: &Dev, id: &str, route: &str) {
    dev.trace
        .emit("done", json!({ "connectionId": id, "route": route }));
}
