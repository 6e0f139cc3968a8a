//! The WebSocket API: `$connect` on upgrade (stage, throttling, SigV4 and API key checks as
//! API Gateway makes them), then one task per client reading its frames and writing what
//! the stack sends it, with API Gateway's limits: 128 KB messages and 32 KB frames (close
//! 1009), no binary frames (close 1003), 10 minutes idle and 2 hours in all (close 1001).
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html>

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use tokio::time::{sleep_until, Instant};

use super::actions;
use super::ids;
use super::outbox::{outbox, Outgoing};
use super::sigv4;
use super::state::{Client, Dev, Slot};
use crate::model::protocol::{MAX_FRAME_BYTES, MAX_MESSAGE_BYTES};

/// API Gateway closes idle connections after 10 minutes.
const IDLE: Duration = Duration::from_secs(600);
/// And every connection after 2 hours.
const LIFETIME: Duration = Duration::from_secs(crate::model::protocol::MAX_CONNECTION_SECONDS);

/// `GET /<stage>` with an upgrade: `$connect`.
pub(crate) async fn upgrade(
    State(dev): State<Arc<Dev>>,
    Path(stage): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    uri: Uri,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) if stage == dev.stack().model.stage => ws,
        // API Gateway: a path that is not the stage is Forbidden; the stage without an
        // upgrade asks for one.
        wrong => {
            let (status, message) = if wrong.is_ok() || stage != dev.stack().model.stage {
                (StatusCode::FORBIDDEN, "Forbidden")
            } else {
                (StatusCode::UPGRADE_REQUIRED, "Upgrade Required")
            };
            dev.trace.emit(
                "http",
                json!({ "method": "GET", "path": uri.path(), "status": status.as_u16() }),
            );
            return (status, Json(json!({ "message": message }))).into_response();
        }
    };
    let slot = match admit(&dev, &stage, &uri, &headers) {
        Ok(slot) => slot,
        Err(r) => {
            let mut record = json!({ "status": r.status.as_u16(), "reason": r.message, "sourceIp": peer.ip().to_string() });
            if let Some(detail) = r.detail {
                record["detail"] = json!(detail);
            }
            if let Some(help) = r.help {
                record["help"] = json!(help);
            }
            dev.trace.emit("connect-refused", record);
            return (r.status, Json(json!({ "message": r.message }))).into_response();
        }
    };
    let user_agent = header(&headers, "user-agent").unwrap_or_default();
    ws.max_frame_size(MAX_FRAME_BYTES as usize)
        .max_message_size(MAX_MESSAGE_BYTES as usize)
        .on_upgrade(move |socket| serve(dev, socket, peer.ip().to_string(), user_agent, slot))
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Why an upgrade is refused: the status and API Gateway's message (the response), and for
/// the trace what exactly is wrong and how to put it right.
struct Refusal {
    status: StatusCode,
    message: &'static str,
    detail: Option<String>,
    help: Option<String>,
}

impl Refusal {
    fn new(status: StatusCode, message: &'static str) -> Self {
        Refusal {
            status,
            message,
            detail: None,
            help: None,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// API Gateway's checks before `$connect` runs, after the dev server's own bound on
/// connections.
fn admit(dev: &Dev, stage: &str, uri: &Uri, headers: &HeaderMap) -> Result<Slot, Refusal> {
    let stack = dev.stack();
    if stage != stack.model.stage {
        return Err(Refusal::new(StatusCode::FORBIDDEN, "Forbidden"));
    }
    let Some(slot) = dev.claim_connection() else {
        return Err(
            Refusal::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").detail(format!(
                "the dev server holds at most {} connections (--max-connections)",
                dev.settings.max_connections
            )),
        );
    };
    if !dev.admit("$connect") {
        return Err(Refusal::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
        ));
    }
    if stack.needs_signature() {
        let lookup = |name: &str| header(headers, name);
        let secret = dev
            .settings
            .credentials
            .as_ref()
            .map(|(k, s)| (k.as_str(), s.as_str()));
        sigv4::check(
            uri.query().unwrap_or_default(),
            &lookup,
            uri.path(),
            &dev.settings.region,
            secret,
        )
        .map_err(|r| {
            let refusal = Refusal::new(StatusCode::FORBIDDEN, r.message)
                .detail(format!("api.auth is iam: {}", r.detail));
            let verified = dev.settings.credentials.as_ref().map(|(key, _)| key);
            match (r.detail, verified) {
                (sigv4::UNSIGNED, _) => refusal.help(sign_help(dev)),
                (_, Some(key)) if r.message.starts_with("The ") => refusal.help(format!(
                    "this server verifies signatures with the credentials it was started with: sign with AWS_ACCESS_KEY_ID={key} and its secret"
                )),
                _ => refusal,
            }
        })?;
    }
    if let Some(keys) = stack.api_keys() {
        let given = header(headers, "x-api-key");
        if !given.as_ref().is_some_and(|k| keys.contains(k)) {
            let detail = match given {
                None => "api.api_key is required: the request has no x-api-key header".to_owned(),
                Some(k) => {
                    format!("api.api_key is required: `{k}` is not a key of api.usage_plan.keys")
                }
            };
            return Err(Refusal::new(StatusCode::FORBIDDEN, "Forbidden")
                .detail(detail)
                .help(format!(
                    "send one of {} in the x-api-key header",
                    keys.join(", ")
                )));
        }
    }
    Ok(slot)
}

