//! The dev server through real clients: PutEvents and `@connections` answers as AWS gives
//! them, API Gateway's WebSocket limits and refusals, auth, throttling, reload, and the
//! commands around it (`init`, `completions`, a port in use); what a web page may do with it,
//! and its bounds.

mod harness;

mod browser;
mod commands;
mod endpoints;
mod events;
mod limits;
mod socket;
