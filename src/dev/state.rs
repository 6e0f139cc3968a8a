//! The dev server's shared state: the running stack (swapped on reload), the live
//! WebSocket clients, the connections table, throttles, undelivered work and the trace, each
//! bounded: at most `--max-connections` WebSocket connections, a bounded outgoing buffer per
//! client ([`super::outbox`]), the last [`MAX_UNDELIVERED`] undelivered-work records.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::SystemTime;

use axum::extract::ws::Utf8Bytes;
use serde_json::Value;
use tokio::sync::mpsc;

use super::outbox::{Outbox, Posted};
use super::stack::Stack;
use super::table::Table;
use super::throttle::Throttles;
use super::trace::Trace;

/// Undelivered-work records kept (the oldest go first; the trace shows every one).
pub(crate) const MAX_UNDELIVERED: usize = 1000;

/// A connected WebSocket client.
#[derive(Debug)]
pub(crate) struct Client {
    /// Frames to its socket task.
    pub outbox: Outbox,
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
    /// The `--host` given (served as a `Host` name besides the loopback names).
    pub host: String,
    /// Origins besides the console's own whose pages may use the server (`--allow-origin`),
    /// lower-case, without a trailing `/`.
    pub allowed_origins: Vec<String>,
    /// Most WebSocket connections at once (`--max-connections`).
    pub max_connections: usize,
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
    /// Records of undelivered work (the deployed stack's SQS queue): the last
    /// [`MAX_UNDELIVERED`], and how many older ones were dropped.
    undelivered: Mutex<(VecDeque<Value>, usize)>,
    /// WebSocket connections open (API clients and trace streams).
    connections: Arc<AtomicUsize>,
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
            connections: Arc::default(),
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

    /// Records undelivered work (and traces it), dropping the oldest record past
    /// [`MAX_UNDELIVERED`].
    pub(crate) fn undeliverable(&self, record: Value) {
        self.trace.emit("undelivered", record.clone());
        let mut kept = lock(&self.undelivered);
        if kept.0.len() == MAX_UNDELIVERED {
            kept.0.pop_front();
            kept.1 += 1;
        }
        kept.0.push_back(record);
    }

    /// The undelivered-work records kept, oldest first, and how many older ones were dropped.
    pub(crate) fn undelivered(&self) -> (Vec<Value>, usize) {
        let kept = lock(&self.undelivered);
        (kept.0.iter().cloned().collect(), kept.1)
    }

    /// A WebSocket connection's place, if the server holds fewer than `--max-connections`;
    /// it is given back when the [`Slot`] is dropped.
    pub(crate) fn claim_connection(&self) -> Option<Slot> {
        let max = self.settings.max_connections;
        self.connections
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(&self.connections)))
    }

    /// Puts a completed event on the stack's bus (or another bus of the account): the rules
    /// see it after the events before it.
    pub(crate) fn put_event(&self, bus: String, event: Value) {
        let _ = self.bus.send((bus, event));
    }

    /// Sends `text` to a client, as `@connections` would: queued, its buffer full (429), or
    /// gone (410).
    pub(crate) fn post(&self, id: &str, text: &Utf8Bytes) -> Posted {
        self.clients()
            .get(id)
            .map_or(Posted::Gone, |c| c.outbox.post(text))
    }
}

/// One of the `--max-connections` places, held for as long as its connection is open.
#[derive(Debug)]
pub(crate) struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
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
