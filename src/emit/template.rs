//! Assembles the CloudFormation template from the model and the generated definitions and
//! mappings.

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::cfn::{get_att, lit, r#ref, sub, Expr, Output, Resource, Template};
use super::iam::{self, allow};
use super::mapping::RouteMappings;
use super::resources::*;
use crate::model::{Bus, Model, RouteKind, Workflow};

/// Everything the template embeds, produced by the other emitters.
pub struct Parts<'a> {
    /// Connections state machine definition, if any route needs it.
    pub connections: Option<&'a Value>,
    /// Delivery state machine definition, if any rule exists.
    pub delivery: Option<&'a Value>,
    /// Mapping templates per route, in route order.
    pub mappings: &'a [RouteMappings],
}

const ENDPOINT: &str = "${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}";

fn bus_name(model: &Model) -> Expr {
    match &model.bus {
        Bus::Created(_) => r#ref("Bus"),
        Bus::Existing(name) => lit(name.clone()),
    }
}

fn bus_arn(model: &Model) -> Expr {
    match &model.bus {
        Bus::Created(_) => get_att("Bus", "Arn"),
        Bus::Existing(e) if e.starts_with("arn:") => lit(e.clone()),
        Bus::Existing(name) => sub(format!(
            "arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{name}"
        )),
    }
}

