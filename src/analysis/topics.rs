//! Topic checks (EventBridge pattern grammar, rule names and quotas) and the rules the
//! stack creates.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Value};

use super::ctx::Ctx;
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::logical_id;
use crate::model::{Deliver, Route, RouteKind, Rule, Topic, PATTERN_PARTITION};
use crate::pattern;
use crate::spec::Spec;

/// EventBridge's quota of rules per event bus.
pub(super) const MAX_RULES_PER_BUS: usize = 300;
/// EventBridge's quota of rules using `wildcard` per event bus.
pub(super) const MAX_WILDCARD_RULES_PER_BUS: usize = 30;
/// EventBridge rule names: `[.\-_A-Za-z0-9]{1,64}`.
pub(super) const MAX_RULE_NAME: usize = 64;

/// Checks names and builds the topics (patterns were checked by
/// [`super::patterns::check_patterns`]).
pub(super) fn check_topics(cx: &mut Ctx<'_>, spec: &Spec) -> Vec<Topic> {
    let mut out = Vec::new();
    for (name, topic) in &spec.topics {
        if rule_name_len(&spec.name, name) > MAX_RULE_NAME {
            let rule_name = rule_name(&spec.name, name);
            let span = cx.key(&["topics", name]);
            cx.push(
                Diagnostic::error(
                    Code::RuleNameLength,
                    format!("the rule name `{rule_name}` is {} characters; EventBridge allows {MAX_RULE_NAME}", rule_name.len()),
                )
                .at(span)
                .help("rule names are `<name>-<topic>`: shorten the topic or the spec name"),
            );
        }
        out.push(Topic {
            name: name.clone(),
            description: topic.description.clone(),
            pattern: topic.pattern.clone(),
            deliver: topic.deliver.unwrap_or_default(),
        });
    }
    out
}

/// Physical name of a topic's rule.
pub(super) fn rule_name(app: &str, topic: &str) -> String {
    format!("{app}-{topic}")
}

/// Length of [`rule_name`], without building it.
fn rule_name_len(app: &str, topic: &str) -> usize {
    app.len() + 1 + topic.len()
}

/// The rules to create: one per topic some route can subscribe to, then one for
/// client-sent patterns (its pattern is the union of all topics, so such a client still
/// only sees events some topic admits, and sees each event once).
pub(super) fn rules(
    cx: &mut Ctx<'_>,
    spec: &Spec,
    topics: &[Topic],
    routes: &[Route],
) -> Vec<Rule> {
    let meant = meant_topics(spec);
    let subscribable: BTreeSet<&str> = routes
        .iter()
        .flat_map(|r| match &r.kind {
            RouteKind::SubscribeTopics { allowed, .. } => {
                allowed.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let dynamic = routes
        .iter()
        .find(|r| r.kind == RouteKind::SubscribePattern);
    let mut rules = Vec::new();
    for t in topics {
        if subscribable.contains(t.name.as_str()) {
            rules.push(topic_rule(t));
        } else if dynamic.is_none() && !meant.contains(t.name.as_str()) {
            let span = cx.key(&["topics", &t.name]);
            cx.push(
                Diagnostic::warning(Code::TopicUnused, format!("no route lets a client receive topic `{}`", t.name))
                    .at(span)
                    .label("unused")
                    .help("list it in a subscribe route's `topics`, or add a `pattern: from-message` route"),
            );
        }
    }
    if let Some(route) = dynamic {
        rules.push(pattern_rule(cx, topics, route));
    }
    rule_quotas(cx, &rules);
    rules
}

/// The topics some route of the spec names, valid or not, and the topics its unknown names
/// are likely typos of (`payment` for `payments`): the route's own error covers them, so
/// they are not also reported unused.
fn meant_topics(spec: &Spec) -> BTreeSet<&str> {
    let declared = || spec.topics.keys().map(String::as_str);
    let named = spec
        .api
        .routes
        .iter()
        .flat_map(|routes| routes.values())
        .flat_map(|r| r.topics.iter().flatten());
    let mut meant = BTreeSet::new();
    for name in named {
        match spec.topics.get_key_value(name) {
            Some((known, _)) => meant.insert(known.as_str()),
            None => did_you_mean(name, declared()).is_some_and(|t| meant.insert(t)),
        };
    }
    meant
}

/// The rule of a topic clients subscribe to by name.
fn topic_rule(t: &Topic) -> Rule {
    Rule {
        id: logical_id::topic_rule(&t.name),
        name_suffix: ["-", &t.name].concat(),
        // None unless the spec gives one: the rule's name already says which topic it is,
        // and every byte per topic counts towards the template's inline limit.
        description: t.description.clone(),
        pattern: t.pattern.clone(),
        partition: t.name.clone(),
        deliver: t.deliver,
    }
}

/// The rule for client-sent patterns: the union of every topic, within the pattern size
/// limit.
fn pattern_rule(cx: &mut Ctx<'_>, topics: &[Topic], route: &Route) -> Rule {
    let pattern = match topics {
        [only] => only.pattern.clone(),
        many => Arc::new(
            json!({ "$or": many.iter().map(|t| Value::clone(&t.pattern)).collect::<Vec<Value>>() }),
        ),
    };
    let size = pattern.to_string().len();
    if size > pattern::MAX_PATTERN_CHARS {
        let span = cx.value(&["api", "routes", &route.key, "pattern"]);
        cx.push(
            Diagnostic::error(
                Code::PatternUnionTooLarge,
                format!("pattern subscriptions need one rule matching every topic; that pattern is {size} characters, EventBridge allows {}", pattern::MAX_PATTERN_CHARS),
            )
            .at(span)
            .help("shorten the topics' patterns, or subscribe by topic instead"),
        );
    }
    Rule {
        id: "PatternSubscriptionsRule".to_owned(),
        name_suffix: ".patterns".to_owned(),
        description: Some(
            "Events of any topic, for clients that subscribed with their own pattern".to_owned(),
        ),
        pattern,
        partition: PATTERN_PARTITION.to_owned(),
        deliver: Deliver::Event,
    }
}

/// EventBridge's quotas per bus: rules, and rules that use `wildcard`.
fn rule_quotas(cx: &mut Ctx<'_>, rules: &[Rule]) {
    let wildcard_rules = rules.iter().filter(|r| uses_wildcard(&r.pattern)).count();
    if wildcard_rules > MAX_WILDCARD_RULES_PER_BUS {
        let span = cx.value(&["topics"]);
        cx.push(
            Diagnostic::error(
                Code::QuotaWildcardRules,
                format!("{wildcard_rules} rules use `wildcard`; an event bus allows at most {MAX_WILDCARD_RULES_PER_BUS}"),
            )
            .at(span)
            .help("use `prefix`/`suffix` where they suffice"),
        );
    }
    if rules.len() > MAX_RULES_PER_BUS {
        let span = cx.value(&["topics"]);
        cx.push(
            Diagnostic::error(
                Code::QuotaRules,
                format!(
                    "{} rules; an event bus allows at most {MAX_RULES_PER_BUS}",
                    rules.len()
                ),
            )
            .at(span),
        );
    }
}

/// Whether a (valid, so depth-bounded) pattern uses the `wildcard` operator anywhere.
fn uses_wildcard(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| k == "wildcard" || uses_wildcard(v)),
        Value::Array(a) => a.iter().any(uses_wildcard),
        _ => false,
    }
}
