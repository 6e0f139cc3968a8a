//! The WebSocket API: API, stage (throttling, logging), routes with their integrations,
//! API keys and usage plan, the role API Gateway assumes, and opt-in access logs.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::iam;
use super::logs::log_group;
use super::names::{bus_arn, bus_name, physical};
use super::parts::Parts;
use crate::emit::ir::cfn::{Resource, Resources};
use crate::emit::ir::expr::{get_att, r#ref, sub};
use crate::emit::ir::policy::allow;
use crate::emit::ir::properties::*;
use crate::logical_id::pascal;
use crate::model::{Auth, Model, Reply, Target, Throttle};

/// Access-log line: one JSON object per request, with what an operator needs to trace it.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","connectionId":"$context.connectionId","eventType":"$context.eventType","routeKey":"$context.routeKey","status":"$context.status","error":"$context.error.message","errorType":"$context.error.responseType","integrationLatency":"$context.integrationLatency","sourceIp":"$context.identity.sourceIp","apiKeyId":"$context.identity.apiKeyId","requestTime":"$context.requestTimeEpoch"}"#;

/// Stage-wide route settings: execution logging and throttling (None when nothing is set).
fn route_settings(model: &Model, throttle: Option<Throttle>) -> Option<Value> {
    let mut m = Map::new();
    if let Some(level) = model.observability.execution_logs {
        m.insert("LoggingLevel".into(), json!(level));
        // Full request/response data would put client messages in the logs.
        m.insert("DataTraceEnabled".into(), json!(false));
    }
    if let Some(t) = throttle {
        m.insert("ThrottlingBurstLimit".into(), json!(t.burst));
        m.insert("ThrottlingRateLimit".into(), json!(t.rate));
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// Adds the API's resources.
pub fn resources(model: &Model, parts: &Parts<'_>, r: &mut Resources) {
    let keys = model.access.api_keys.as_ref();
    r.insert(
        "Api".into(),
        Resource::new(Properties::Api(Api {
            name: physical(""),
            description: format!("{}: WebSocket API (lambdaless-gen)", model.name),
            protocol_type: "WEBSOCKET",
            route_selection_expression: model.route_selection.clone(),
            // The only selection expression that works without a Lambda authorizer.
            api_key_selection_expression: keys.map(|_| "$request.header.x-api-key"),
        })),
    );
    stage(model, parts, r);
    routes(model, parts, r);
    if let Some(plan) = keys {
        let props = UsagePlan {
            usage_plan_name: physical(&format!("-{}", model.stage)),
            description: "Meters the API keys allowed to connect".into(),
            // Ref Stage (not the literal name) so the plan waits for the stage to exist.
            api_stages: vec![ApiStage {
                api_id: r#ref("Api"),
                stage: r#ref("Stage"),
            }],
            quota: plan
                .quota
                .map(|(limit, period)| json!({ "Limit": limit, "Period": period })),
            throttle: plan
                .throttle
                .map(|t| json!({ "BurstLimit": t.burst, "RateLimit": t.rate })),
        };
        r.insert(
            "UsagePlan".into(),
            Resource::new(Properties::UsagePlan(props)),
        );
        for name in &plan.keys {
            let id = format!("ApiKey{}", pascal(name));
            r.insert(
                id.clone(),
                Resource::new(Properties::ApiKey(ApiKey {
                    name: physical(&format!("-{name}")),
                    enabled: true,
                })),
            );
            r.insert(
                format!("{id}UsagePlanKey"),
                Resource::new(Properties::UsagePlanKey(UsagePlanKey {
                    key_id: r#ref(&id),
                    key_type: "API_KEY",
                    usage_plan_id: r#ref("UsagePlan"),
                })),
            );
        }
    }
    let mut statements = Vec::new();
    if parts.connections.is_some() {
        statements.push(iam::start_execution("ConnectionsStateMachine"));
    }
    if model.has_publish() {
        statements.push(allow(
            "PutEvents",
            &["events:PutEvents"],
            vec![bus_arn(model)],
        ));
    }
    r.insert(
        "ApiGatewayRole".into(),
        Resource::new(Properties::Role(iam::role(
            "Assumed by API Gateway to run the WebSocket routes' service integrations".into(),
            "apigateway.amazonaws.com",
            &iam::Source::IfSet(vec![sub(
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*",
            )]),
            "route-integrations".into(),
            statements,
        ))),
    );
    if model.observability.account_role {
        let role = iam::managed_role(
            "API Gateway's account-level role for writing logs to CloudWatch".into(),
            "apigateway.amazonaws.com",
            &iam::Source::IfSet(Vec::new()),
            vec![sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
        );
        // Account settings outlive the stack: keep the role they point to.
        r.insert(
            "ApiGatewayCloudWatchRole".into(),
            Resource::new(Properties::Role(role)).keep("Retain"),
        );
        r.insert(
            "ApiGatewayAccount".into(),
            Resource::new(Properties::Account(Account {
                cloud_watch_role_arn: get_att("ApiGatewayCloudWatchRole", "Arn"),
            }))
            .keep("Retain"),
        );
    }
}

fn stage(model: &Model, parts: &Parts<'_>, r: &mut Resources) {
    let o = &model.observability;
    let mut stage_variables = IndexMap::new();
    if parts.connections.is_some() {
        stage_variables.insert(
            "connectionsStateMachineArn",
            r#ref("ConnectionsStateMachine"),
        );
    }
    if model.has_publish() {
        stage_variables.insert("eventBusName", bus_name(model));
    }
    // A route's settings do not inherit the stage defaults: repeat them in each entry.
    let mut per_route = Map::new();
    let mut depends_on = Vec::new();
    for route in model.routes.iter().filter(|r| r.throttling.is_some()) {
        if let Some(s) = route_settings(model, route.throttling) {
            per_route.insert(route.key.clone(), s);
            // The stage must not be created before the routes its settings name.
            depends_on.push(route.id.clone());
        }
    }
    let logging = o.access_logs || o.execution_logs.is_some();
    if logging && o.account_role {
        depends_on.insert(0, "ApiGatewayAccount".into());
    }
    if o.access_logs {
        r.insert("AccessLogs".into(), log_group(model));
    }
    let mut stage = Resource::new(Properties::Stage(Stage {
            api_id: r#ref("Api"),
            stage_name: model.stage.clone(),
            description: "Deploys every route change automatically".into(),
            auto_deploy: true,
            stage_variables,
            default_route_settings: route_settings(model, model.access.throttling),
            route_settings: (!per_route.is_empty()).then_some(Value::Object(per_route)),
            access_log_settings: o.access_logs.then(|| {
                json!({ "DestinationArn": { "Fn::GetAtt": ["AccessLogs", "Arn"] }, "Format": ACCESS_LOG_FORMAT })
            }),
        }),
    );
    stage.depends_on = depends_on;
    if !o.access_logs {
        stage = stage.skip_checks(&[(
            "CKV_AWS_95",
            "Access logs are opt-in (observability.access_logs); this spec does not ask for them",
        )]);
    }
    r.insert("Stage".into(), stage);
}

fn routes(model: &Model, parts: &Parts<'_>, r: &mut Resources) {
    let api = || r#ref("Api");
    for (route, maps) in model.routes.iter().zip(parts.mappings) {
        let connect = route.kind.is_connect();
        let answers = route.kind.reply() == Reply::RouteResponse;
        let integration = format!("{}Integration", route.id);
        r.insert(
            route.id.clone(),
            Resource::new(Properties::Route(Route {
                api_id: api(),
                route_key: route.key.clone(),
                // Authorization and API keys apply to $connect only, on WebSocket APIs.
                authorization_type: connect.then_some(match model.access.auth {
                    Auth::None => "NONE",
                    Auth::Iam => "AWS_IAM",
                }),
                api_key_required: (connect && model.access.api_keys.is_some()).then_some(true),
                route_response_selection_expression: answers.then_some("$default"),
                target: sub(format!("integrations/${{{integration}}}")),
            })),
        );
        let (uri, request_parameters) = match route.kind.target() {
            Target::Bus => (
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:events:action/PutEvents",
                IndexMap::from([
                    (
                        "integration.request.header.X-Amz-Target",
                        "'AWSEvents.PutEvents'",
                    ),
                    (
                        "integration.request.header.Content-Type",
                        "'application/x-amz-json-1.1'",
                    ),
                ]),
            ),
            Target::ConnectionsMachine => (
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution",
                IndexMap::new(),
            ),
        };
        r.insert(
            integration.clone(),
            Resource::new(Properties::Integration(Box::new(Integration {
                api_id: api(),
                // The route key and URI say what it does; only the spec's description is added.
                description: route.description.clone(),
                integration_type: "AWS",
                integration_method: "POST",
                integration_uri: sub(uri),
                credentials_arn: get_att("ApiGatewayRole", "Arn"),
                passthrough_behavior: "NEVER",
                request_parameters,
                template_selection_expression: "\\$default",
                request_templates: IndexMap::from([("$default", maps.request.text.clone())]),
                timeout_in_millis: 29_000,
            }))),
        );
        if answers {
            let response_templates = maps
                .response
                .as_ref()
                .map(|m| IndexMap::from([("$default", m.text.clone())]))
                .unwrap_or_default();
            r.insert(
                format!("{}IntegrationResponse", route.id),
                Resource::new(Properties::IntegrationResponse(IntegrationResponse {
                    api_id: api(),
                    integration_id: r#ref(&integration),
                    integration_response_key: "$default",
                    template_selection_expression: (!response_templates.is_empty())
                        .then_some("\\$default"),
                    response_templates,
                })),
            );
            r.insert(
                format!("{}Response", route.id),
                Resource::new(Properties::RouteResponse(RouteResponse {
                    api_id: api(),
                    route_id: r#ref(&route.id),
                    route_response_key: "$default",
                })),
            );
        }
    }
}