/// How to connect with a signature, to this server.
fn sign_help(dev: &Dev) -> String {
    let url = super::urls(dev)["websocket"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    format!(
        "presign the URL with SigV4 for execute-api in {}, e.g. AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x python3 examples/clients/python/signed_client.py {url} (see examples/clients/README.md)",
        dev.settings.region
    )
}

/// How a client's connection ended.
enum Ending {
    /// Closed (by either side, or the network); `$disconnect` runs.
    Closed(Option<u16>, String),
    /// Vanished (the stale hook): no `$disconnect`.
    Vanished,
}

/// One client's connection, from `$connect` to `$disconnect`.
async fn serve(
    dev: Arc<Dev>,
    mut socket: WebSocket,
    source_ip: String,
    user_agent: String,
    slot: Slot,
) {
    let id = ids::connection_id();
    let (outbox, mut inbox) = outbox();
    let now = SystemTime::now();
    dev.clients().insert(
        id.clone(),
        Client {
            outbox,
            connected_at: now,
            last_active: now,
            source_ip: source_ip.clone(),
            user_agent,
        },
    );
    actions::connect(&dev, &id, &source_ip);
    let end_of_life = Instant::now() + LIFETIME;
    let mut idle_until = Instant::now() + IDLE;
    let ending = loop {
        tokio::select! {
            incoming = socket.recv() => {
                idle_until = Instant::now() + IDLE;
                if let Some(c) = dev.clients().get_mut(&id) {
                    c.last_active = SystemTime::now();
                }
                match incoming {
                    Some(Ok(Message::Text(text))) => actions::message(&dev, &id, text.as_str()),
                    Some(Ok(Message::Binary(_))) => break close(&mut socket, 1003, "Binary frames are not supported").await,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(frame))) => break Ending::Closed(frame.map(|f| f.code), "client closed".into()),
                    Some(Err(e)) => break match refusal(e) {
                        Some((code, reason)) => close(&mut socket, code, reason).await,
                        None => Ending::Closed(None, "connection lost".into()),
                    },
                    None => break Ending::Closed(None, "connection lost".into()),
                }
            }
            out = inbox.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    let sent = socket.send(Message::Text(text.clone())).await;
                    inbox.written(&text);
                    if sent.is_err() {
                        break Ending::Closed(None, "connection lost".into());
                    }
                }
                Some(Outgoing::Close(code, reason)) => break close(&mut socket, code, reason).await,
                Some(Outgoing::Vanish) | None => break Ending::Vanished,
            },
            () = sleep_until(idle_until.min(end_of_life)) => break close(&mut socket, 1001, "Going away").await,
        }
    };
    // The place is free before the trace says the client left.
    drop(slot);
    match ending {
        Ending::Closed(code, reason) => actions::disconnect(&dev, &id, code, &reason),
        Ending::Vanished => {}
    }
}

/// Sends a close frame (best effort) and reports the ending.
async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) -> Ending {
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
    Ending::Closed(Some(code), reason.to_owned())
}

/// The close code and reason for a read that failed on what the client sent: over the
/// limits (1009), text that is not UTF-8 (1007), a frame breaking the protocol (1002);
/// `None` when the connection itself failed, a client gone without a close frame included
/// (tungstenite reports that as a protocol error, but the client sent nothing wrong).
fn refusal(e: axum::Error) -> Option<(u16, &'static str)> {
    use tungstenite::error::ProtocolError;
    match e.into_inner().downcast::<tungstenite::Error>().map(|e| *e) {
        Ok(tungstenite::Error::Capacity(_)) => Some((1009, "Message too big")),
        Ok(tungstenite::Error::Utf8(_)) => Some((1007, "Invalid frame payload data")),
        Ok(tungstenite::Error::Protocol(ProtocolError::ResetWithoutClosingHandshake)) => None,
        Ok(tungstenite::Error::Protocol(_)) => Some((1002, "Protocol error")),
        _ => None,
    }
}
