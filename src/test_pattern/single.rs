//! One pattern against every event: `match` or `no-match` and why, per event.

use std::io::{self, BufRead};

use serde_json::Value;

use super::events::{id_of, Event, Events};
use super::explain::explain;
use super::report::{Label, Out, Tally};
use crate::pattern::CompiledPattern;

/// Tests every event of `input` against `pattern`; the tally, or a failure to read or write.
pub(super) fn run(
    pattern: &Value,
    compiled: &CompiledPattern,
    input: impl BufRead,
    out: &mut Out,
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    for event in Events::new(input) {
        let event = event?;
        tally.events += 1;
        match parse(&event) {
            Err(message) => {
                tally.invalid += 1;
                let label = Label {
                    number: event.number,
                    line: event.line,
                    id: None,
                };
                out.invalid(&label, &message)?;
            }
            Ok(value) => {
                let label = Label {
                    number: event.number,
                    line: event.line,
                    id: event.text.as_deref().ok().and_then(id_of),
                };
                match compiled.explain(&value) {
                    None => {
                        tally.matched += 1;
                        out.matched(&label)?;
                    }
                    Some(path) => out.missed(&label, &explain(pattern, &path, &value))?,
                }
            }
        }
    }
    Ok(tally)
}

/// The event as a JSON object, or why it is not one (placed in the input).
fn parse(event: &Event) -> Result<Value, String> {
    let text = event.text.as_deref().map_err(|e| event.locate(e))?;
    match serde_json::from_slice::<Value>(text) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(event.locate("an event must be a JSON object")),
        Err(e) => Err(event.locate(&e.to_string())),
    }
}
