//! What the stack's resources embed, produced by the flows and the mapping templates.

use serde_json::Value;

use super::mapping::RouteMappings;

/// Everything the template embeds, produced by the other emitters.
pub struct Parts<'a> {
    /// Connections state machine definition, if any route needs it.
    pub connections: Option<&'a Value>,
    /// Delivery state machine definition, if any rule exists.
    pub delivery: Option<&'a Value>,
    /// Mapping templates per route, in route order.
    pub mappings: &'a [RouteMappings],
}
