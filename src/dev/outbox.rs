//! A client's outgoing buffer, bounded as API Gateway bounds it: what the stack posts to a
//! connection waits here until its socket task has written it, and a post that would take the
//! buffer past [`CAPACITY`] is refused the way `@connections` refuses it, with 429
//! `LimitExceededException`: "The client is sending more than the allowed number of requests
//! per unit of time or the WebSocket client side buffer is full" (the API's service model,
//! `apigatewaymanagementapi` 2018-11-29, where the error is HTTP 429; also
//! <https://docs.aws.amazon.com/botocore/latest/reference/services/apigatewaymanagementapi/client/exceptions/LimitExceededException.html>).
//! The message is not delivered and the connection stays open (the deployed deliverers retry
//! a 429, then record `post-failed`), so a client that stops reading costs the server at most
//! [`CAPACITY`] bytes however much is posted to it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc;

/// Bytes of text a client may have waiting (posted, not yet written to its socket): eight
/// messages of API Gateway's largest size, 128 KB.
pub(crate) const CAPACITY: usize = 8 * 128 * 1024;

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

/// The answer to a post, as `@connections` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Posted {
    /// Queued for the client (200).
    Sent,
    /// The client's buffer is full: not delivered (429 `LimitExceededException`).
    Full,
    /// The connection is gone (410 `GoneException`).
    Gone,
}

/// The posting side, held in the client table.
#[derive(Debug)]
pub(crate) struct Outbox {
    tx: mpsc::UnboundedSender<Outgoing>,
    queued: Arc<AtomicUsize>,
}

/// The socket task's side.
#[derive(Debug)]
pub(crate) struct Inbox {
    rx: mpsc::UnboundedReceiver<Outgoing>,
    queued: Arc<AtomicUsize>,
}

/// A connected pair.
pub(crate) fn outbox() -> (Outbox, Inbox) {
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    (
        Outbox {
            tx,
            queued: Arc::clone(&queued),
        },
        Inbox { rx, queued },
    )
}

impl Outbox {
    /// Queues `text` unless that would take the buffer past [`CAPACITY`].
    pub(crate) fn post(&self, text: &Utf8Bytes) -> Posted {
        let len = text.len();
        let fits = self
            .queued
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |q| {
                (q + len <= CAPACITY).then_some(q + len)
            });
        if fits.is_err() {
            return Posted::Full;
        }
        if self.tx.send(Outgoing::Text(text.clone())).is_ok() {
            Posted::Sent
        } else {
            self.queued.fetch_sub(len, Ordering::AcqRel);
            Posted::Gone
        }
    }

    /// Tells the socket task to close or vanish (never refused for a full buffer); false when
    /// it is gone.
    pub(crate) fn control(&self, what: Outgoing) -> bool {
        self.tx.send(what).is_ok()
    }
}

impl Inbox {
    /// The next thing to do; `None` when every [`Outbox`] is gone.
    pub(crate) async fn recv(&mut self) -> Option<Outgoing> {
        self.rx.recv().await
    }

    /// `text` has left the buffer (written to the socket, or dropped with it).
    pub(crate) fn written(&self, text: &Utf8Bytes) {
        self.queued.fetch_sub(text.len(), Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_buffer_refuses_until_the_socket_writes() {
        let (out, mut inbox) = outbox();
        let big = Utf8Bytes::from("x".repeat(128 * 1024));
        for _ in 0..8 {
            assert_eq!(out.post(&big), Posted::Sent);
        }
        assert_eq!(out.post(&big), Posted::Full);
        assert_eq!(out.post(&Utf8Bytes::from("y")), Posted::Full);
        assert!(
            out.control(Outgoing::Close(1000, "")),
            "control is never full"
        );
        let first = match inbox.rx.try_recv() {
            Ok(Outgoing::Text(t)) => t,
            other => panic!("{other:?}"),
        };
        inbox.written(&first);
        assert_eq!(out.post(&big), Posted::Sent);
        let (out, inbox) = outbox();
        drop(inbox);
        assert_eq!(out.post(&Utf8Bytes::from("z")), Posted::Gone);
        assert_eq!(out.queued.load(Ordering::Acquire), 0);
    }
}
