//! The stack a spec deploys as a Mermaid flowchart. Node IDs are the template's logical IDs
//! (a test holds them to the template), so a reviewer can look a box up in `template.yaml`,
//! and the dev console can light up the resources an event went through.
//!
//! Solid edges are the way requests and events go; dashed edges are where failures go.

use super::flowchart::{Flowchart, Shape};
use super::pattern;
use super::text::{shorten, MAX_LABEL};
use crate::emit::flows::delivery::{PAGES_PER_EXECUTION, PATTERN_PAGE_LIMIT};
use crate::emit::flows::tasks::TOPIC_INDEX;
use crate::emit::ir::cfn::Template;
use crate::emit::ir::expr::Expr;
use crate::emit::ir::properties::Properties;
use crate::model::{AlarmNotify, Bus, Model, Throttle, Workflow, PATTERN_PARTITION};

mod routes;

/// Most rules drawn one by one; beyond, the rest share one node (Mermaid's renderers refuse
/// very large diagrams, and nobody reads 300 boxes).
pub const MAX_RULE_NODES: usize = 24;

/// Node styles by class.
const STYLES: &[(&str, &str)] = &[
    ("client", "fill:#ffffff,stroke:#555555"),
    ("api", "fill:#f3e8fd,stroke:#7b3fb5"),
    ("machine", "fill:#e8f1fb,stroke:#2f6db5"),
    ("data", "fill:#e9f7ef,stroke:#2e8b57"),
    ("bus", "fill:#fdeee6,stroke:#c8581c"),
    ("rule", "fill:#fff6d6,stroke:#b58900"),
    ("queue", "fill:#fde8e6,stroke:#c0392b"),
    ("alarm", "fill:#f9d6d2,stroke:#a93226"),
];

/// The flowchart of everything `model` deploys; `template` is what it emitted (the alarms
/// are read from it).
pub fn stack(model: &Model, template: &Template) -> String {
    let mut f = Flowchart::new(&[
        &format!("The stack of the spec {}, drawn by lambdaless-gen. Node IDs are the template's logical IDs.", model.name),
        "Solid edges: requests and events. Dashed edges: failures and where they are recorded.",
    ]);
    f.node("Clients", Shape::Stadium, &["WebSocket clients"], "client");
    routes::api(&mut f, model);
    connections(&mut f, model);
    bus(&mut f, model);
    rules(&mut f, model);
    delivery(&mut f, model);
    receivers(&mut f, model);
    alarms(&mut f, model, template);
    f.finish(STYLES)
}

/// `≤ 50/s, burst 100`.
pub(super) fn throttle(t: &Throttle) -> String {
    format!("≤ {}/s, burst {}", t.rate, t.burst)
}

fn workflow(w: Workflow) -> &'static str {
    match w {
        Workflow::Express => "Express",
        Workflow::Standard => "Standard",
    }
}

fn connections(f: &mut Flowchart, model: &Model) {
    if model.has_connections_machine() {
        let mut lines = vec![
            "ConnectionsStateMachine".to_owned(),
            format!("{} workflow", workflow(model.workflow)),
        ];
        if model.has_pattern_subscriptions() {
            lines.push("checks patterns with TestEventPattern".to_owned());
        }
        f.node("ConnectionsStateMachine", Shape::Box, &lines, "machine");
        f.edge("ConnectionsStateMachine", "ConnectionsTable", "records");
        if model.posts_replies() {
            f.edge(
                "ConnectionsStateMachine",
                "ConnectionsApi",
                "replies (POST @connections)",
            );
        }
    }
    let ttl = model.ttl_seconds;
    let mut lines = vec![
        "ConnectionsTable".to_owned(),
        format!("index {TOPIC_INDEX}"),
        format!("records expire after {}", duration(ttl)),
    ];
    let protection = [
        model
            .table
            .point_in_time_recovery
            .then_some("point-in-time recovery"),
        model.table.kms_key.as_ref().map(|_| "customer KMS key"),
    ];
    lines.extend(protection.into_iter().flatten().map(str::to_owned));
    f.node("ConnectionsTable", Shape::Cylinder, &lines, "data");
}

