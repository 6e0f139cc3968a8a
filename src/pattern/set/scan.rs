//! The byte scanner: reads an event's JSON text once, validating all of it exactly as strictly
//! as serde_json does (UTF-8, escapes and surrogate pairs, control characters, number syntax
//! and range, nesting depth, trailing characters), and keeps in a [`Pruned`] event only the
//! members some pattern names; everything else is validated and skipped.

use super::event::{Node, Pruned, Text};
use super::paths::{same, KeyPath, PathTrie};

/// Containers nested deeper than this are rejected (serde_json's recursion limit).
const MAX_DEPTH: u32 = 127;

/// Beyond this many arrays nested at named paths, every candidate gets the full evaluator,
/// which bounds its array recursion.
const DEEP_ARRAYS: u32 = 16;

/// Why an event could not be matched: it is not one JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    /// What is wrong, and where (a byte offset into the event).
    pub message: String,
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EventError {}

/// What is wrong with an event's text (kept small: scanning returns it everywhere).
#[derive(Debug, Clone, Copy)]
enum What {
    ControlCharacterInAString,
    EofWhileParsingAString,
    EofWhileParsingAValue,
    ExpectedAStringKey,
    ExpectedColon,
    ExpectedIdent,
    ExpectedCommaOrBrace,
    ExpectedCommaOrBracket,
    ExpectedValue,
    InvalidEscape,
    InvalidNumber,
    InvalidUnicodeCodePoint,
    LoneLeadingSurrogateInHexEscape,
    NumberOutOfRange,
    RecursionLimitExceeded,
    TrailingCharacters,
    UnexpectedEndOfHexEscape,
}

impl What {
    fn message(self) -> &'static str {
        match self {
            What::ControlCharacterInAString => "control character in a string",
            What::EofWhileParsingAString => "EOF while parsing a string",
            What::EofWhileParsingAValue => "EOF while parsing a value",
            What::ExpectedAStringKey => "expected a string key",
            What::ExpectedColon => "expected `:`",
            What::ExpectedIdent => "expected ident",
            What::ExpectedCommaOrBracket => "expected `,` or `]`",
            What::ExpectedCommaOrBrace => "expected `,` or `}`",
            What::ExpectedValue => "expected value",
            What::InvalidEscape => "invalid escape",
            What::InvalidNumber => "invalid number",
            What::InvalidUnicodeCodePoint => "invalid unicode code point",
            What::LoneLeadingSurrogateInHexEscape => "lone leading surrogate in hex escape",
            What::NumberOutOfRange => "number out of range",
            What::RecursionLimitExceeded => "recursion limit exceeded",
            What::TrailingCharacters => "trailing characters",
            What::UnexpectedEndOfHexEscape => "unexpected end of hex escape",
        }
    }
}

/// A scanning failure: what, and the byte offset.
#[derive(Debug, Clone, Copy)]
struct Fail {
    what: What,
    pos: usize,
}

impl From<Fail> for EventError {
    fn from(fail: Fail) -> Self {
        EventError {
            message: format!("{} at byte {}", fail.what.message(), fail.pos),
        }
    }
}

/// Scans `event` into `out` (cleared first), keeping what `paths` names; returns the event
/// as text.
pub(crate) fn scan<'a>(
    event: &'a [u8],
    paths: &PathTrie,
    out: &mut Pruned,
) -> Result<&'a str, EventError> {
    out.clear();
    let input = std::str::from_utf8(event).map_err(|e| EventError {
        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    })?;
    if u32::try_from(input.len()).is_err() {
        return Err(EventError {
            message: "event larger than 4 GiB".to_owned(),
        });
    }
    let mut scanner = Scanner {
        b: input.as_bytes(),
        input,
        pos: 0,
        depth: 0,
        arrays: 0,
        paths,
        out,
    };
    scanner.ws();
    if scanner.peek() != Some(b'{') {
        return Err(EventError {
            message: "an event must be a JSON object".to_owned(),
        });
    }
    scanner.value(Some(0))?;
    scanner.ws();
    if scanner.pos != scanner.b.len() {
        return Err(scanner.err(What::TrailingCharacters).into());
    }
    Ok(input)
}

/// The first index from `i` of a byte ending a run of plain string content: `"`, `\\` or a
/// control character (the end of `b` if none), eight bytes at a time.
fn special(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(chunk) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(bytes);
        // The lowest flagged byte is exact (borrows only flag bytes above a match).
        let found = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

struct Scanner<'a> {
    b: &'a [u8],
    input: &'a str,
    pos: usize,
    /// Containers open.
    depth: u32,
    /// Arrays open at named paths.
    arrays: u32,
    paths: &'a PathTrie,
    out: &'a mut Pruned,
}

