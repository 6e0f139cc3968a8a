//! The events reader: splits a stream into events, one at a time, in constant memory.
//!
//! The input's first non-blank byte decides its form:
//! * `[`: a JSON array of events, split at its top-level commas;
//! * otherwise, when the first non-blank line is a whole JSON value (its brackets balance),
//!   JSON lines: every non-blank line is one event, whatever it holds;
//! * otherwise (a pretty-printed event), a sequence of JSON values, each ending where its
//!   brackets close.
//!
//! Only one event is held at a time, and none may exceed [`MAX_EVENT_BYTES`]. The events are
//! returned as text, unparsed: the matcher parses them.

use std::io::{self, BufRead};

mod locate;

/// The largest event read (EventBridge's own limit is 256 KiB).
pub(super) const MAX_EVENT_BYTES: usize = 1 << 20;

/// One event of the input.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Event {
    /// Its position among the events, from 1.
    pub number: usize,
    /// The line it starts on, from 1.
    pub line: usize,
    /// The column (byte, from 1) it starts at.
    pub column: usize,
    /// Its JSON text, or why it could not be read.
    pub text: Result<Vec<u8>, String>,
}

/// What the reader is splitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// Not known yet: before the first event.
    Unknown,
    /// One event per line.
    Lines,
    /// JSON values one after the other.
    Values,
    /// The elements of a JSON array.
    Array,
    /// Nothing more to read.
    Done,
}

/// Bracket depth of the JSON text read so far, strings skipped.
#[derive(Clone, Copy, Debug, Default)]
struct Depth {
    /// Open `{` and `[`.
    open: usize,
    /// Inside a string.
    string: bool,
    /// Right after a backslash in a string.
    escaped: bool,
}

impl Depth {
    /// Takes one byte into account.
    fn feed(&mut self, b: u8) {
        if self.string {
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.string = false,
                _ => {}
            }
            return;
        }
        match b {
            b'"' => self.string = true,
            b'{' | b'[' => self.open += 1,
            b'}' | b']' => self.open = self.open.saturating_sub(1),
            _ => {}
        }
    }

    /// Whether the text read is a whole value (or a scalar's pieces).
    fn closed(self) -> bool {
        self.open == 0 && !self.string
    }
}

/// Reads events from a buffered input; an iterator of [`Event`].
pub(super) struct Events<R> {
    /// The input.
    input: R,
    /// Its form, once known.
    form: Form,
    /// Lines fully read.
    lines: usize,
    /// Bytes read of the current line.
    column: usize,
    /// Events returned.
    count: usize,
    /// Largest event accepted.
    max: usize,
}

impl<R: BufRead> Events<R> {
    /// A reader of `input`.
    pub(super) fn new(input: R) -> Self {
        Events::with_limit(input, MAX_EVENT_BYTES)
    }

    /// A reader of `input` accepting events of at most `max` bytes.
    fn with_limit(input: R, max: usize) -> Self {
        Events {
            input,
            form: Form::Unknown,
            lines: 0,
            column: 0,
            count: 0,
            max,
        }
    }

