//! Typed properties of the resource types the generator emits. Field names are
//! CloudFormation's property names (PascalCase on the wire); see the AWS resource reference.

// Each field is a CloudFormation property of the same name, documented by AWS; repeating
// that documentation here would add nothing.
#![allow(missing_docs)]

use std::sync::Arc;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use super::expr::Expr;
use super::policy::PolicyDocument;

/// Properties of any emitted resource (serialized without a tag).
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Properties {
    /// `AWS::ApiGatewayV2::Api`.
    Api(Api),
    /// `AWS::ApiGatewayV2::Stage`.
    Stage(Stage),
    /// `AWS::ApiGatewayV2::Route`.
    Route(Route),
    /// `AWS::ApiGatewayV2::Integration`.
    Integration(Box<Integration>),
    /// `AWS::ApiGatewayV2::IntegrationResponse`.
    IntegrationResponse(IntegrationResponse),
    /// `AWS::ApiGatewayV2::RouteResponse`.
    RouteResponse(RouteResponse),
    /// `AWS::DynamoDB::Table`.
    Table(Box<Table>),
    /// `AWS::Events::EventBus`.
    EventBus(EventBus),
    /// `AWS::Events::Rule`.
    Rule(Box<Rule>),
    /// `AWS::StepFunctions::StateMachine`.
    StateMachine(Box<StateMachine>),
    /// `AWS::IAM::Role`.
    Role(Role),
    /// `AWS::Logs::LogGroup`.
    LogGroup(LogGroup),
    /// `AWS::SQS::Queue`.
    Queue(Queue),
    /// `AWS::SQS::QueuePolicy`.
    QueuePolicy(QueuePolicy),
    /// `AWS::ApiGateway::UsagePlan`.
    UsagePlan(UsagePlan),
    /// `AWS::ApiGateway::ApiKey`.
    ApiKey(ApiKey),
    /// `AWS::ApiGateway::UsagePlanKey`.
    UsagePlanKey(UsagePlanKey),
    /// `AWS::ApiGateway::Account`.
    Account(Account),
    /// `AWS::CloudWatch::Alarm`.
    Alarm(Box<Alarm>),
    /// `AWS::CloudWatch::Alarm` on the sum of several metrics.
    SumAlarm(Box<SumAlarm>),
    /// `AWS::SNS::Topic`.
    Topic(Topic),
    /// `AWS::SNS::Subscription`.
    Subscription(Subscription),
    /// `AWS::IAM::ManagedPolicy`.
    ManagedPolicy(ManagedPolicy),
}

impl Properties {
    /// The CloudFormation resource type these properties belong to.
    pub fn kind(&self) -> &'static str {
        match self {
            Properties::Api(_) => "AWS::ApiGatewayV2::Api",
            Properties::Stage(_) => "AWS::ApiGatewayV2::Stage",
            Properties::Route(_) => "AWS::ApiGatewayV2::Route",
            Properties::Integration(_) => "AWS::ApiGatewayV2::Integration",
            Properties::IntegrationResponse(_) => "AWS::ApiGatewayV2::IntegrationResponse",
            Properties::RouteResponse(_) => "AWS::ApiGatewayV2::RouteResponse",
            Properties::Table(_) => "AWS::DynamoDB::Table",
            Properties::EventBus(_) => "AWS::Events::EventBus",
            Properties::Rule(_) => "AWS::Events::Rule",
            Properties::StateMachine(_) => "AWS::StepFunctions::StateMachine",
            Properties::Role(_) => "AWS::IAM::Role",
            Properties::LogGroup(_) => "AWS::Logs::LogGroup",
            Properties::Queue(_) => "AWS::SQS::Queue",
            Properties::QueuePolicy(_) => "AWS::SQS::QueuePolicy",
            Properties::UsagePlan(_) => "AWS::ApiGateway::UsagePlan",
            Properties::ApiKey(_) => "AWS::ApiGateway::ApiKey",
            Properties::UsagePlanKey(_) => "AWS::ApiGateway::UsagePlanKey",
            Properties::Account(_) => "AWS::ApiGateway::Account",
            Properties::Alarm(_) | Properties::SumAlarm(_) => "AWS::CloudWatch::Alarm",
            Properties::Topic(_) => "AWS::SNS::Topic",
            Properties::Subscription(_) => "AWS::SNS::Subscription",
            Properties::ManagedPolicy(_) => "AWS::IAM::ManagedPolicy",
        }
    }
}

/// `AWS::ApiGatewayV2::Api`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Api {
    pub name: Expr,
    pub description: String,
    pub protocol_type: &'static str,
    pub route_selection_expression: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_selection_expression: Option<&'static str>,
}

/// `AWS::ApiGatewayV2::Stage`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stage {
    pub api_id: Expr,
    pub stage_name: String,
    pub description: String,
    pub auto_deploy: bool,
    pub stage_variables: IndexMap<&'static str, Expr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_route_settings: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_settings: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_log_settings: Option<Value>,
}

/// `AWS::ApiGatewayV2::Route`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    pub api_id: Expr,
    pub route_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_response_selection_expression: Option<&'static str>,
    pub target: Expr,
}

/// `AWS::ApiGatewayV2::Integration`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Integration {
    pub api_id: Expr,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub integration_type: &'static str,
    pub integration_method: &'static str,
    pub integration_uri: Expr,
    pub credentials_arn: Expr,
    pub passthrough_behavior: &'static str,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub request_parameters: IndexMap<&'static str, &'static str>,
    pub template_selection_expression: &'static str,
    pub request_templates: IndexMap<&'static str, String>,
    pub timeout_in_millis: u32,
}