/// `90m`, `2h`, `1d`: the largest unit that divides `seconds`.
fn duration(seconds: u64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn bus(f: &mut Flowchart, model: &Model) {
    let lines = match &model.bus {
        Bus::Created(suffix) => [
            "EventBridge bus".to_owned(),
            format!("new: {}{suffix}", model.name),
        ],
        Bus::Existing(name) => ["EventBridge bus".to_owned(), format!("existing: {name}")],
    };
    f.node("Bus", Shape::Hexagon, &lines, "bus");
}

fn rules(f: &mut Flowchart, model: &Model) {
    if model.rules.is_empty() {
        return;
    }
    f.subgraph("Rules", "rules: each starts the delivery pager");
    let shown = if model.rules.len() > MAX_RULE_NODES {
        MAX_RULE_NODES - 1
    } else {
        model.rules.len()
    };
    for rule in &model.rules[..shown] {
        let title = if rule.partition == PATTERN_PARTITION {
            "client patterns".to_owned()
        } else {
            format!("topic {}", rule.partition)
        };
        let mut lines = vec![shorten(&format!("{} · {title}", rule.id), MAX_LABEL)];
        if rule.partition == PATTERN_PARTITION && model.topics.len() > 1 {
            let names: Vec<&str> = model.topics.iter().map(|t| t.name.as_str()).collect();
            lines.push(shorten(
                &format!("events of any topic: {}", names.join(", ")),
                MAX_LABEL,
            ));
        } else {
            lines.extend(pattern::summary(&rule.pattern));
        }
        f.node(&rule.id, Shape::Parallelogram, &lines, "rule");
    }
    if shown < model.rules.len() {
        let rest = &model.rules[shown..];
        let lines = [
            format!("{} more rules", rest.len()),
            shorten(
                &format!("{} … {}", rest[0].id, rest[rest.len() - 1].id),
                MAX_LABEL,
            ),
        ];
        f.node("MoreRules", Shape::Parallelogram, &lines, "rule");
    }
    f.end();
    f.edge("Bus", "Rules", "matching events");
    f.edge("Rules", "DeliveryStateMachine", "StartExecution");
    if model.dead_letter_queue {
        f.dashed("Rules", "DeadLetterQueue", "not started after retries");
        f.node(
            "DeadLetterQueue",
            Shape::Subroutine,
            &["DeadLetterQueue", "SQS · 14 days"],
            "queue",
        );
    }
}

fn delivery(f: &mut Flowchart, model: &Model) {
    if model.rules.is_empty() {
        return;
    }
    let pages = if model.has_pattern_subscriptions() && model.page_size > PATTERN_PAGE_LIMIT {
        format!(
            "pages of {} ({PATTERN_PAGE_LIMIT} for patterns)",
            model.page_size
        )
    } else {
        format!("pages of {}", model.page_size)
    };
    let pager = [
        "DeliveryStateMachine".to_owned(),
        format!("{} · {pages}", workflow(model.workflow)),
    ];
    f.node("DeliveryStateMachine", Shape::Box, &pager, "machine");
    let matching = if !model.has_pattern_subscriptions() {
        None
    } else if model.matches_in_workflow() {
        Some("matches each client pattern itself")
    } else {
        Some("matches with TestEventPattern")
    };
    let mut deliverer = vec![
        "DelivererStateMachine".to_owned(),
        format!("Express · {} posts at once", model.concurrency),
    ];
    deliverer.extend(matching.map(str::to_owned));
    f.node("DelivererStateMachine", Shape::Box, &deliverer, "machine");
    f.edge(
        "DeliveryStateMachine",
        "ConnectionsTable",
        &format!("Query {TOPIC_INDEX}"),
    );
    f.edge(
        "DeliveryStateMachine",
        "DelivererStateMachine",
        "StartExecution per page",
    );
    f.edge(
        "DeliveryStateMachine",
        "DeliveryStateMachine",
        &format!("continues after {PAGES_PER_EXECUTION} pages"),
    );
    f.edge(
        "DelivererStateMachine",
        "ConnectionsApi",
        "POST @connections",
    );
    f.edge(
        "DelivererStateMachine",
        "ConnectionsTable",
        "forgets gone clients",
    );
    f.node(
        "UndeliveredQueue",
        Shape::Subroutine,
        &["UndeliveredQueue", "records of undelivered work · 14 days"],
        "queue",
    );
    f.dashed("DeliveryStateMachine", "UndeliveredQueue", "undelivered");
    f.dashed("DelivererStateMachine", "UndeliveredQueue", "undelivered");
}

/// The way back to the clients, drawn below everything that posts to them (the API's
/// `@connections` endpoint, then the clients again), so the picture reads top to bottom.
fn receivers(f: &mut Flowchart, model: &Model) {
    if model.rules.is_empty() && !model.posts_replies() {
        return;
    }
    let lines = ["@connections API", "POST /@connections/{connectionId}"];
    f.node("ConnectionsApi", Shape::Box, &lines, "api");
    f.node(
        "Receivers",
        Shape::Stadium,
        &["the same clients, receiving"],
        "client",
    );
    f.edge("ConnectionsApi", "Receivers", "WebSocket message");
}

/// Every alarm of the template, and who it notifies.
fn alarms(f: &mut Flowchart, model: &Model, template: &Template) {
    let alarms = template_alarms(template);
    if alarms.is_empty() {
        return;
    }
    // What each alarm watches is written in it: edges from every machine and queue would
    // cross the whole picture.
    f.subgraph("Alarms", "alarms: above zero over 5 minutes");
    for (id, metric, watched) in &alarms {
        let of = if watched.is_empty() {
            (*metric).to_owned()
        } else {
            format!("{metric} of {}", watched.join(", "))
        };
        f.node(id, Shape::Box, &[id, of.as_str()], "alarm");
    }
    f.end();
    if let Some(watched) = alarms.iter().find_map(|a| a.2.first()) {
        f.invisible(watched, "Alarms");
    }
    match &model.observability.alarm_notify {
        None => {}
        Some(AlarmNotify::Email(email)) => {
            f.node(
                "AlarmTopic",
                Shape::Flag,
                &["AlarmTopic", &format!("SNS · email {email}")],
                "alarm",
            );
            f.edge("Alarms", "AlarmTopic", "notify");
        }
        Some(AlarmNotify::Topic(topic)) => {
            f.node(
                "NotifiedTopic",
                Shape::Flag,
                &["existing SNS topic", topic.as_str()],
                "alarm",
            );
            f.edge("Alarms", "NotifiedTopic", "notify");
        }
    }
}

/// The resource an expression names.
fn watched(e: &Expr) -> Option<&str> {
    match e {
        Expr::Ref(id) | Expr::GetAtt(id, _) => Some(id.as_str()),
        Expr::Lit(_) | Expr::Sub(_) => None,
    }
}

/// Each alarm of the template, what it measures, and the resources it watches (its metrics'
/// dimensions).
fn template_alarms(template: &Template) -> Vec<(&str, &str, Vec<&str>)> {
    template
        .resources
        .iter()
        .filter_map(|(id, r)| match &r.properties {
            Properties::Alarm(a) => Some((
                id.as_str(),
                a.metric_name,
                a.dimensions
                    .iter()
                    .filter_map(|d| watched(&d.value))
                    .collect(),
            )),
            Properties::SumAlarm(a) => {
                let mut watched_ids: Vec<&str> = Vec::new();
                for m in a.metrics.iter().filter_map(|m| m.metric_stat.as_ref()) {
                    for w in m.metric.dimensions.iter().filter_map(|d| watched(&d.value)) {
                        if !watched_ids.contains(&w) {
                            watched_ids.push(w);
                        }
                    }
                }
                Some((
                    id.as_str(),
                    "executions failed, timed out or aborted",
                    watched_ids,
                ))
            }
            _ => None,
        })
        .collect()
}
