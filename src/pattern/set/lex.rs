//! The validating JSON lexer under the scanner: whitespace, strings (unescaped on request),
//! numbers, literals, and [`Lexer::skip`], which validates a whole value nobody names without
//! keeping anything. Everything serde_json rejects is rejected here too: control characters
//! and bad escapes in strings, lone surrogates, number syntax and numbers out of range,
//! nesting deeper than serde_json's recursion limit.

use super::error::{Fail, What};
use super::event::Text;

/// Containers nested deeper than this are rejected (serde_json's recursion limit).
pub(crate) const MAX_DEPTH: u32 = 127;

/// The first index from `i` of a byte ending a run of plain string content: `"`, `\\` or a
/// control character (the end of `b` if none), eight bytes at a time.
pub(crate) fn special(b: &[u8], mut i: usize) -> usize {
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

/// A `u32` position (events are under 4 GiB, checked by the scanner).
fn index(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// A cursor over an event's text.
#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    /// The text as bytes.
    pub(crate) b: &'a [u8],
    /// The longest prefix of `b` checked to be UTF-8 so far: all of it, unless the lexer was
    /// made lazy (trusted mode reads only a prefix), then grown as text is taken.
    pub(crate) checked: &'a str,
    /// The cursor.
    pub(crate) pos: usize,
    /// Containers open.
    pub(crate) depth: u32,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `b`, checked to be UTF-8 as a whole now, or if `lazy` only as
    /// far as text is taken.
    pub(crate) fn new(b: &'a [u8], lazy: bool) -> Result<Self, Fail> {
        let mut lexer = Lexer {
            b,
            checked: "",
            pos: 0,
            depth: 0,
        };
        lexer.check(if lazy { 0 } else { b.len() })?;
        Ok(lexer)
    }

    /// Grows `checked` to at least `end` bytes (by at least 256, then to the whole text).
    pub(crate) fn check(&mut self, end: usize) -> Result<(), Fail> {
        if end <= self.checked.len() {
            return Ok(());
        }
        let want = if self.checked.is_empty() {
            end.max(256)
        } else {
            self.b.len()
        }
        .min(self.b.len());
        let bytes = self.b.get(..want).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(text) => self.checked = text,
            Err(e) => {
                let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                self.checked = std::str::from_utf8(valid).unwrap_or_default();
            }
        }
        if end <= self.checked.len() {
            Ok(())
        } else {
            Err(Fail {
                what: What::InvalidUtf8,
                pos: self.checked.len(),
            })
        }
    }

    /// `b[start..end]` as text, or an error if it is not UTF-8.
    pub(crate) fn slice(&mut self, start: usize, end: usize) -> Result<&'a str, Fail> {
        self.check(end)?;
        Ok(self.checked.get(start..end).unwrap_or(""))
    }

    /// The literal `word` at the cursor.
    pub(crate) fn word(&mut self, word: &[u8]) -> Result<(), Fail> {
        if self.b.get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(self.err(What::ExpectedIdent));
        }
        self.pos += word.len();
        Ok(())
    }

    pub(crate) fn err(&self, what: What) -> Fail {
        Fail {
            what,
            pos: self.pos,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub(crate) fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    pub(crate) fn expect(&mut self, byte: u8, what: What) -> Result<(), Fail> {
        self.ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    pub(crate) fn enter(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        self.pos += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(What::RecursionLimitExceeded));
        }
        Ok(())
    }

    /// A string (the cursor on its opening quote), unescaped into `Pruned::text` when kept
    /// and escaped.
    pub(crate) fn string(&mut self, keep: bool, text: &mut String) -> Result<Option<Text>, Fail> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(keep.then(|| Text::Input(index(start), index(self.pos - 1))));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => return Err(self.err(What::ControlCharacterInAString)),
                Some(_) => self.pos += 1,
                None => return Err(self.err(What::EofWhileParsingAString)),
            }
        }
        let owned = text.len();
        if keep {
            text.push_str(self.slice(start, self.pos)?);
        }
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    let end = index(text.len());
                    return Ok(keep.then(|| Text::Owned(index(owned), end)));
                }
                Some(b'\\') => {
                    let c = self.escape()?;
                    if keep {
                        text.push(c);
                    }
                }
                Some(0..=0x1f) => return Err(self.err(What::ControlCharacterInAString)),
                Some(_) => {
                    let run = self.pos;
                    self.pos = special(self.b, self.pos);
                    if keep {
                        text.push_str(self.slice(run, self.pos)?);
                    }
                }
                None => return Err(self.err(What::EofWhileParsingAString)),
            }
        }
    }

    /// Validates one value nobody names, keeping nothing.
    pub(crate) fn skip(&mut self) -> Result<(), Fail> {
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
            Some(b't') => self.word(b"true"),
            Some(b'f') => self.word(b"false"),
            Some(b'n') => self.word(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(false).map(drop),
            Some(_) => Err(self.err(What::ExpectedValue)),
            None => Err(self.err(What::EofWhileParsingAValue)),
        }
    }

    /// Validates a string (the cursor on its opening quote), keeping nothing.
    pub(crate) fn skip_string(&mut self) -> Result<(), Fail> {
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
    pub(crate) fn escape(&mut self) -> Result<char, Fail> {
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

    pub(crate) fn hex4(&mut self) -> Result<u32, Fail> {
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

    pub(crate) fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number, read as a double when kept; its syntax and range are checked either way.
    pub(crate) fn number(&mut self, keep: bool) -> Result<Option<f64>, Fail> {
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
        let text = self.slice(start, self.pos)?;
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(keep.then_some(n)),
            _ => Err(self.err(What::NumberOutOfRange)),
        }
    }
}