/// `AWS::ApiGatewayV2::IntegrationResponse`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IntegrationResponse {
    pub api_id: Expr,
    pub integration_id: Expr,
    pub integration_response_key: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_selection_expression: Option<&'static str>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub response_templates: IndexMap<&'static str, String>,
}

/// `AWS::ApiGatewayV2::RouteResponse`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteResponse {
    pub api_id: Expr,
    pub route_id: Expr,
    pub route_response_key: &'static str,
}

/// `AWS::DynamoDB::Table`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Table {
    pub table_name: Expr,
    pub billing_mode: &'static str,
    pub attribute_definitions: Vec<Value>,
    pub key_schema: Vec<Value>,
    pub global_secondary_indexes: Vec<Value>,
    pub time_to_live_specification: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point_in_time_recovery_specification: Option<Value>,
    #[serde(rename = "SSESpecification", skip_serializing_if = "Option::is_none")]
    pub sse_specification: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection_enabled: Option<bool>,
}

/// `AWS::Events::EventBus`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventBus {
    pub name: Expr,
    pub description: String,
}

/// `AWS::Events::Rule`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rule {
    pub name: Expr,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub event_bus_name: Expr,
    pub event_pattern: Arc<Value>,
    // No `State`: a rule is enabled unless it says otherwise.
    pub targets: Vec<super::target::RuleTarget>,
}

/// `AWS::StepFunctions::StateMachine`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateMachine {
    pub state_machine_name: Expr,
    pub state_machine_type: &'static str,
    pub role_arn: Expr,
    /// The definition as minified JSON: a third of the size of the same definition as
    /// template YAML, which keeps templates within what CloudFormation accepts inline.
    pub definition_string: String,
    pub definition_substitutions: IndexMap<&'static str, Expr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracing_configuration: Option<Value>,
}

/// `AWS::IAM::Role` (no RoleName: deployable with `CAPABILITY_IAM`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub description: String,
    pub assume_role_policy_document: PolicyDocument,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed_policy_arns: Vec<Expr>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
}

/// An inline role policy.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    pub policy_name: String,
    pub policy_document: PolicyDocument,
}

/// `AWS::Logs::LogGroup` (CloudFormation names it).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogGroup {
    pub retention_in_days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<Expr>,
}

/// `AWS::SQS::Queue` (CloudFormation names it).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Queue {
    pub message_retention_period: u32,
    pub sqs_managed_sse_enabled: bool,
}

/// `AWS::SQS::QueuePolicy`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueuePolicy {
    pub queues: Vec<Expr>,
    pub policy_document: Value,
}

/// `AWS::ApiGateway::UsagePlan`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsagePlan {
    pub usage_plan_name: Expr,
    pub description: String,
    pub api_stages: Vec<ApiStage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle: Option<Value>,
}

/// One stage of a usage plan.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiStage {
    pub api_id: Expr,
    pub stage: Expr,
}

/// `AWS::ApiGateway::ApiKey`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiKey {
    pub name: Expr,
    pub enabled: bool,
}

/// `AWS::ApiGateway::UsagePlanKey`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsagePlanKey {
    pub key_id: Expr,
    pub key_type: &'static str,
    pub usage_plan_id: Expr,
}

/// `AWS::ApiGateway::Account`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account {
    pub cloud_watch_role_arn: Expr,
}

/// `AWS::CloudWatch::Alarm` on one metric.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Alarm {
    pub alarm_description: String,
    pub namespace: &'static str,
    pub metric_name: &'static str,
    pub dimensions: Vec<Dimension>,
    pub statistic: &'static str,
    pub period: u32,
    pub evaluation_periods: u32,
    pub threshold: u32,
    pub comparison_operator: &'static str,
    pub treat_missing_data: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<Expr>,
}

/// `AWS::CloudWatch::Alarm` on the sum of several metrics of one namespace and dimension (metric
/// math: `FILL(m0, 0) + FILL(m1, 0) + ...`, so that a metric without data counts as zero).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SumAlarm {
    pub alarm_description: String,
    pub metrics: Vec<MetricQuery>,
    pub evaluation_periods: u32,
    pub threshold: u32,
    pub comparison_operator: &'static str,
    pub treat_missing_data: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<Expr>,
}

/// One entry of an alarm's `Metrics`: a metric, or an expression over the others.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricQuery {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_stat: Option<MetricStat>,
    pub return_data: bool,
}

/// A metric with its period and statistic.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricStat {
    pub metric: Metric,
    pub period: u32,
    pub stat: &'static str,
}

/// A metric.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Metric {
    pub namespace: &'static str,
    pub metric_name: &'static str,
    pub dimensions: Vec<Dimension>,
}

/// A metric dimension.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimension {
    pub name: &'static str,
    pub value: Expr,
}

/// `AWS::SNS::Topic` (CloudFormation names it).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Topic {
    pub display_name: Expr,
}

/// `AWS::SNS::Subscription`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscription {
    pub topic_arn: Expr,
    pub protocol: &'static str,
    pub endpoint: String,
}

/// `AWS::IAM::ManagedPolicy` (CloudFormation names it).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPolicy {
    pub description: String,
    pub policy_document: PolicyDocument,
}
