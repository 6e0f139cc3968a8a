//! Access, observability and data-protection settings: defaults, consistency, and the
//! warning for topics that would let anonymous clients read every event on the bus.

use serde_json::{json, Value};

use super::ctx::Ctx;
use super::patterns::TopicPatterns;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Access, AlarmNotify, Auth, Observability, TableProtection, UsagePlan};
use crate::pattern::CompiledPattern;
use crate::spec::{ApiKey, Spec, StageThrottling};

/// CloudWatch Logs' accepted retention periods, in days.
pub(super) const RETENTION_DAYS: &[u32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
/// Default log retention, days.
pub(super) const DEFAULT_RETENTION_DAYS: u32 = 30;

/// Checks the settings and resolves them for the model.
pub(super) fn check(
    cx: &mut Ctx<'_>,
    spec: &Spec,
    patterns: &TopicPatterns,
) -> (Access, Observability, TableProtection) {
    let api = &spec.api;
    let auth = api.auth.unwrap_or_default();
    let api_keys = api_keys(cx, spec);
    if auth == Auth::None {
        catch_all_topics(cx, spec, patterns);
    }
    let observability = observability(cx, spec);
    let table = TableProtection {
        point_in_time_recovery: spec.connections.point_in_time_recovery,
        kms_key: spec.connections.kms_key.clone(),
    };
    (
        Access {
            auth,
            api_keys,
            throttling: match api.throttling {
                None => Some(super::defaults::THROTTLE),
                Some(StageThrottling::Limits(t)) => Some(t),
                Some(StageThrottling::Off(_)) => None,
            },
        },
        observability,
        table,
    )
}

/// The usage plan, when API keys are required (a plan without them is an error).
fn api_keys(cx: &mut Ctx<'_>, spec: &Spec) -> Option<UsagePlan> {
    let api = &spec.api;
    let keys_required = api.api_key.unwrap_or_default() == ApiKey::Required;
    if api.usage_plan.is_some() && !keys_required {
        let span = cx.key(&["api", "usage_plan"]);
        cx.push(
            Diagnostic::error(
                Code::UsagePlanWithoutKeys,
                "`$.api.usage_plan` only applies with `api_key: required`",
            )
            .at(span)
            .help("add `api_key: required`, or remove the usage plan"),
        );
    }
    keys_required.then(|| {
        let plan = api.usage_plan.clone().unwrap_or_default();
        UsagePlan {
            quota: plan.quota.map(|q| {
                let period = match q.period.as_str() {
                    "day" => "DAY",
                    "week" => "WEEK",
                    _ => "MONTH",
                };
                (q.limit, period)
            }),
            throttle: plan.throttle,
            keys: plan.keys,
        }
    })
}

/// Warns about each topic that admits every event, for a spec anyone may connect to.
fn catch_all_topics(cx: &mut Ctx<'_>, spec: &Spec, patterns: &TopicPatterns) {
    for (i, name) in spec.topics.keys().enumerate() {
        if patterns.get(i).is_some_and(is_catch_all) {
            let span = cx.key(&["topics", name]);
            cx.push(
                Diagnostic::warning(
                    Code::CatchAllAnonymous,
                    format!("topic `{name}` matches every event, and anyone who knows the URL can connect (`api.auth: none`)"),
                )
                .at(span)
                .label("matches every event")
                .help("set `api.auth: iam` so only signed clients connect, or narrow the pattern (API keys identify clients, they do not authenticate them)"),
            );
        }
    }
}

/// Logs and tracing: CloudWatch's retention periods, and execution data only with logs.
fn observability(cx: &mut Ctx<'_>, spec: &Spec) -> Observability {
    let o = &spec.observability;
    let retention = o.log_retention.unwrap_or(DEFAULT_RETENTION_DAYS);
    if !RETENTION_DAYS.contains(&retention) {
        let span = cx.value(&["observability", "log_retention"]);
        let nearest = RETENTION_DAYS
            .iter()
            .min_by_key(|d| d.abs_diff(retention))
            .copied()
            .unwrap_or(DEFAULT_RETENTION_DAYS);
        cx.push(
            Diagnostic::error(
                Code::LogRetention,
                format!("CloudWatch Logs cannot keep logs for {retention} days"),
            )
            .at(span)
            .help(format!(
                "use one of {RETENTION_DAYS:?}; the nearest is {nearest}"
            )),
        );
    }
    // Error logs are on unless turned off: a failed delivery must leave a trace.
    let workflow_logs = match o.workflow_logs.as_deref() {
        Some("off") => None,
        Some("fatal") => Some("FATAL"),
        Some("all") => Some("ALL"),
        _ => Some("ERROR"),
    };
    if o.include_execution_data && workflow_logs.is_none() {
        let span = cx.key(&["observability", "include_execution_data"]);
        cx.push(
            Diagnostic::error(
                Code::ExecutionDataWithoutLogs,
                "`include_execution_data` needs workflow logs, and `workflow_logs` is `off`",
            )
            .at(span)
            .help("set `workflow_logs: error` (or `all`)"),
        );
    }
    Observability {
        access_logs: o.access_logs,
        execution_logs: match o.execution_logs.as_deref() {
            Some("error") => Some("ERROR"),
            Some("info") => Some("INFO"),
            _ => None,
        },
        account_role: o.api_gateway_account_role,
        workflow_logs,
        include_execution_data: o.include_execution_data,
        tracing: o.tracing,
        log_retention_days: retention,
        log_kms_key: o.log_kms_key.clone(),
        alarm_notify: alarm_notify(cx, o),
    }
}

/// Who the delivery alarms notify: an email (through a new topic) or an existing topic.
fn alarm_notify(cx: &mut Ctx<'_>, o: &crate::spec::Observability) -> Option<AlarmNotify> {
    match (&o.alarm_email, &o.alarm_topic) {
        (Some(_), Some(_)) => {
            let span = cx.key(&["observability", "alarm_topic"]);
            cx.push(
                Diagnostic::error(
                    Code::AlarmNotifyBoth,
                    "`alarm_email` and `alarm_topic` are alternatives",
                )
                .at(span)
                .help("subscribe the email to your topic, and keep only `alarm_topic`"),
            );
            None
        }
        (Some(email), None) => Some(AlarmNotify::Email(email.clone())),
        (None, Some(arn)) => Some(AlarmNotify::Topic(arn.clone())),
        (None, None) => None,
    }
}

/// Events as different from each other as events get: an AWS service event, a custom
/// application event, a partner event and a bare minimum. A pattern that matches all of them
/// admits every event on the bus (like the reference app's `{version: ["0"]}`).
fn probes() -> &'static [Value; 4] {
    static PROBES: std::sync::OnceLock<[Value; 4]> = std::sync::OnceLock::new();
    PROBES.get_or_init(|| [
        json!({
            "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
            "account": "111122223333", "time": "2026-01-01T00:00:00Z", "region": "eu-west-1",
            "resources": ["arn:aws:ec2:eu-west-1:111122223333:instance/i-1"],
            "detail": { "instance-id": "i-1", "state": "running" }
        }),
        json!({
            "version": "0", "id": "1", "detail-type": "Zz", "source": "com.example.zz",
            "account": "000000000000", "time": "1970-01-01T00:00:00Z", "region": "ap-south-2",
            "resources": [], "detail": {}
        }),
        json!({
            "version": "0", "id": "x", "detail-type": "Partner Event", "source": "aws.partner/example.com/123/x",
            "account": "999999999999", "time": "2099-12-31T23:59:59Z", "region": "us-west-2",
            "resources": ["r"], "detail": { "a": [1, 2], "nested": { "k": null }, "n": -5.5 }
        }),
        json!({
            "version": "0", "id": "", "detail-type": "", "source": "x", "account": "1",
            "time": "2000-01-01T00:00:00Z", "region": "x", "resources": [], "detail": { "k": "v" }
        }),
    ])
}

/// Whether `pattern` matches every probe event (so, in practice, every event).
pub(super) fn is_catch_all(pattern: &CompiledPattern) -> bool {
    probes().iter().all(|e| pattern.matches(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_catch_all(pattern: &Value) -> bool {
        super::is_catch_all(&CompiledPattern::new(pattern).unwrap())
    }

    #[test]
    fn catch_all_patterns_are_recognised() {
        assert!(is_catch_all(&json!({ "version": ["0"] })));
        assert!(is_catch_all(&json!({ "source": [{ "prefix": "" }] })));
        assert!(is_catch_all(
            &json!({ "detail-type": [{ "exists": true }] })
        ));
        assert!(!is_catch_all(&json!({ "source": ["shop.orders"] })));
        assert!(!is_catch_all(&json!({ "source": [{ "prefix": "aws." }] })));
        assert!(!is_catch_all(
            &json!({ "detail": { "amount": [{ "numeric": [">", 0] }] } })
        ));
    }
}
