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

/// `api.throttling`: limits, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub(crate) enum StageThrottling {
    /// Explicit limits.
    Limits(Throttle),
    /// No stage throttling (`off`).
    Off(Off),
}

/// The word `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub(crate) enum Off {
    /// `off`.
    #[serde(rename = "off")]
    Off,
}
