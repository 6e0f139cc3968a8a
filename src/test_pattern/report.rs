//! What the command prints, for people or as JSON lines, and its exit codes.

use std::io::{self, BufWriter, StdoutLock, Write};

use serde_json::{json, Map, Value};

use super::explain::{Explanation, Found};

/// Every event matched (with a spec: reached some topic).
pub(super) const ALL_MATCH: u8 = 0;
/// Some event did not match (with a spec: reached no topic).
pub(super) const SOME_MISS: u8 = 1;
/// Usage error, unreadable input, invalid pattern or spec, or some invalid event.
pub(super) const INVALID: u8 = 2;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// Aligned lines for people.
    Human,
    /// One JSON object per event, then a summary object.
    Json,
}

/// Which event a line is about.
#[derive(Debug)]
pub(super) struct Label {
    /// Its position among the events, from 1.
    pub number: usize,
    /// The line it starts on.
    pub line: usize,
    /// Its `id`, when a string.
    pub id: Option<String>,
}

impl Label {
    /// `#2 (id)` or `#2`.
    fn human(&self) -> String {
        match &self.id {
            Some(id) => format!("#{} ({id})", self.number),
            None => format!("#{}", self.number),
        }
    }

    /// The JSON object's first members: `event`, `line`, `id`.
    fn json(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("event".into(), self.number.into());
        m.insert("line".into(), self.line.into());
        m.insert("id".into(), self.id.clone().into());
        m
    }
}

/// Counts of a run with one pattern.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Events read.
    pub events: usize,
    /// Events that match.
    pub matched: usize,
    /// Events that could not be read or parsed.
    pub invalid: usize,
}

/// Counts of a run through a spec.
#[derive(Debug, Default)]
pub(super) struct RouteTally {
    /// Events read.
    pub events: usize,
    /// Valid events that reach no topic.
    pub unrouted: usize,
    /// Events that could not be read or parsed.
    pub invalid: usize,
    /// Per topic (spec order): its name and how many events reach it.
    pub topics: Vec<(String, usize)>,
}

impl Tally {
    /// The exit code: invalid events first, then misses.
    pub(super) fn code(&self) -> u8 {
        exit_code(
            self.events,
            self.invalid,
            self.events - self.matched - self.invalid,
        )
    }
}

impl RouteTally {
    /// The exit code: invalid events first, then events no topic admits.
    pub(super) fn code(&self) -> u8 {
        exit_code(self.events, self.invalid, self.unrouted)
    }
}

/// 2 when nothing was read or something was invalid, else 1 when something missed, else 0.
fn exit_code(events: usize, invalid: usize, missed: usize) -> u8 {
    if events == 0 || invalid > 0 {
        INVALID
    } else if missed > 0 {
        SOME_MISS
    } else {
        ALL_MATCH
    }
}

/// Where results go: standard output, buffered, in a style (nothing when quiet). Invalid
/// events are always reported on standard error too.
pub(super) struct Out {
    /// The style.
    style: Style,
    /// Print nothing on standard output.
    quiet: bool,
    /// Standard output.
    w: BufWriter<StdoutLock<'static>>,
}

impl Out {
    /// Results in `style`, or none when `quiet`.
    pub(super) fn new(style: Style, quiet: bool) -> Out {
        Out {
            style,
            quiet,
            w: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        }
    }

    /// Writes one line (unless quiet): the JSON object, or the human text.
    fn line(
        &mut self,
        json: impl FnOnce() -> Value,
        human: impl FnOnce() -> String,
    ) -> io::Result<()> {
        match (self.quiet, self.style) {
            (true, _) => Ok(()),
            (false, Style::Json) => writeln!(self.w, "{}", json()),
            (false, Style::Human) => writeln!(self.w, "{}", human()),
        }
    }

    /// An event that could not be read or is not a JSON object.
    pub(super) fn invalid(&mut self, label: &Label, message: &str) -> io::Result<()> {
        // Flushed first, so that the error follows the lines before it.
        self.w.flush()?;
        eprintln!("error: event #{}, {message}", label.number);
        if self.style == Style::Json {
            let mut m = label.json();
            m.insert("error".into(), message.into());
            self.line(|| Value::Object(m), String::new)?;
        }
        Ok(())
    }

