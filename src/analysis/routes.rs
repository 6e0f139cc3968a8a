//! Route checks: reserved keys, what each action needs, topic references, ID collisions.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::ctx::Ctx;
use crate::diagnostic::{did_you_mean_help, Code, Diagnostic};
use crate::logical_id;
use crate::model::{Route, RouteKind};
use crate::path::PathSeg;
use crate::spec::{Action, Route as SpecRoute, Spec};

/// API Gateway's quota of routes per WebSocket API.
pub(super) const MAX_ROUTES: usize = 300;

/// The routes a spec gets when it declares none: connect, disconnect, subscribe to any
/// topic, unsubscribe.
fn default_routes(spec: &Spec) -> IndexMap<String, SpecRoute> {
    let route = |action, topics: Option<Vec<String>>| SpecRoute {
        action,
        description: None,
        pattern: None,
        topics,
        max_topics: None,
        source: None,
        detail_type: None,
        loopback: None,
        throttling: None,
    };
    let all: Vec<String> = spec.topics.keys().cloned().collect();
    IndexMap::from([
        ("$connect".to_owned(), route(Action::Connect, None)),
        ("$disconnect".to_owned(), route(Action::Disconnect, None)),
        ("subscribe".to_owned(), route(Action::Subscribe, Some(all))),
        ("unsubscribe".to_owned(), route(Action::Unsubscribe, None)),
    ])
}

