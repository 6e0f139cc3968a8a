//! [`EventError`] and the scanner's internal failure value.

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
pub(crate) enum What {
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
    InvalidUtf8,
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
            What::InvalidUtf8 => "invalid UTF-8",
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
pub(crate) struct Fail {
    /// What is wrong.
    pub(crate) what: What,
    /// Where: a byte offset.
    pub(crate) pos: usize,
}

impl From<Fail> for EventError {
    fn from(fail: Fail) -> Self {
        EventError {
            message: format!("{} at byte {}", fail.what.message(), fail.pos),
        }
    }
}
