//! EventBridge's `PutEvents` (AWS JSON 1.1: `POST /`, `X-Amz-Target: AWSEvents.PutEvents`),
//! so `aws events put-events --endpoint-url` and every SDK work unchanged. Entries are checked
//! and completed the way EventBridge does it, then put on the bus for the rules.
//!
//! Where each answer comes from:
//! * request limits (1 to 10 entries, 256 KB in all) and the per-entry checks: the
//!   [PutEvents API reference](https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html)
//!   and [entry size](https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html);
//!   the exact messages as moto's and LocalStack's tests record them from AWS
//!   (`Parameter Source is not valid. Reason: Source is a required argument.`,
//!   `Detail is malformed.`, `Total size of the entries in the request is over the limit.`);
//! * `aws.` sources are EventBridge's own: `NotAuthorizedForSourceException`.

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use super::clock;
use super::ids;
use super::state::Dev;

/// Most entries in one call.
const MAX_ENTRIES: usize = 10;
/// Most bytes of all entries of one call.
const MAX_REQUEST_BYTES: usize = 262_144;
/// What an entry's `Time` counts towards the size.
const TIME_BYTES: usize = 14;

/// One `PutEventsRequestEntry`.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    /// `Source`.
    pub source: Option<String>,
    /// `DetailType`.
    pub detail_type: Option<String>,
    /// `Detail` (JSON text).
    pub detail: Option<String>,
    /// `EventBusName` (name or ARN).
    pub bus: Option<String>,
    /// `Resources`.
    pub resources: Vec<String>,
    /// `Time`.
    pub time: Option<SystemTime>,
}

/// A request-level failure: HTTP 400 with this `__type` and message.
#[derive(Debug)]
pub(crate) struct PutError {
    /// `__type`.
    pub kind: &'static str,
    /// `message`.
    pub message: String,
}

fn validation(message: impl Into<String>) -> PutError {
    PutError {
        kind: "ValidationException",
        message: message.into(),
    }
}

fn serialization(message: impl Into<String>) -> PutError {
    PutError {
        kind: "SerializationException",
        message: message.into(),
    }
}

/// Parses a PutEvents request body.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<Entry>, PutError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| serialization(format!("Unable to parse the request body as JSON: {e}")))?;
    let Some(request) = value.as_object() else {
        return Err(serialization("The request body must be a JSON object"));
    };
    let entries = match request.get("Entries") {
        None | Some(Value::Null) => {
            return Err(validation(
                "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
            ))
        }
        Some(Value::Array(list)) => list,
        Some(_) => return Err(serialization("Entries must be a list")),
    };
    entries.iter().map(entry).collect()
}

fn entry(v: &Value) -> Result<Entry, PutError> {
    let Some(o) = v.as_object() else {
        return Err(serialization("Each entry must be an object"));
    };
    let text = |k: &str| -> Result<Option<String>, PutError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(serialization(format!("{k} must be a string"))),
        }
    };
    let resources = match o.get("Resources") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|r| {
                r.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| serialization("Resources must be strings"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(serialization("Resources must be a list")),
    };
    let time = match o.get("Time") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_f64()
                .and_then(clock::from_epoch)
                .ok_or_else(|| serialization("Time is out of range"))?,
        ),
        Some(_) => return Err(serialization("Time must be a timestamp (epoch seconds)")),
    };
    Ok(Entry {
        source: text("Source")?,
        detail_type: text("DetailType")?,
        detail: text("Detail")?,
        bus: text("EventBusName")?,
        resources,
        time,
    })
}

/// Entry size as EventBridge counts it.
fn size(e: &Entry) -> usize {
    let s = |t: &Option<String>| t.as_ref().map_or(0, String::len);
    usize::from(e.time.is_some()) * TIME_BYTES
        + s(&e.source)
        + s(&e.detail_type)
        + s(&e.detail)
        + e.resources.iter().map(String::len).sum::<usize>()
}

/// PutEvents: the response body, or a request-level error. Accepted events go on their bus.
pub(crate) fn put(dev: &Dev, entries: Vec<Entry>) -> Result<Value, PutError> {
    if entries.is_empty() {
        return Err(validation("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }
    if entries.len() > MAX_ENTRIES {
        return Err(validation("1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"));
    }
    if entries.iter().map(size).sum::<usize>() > MAX_REQUEST_BYTES {
        return Err(validation(
            "Total size of the entries in the request is over the limit.",
        ));
    }
    let mut failed = 0;
    let results: Vec<Value> = entries
        .into_iter()
        .map(|e| match accept(dev, e) {
            Ok(id) => json!({ "EventId": id }),
            Err((code, message)) => {
                failed += 1;
                json!({ "ErrorCode": code, "ErrorMessage": message })
            }
        })
        .collect();
    Ok(json!({ "FailedEntryCount": failed, "Entries": results }))
}

/// Checks one entry and puts its event on the bus; returns the event id.
fn accept(dev: &Dev, e: Entry) -> Result<String, (&'static str, String)> {
    let required = |field: &str| {
        (
            "InvalidArgument",
            format!("Parameter {field} is not valid. Reason: {field} is a required argument."),
        )
    };
    let source = e
        .source
        .filter(|s| !s.is_empty())
        .ok_or_else(|| required("Source"))?;
    let detail_type = e
        .detail_type
        .filter(|s| !s.is_empty())
        .ok_or_else(|| required("DetailType"))?;
    let detail = e
        .detail
        .filter(|s| !s.is_empty())
        .ok_or_else(|| required("Detail"))?;
    let Ok(Value::Object(detail)) = serde_json::from_str::<Value>(&detail) else {
        return Err(("MalformedDetail", "Detail is malformed.".into()));
    };
    if source.starts_with("aws.") {
        return Err((
            "NotAuthorizedForSourceException",
            "Not authorized for the source.".into(),
        ));
    }
    let stack = dev.stack();
    let bus = e
        .bus
        .as_deref()
        .map_or("default", |b| b.rsplit('/').next().unwrap_or(b))
        .to_owned();
    if bus != "default" && bus != stack.bus {
        return Err((
            "ResourceNotFoundException",
            format!("Event bus {bus} does not exist."),
        ));
    }
    let id = ids::event_id();
    let mut event = Map::new();
    event.insert("version".into(), "0".into());
    event.insert("id".into(), id.clone().into());
    event.insert("detail-type".into(), detail_type.clone().into());
    event.insert("source".into(), source.clone().into());
    event.insert("account".into(), dev.settings.account.clone().into());
    event.insert(
        "time".into(),
        clock::seconds(e.time.unwrap_or_else(SystemTime::now)).into(),
    );
    event.insert("region".into(), dev.settings.region.clone().into());
    event.insert("resources".into(), e.resources.into());
    event.insert("detail".into(), Value::Object(detail));
    dev.trace.emit(
        "event",
        json!({ "eventId": id, "source": source, "detailType": detail_type, "bus": bus }),
    );
    dev.put_event(bus, Value::Object(event));
    Ok(id)
}