/// Index of the next value pushed.
fn next_index(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Scanner<'_> {
    fn err(&self, what: What) -> Fail {
        Fail {
            what,
            pos: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: What) -> Result<(), Fail> {
        self.ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    fn push(&mut self, node: Node) -> u32 {
        let id = next_index(self.out.nodes.len());
        self.out.nodes.push(node);
        id
    }

    /// A scalar: kept (and recorded as a leaf of the field tested there) at a named path.
    fn scalar(&mut self, trie: Option<u32>, node: Node) -> Option<u32> {
        let trie = trie?;
        let id = self.push(node);
        if let Some(field) = self.paths.field(trie) {
            self.out.leaves.push((field, id));
        }
        Some(id)
    }

    /// One value; `trie` is its path when some pattern names it (then it is kept).
    fn value(&mut self, trie: Option<u32>) -> Result<Option<u32>, Fail> {
        if trie.is_none() {
            self.skip()?;
            return Ok(None);
        }
        self.ws();
        match self.peek() {
            Some(b'{') => self.object(trie),
            Some(b'[') => self.array(trie),
            Some(b'"') => {
                let text = self.string(trie.is_some())?;
                Ok(text.and_then(|t| self.scalar(trie, Node::Str(t))))
            }
            Some(b't') => self.literal(b"true", trie, Node::Bool(true)),
            Some(b'f') => self.literal(b"false", trie, Node::Bool(false)),
            Some(b'n') => self.literal(b"null", trie, Node::Null),
            Some(b'-' | b'0'..=b'9') => {
                let number = self.number(trie.is_some())?;
                Ok(number.and_then(|n| self.scalar(trie, Node::Num(n))))
            }
            Some(_) => Err(self.err(What::ExpectedValue)),
            None => Err(self.err(What::EofWhileParsingAValue)),
        }
    }

    fn literal(
        &mut self,
        word: &[u8],
        trie: Option<u32>,
        node: Node,
    ) -> Result<Option<u32>, Fail> {
        if self.b.get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(self.err(What::ExpectedIdent));
        }
        self.pos += word.len();
        Ok(self.scalar(trie, node))
    }

    fn enter(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        self.pos += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(What::RecursionLimitExceeded));
        }
        Ok(())
    }

    fn object(&mut self, trie: Option<u32>) -> Result<Option<u32>, Fail> {
        self.enter()?;
        let start = self.out.pending.len();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return Err(self.err(What::ExpectedAStringKey));
                }
                let key = self.string(trie.is_some())?;
                self.expect(b':', What::ExpectedColon)?;
                match (trie, key) {
                    (Some(node), Some(key)) => self.member(node, key, start)?,
                    _ => {
                        self.value(None)?;
                    }
                }
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err(What::ExpectedCommaOrBrace)),
                }
            }
        }
        self.depth -= 1;
        if trie.is_none() {
            return Ok(None);
        }
        let first = next_index(self.out.entries.len());
        let len = next_index(self.out.pending.len() - start);
        let pending = self.out.pending.drain(start..);
        self.out.entries.extend(pending);
        Ok(Some(self.push(Node::Object(first, len))))
    }

    /// The value of member `key` of an object at trie node `node`, kept when named.
    fn member(&mut self, node: u32, key: Text, start: usize) -> Result<(), Fail> {
        let name = self.out.str(self.input, key);
        let dotted = name.as_bytes().contains(&b'.');
        let value = match self.paths.key_path(node, name) {
            KeyPath::Unnamed => {
                self.value(None)?;
                return Ok(());
            }
            KeyPath::Named(child) => {
                self.out.complex |= dotted;
                self.value(Some(child))?
            }
            KeyPath::Partial => {
                self.out.complex = true;
                self.value(None)?;
                Some(self.push(Node::Null))
            }
        };
        let Some(value) = value else {
            return Ok(());
        };
        // A repeated key: the last value wins, where the first was (as serde_json does).
        let name = self.out.str(self.input, key);
        let repeated = self.out.pending[start..].iter().position(|(k, _)| {
            let other = self.out.str(self.input, *k);
            same(other.as_bytes(), name.as_bytes())
        });
        match repeated {
            Some(i) => {
                self.out.complex = true;
                self.out.pending[start + i].1 = value;
            }
            None => self.out.pending.push((key, value)),
        }
        Ok(())
    }

    fn array(&mut self, trie: Option<u32>) -> Result<Option<u32>, Fail> {
        self.enter()?;
        if let Some(node) = trie {
            if !self.out.arrays.contains(&node) {
                self.out.arrays.push(node);
            }
            self.arrays += 1;
            self.out.complex |= self.arrays > DEEP_ARRAYS;
        }
        let start = self.out.pending_items.len();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                if let Some(item) = self.value(trie)? {
                    self.out.pending_items.push(item);
                }
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err(What::ExpectedCommaOrBracket)),
                }
            }
        }
        self.depth -= 1;
        if trie.is_none() {
            return Ok(None);
        }
        self.arrays -= 1;
        let first = next_index(self.out.items.len());
        let len = next_index(self.out.pending_items.len() - start);
        let pending = self.out.pending_items.drain(start..);
        self.out.items.extend(pending);
        Ok(Some(self.push(Node::Array(first, len))))
    }

    /// A string (the cursor on its opening quote), unescaped into `Pruned::text` when kept
    /// and escaped.
    fn string(&mut self, keep: bool) -> Result<Option<Text>, Fail> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(
                        keep.then(|| Text::Input(next_index(start), next_index(self.pos - 1)))
                    );
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => return Err(self.err(What::ControlCharacterInAString)),
                Some(_) => self.pos += 1,
                None => return Err(self.err(What::EofWhileParsingAString)),
            }
        }
        let owned = self.out.text.len();
        if keep {
            let plain = self.input.get(start..self.pos).unwrap_or("");
            self.out.text.push_str(plain);
        }
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    let end = next_index(self.out.text.len());
                    return Ok(keep.then(|| Text::Owned(next_index(owned), end)));
                }
                Some(b'\\') => {
                    let c = self.escape()?;
                    if keep {
                        self.out.text.push(c);
                    }
                }
                Some(0..=0x1f) => return Err(self.err(What::ControlCharacterInAString)),
                Some(_) => {
                    let run = self.pos;
                    self.pos = special(self.b, self.pos);
                    if keep {
                        let plain = self.input.get(run..self.pos).unwrap_or("");
                        self.out.text.push_str(plain);
                    }
                }
                None => return Err(self.err(What::EofWhileParsingAString)),
            }
        }
    }

    /// Validates one value nobody names, keeping nothing.
    fn skip(&mut self) -> Result<(), Fail> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{') => {
                self.enter()?;
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                } else {
                    loop {
                        self.ws();
                        if self.peek() != Some(b'"') {
                            return Err(self.err(What::ExpectedAStringKey));
                        }
                        self.skip_string()?;
                        self.expect(b':', What::ExpectedColon)?;
                        self.skip()?;
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b'}') => break,
                            _ => return Err(self.err(What::ExpectedCommaOrBrace)),
                        }
                    }
                    self.pos += 1;
                }
                self.depth -= 1;
                Ok(())
            }
            Some(b'[') => {
                self.enter()?;
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip()?;
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b']') => break,
                            _ => return Err(self.err(What::ExpectedCommaOrBracket)),
                        }
                    }
                    self.pos += 1;
                }
                self.depth -= 1;
                Ok(())
            }
            Some(b't') => self.literal(b"true", None, Node::Null).map(drop),
            Some(b'f') => self.literal(b"false", None, Node::Null).map(drop),
            Some(b'n') => self.literal(b"null", None, Node::Null).map(drop),
            Some(b'-' | b'0'..=b'9') => self.number(false).map(drop),
            Some(_) => Err(self.err(What::ExpectedValue)),
            None => Err(self.err(What::EofWhileParsingAValue)),
        }
    }

    /// Validates a string (the cursor on its opening quote), keeping nothing.
    fn skip_string(&mut self) -> Result<(), Fail> {
        self.pos += 1;
        loop {
            self.pos = special(self.b, self.pos);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.escape()?;
                }
                Some(_) => return Err(self.err(What::ControlCharacterInAString)),
                None => return Err(self.err(What::EofWhileParsingAString)),
            }
        }
    }

    /// One escape sequence (the cursor on its backslash).
    fn escape(&mut self) -> Result<char, Fail> {
        self.pos += 1;
        let c = self
            .peek()
            .ok_or_else(|| self.err(What::EofWhileParsingAString))?;
        self.pos += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if self.b.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.err(What::UnexpectedEndOfHexEscape));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.err(What::LoneLeadingSurrogateInHexEscape));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.err(What::LoneLeadingSurrogateInHexEscape)),
                    other => other,
                };
                char::from_u32(code).ok_or_else(|| self.err(What::InvalidUnicodeCodePoint))?
            }
            _ => return Err(self.err(What::InvalidEscape)),
        })
    }

    fn hex4(&mut self) -> Result<u32, Fail> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|c| char::from(c).to_digit(16))
                .ok_or_else(|| self.err(What::InvalidEscape))?;
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number, read as a double when kept; its syntax and range are checked either way.
    fn number(&mut self, keep: bool) -> Result<Option<f64>, Fail> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let big = match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                false
            }
            Some(b'1'..=b'9') => self.digits() > 300,
            _ => return Err(self.err(What::InvalidNumber)),
        };
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.err(What::InvalidNumber));
            }
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.err(What::InvalidNumber));
            }
            exponent = true;
        }
        if !keep && !big && !exponent {
            return Ok(None);
        }
        let text = self.input.get(start..self.pos).unwrap_or("");
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(keep.then_some(n)),
            _ => Err(self.err(What::NumberOutOfRange)),
        }
    }
}
