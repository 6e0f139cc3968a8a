//! What the stack's resources embed, produced by the flows and the mapping templates.

use super::mapping::RouteMappings;

/// The two delivery state machines (compact JSON definitions).
#[derive(Clone, Copy)]
pub struct DeliveryParts<'a> {
    /// The pager each rule starts.
    pub pager: &'a str,
    /// The deliverer the pager starts per page.
    pub deliverer: &'a str,
}

/// Everything the template embeds, produced by the other emitters.
pub struct Parts<'a> {
    /// Connections state machine definition (compact JSON), if any route needs it.
    pub connections: Option<&'a str>,
    /// Delivery state machines, if any rule exists.
    pub delivery: Option<DeliveryParts<'a>>,
    /// Mapping templates per route, in route order.
    pub mappings: &'a [RouteMappings],
}