    /// The next byte, without taking it.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Takes the next byte (which [`Self::peek`] saw), counting lines.
    fn bump(&mut self, b: u8) {
        self.input.consume(1);
        if b == b'\n' {
            self.lines += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
    }

    /// Skips whitespace, and in an array the commas between elements; returns the next byte.
    fn skip_blank(&mut self, commas: bool) -> io::Result<Option<u8>> {
        while let Some(b) = self.peek()? {
            if !(b.is_ascii_whitespace() || (commas && b == b',')) {
                return Ok(Some(b));
            }
            self.bump(b);
        }
        Ok(None)
    }

    /// Where the next byte is: line and column, from 1.
    fn here(&self) -> (usize, usize) {
        (self.lines + 1, self.column + 1)
    }

    /// The next event, which started at `at`.
    fn emit(&mut self, at: (usize, usize), text: Result<Vec<u8>, String>) -> Event {
        self.count += 1;
        Event {
            number: self.count,
            line: at.0,
            column: at.1,
            text,
        }
    }

    /// Reads the rest of the line into `buf` (without its end), up to the size limit;
    /// whether it fit.
    fn rest_of_line(&mut self, buf: &mut Vec<u8>) -> io::Result<bool> {
        let mut fits = true;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(fits);
            }
            let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if fits && buf.len() + take <= self.max {
                buf.extend_from_slice(&chunk[..take]);
            } else {
                fits = false;
            }
            self.input.consume(take);
            self.column += take;
            if end {
                self.bump(b'\n');
                return Ok(fits);
            }
        }
    }

    /// Reads one value, up to where its brackets close (in an array, also up to a comma or
    /// the array's end at its own level); whether it fit.
    fn value(&mut self, buf: &mut Vec<u8>, in_array: bool) -> io::Result<bool> {
        let mut depth = Depth::default();
        while let Some(b) = self.peek()? {
            let at_level = depth.closed();
            if at_level && in_array && matches!(b, b',' | b']') {
                return Ok(true);
            }
            if at_level && !in_array && !buf.is_empty() && b.is_ascii_whitespace() {
                return Ok(true);
            }
            self.bump(b);
            depth.feed(b);
            if buf.len() == self.max {
                self.rest_of_line(&mut Vec::new())?;
                return Ok(false);
            }
            buf.push(b);
            if depth.closed() && matches!(b, b'}' | b']') && !in_array {
                return Ok(true);
            }
        }
        Ok(true)
    }

    /// Decides the input's form from its first non-blank byte or line.
    fn decide(&mut self) -> io::Result<Option<Event>> {
        match self.skip_blank(false)? {
            None => {
                self.form = Form::Done;
                Ok(None)
            }
            Some(b'[') => {
                self.bump(b'[');
                self.form = Form::Array;
                self.next_element()
            }
            Some(_) => {
                let at = self.here();
                let mut buf = Vec::new();
                let mut fits = self.rest_of_line(&mut buf)?;
                let mut depth = Depth::default();
                buf.iter().for_each(|&b| depth.feed(b));
                if depth.closed() || !fits {
                    self.form = Form::Lines;
                } else {
                    // A value over several lines: go on from this line's end.
                    self.form = Form::Values;
                    buf.push(b'\n');
                    fits = self.value_on(&mut buf, depth)?;
                }
                let text = self.sized(buf, fits);
                Ok(Some(self.emit(at, text)))
            }
        }
    }

    /// Continues a value begun in `buf` at `depth`, up to where it closes; whether it fit.
    fn value_on(&mut self, buf: &mut Vec<u8>, mut depth: Depth) -> io::Result<bool> {
        while let Some(b) = self.peek()? {
            self.bump(b);
            depth.feed(b);
            if buf.len() == self.max {
                self.rest_of_line(&mut Vec::new())?;
                return Ok(false);
            }
            buf.push(b);
            if depth.closed() && matches!(b, b'}' | b']') {
                break;
            }
        }
        Ok(true)
    }

    /// The event text (trailing whitespace dropped), or the size error.
    fn sized(&self, mut buf: Vec<u8>, fits: bool) -> Result<Vec<u8>, String> {
        if fits {
            let end = buf
                .iter()
                .rposition(|b| !b.is_ascii_whitespace())
                .map_or(0, |i| i + 1);
            buf.truncate(end);
            Ok(buf)
        } else {
            Err(format!(
                "the event is larger than {} bytes (EventBridge accepts 256 KiB)",
                self.max
            ))
        }
    }

    /// The next line of JSON lines.
    fn next_line(&mut self) -> io::Result<Option<Event>> {
        if self.skip_blank(false)?.is_none() {
            self.form = Form::Done;
            return Ok(None);
        }
        let at = self.here();
        let mut buf = Vec::new();
        let fits = self.rest_of_line(&mut buf)?;
        let text = self.sized(buf, fits);
        Ok(Some(self.emit(at, text)))
    }

    /// The next value of a sequence of values.
    fn next_value(&mut self) -> io::Result<Option<Event>> {
        if self.skip_blank(false)?.is_none() {
            self.form = Form::Done;
            return Ok(None);
        }
        self.one_value(false)
    }

    /// One JSON value from here (`in_array`: it ends at a top-level `,` or `]` too), as an
    /// event.
    fn one_value(&mut self, in_array: bool) -> io::Result<Option<Event>> {
        let at = self.here();
        let mut buf = Vec::new();
        let fits = self.value(&mut buf, in_array)?;
        let text = self.sized(buf, fits);
        Ok(Some(self.emit(at, text)))
    }

    /// The next element of an array; after the array, whatever follows is read afresh.
    fn next_element(&mut self) -> io::Result<Option<Event>> {
        match self.skip_blank(true)? {
            None => {
                self.form = Form::Done;
                let at = self.here();
                let text = Err("the array of events is not closed".to_owned());
                Ok(Some(self.emit(at, text)))
            }
            Some(b']') => {
                self.bump(b']');
                self.form = Form::Unknown;
                self.next_event()
            }
            Some(_) => self.one_value(true),
        }
    }

    /// The next event, if any.
    fn next_event(&mut self) -> io::Result<Option<Event>> {
        match self.form {
            Form::Unknown => self.decide(),
            Form::Lines => self.next_line(),
            Form::Values => self.next_value(),
            Form::Array => self.next_element(),
            Form::Done => Ok(None),
        }
    }
}

impl<R: BufRead> Iterator for Events<R> {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_event() {
            Ok(event) => event.map(Ok),
            Err(e) => {
                self.form = Form::Done;
                Some(Err(e))
            }
        }
    }
}

/// An event's `id` when it is a string, read without building the event's tree.
pub(super) fn id_of(text: &[u8]) -> Option<String> {
    /// Any JSON value, kept only when a string.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Id {
        /// A string id.
        Text(String),
        /// Anything else.
        Other(serde::de::IgnoredAny),
    }
    /// The one field read.
    #[derive(serde::Deserialize)]
    struct Head {
        /// `id`.
        id: Option<Id>,
    }
    match serde_json::from_slice::<Head>(text) {
        Ok(Head {
            id: Some(Id::Text(id)),
        }) => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
