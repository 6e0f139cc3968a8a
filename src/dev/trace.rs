//! The trace: one record per happening (a connection, a routed message, a reply, an event
//! matched and delivered, a 410 clean-up...), printed one line each (human text or JSON
//! lines) and streamed to the console page and test drivers over `/@dev/trace`.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde_json::{Map, Value};
use tokio::sync::broadcast;

use super::clock;

/// How trace lines are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// `12:00:00.123 delivered   event=… topic=orders count=2`.
    Human,
    /// One JSON object per line.
    Json,
}

/// Records kept for clients of `/@dev/trace` that connect late.
const HISTORY: usize = 500;

/// The trace: printer, history and live stream.
#[derive(Debug)]
pub(crate) struct Trace {
    format: LogFormat,
    seq: AtomicU64,
    history: Mutex<VecDeque<Arc<str>>>,
    live: broadcast::Sender<Arc<str>>,
}

impl Trace {
    /// A trace printing in `format`.
    pub(crate) fn new(format: LogFormat) -> Self {
        Trace {
            format,
            seq: AtomicU64::new(0),
            history: Mutex::new(VecDeque::with_capacity(HISTORY)),
            live: broadcast::channel(4096).0,
        }
    }

    /// Records a happening of `kind` with `fields` (a JSON object).
    pub(crate) fn emit(&self, kind: &str, fields: Value) {
        let now = SystemTime::now();
        let mut record = Map::new();
        record.insert(
            "seq".into(),
            self.seq.fetch_add(1, Ordering::Relaxed).into(),
        );
        record.insert("time".into(), clock::millis(now).into());
        record.insert("kind".into(), kind.into());
        if let Value::Object(f) = fields {
            record.extend(f);
        }
        let json: Arc<str> = Value::Object(record).to_string().into();
        let line = match self.format {
            LogFormat::Json => json.to_string(),
            LogFormat::Human => human(now, kind, &json),
        };
        // The history lock also orders the printed lines and the stream.
        let mut history = self
            .history
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = writeln!(std::io::stdout().lock(), "{line}");
        if history.len() == HISTORY {
            history.pop_front();
        }
        history.push_back(Arc::clone(&json));
        let _ = self.live.send(json);
    }

    /// The recent records and a receiver of the ones to come, with nothing lost in between.
    pub(crate) fn subscribe(&self) -> (Vec<Arc<str>>, broadcast::Receiver<Arc<str>>) {
        let history = self
            .history
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (history.iter().cloned().collect(), self.live.subscribe())
    }
}

/// `HH:MM:SS.mmm kind  key=value ...`: the record's fields in order, strings unquoted when
/// plain, long values shortened.
fn human(now: SystemTime, kind: &str, json: &str) -> String {
    let mut line = format!("{} {kind:<12}", clock::time_of_day(now));
    if let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(json) {
        for (k, v) in fields.iter().skip(3) {
            let text = match v {
                Value::String(s) if !s.is_empty() && !s.contains([' ', '"']) => s.clone(),
                other => other.to_string(),
            };
            line.push(' ');
            line.push_str(k);
            line.push('=');
            // What is wrong and how to fix it is written for people: never cut.
            if matches!(k.as_str(), "detail" | "help" | "reason") {
                line.push_str(&text);
            } else {
                line.push_str(&shorten(&text, 160));
            }
        }
    }
    line
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_are_numbered_kept_and_streamed() {
        let t = Trace::new(LogFormat::Json);
        t.emit("connect", json!({"connectionId": "A="}));
        let (history, mut live) = t.subscribe();
        assert_eq!(history.len(), 1);
        t.emit("done", json!({"connectionId": "A="}));
        let next: Value = serde_json::from_str(&live.try_recv().unwrap()).unwrap();
        assert_eq!(next["seq"], 1);
        assert_eq!(next["kind"], "done");
        let line = human(
            SystemTime::UNIX_EPOCH,
            "refused",
            r#"{"seq":1,"time":"t","kind":"refused","code":"Too Many Requests","route":"sub"}"#,
        );
        assert_eq!(
            line,
            r#"00:00:00.000 refused      code="Too Many Requests" route=sub"#
        );
    }
}