    /// An event that matches the pattern.
    pub(super) fn matched(&mut self, label: &Label) -> io::Result<()> {
        let json = || {
            let mut m = label.json();
            m.insert("match".into(), true.into());
            Value::Object(m)
        };
        self.line(json, || format!("match     {}", label.human()))
    }

    /// An event that does not match the pattern, and why.
    pub(super) fn missed(&mut self, label: &Label, why: &Explanation) -> io::Result<()> {
        let json = || {
            let mut m = label.json();
            m.insert("match".into(), false.into());
            m.insert("field".into(), why.field.clone().into());
            m.insert("expected".into(), why.expected.clone());
            let found = match &why.found {
                Found::Missing => "missing",
                Found::Value(_) => "different",
                Found::NoAlternative => "no-alternative",
            };
            m.insert("found".into(), found.into());
            if let Found::Value(v) = &why.found {
                m.insert("actual".into(), v.clone());
            }
            Value::Object(m)
        };
        self.line(json, || {
            format!("no-match  {}: {}", label.human(), why.human())
        })
    }

    /// The summary of a run with one pattern (for people, only with several events).
    pub(super) fn tally(&mut self, t: &Tally) -> io::Result<()> {
        let json = || {
            json!({"summary": {
                "events": t.events,
                "matched": t.matched,
                "unmatched": t.events - t.matched - t.invalid,
                "invalid": t.invalid,
            }})
        };
        if self.style == Style::Human && t.events < 2 {
            return Ok(());
        }
        let human = || {
            let mut s = format!("{} of {} events match", t.matched, t.events);
            if t.invalid > 0 {
                s.push_str(&format!(", {} invalid", t.invalid));
            }
            s
        };
        self.line(json, human)
    }

    /// Where an event goes: the topics it reaches, the routes that subscribe to them by name,
    /// and the client-pattern routes that may deliver it.
    pub(super) fn routed(
        &mut self,
        label: &Label,
        topics: &[&str],
        routes: &[&str],
        pattern_routes: &[String],
    ) -> io::Result<()> {
        let json = || {
            let mut m = label.json();
            m.insert("topics".into(), topics.into());
            m.insert("routes".into(), routes.into());
            m.insert("pattern_routes".into(), pattern_routes.into());
            Value::Object(m)
        };
        let human = || {
            if topics.is_empty() {
                return format!("{}: none", label.human());
            }
            let mut to: Vec<String> = routes.iter().map(|r| (*r).to_owned()).collect();
            to.extend(
                pattern_routes
                    .iter()
                    .map(|r| format!("{r} (client patterns)")),
            );
            let to = if to.is_empty() {
                "no route".to_owned()
            } else {
                format!("routes {}", to.join(", "))
            };
            format!("{}: topics {}; {to}", label.human(), topics.join(", "))
        };
        self.line(json, human)
    }

    /// The summary of a run through a spec: per topic, then events with no topic.
    pub(super) fn route_tally(&mut self, t: &RouteTally) -> io::Result<()> {
        let json = || {
            let topics: Map<String, Value> = t
                .topics
                .iter()
                .map(|(n, c)| (n.clone(), (*c).into()))
                .collect();
            json!({"summary": {
                "events": t.events,
                "routed": t.events - t.unrouted - t.invalid,
                "unrouted": t.unrouted,
                "invalid": t.invalid,
                "topics": topics,
            }})
        };
        let human = || {
            let mut rows: Vec<(String, usize)> = t.topics.clone();
            rows.push(("(no topic)".to_owned(), t.unrouted));
            if t.invalid > 0 {
                rows.push(("(invalid)".to_owned(), t.invalid));
            }
            let width = rows
                .iter()
                .map(|(n, _)| n.chars().count())
                .max()
                .unwrap_or(0);
            let mut s = format!("{} event{}", t.events, if t.events == 1 { "" } else { "s" });
            for (name, count) in rows {
                s.push_str(&format!("\n  {name:<width$}  {count}"));
            }
            s
        };
        self.line(json, human)
    }

    /// Flushes standard output.
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}
