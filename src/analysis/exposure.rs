//! What clients can make the stack do: publish loops, the account's `default` bus, unthrottled
//! anonymous routes, anonymous Standard workflows, and logs that need the account's role.

use serde_json::{json, Map, Value};

use super::ctx::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Auth, Bus, Route, RouteKind, Rule, Workflow, PATTERN_PARTITION};
use crate::pattern::CompiledPattern;
use crate::spec::{Spec, StageThrottling};

/// Everything a check needs from the routes, rules and settings already resolved.
pub(super) struct Exposure<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// Valid routes.
    pub routes: &'a [Route],
    /// The rules the stack creates.
    pub rules: &'a [Rule],
    /// The bus.
    pub bus: &'a Bus,
    /// Who may connect.
    pub auth: Auth,
}

/// Runs every check.
pub(super) fn check(cx: &mut Ctx<'_>, e: &Exposure<'_>) {
    publish_loops(cx, e);
    let anonymous = e.auth == Auth::None;
    if anonymous && matches!(e.spec.api.throttling, Some(StageThrottling::Off(_))) {
        let span = cx.value(&["api", "throttling"]);
        cx.push(
            Diagnostic::warning(
                Code::ThrottlingOffAnonymous,
                "stage throttling is off while anyone who knows the URL can connect",
            )
            .at(span)
            .help("one client can then use up the account's API Gateway and Step Functions quotas: set `{rate, burst}`, or `api.auth: iam`"),
        );
    }
    let subscribes = e.routes.iter().any(|r| {
        matches!(
            r.kind,
            RouteKind::SubscribeTopics { .. } | RouteKind::SubscribePattern
        )
    });
    let workflow = e.spec.delivery.workflow.unwrap_or_default();
    if anonymous && subscribes && workflow == Workflow::Standard {
        let span = cx.value(&["delivery", "workflow"]);
        cx.push(
            Diagnostic::warning(
                Code::AnonymousStandard,
                "anonymous clients start Standard workflows, which are billed per state transition",
            )
            .at(span)
            .help("use `workflow: express` (the default), or `api.auth: iam` so only signed clients connect"),
        );
    }
    if anonymous && default_bus(e.bus) {
        for r in e
            .routes
            .iter()
            .filter(|r| matches!(r.kind, RouteKind::Publish { .. }))
        {
            let span = cx.key(&["api", "routes", &r.key]);
            cx.push(
                Diagnostic::warning(
                    Code::PublishDefaultAnonymous,
                    format!("route `{}` lets anonymous clients put events on the account's `default` bus", r.key),
                )
                .at(span)
                .help("other rules on the default bus may act on them: give the stack its own bus (`bus.name`), or set `api.auth: iam`"),
            );
        }
    }
    logs_need_account_role(cx, e.spec);
}

fn default_bus(bus: &Bus) -> bool {
    match bus {
        Bus::Existing(b) => b == "default" || b.ends_with(":event-bus/default"),
        Bus::Created(_) => false,
    }
}

/// A publish route whose events some rule delivers back to subscribers.
fn publish_loops(cx: &mut Ctx<'_>, e: &Exposure<'_>) {
    for r in e.routes {
        let RouteKind::Publish {
            source,
            detail_type,
        } = &r.kind
        else {
            continue;
        };
        let spec_route = e.spec.api.routes.as_ref().and_then(|m| m.get(&r.key));
        if spec_route.and_then(|s| s.loopback) == Some(true) {
            continue;
        }
        let event = json!({
            "version": "0", "id": "0", "account": "0", "time": "1970-01-01T00:00:00Z",
            "region": "x", "resources": [], "source": source, "detail-type": detail_type,
            "detail": { "connectionId": "x", "route": r.key, "data": {} }
        });
        for rule in e
            .rules
            .iter()
            .filter(|rule| may_match(&rule.pattern, &event))
        {
            let span = cx.key(&["api", "routes", &r.key]);
            cx.push(
                Diagnostic::error(
                    Code::PublishLoop,
                    format!(
                        "route `{}` publishes events that {} delivers back to subscribers: one client message reaches every one of them",
                        r.key,
                        if rule.partition == PATTERN_PARTITION {
                            "the pattern subscriptions' rule".to_owned()
                        } else {
                            format!("topic `{}`", rule.partition)
                        }
                    ),
                )
                .at(span)
                .label("publishes into a topic")
                .help("give the route a `source` or `detail_type` no topic matches, or set `loopback: true` if clients are meant to broadcast"),
            );
        }
    }
}

/// Whether events like `event` may match `pattern` whatever the client's `data`: the pattern's
/// `detail` conditions are set aside (clients choose most of `detail`), the rest must match.
fn may_match(pattern: &Value, event: &Value) -> bool {
    match without_detail(pattern) {
        None => true,
        Some(rest) => CompiledPattern::new(&rest).is_ok_and(|p| p.matches(event)),
    }
}

/// The pattern without its `detail` conditions (also inside `$or`); `None` when nothing is left.
fn without_detail(pattern: &Value) -> Option<Value> {
    let Value::Object(map) = pattern else {
        return Some(pattern.clone());
    };
    let mut out = Map::new();
    for (k, v) in map {
        if k == "detail" || k.starts_with("detail.") {
            continue;
        }
        if k == "$or" {
            let branches: Option<Vec<Value>> = v
                .as_array()
                .map(|bs| bs.iter().map(without_detail).collect())
                .unwrap_or_default();
            // A branch with nothing left admits every event: the `$or` then constrains nothing.
            if let Some(b) = branches {
                out.insert(k.clone(), Value::Array(b));
            }
            continue;
        }
        out.insert(k.clone(), v.clone());
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Access or execution logs without `api_gateway_account_role`: the account must already have
/// API Gateway's CloudWatch role, or the stage fails to deploy.
fn logs_need_account_role(cx: &mut Ctx<'_>, spec: &Spec) {
    let o = &spec.observability;
    let execution = o.execution_logs.as_deref().is_some_and(|l| l != "off");
    if (o.access_logs || execution) && !o.api_gateway_account_role {
        let key = if o.access_logs {
            "access_logs"
        } else {
            "execution_logs"
        };
        let span = cx.key(&["observability", key]);
        cx.push(
            Diagnostic::note(
                Code::LogsNeedAccountRole,
                "API Gateway writes these logs with the account's CloudWatch role: the account must already have one, or the stage fails to deploy",
            )
            .at(span)
            .help("check with `aws apigateway get-account`; set `api_gateway_account_role: true` in the one stack that creates it"),
        );
    }
}
