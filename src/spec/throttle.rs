//! `throttling` settings (stage, route, usage plan).

use serde::Deserialize;

/// Rate (requests/second) and burst.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Throttle {
    /// Steady-state requests per second.
    pub rate: f64,
    /// Burst capacity.
    pub burst: u32,
}
