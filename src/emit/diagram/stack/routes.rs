//! The API's part of the stack diagram: one node per route (key, action, auth, throttling),
//! the usage plan, and what each route's integration calls.

use super::super::flowchart::{Flowchart, Shape};
use super::super::text::{shorten, MAX_LABEL};
use super::throttle;
use crate::model::{Auth, Model, Route, RouteKind, Target};

/// The `Api` subgraph with its routes and usage plan, the clients' link to it, and each
/// route's integration.
pub(super) fn api(f: &mut Flowchart, model: &Model) {
    let mut title = format!("WebSocket API · stage {}", model.stage);
    if let Some(t) = &model.access.throttling {
        title.push_str(&format!(" · {}", throttle(t)));
    }
    f.subgraph("Api", &title);
    for route in &model.routes {
        f.node(&route.id, Shape::Box, &route_lines(model, route), "api");
    }
    if let Some(plan) = &model.access.api_keys {
        let mut lines = vec!["UsagePlan".to_owned()];
        if let Some((limit, period)) = plan.quota {
            lines.push(format!(
                "{limit} requests per {}",
                period.to_ascii_lowercase()
            ));
        }
        if let Some(t) = &plan.throttle {
            lines.push(format!("{} per key", throttle(t)));
        }
        lines.push(shorten(
            &format!("keys: {}", plan.keys.join(", ")),
            MAX_LABEL,
        ));
        f.node("UsagePlan", Shape::Box, &lines, "api");
    }
    f.end();
    f.edge("Clients", "Api", "WebSocket");
    for route in &model.routes {
        match route.kind.target() {
            Target::ConnectionsMachine => {
                f.edge(&route.id, "ConnectionsStateMachine", "StartExecution");
            }
            Target::Bus => f.edge(&route.id, "Bus", "PutEvents"),
        }
    }
}

/// Route key, what it does, and who may call it how often.
fn route_lines(model: &Model, route: &Route) -> Vec<String> {
    let mut lines = vec![route.key.clone(), shorten(&action(&route.kind), MAX_LABEL)];
    if route.kind == RouteKind::Connect {
        let mut gate = Vec::new();
        if model.access.auth == Auth::Iam {
            gate.push("IAM auth (SigV4)");
        }
        if model.access.api_keys.is_some() {
            gate.push("API key");
        }
        if !gate.is_empty() {
            lines.push(gate.join(" · "));
        }
    }
    if let Some(t) = &route.throttling {
        lines.push(throttle(t));
    }
    lines
}

/// What a route does, in a few words.
fn action(kind: &RouteKind) -> String {
    match kind {
        RouteKind::Connect => "connect: record the connection".to_owned(),
        RouteKind::Disconnect => "disconnect: forget the connection".to_owned(),
        RouteKind::SubscribeTopics {
            allowed,
            max_topics,
        } => format!("subscribe to ≤ {max_topics} of: {}", allowed.join(", ")),
        RouteKind::SubscribePattern => "subscribe with the client's own pattern".to_owned(),
        RouteKind::Unsubscribe => "unsubscribe from everything".to_owned(),
        RouteKind::Publish {
            source,
            detail_type,
        } => format!("publish as {source} / {detail_type}"),
    }
}