/// Checks every route; returns the valid ones (errors are in `cx`).
pub(super) fn check_routes(cx: &mut Ctx<'_>, spec: &Spec) -> Vec<Route> {
    let declared = spec.api.routes.clone();
    let routes = declared.unwrap_or_else(|| default_routes(spec));
    if routes.len() > MAX_ROUTES {
        let span = cx.value(&["api", "routes"]);
        cx.push(
            Diagnostic::error(
                Code::QuotaRoutes,
                format!(
                    "{} routes; a WebSocket API allows at most {MAX_ROUTES}",
                    routes.len()
                ),
            )
            .at(span),
        );
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    for (key, r) in &routes {
        reserved_keys(cx, key, r);
        inapplicable_keys(cx, key, r);
        let Some(kind) = route_kind(cx, spec, key, r) else {
            continue;
        };
        let id = logical_id::route(key);
        if let Some(other) = ids.insert(id.clone(), key.clone()) {
            let span = cx.key(&["api", "routes", key]);
            cx.push(
                Diagnostic::error(
                    Code::RouteIdCollision,
                    format!("routes `{other}` and `{key}` would share the logical ID `{id}`"),
                )
                .at(span)
                .help("logical IDs keep only letters and digits of a route key: rename one route"),
            );
            continue;
        }
        out.push(Route {
            key: key.clone(),
            id,
            file: logical_id::route_file(key),
            description: r.description.clone(),
            throttling: r.throttling,
            kind,
        });
    }
    out
}

/// `$connect` and `$disconnect` do what their names say, and only they do.
fn reserved_keys(cx: &mut Ctx<'_>, key: &str, r: &SpecRoute) {
    match (key, r.action) {
        ("$connect", Action::Connect) | ("$disconnect", Action::Disconnect) => {}
        ("$connect" | "$disconnect", a) => {
            let want = if key == "$connect" {
                "connect"
            } else {
                "disconnect"
            };
            let span = cx.value(&["api", "routes", key, "do"]);
            cx.push(
                Diagnostic::error(
                    Code::RouteReserved,
                    format!("`{key}` must `do: {want}`, not `{}`", a.as_str()),
                )
                .at(span)
                .help(format!("API Gateway runs `{key}` when a client {want}s")),
            );
        }
        (k, Action::Connect | Action::Disconnect) => {
            let want = if r.action == Action::Connect {
                "$connect"
            } else {
                "$disconnect"
            };
            let span = cx.key(&["api", "routes", key]);
            cx.push(
                Diagnostic::error(
                    Code::RouteActionKey,
                    format!(
                        "`do: {}` only works on the `{want}` route, not `{k}`",
                        r.action.as_str()
                    ),
                )
                .at(span)
                .help(format!("rename the route to `{want}`")),
            );
        }
        _ => {}
    }
}

/// Keys that do not apply to the route's action.
fn inapplicable_keys(cx: &mut Ctx<'_>, key: &str, r: &SpecRoute) {
    let applies: &[&str] = match r.action {
        Action::Subscribe => &["pattern", "topics", "max_topics"],
        Action::Publish => &["source", "detail_type", "loopback"],
        _ => &[],
    };
    for (name, set) in [
        ("pattern", r.pattern.is_some()),
        ("topics", r.topics.is_some()),
        ("max_topics", r.max_topics.is_some()),
        ("source", r.source.is_some()),
        ("detail_type", r.detail_type.is_some()),
        ("loopback", r.loopback.is_some()),
    ] {
        if set && !applies.contains(&name) {
            let span = cx.key(&["api", "routes", key, name]);
            cx.push(
                Diagnostic::error(
                    Code::RouteKeyNotApplicable,
                    format!("`{name}` does not apply to `do: {}`", r.action.as_str()),
                )
                .at(span)
                .label("not used by this route")
                .help(match name {
                    "pattern" | "topics" | "max_topics" => "only `do: subscribe` routes take it",
                    _ => "only `do: publish` routes take it",
                }),
            );
        }
    }
}

/// What the route does, or `None` (reported) when it lacks what its action needs.
fn route_kind(cx: &mut Ctx<'_>, spec: &Spec, key: &str, r: &SpecRoute) -> Option<RouteKind> {
    Some(match r.action {
        Action::Connect => RouteKind::Connect,
        Action::Disconnect => RouteKind::Disconnect,
        Action::Unsubscribe => RouteKind::Unsubscribe,
        Action::Publish => return publish_kind(cx, key, r),
        Action::Subscribe => return subscribe_kind(cx, spec, key, r),
    })
}

/// A publish route needs `source` and `detail_type`, both safe to embed.
fn publish_kind(cx: &mut Ctx<'_>, key: &str, r: &SpecRoute) -> Option<RouteKind> {
    let (Some(source), Some(detail_type)) = (&r.source, &r.detail_type) else {
        let missing = if r.source.is_none() {
            "source"
        } else {
            "detail_type"
        };
        let span = cx.key(&["api", "routes", key]);
        cx.push(
            Diagnostic::error(Code::RoutePublishIncomplete, format!("publish route `{key}` needs `{missing}`"))
                .at(span)
                .help("a publish route says which `source` and `detail_type` the events it puts on the bus carry"),
        );
        return None;
    };
    publish_fields_ok(cx, key, source, detail_type).then(|| RouteKind::Publish {
        source: source.clone(),
        detail_type: detail_type.clone(),
    })
}

/// A subscribe route takes declared `topics`, or client patterns, not both.
fn subscribe_kind(cx: &mut Ctx<'_>, spec: &Spec, key: &str, r: &SpecRoute) -> Option<RouteKind> {
    match (&r.pattern, &r.topics) {
        (Some(_), Some(_)) => {
            let span = cx.key(&["api", "routes", key, "topics"]);
            cx.push(
                Diagnostic::error(
                    Code::RouteSubscribeBoth,
                    format!("subscribe route `{key}` has both `pattern` and `topics`"),
                )
                .at(span)
                .help("declare two routes: one for topics, one for `pattern: from-message`"),
            );
            None
        }
        (Some(_), None) => Some(RouteKind::SubscribePattern),
        (None, Some(topics)) => {
            known_topics(cx, spec, key, topics).then(|| RouteKind::SubscribeTopics {
                allowed: topics.clone(),
                max_topics: r.max_topics.unwrap_or(topics.len() as u32),
            })
        }
        (None, None) => {
            let span = cx.key(&["api", "routes", key]);
            cx.push(
                Diagnostic::error(Code::RouteSubscribeEmpty, format!("subscribe route `{key}` says neither what to subscribe to"))
                    .at(span)
                    .help("add `topics: [name, ...]` (clients pick among declared topics) or `pattern: from-message` (clients send their own pattern)"),
            );
            None
        }
    }
}

/// Whether every topic a route names is declared (each unknown one is reported).
fn known_topics(cx: &mut Ctx<'_>, spec: &Spec, key: &str, topics: &[String]) -> bool {
    let mut ok = true;
    for (i, t) in topics.iter().enumerate() {
        if spec.topics.contains_key(t) {
            continue;
        }
        ok = false;
        let at = [
            super::ctx::path(&["api", "routes", key, "topics"]),
            vec![PathSeg::Index(i)],
        ]
        .concat();
        let span = cx.doc.span(&at, false);
        let names = || spec.topics.keys().map(String::as_str);
        let help = did_you_mean_help(t, names()).unwrap_or_else(|| {
            format!(
                "declared topics: {}",
                names().collect::<Vec<_>>().join(", ")
            )
        });
        cx.push(
            Diagnostic::error(
                Code::RouteUnknownTopic,
                format!("route `{key}` names the unknown topic `{t}`"),
            )
            .at(span)
            .label("not declared under `topics`")
            .help(help),
        );
    }
    ok
}

/// `source` and `detail_type` are written into VTL and JSON: they must not contain what
/// either language would interpret. PutEvents rejects sources starting with `aws.`.
fn publish_fields_ok(cx: &mut Ctx<'_>, key: &str, source: &str, detail_type: &str) -> bool {
    let mut ok = true;
    for (field, value) in [("source", source), ("detail_type", detail_type)] {
        let span = cx.value(&["api", "routes", key, field]);
        if let Some(c) = value
            .chars()
            .find(|c| matches!(c, '$' | '#' | '"' | '\\') || c.is_control())
        {
            ok = false;
            cx.push(
                Diagnostic::error(
                    Code::RoutePublishField,
                    format!(
                        "`{field}` of route `{key}` contains `{}`",
                        c.escape_default()
                    ),
                )
                .at(span)
                .help("use letters, digits, spaces and `.-_:/`"),
            );
        }
    }
    if source.starts_with("aws.") {
        ok = false;
        let span = cx.value(&["api", "routes", key, "source"]);
        cx.push(
            Diagnostic::error(Code::RoutePublishAwsSource, format!("route `{key}` publishes with source `{source}`; sources starting with `aws.` are reserved for AWS services"))
                .at(span)
                .help("EventBridge rejects such events: use your own prefix, e.g. `app.clients`"),
        );
    }
    ok
}
