//! Delivery, as the deployed rules, pager and deliverers do it: every rule whose pattern
//! admits the event reads its audience (a topic's subscribers, or the client patterns that
//! match the event too), posts `{"type":"event","topic":...,"event":...}` to each, cleans up
//! after clients that are gone (410), and records what no client can receive.

use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::outbox::Posted;
use super::path::Path;
use super::stack::LiveRule;
use super::state::Dev;
use super::table::Audience;
use crate::model::protocol::MAX_MESSAGE_BYTES;

/// Delivers the events put on the bus, in order, until the server stops.
pub(crate) async fn run(dev: Arc<Dev>, mut bus: mpsc::UnboundedReceiver<(String, Value)>) {
    while let Some((name, event)) = bus.recv().await {
        deliver(&dev, &name, &event);
    }
}

/// Runs every rule of bus `name` on `event`. The `done` record holds its `path` through the
/// stack diagram, for the console to light up.
pub(crate) fn deliver(dev: &Dev, name: &str, event: &Value) {
    let stack = dev.stack();
    let mut path = Path::default();
    if name == stack.bus {
        path.node("Bus");
        for rule in stack.rules.iter().filter(|r| r.pattern.matches(event)) {
            path.edge("Bus", "Rules");
            path.node(&rule.rule.id);
            path.edge("Rules", "DeliveryStateMachine");
            deliver_rule(dev, rule, event, &mut path);
        }
    }
    dev.trace.emit(
        "done",
        json!({ "eventId": event["id"], "path": path.to_json() }),
    );
}

/// One rule's delivery of `event`.
fn deliver_rule(dev: &Dev, rule: &LiveRule, event: &Value, path: &mut Path) {
    let topic = rule.rule.partition.as_str();
    let message =
        json!({ "type": "event", "topic": topic, "event": rule.payload(event) }).to_string();
    if message.len() > MAX_MESSAGE_BYTES as usize {
        path.edge("DeliveryStateMachine", "UndeliveredQueue");
        return dev.undeliverable(json!({
            "reason": "event-too-large",
            "eventId": event["id"],
            "topic": topic,
            "source": event["source"],
            "detailType": event["detail-type"],
            "bytes": message.len(),
            "limitBytes": MAX_MESSAGE_BYTES,
        }));
    }
    let audience = dev.table().audience(topic, rule.is_pattern_rule());
    let read = audience.len();
    path.edge("DeliveryStateMachine", "ConnectionsTable");
    if read > 0 {
        path.edge("DeliveryStateMachine", "DelivererStateMachine");
    }
    let targets: Vec<String> = match audience {
        Audience::Topic(ids) => ids,
        Audience::Patterns(patterns) => patterns
            .into_iter()
            .filter(|(_, p)| p.compiled.matches(event))
            .map(|(id, _)| id)
            .collect(),
    };
    dev.trace.emit(
        "matched",
        json!({ "eventId": event["id"], "topic": topic, "subscribers": targets.len(), "read": read }),
    );
    let text = Utf8Bytes::from(message);
    let mut gone = Vec::new();
    let mut failures = Vec::new();
    let mut delivered = 0;
    {
        let clients = dev.clients();
        for id in targets {
            match clients
                .get(&id)
                .map_or(Posted::Gone, |c| c.outbox.post(&text))
            {
                Posted::Sent => delivered += 1,
                Posted::Gone => gone.push(id),
                // 429 past the deliverer's retries: `NotDelivered`, then `RecordFailures`.
                Posted::Full => {
                    failures.push(json!({ "connectionId": id, "error": "ApiGateway.429" }));
                }
            }
        }
    }
    if !failures.is_empty() {
        path.edge("DelivererStateMachine", "UndeliveredQueue");
        dev.undeliverable(json!({
            "reason": "post-failed",
            "eventId": event["id"],
            "topic": topic,
            "failures": failures,
        }));
    }
    if delivered > 0 {
        path.edge("DelivererStateMachine", "ConnectionsApi");
        path.edge("ConnectionsApi", "Receivers");
    }
    if !gone.is_empty() {
        path.edge("DelivererStateMachine", "ConnectionsTable");
    }
    for id in gone {
        // 410 Gone: the deliverer starts the forget flow for this client.
        let deleted = dev.table().forget(&id, false);
        dev.trace.emit(
            "gone",
            json!({ "eventId": event["id"], "connectionId": id, "recordsDeleted": deleted }),
        );
    }
    dev.trace.emit(
        "delivered",
        json!({ "eventId": event["id"], "topic": topic, "count": delivered }),
    );
}
