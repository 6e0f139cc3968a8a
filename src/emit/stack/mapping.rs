//! API Gateway VTL mapping templates, rendered from minijinja templates in `vtl/`.
//!
//! The VTL reads the state machine ARN and bus name from stage variables, so the text holds
//! no CloudFormation substitution and the `.vtl` files are byte-identical to what the
//! template embeds.

use std::sync::OnceLock;

use minijinja::{context, Environment};

use crate::model::protocol::MAX_CONNECTION_SECONDS;
use crate::model::{MachineInput, Model, Route, RouteKind};

/// One mapping template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// File name under `mappings/` (`subscribe.request.vtl`).
    pub file: String,
    /// The VTL text.
    pub text: String,
}

/// The request (and, for publish, response) templates of one route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMappings {
    /// Integration request template.
    pub request: Mapping,
    /// Integration response template, if the route answers the client.
    pub response: Option<Mapping>,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_keep_trailing_newline(true);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        for (name, text) in [
            (
                "start_execution",
                include_str!("vtl/start_execution.vtl.j2"),
            ),
            (
                "put_events.request",
                include_str!("vtl/put_events.request.vtl.j2"),
            ),
            (
                "put_events.response",
                include_str!("vtl/put_events.response.vtl.j2"),
            ),
        ] {
            env.add_template(name, text)
                .expect("embedded VTL templates parse");
        }
        env
    })
}

fn render(name: &str, ctx: minijinja::Value) -> String {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .expect("embedded VTL templates render with the values the model guarantees")
}

/// A JSON string literal of `s` (spec values the analysis restricted to VTL-inert text).
fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The mapping templates of `route`.
pub fn route_mappings(model: &Model, route: &Route) -> RouteMappings {
    let request_file = format!("{}.request.vtl", route.file);
    match &route.kind {
        RouteKind::Publish {
            source,
            detail_type,
        } => RouteMappings {
            request: Mapping {
                file: request_file,
                text: render(
                    "put_events.request",
                    context! { key => route.key, source => json_str(source), detail_type => json_str(detail_type) },
                ),
            },
            response: Some(Mapping {
                file: format!("{}.response.vtl", route.file),
                text: render("put_events.response", context! { key => route.key }),
            }),
        },
        RouteKind::Connect
        | RouteKind::Disconnect
        | RouteKind::SubscribeTopics { .. }
        | RouteKind::SubscribePattern
        | RouteKind::Unsubscribe => RouteMappings {
            request: Mapping {
                file: request_file,
                text: start_execution(model, route),
            },
            response: None,
        },
    }
}

/// The StartExecution request of a route that runs the connections machine.
fn start_execution(model: &Model, route: &Route) -> String {
    let (allowed, max_topics) = match &route.kind {
        RouteKind::SubscribeTopics {
            allowed,
            max_topics,
        } => {
            // Inside the JSON string `input`: a JSON array whose quotes are escaped once more.
            let inner = serde_json::to_string(allowed).expect("strings serialize");
            (inner.replace('"', "\\\""), *max_topics)
        }
        _ => (String::new(), 0),
    };
    let kind = match route.kind.machine_input() {
        Some(MachineInput::Topics) => "topics",
        Some(MachineInput::Pattern) => "pattern",
        Some(MachineInput::Plain) | None => "plain",
    };
    render(
        "start_execution",
        context! { key => route.key, action => route.kind.action(), kind, ttl => model.ttl_seconds, connection_seconds => MAX_CONNECTION_SECONDS, allowed, max_topics },
    )
}
