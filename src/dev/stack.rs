//! The running stack: what the dev server needs of a validated [`Model`], prepared once per
//! (re)load: routes by key, the route selection path, the rules with their patterns compiled,
//! and the bus's name.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Value};

use crate::model::{Auth, Bus, Deliver, Model, Route, RouteKind, Rule, PATTERN_PARTITION};
use crate::pattern::CompiledPattern;

/// A rule, ready to match events.
#[derive(Debug)]
pub(crate) struct LiveRule {
    /// The model's rule.
    pub rule: Rule,
    /// Its pattern, compiled.
    pub pattern: CompiledPattern,
}

impl LiveRule {
    /// Whether this is the pattern-subscription rule (its audience brings its own patterns).
    pub(crate) fn is_pattern_rule(&self) -> bool {
        self.rule.partition == PATTERN_PARTITION
    }

    /// What its subscribers receive of `event`: the whole event, or the summary its input
    /// transformer builds (`id`, `source`, `detail-type`, `time`, `detail`).
    pub(crate) fn payload(&self, event: &Value) -> Value {
        match self.rule.deliver {
            Deliver::Event => event.clone(),
            Deliver::Summary => json!({
                "id": event["id"],
                "source": event["source"],
                "detail-type": event["detail-type"],
                "time": event["time"],
                "detail": event["detail"],
            }),
        }
    }
}

/// The stack as the dev server runs it.
#[derive(Debug)]
pub(crate) struct Stack {
    /// The validated application.
    pub model: Model,
    /// Route index by key.
    routes: HashMap<String, usize>,
    /// `$request.body.a.b` as `["a", "b"]`.
    pub selection: Vec<String>,
    /// Rules in the model's order.
    pub rules: Vec<LiveRule>,
    /// The bus the rules listen on (a name).
    pub bus: String,
    /// The stack diagram (Mermaid), whose node IDs are the template's logical IDs.
    pub diagram: String,
}

impl Stack {
    /// Prepares `model` to run.
    pub(crate) fn new(model: Model, diagram: String) -> Self {
        let routes = model
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        let selection = model
            .route_selection
            .trim_start_matches("$request.body.")
            .split('.')
            .map(str::to_owned)
            .collect();
        let rules = model
            .rules
            .iter()
            .map(|rule| LiveRule {
                pattern: CompiledPattern::new(&rule.pattern)
                    .expect("the model holds validated patterns"),
                rule: rule.clone(),
            })
            .collect();
        let bus = match &model.bus {
            Bus::Created(suffix) => format!("{}{suffix}", model.name),
            Bus::Existing(name) => name.rsplit('/').next().unwrap_or(name).to_owned(),
        };
        Stack {
            model,
            routes,
            selection,
            rules,
            bus,
            diagram,
        }
    }

    /// The route with this key.
    pub(crate) fn route(&self, key: &str) -> Option<&Route> {
        self.routes.get(key).map(|&i| &self.model.routes[i])
    }

    /// The route API Gateway selects for a message: the selection expression's value when the
    /// body is a JSON object holding a string there that names a custom route, else `$default`.
    pub(crate) fn select(&self, body: Option<&Value>) -> Option<&Route> {
        let mut v = body?;
        for seg in &self.selection {
            v = v.get(seg)?;
        }
        let key = v.as_str()?;
        if key.starts_with('$') {
            return None;
        }
        self.route(key)
    }

    /// The `$default` route, if any.
    pub(crate) fn default_route(&self) -> Option<&Route> {
        self.route("$default")
    }

    /// Whether `$connect` needs a SigV4 signature.
    pub(crate) fn needs_signature(&self) -> bool {
        self.model.access.auth == Auth::Iam
    }

    /// The API keys `$connect` accepts (their names are their values here), if keys are
    /// required.
    pub(crate) fn api_keys(&self) -> Option<&[String]> {
        self.model
            .access
            .api_keys
            .as_ref()
            .map(|p| p.keys.as_slice())
    }

    /// Topics a subscription can still refer to, and whether client patterns still have a
    /// route (after a reload, records outside these are dropped).
    pub(crate) fn subscribable(&self) -> (BTreeSet<&str>, bool) {
        let topics = self
            .model
            .rules
            .iter()
            .filter(|r| r.partition != PATTERN_PARTITION)
            .map(|r| r.partition.as_str())
            .collect();
        (topics, self.model.has_pattern_subscriptions())
    }

    /// The `/@dev/info` description.
    pub(crate) fn info(&self) -> Value {
        let m = &self.model;
        let routes: Vec<Value> = m.routes.iter().map(route_info).collect();
        let (subscribable, _) = self.subscribable();
        let topics: Vec<Value> = m
            .topics
            .iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "description": t.description,
                    "pattern": t.pattern,
                    "deliver": match t.deliver { Deliver::Event => "event", Deliver::Summary => "summary" },
                    "subscribable": subscribable.contains(t.name.as_str()),
                })
            })
            .collect();
        json!({
            "name": m.name,
            "description": m.description,
            "stage": m.stage,
            "routeSelection": m.route_selection,
            "selectionField": self.selection.join("."),
            "auth": if self.needs_signature() { "iam" } else { "none" },
            "apiKey": self.api_keys().is_some(),
            "apiKeys": self.api_keys().unwrap_or_default(),
            "bus": self.bus,
            "routes": routes,
            "topics": topics,
            "diagram": self.diagram,
        })
    }
}

fn route_info(r: &Route) -> Value {
    let mut v = json!({ "key": r.key, "id": r.id, "action": r.kind.action() });
    match &r.kind {
        RouteKind::SubscribeTopics {
            allowed,
            max_topics,
        } => {
            v["topics"] = json!(allowed);
            v["maxTopics"] = json!(max_topics);
        }
        RouteKind::SubscribePattern => v["action"] = json!("subscribe-pattern"),
        RouteKind::Publish {
            source,
            detail_type,
        } => {
            v["source"] = json!(source);
            v["detailType"] = json!(detail_type);
        }
        RouteKind::Connect | RouteKind::Disconnect | RouteKind::Unsubscribe => {}
    }
    if let Some(t) = r.throttling {
        v["throttling"] = json!({ "rate": t.rate, "burst": t.burst });
    }
    v
}