/// Only the `${Name}` placeholders a definition uses, so none is left dangling or unused.
fn substitutions(definition: &Value) -> IndexMap<&'static str, Expr> {
    let text = definition.to_string();
    let integrations = super::tasks::INTEGRATIONS
        .iter()
        .map(|(name, integration)| {
            (
                *name,
                sub(format!("arn:${{AWS::Partition}}:states:::{integration}")),
            )
        });
    integrations
        .chain([
            ("Region", r#ref("AWS::Region")),
            ("AccountId", r#ref("AWS::AccountId")),
            ("ConnectionsTable", r#ref("ConnectionsTable")),
            ("ApiEndpoint", sub(ENDPOINT)),
        ])
        .filter(|(name, _)| text.contains(&format!("${{{name}}}")))
        .collect()
}

fn machine(model: &Model, suffix: &str, role: &str, definition: &Value) -> Resource {
    Resource::new(
        "AWS::StepFunctions::StateMachine",
        Properties::StateMachine(Box::new(StateMachine {
            state_machine_name: format!("{}-{suffix}", model.name),
            state_machine_type: match model.workflow {
                Workflow::Express => "EXPRESS",
                Workflow::Standard => "STANDARD",
            },
            role_arn: get_att(role, "Arn"),
            definition: definition.clone(),
            definition_substitutions: substitutions(definition),
        })),
    )
}

/// The whole template.
pub fn template(model: &Model, parts: &Parts<'_>) -> Template {
    let mut r: IndexMap<String, Resource> = IndexMap::new();
    let api = || r#ref("Api");

    r.insert(
        "Api".into(),
        Resource::new(
            "AWS::ApiGatewayV2::Api",
            Properties::Api(Api {
                name: model.name.clone(),
                description: format!("{}: WebSocket API (lambdaless-gen)", model.name),
                protocol_type: "WEBSOCKET",
                route_selection_expression: model.route_selection.clone(),
            }),
        ),
    );
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
    r.insert(
        "Stage".into(),
        Resource::new(
            "AWS::ApiGatewayV2::Stage",
            Properties::Stage(Stage {
                api_id: api(),
                stage_name: model.stage.clone(),
                description: "Deploys every route change automatically".into(),
                auto_deploy: true,
                stage_variables,
            }),
        ),
    );

    for (route, maps) in model.routes.iter().zip(parts.mappings) {
        let publish = matches!(route.kind, RouteKind::Publish { .. });
        let answers = publish || route.kind == RouteKind::Connect;
        let integration = format!("{}Integration", route.id);
        r.insert(
            route.id.clone(),
            Resource::new(
                "AWS::ApiGatewayV2::Route",
                Properties::Route(Route {
                    api_id: api(),
                    route_key: route.key.clone(),
                    authorization_type: (route.kind == RouteKind::Connect).then_some("NONE"),
                    route_response_selection_expression: answers.then_some("$default"),
                    target: sub(format!("integrations/${{{integration}}}")),
                }),
            ),
        );
        let (uri, request_parameters) = if publish {
            (
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
            )
        } else {
            (
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution",
                IndexMap::new(),
            )
        };
        r.insert(
            integration.clone(),
            Resource::new(
                "AWS::ApiGatewayV2::Integration",
                Properties::Integration(Box::new(Integration {
                    api_id: api(),
                    description: route.description.clone().unwrap_or_else(|| {
                        format!(
                            "Route `{}`: {}",
                            route.key,
                            if publish {
                                "EventBridge PutEvents"
                            } else {
                                "Step Functions StartExecution"
                            }
                        )
                    }),
                    integration_type: "AWS",
                    integration_method: "POST",
                    integration_uri: sub(uri),
                    credentials_arn: get_att("ApiGatewayRole", "Arn"),
                    passthrough_behavior: "NEVER",
                    request_parameters,
                    template_selection_expression: "\\$default",
                    request_templates: IndexMap::from([("$default", maps.request.text.clone())]),
                    timeout_in_millis: 29_000,
                })),
            ),
        );
        if answers {
            let response_templates = maps
                .response
                .as_ref()
                .map(|m| IndexMap::from([("$default", m.text.clone())]))
                .unwrap_or_default();
            r.insert(
                format!("{}IntegrationResponse", route.id),
                Resource::new(
                    "AWS::ApiGatewayV2::IntegrationResponse",
                    Properties::IntegrationResponse(IntegrationResponse {
                        api_id: api(),
                        integration_id: r#ref(&integration),
                        integration_response_key: "$default",
                        template_selection_expression: (!response_templates.is_empty())
                            .then_some("\\$default"),
                        response_templates,
                    }),
                ),
            );
            r.insert(
                format!("{}Response", route.id),
                Resource::new(
                    "AWS::ApiGatewayV2::RouteResponse",
                    Properties::RouteResponse(RouteResponse {
                        api_id: api(),
                        route_id: r#ref(&route.id),
                        route_response_key: "$default",
                    }),
                ),
            );
        }
    }

    let mut apigw = Vec::new();
    if parts.connections.is_some() {
        apigw.push(iam::start_execution("ConnectionsStateMachine"));
    }
    if model.has_publish() {
        apigw.push(allow(
            "PutEvents",
            &["events:PutEvents"],
            vec![bus_arn(model)],
        ));
    }
    r.insert(
        "ApiGatewayRole".into(),
        Resource::new(
            "AWS::IAM::Role",
            Properties::Role(iam::role(
                "Assumed by API Gateway to run the WebSocket routes' service integrations".into(),
                "apigateway.amazonaws.com",
                "route-integrations".into(),
                apigw,
            )),
        ),
    );

    let mut table = Resource::new(
        "AWS::DynamoDB::Table",
        Properties::Table(Box::new(Table {
            table_name: format!("{}-connections", model.name),
            billing_mode: "PAY_PER_REQUEST",
            attribute_definitions: ["connectionId", "sk", "topic"]
                .iter()
                .map(|a| json!({ "AttributeName": a, "AttributeType": "S" }))
                .collect(),
            key_schema: vec![
                json!({ "AttributeName": "connectionId", "KeyType": "HASH" }),
                json!({ "AttributeName": "sk", "KeyType": "RANGE" }),
            ],
            global_secondary_indexes: vec![json!({
                "IndexName": super::tasks::TOPIC_INDEX,
                "KeySchema": [
                    { "AttributeName": "topic", "KeyType": "HASH" },
                    { "AttributeName": "connectionId", "KeyType": "RANGE" }
                ],
                "Projection": { "ProjectionType": "KEYS_ONLY" }
            })],
            time_to_live_specification: json!({ "AttributeName": "expiresAt", "Enabled": true }),
        })),
    );
    // Connection records are ephemeral (they expire within hours): nothing to keep.
    table.deletion_policy = Some("Delete");
    table.update_replace_policy = Some("Delete");
    r.insert("ConnectionsTable".into(), table);

    if let Bus::Created(name) = &model.bus {
        r.insert(
            "Bus".into(),
            Resource::new(
                "AWS::Events::EventBus",
                Properties::EventBus(EventBus {
                    name: name.clone(),
                    description: format!("{}: events pushed to WebSocket clients", model.name),
                }),
            ),
        );
    }

    if let Some(delivery) = parts.delivery {
        for rule in &model.rules {
            let input = format!(
                "{{\"topic\": {}, \"event\": <aws.events.event.json>}}",
                Value::from(rule.partition.as_str())
            );
            r.insert(
                rule.id.clone(),
                Resource::new(
                    "AWS::Events::Rule",
                    Properties::Rule(Box::new(Rule {
                        name: rule.name.clone(),
                        description: rule.description.clone(),
                        event_bus_name: bus_name(model),
                        event_pattern: rule.pattern.clone(),
                        state: "ENABLED",
                        targets: vec![json!({
                            "Id": "delivery",
                            "Arn": r#ref("DeliveryStateMachine"),
                            "RoleArn": get_att("EventsRole", "Arn"),
                            "InputTransformer": { "InputTemplate": input },
                            "RetryPolicy": {
                                "MaximumRetryAttempts": model.retry_attempts,
                                "MaximumEventAgeInSeconds": model.max_event_age
                            }
                        })],
                    })),
                ),
            );
        }
        r.insert(
            "EventsRole".into(),
            Resource::new(
                "AWS::IAM::Role",
                Properties::Role(iam::role(
                    "Assumed by EventBridge to start the delivery state machine".into(),
                    "events.amazonaws.com",
                    "start-delivery".into(),
                    vec![iam::start_execution("DeliveryStateMachine")],
                )),
            ),
        );
        r.insert(
            "DeliveryStateMachine".into(),
            machine(model, "delivery", "DeliveryStateMachineRole", delivery),
        );
        let mut statements = vec![
            allow(
                "ReadSubscribers",
                &["dynamodb:Query"],
                vec![iam::table_arn(), iam::topic_index_arn()],
            ),
            allow(
                "RemoveStaleConnections",
                &["dynamodb:DeleteItem"],
                vec![iam::table_arn()],
            ),
            allow(
                "PostToConnections",
                &["execute-api:ManageConnections"],
                vec![iam::manage_connections_arn(&model.stage)],
            ),
        ];
        if model.has_pattern_subscriptions() {
            statements.push(allow(
                "ReadPatterns",
                &["dynamodb:GetItem"],
                vec![iam::table_arn()],
            ));
            statements.push(iam::test_event_pattern());
        }
        r.insert(
            "DeliveryStateMachineRole".into(),
            Resource::new(
                "AWS::IAM::Role",
                Properties::Role(iam::role(
                    "Assumed by the delivery state machine".into(),
                    "states.amazonaws.com",
                    "deliver-events".into(),
                    statements,
                )),
            ),
        );
    }

    if let Some(connections) = parts.connections {
        r.insert(
            "ConnectionsStateMachine".into(),
            machine(
                model,
                "connections",
                "ConnectionsStateMachineRole",
                connections,
            ),
        );
        let mut statements = vec![allow(
            "StoreConnections",
            &["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"],
            vec![iam::table_arn()],
        )];
        let replies = model.routes.iter().any(|r| {
            matches!(
                r.kind,
                RouteKind::SubscribeTopics { .. }
                    | RouteKind::SubscribePattern
                    | RouteKind::Unsubscribe
            )
        });
        if replies {
            statements.push(allow(
                "ReplyToClients",
                &["execute-api:ManageConnections"],
                vec![iam::manage_connections_arn(&model.stage)],
            ));
        }
        if model.has_pattern_subscriptions() {
            statements.push(iam::test_event_pattern());
        }
        r.insert(
            "ConnectionsStateMachineRole".into(),
            Resource::new(
                "AWS::IAM::Role",
                Properties::Role(iam::role(
                    "Assumed by the connections state machine".into(),
                    "states.amazonaws.com",
                    "manage-connections".into(),
                    statements,
                )),
            ),
        );
    }

    Template {
        format_version: "2010-09-09",
        description: model.description.clone(),
        metadata: json!({ "Generator": { "Name": "lambdaless-gen", "Version": env!("CARGO_PKG_VERSION"), "Spec": model.name } }),
        resources: r,
        outputs: outputs(model, parts),
    }
}

fn outputs(model: &Model, parts: &Parts<'_>) -> IndexMap<String, Output> {
    let out = |d: &str, v: Expr| Output {
        description: d.to_owned(),
        value: v,
    };
    let mut o = IndexMap::new();
    o.insert(
        "WebSocketUrl".into(),
        out(
            "Clients connect here",
            sub(format!("wss://{ENDPOINT}/{}", model.stage)),
        ),
    );
    o.insert(
        "CallbackUrl".into(),
        out(
            "POST here to send to a connection (@connections API)",
            sub(format!("https://{ENDPOINT}/{}/@connections", model.stage)),
        ),
    );
    o.insert(
        "EventBusName".into(),
        out("Put events on this bus", bus_name(model)),
    );
    o.insert(
        "EventBusArn".into(),
        out("ARN of the event bus", bus_arn(model)),
    );
    o.insert(
        "ConnectionsTableName".into(),
        out(
            "DynamoDB table of connections and subscriptions",
            r#ref("ConnectionsTable"),
        ),
    );
    if parts.connections.is_some() {
        o.insert(
            "ConnectionsStateMachineArn".into(),
            out(
                "Runs connect, disconnect, subscribe and unsubscribe",
                r#ref("ConnectionsStateMachine"),
            ),
        );
    }
    if parts.delivery.is_some() {
        o.insert(
            "DeliveryStateMachineArn".into(),
            out(
                "Delivers events to subscribers",
                r#ref("DeliveryStateMachine"),
            ),
        );
    }
    o
}
