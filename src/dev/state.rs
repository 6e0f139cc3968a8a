//! The dev server's shared state: the running stack (swapped on reload), the live
//! WebSocket clients, the connections table, throttles, undelivered work and the trace.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::SystemTime;

use axum::extract::ws::Utf8Bytes;
use serde_json::Value;
use tokio::sync::mpsc;

use super::stack::Stack;
use super::table::Table;
use super::throttle::Throttles;
use super::trace::Trace;

/// What a client's socket task is told to do.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// Send a text frame (shared, not copied, between the clients an event reaches).
    Text(Utf8Bytes),
    /// Send a close frame with this code and reason, then end.
    Close(u16, &'static str),
    /// Drop the connection without a close frame and without `$disconnect` (a client that
    /// vanished; the `/@dev/connections/{id}/stale` hook).
    Vanish,
}

/// A connected WebSocket client.
#[derive(Debug)]
pub(crate) struct Client {
    /// Frames to its socket task.
    pub tx: mpsc::UnboundedSender<Outgoing>,
    /// When it connected.
    pub connected_at: SystemTime,
    /// When it last sent a frame.
    pub last_active: SystemTime,
    /// The upgrade request's peer address.
    pub source_ip: String,
    /// The upgrade request's `User-Agent`.
    pub user_agent: String,
}

/// Fixed settings of a dev server.
#[derive(Debug)]
pub(crate) struct Settings {
    /// The spec file served.
    pub spec: PathBuf,
    /// The address listened on.
    pub addr: SocketAddr,
    /// Region of event ARNs and signatures.
    pub region: String,
    /// Account id of events.
    pub account: String,
    /// Credentials signatures are verified against, if given: (access key id, secret).
    pub credentials: Option<(String, String)>,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Dev {
    /// Fixed settings.
    pub settings: Settings,
    /// The running stack.
    stack: RwLock<Arc<Stack>>,
    /// Live clients by connection id.
    clients: Mutex<HashMap<String, Client>>,
    /// The connections table.
    table: Mutex<Table>,
    /// Throttling buckets of the running stack.
    throttles: Mutex<Throttles>,
    /// Records of undelivered work (the deployed stack's SQS queue).
    undelivered: Mutex<Vec<Value>>,
    /// Events on their way to the rules (the delivery task reads them in order).
    bus: mpsc::UnboundedSender<(String, Value)>,
    /// The trace.
    pub trace: Trace,
}

/// Locks `m`, recovering from a panicked holder (state stays usable; nothing here leaves a
/// half-done invariant across a panic point).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Dev {
    /// State for `stack`.
    pub(crate) fn new(
        settings: Settings,
        stack: Stack,
        trace: Trace,
        bus: mpsc::UnboundedSender<(String, Value)>,
    ) -> Self {
        let throttles = throttles_of(&stack);
        Dev {
            settings,
            stack: RwLock::new(Arc::new(stack)),
            clients: Mutex::default(),
            table: Mutex::default(),
            throttles: Mutex::new(throttles),
            undelivered: Mutex::default(),
            bus,
            trace,
        }
    }

    /// The running stack.
    pub(crate) fn stack(&self) -> Arc<Stack> {
        Arc::clone(
            &self
                .stack
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Runs `stack` from now on; returns how many subscription records it dropped (topics
    /// or pattern routes it no longer has).
    pub(crate) fn replace_stack(&self, stack: Stack) -> usize {
        let (topics, patterns) = stack.subscribable();
        let dropped = self.table().retain(&topics, patterns);
        *lock(&self.throttles) = throttles_of(&stack);
        *self
            .stack
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(stack);
        dropped
    }

    /// The live clients.
    pub(crate) fn clients(&self) -> MutexGuard<'_, HashMap<String, Client>> {
        lock(&self.clients)
    }

    /// The connections table.
    pub(crate) fn table(&self) -> MutexGuard<'_, Table> {
        lock(&self.table)
    }

    /// Whether a request on `route` passes throttling.
    pub(crate) fn admit(&self, route: &str) -> bool {
        lock(&self.throttles).admit(route)
    }

    /// Records undelivered work (and traces it).
    pub(crate) fn undeliverable(&self, record: Value) {
        self.trace.emit("undelivered", record.clone());
        lock(&self.undelivered).push(record);
    }

    /// The undelivered-work records so far.
    pub(crate) fn undelivered(&self) -> Vec<Value> {
        lock(&self.undelivered).clone()
    }

    /// Puts a completed event on the stack's bus (or another bus of the account): the rules
    /// see it after the events before it.
    pub(crate) fn put_event(&self, bus: String, event: Value) {
        let _ = self.bus.send((bus, event));
    }

    /// Sends `text` to a live client: false when it is gone (what `@connections` answers
    /// with 410).
    pub(crate) fn post(&self, id: &str, text: &Utf8Bytes) -> bool {
        self.clients()
            .get(id)
            .is_some_and(|c| c.tx.send(Outgoing::Text(text.clone())).is_ok())
    }
}

fn throttles_of(stack: &Stack) -> Throttles {
    Throttles::new(
        stack.model.access.throttling,
        stack
            .model
            .routes
            .iter()
            .map(|r| (r.key.as_str(), r.throttling)),
    )
}
