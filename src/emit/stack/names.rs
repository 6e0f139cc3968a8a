//! Names and ARNs of the stack's own resources, as CloudFormation expressions: what
//! policies, definitions and outputs refer to.

use crate::emit::flows::tasks::TOPIC_INDEX;
use crate::emit::ir::expr::{get_att, lit, r#ref, sub, Expr};
use crate::model::{Bus, Model};

/// The template parameter every physical name starts with (default: the spec's name), so one
/// template deploys many times into one account and region.
pub const NAME_PREFIX: &str = "NamePrefix";

/// A physical name: the name prefix followed by `suffix` (`-connections`, `.patterns`).
pub fn physical(suffix: &str) -> Expr {
    sub(["${", NAME_PREFIX, "}", suffix].concat())
}

/// The longest name prefix that keeps every derived name within its AWS limit: rule names
/// (64), state machine names (80), and the spec name's own limit (40).
pub fn name_prefix_max_length(model: &Model) -> usize {
    let rules = model
        .rules
        .iter()
        .map(|r| 64 - r.name_suffix.len())
        .min()
        .unwrap_or(usize::MAX);
    let machines = 80 - "-connections".len();
    rules.min(machines).min(40)
}

/// The API's host name.
pub const ENDPOINT: &str = "${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}";

/// The bus, by name (what rules and PutEvents take).
pub fn bus_name(model: &Model) -> Expr {
    match &model.bus {
        Bus::Created(_) => r#ref("Bus"),
        Bus::Existing(name) => lit(name.clone()),
    }
}

/// The bus, by ARN (what IAM takes).
pub fn bus_arn(model: &Model) -> Expr {
    match &model.bus {
        Bus::Created(_) => get_att("Bus", "Arn"),
        Bus::Existing(e) if e.starts_with("arn:") => lit(e.clone()),
        Bus::Existing(name) => sub(format!(
            "arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{name}"
        )),
    }
}

/// The table's ARN.
pub fn table_arn() -> Expr {
    get_att("ConnectionsTable", "Arn")
}

/// The topic index's ARN.
pub fn topic_index_arn() -> Expr {
    sub(format!("${{ConnectionsTable.Arn}}/index/{TOPIC_INDEX}"))
}

/// `POST @connections/*` on this API and stage: what posting to a client needs.
/// (`{connectionId}` literally, as in the reference app, matches nothing.)
pub fn manage_connections_arn(stage: &str) -> Expr {
    sub(format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/{stage}/POST/@connections/*"))
}

/// A customer managed key's ARN: a key ID becomes an ARN in the stack's partition, region
/// and account; an ARN is used as written.
pub fn kms_key_arn(key: &str) -> Expr {
    if key.starts_with("arn:") {
        lit(key)
    } else {
        sub(format!(
            "arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:key/{key}"
        ))
    }
}

/// A state machine of this stack by its name (`<name>-<suffix>`): for policies that cannot
/// `Ref` the machine without a circular dependency.
pub fn machine_arn(suffix: &str) -> Expr {
    sub(format!(
        "arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:${{{NAME_PREFIX}}}-{suffix}"
    ))
}
