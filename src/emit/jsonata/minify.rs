//! A JSONata lexer (as `jsonata@2.0.6` tokenizes) and a minifier built on it.
//!
//! The lexer follows the reference implementation's `tokenizer`: whitespace is
//! `" \t\n\r\v"`, comments are `/* ... */`, a `/` starts a regular expression wherever an
//! operand is expected and is the division operator elsewhere, strings use either quote with
//! backslash escapes, backticks quote names, and a name runs until whitespace or an operator
//! character (so a name directly followed by a quote would swallow it).
//!
//! Minifying keeps every token's text verbatim and drops comments and whitespace, putting a
//! single space back only where two tokens would otherwise lex differently.

use std::fmt;

/// Characters that end a name token (jsonata's `operators` table, single characters).
const STOP_CHARS: &str = ".[]{}(),@#;:?+-*/%|=<>^&!~";

/// Two-character operators (and the comment opener), which must not be formed by accident.
const PAIRS: [&str; 8] = ["..", ":=", "!=", ">=", "<=", "**", "~>", "/*"];

/// The kind of a token, as far as spacing and regex detection need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name, variable, keyword (`and`, `or`, `in`, `true`, ...) or number.
    Word,
    /// A string literal, with its quotes.
    Str,
    /// A backtick-quoted name, with its backticks.
    Quoted,
    /// A regular expression literal, with its slashes and flags.
    Regex,
    /// An operator or punctuation.
    Op,
}

/// One token: its kind and its exact source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// What the token is.
    pub kind: Kind,
    /// The token's text in the source.
    pub text: &'a str,
}

/// Why a source could not be tokenized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Byte offset of the problem.
    pub at: usize,
    /// What is wrong there.
    pub what: &'static str,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

impl std::error::Error for LexError {}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

fn is_stop(c: char) -> bool {
    is_space(c) || STOP_CHARS.contains(c)
}

/// Whether a token ending here leaves the lexer expecting an operator (so `/` divides).
fn ends_operand(token: &Token<'_>) -> bool {
    match token.kind {
        Kind::Str | Kind::Quoted | Kind::Regex => true,
        Kind::Word => !matches!(token.text, "and" | "or" | "in"),
        Kind::Op => matches!(token.text, ")" | "]" | "}"),
    }
}

/// Splits JSONata source into tokens, dropping whitespace and comments.
pub fn tokens(src: &str) -> Result<Vec<Token<'_>>, LexError> {
    let bytes = src.as_bytes();
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut pos = 0;
    while pos < src.len() {
        let rest = &src[pos..];
        let c = rest.chars().next().unwrap_or(' ');
        if is_space(c) {
            pos += c.len_utf8();
            continue;
        }
        if let Some(body) = rest.strip_prefix("/*") {
            let end = body.find("*/").ok_or(LexError {
                at: pos,
                what: "unterminated comment",
            })?;
            pos += end + 4;
            continue;
        }
        let start = pos;
        let kind = if c == '/' && !out.last().is_some_and(ends_operand) {
            pos = scan_regex(bytes, pos + 1)?;
            Kind::Regex
        } else if PAIRS[..7].iter().any(|p| rest.starts_with(p)) {
            pos += 2;
            Kind::Op
        } else if STOP_CHARS.contains(c) {
            pos += 1;
            Kind::Op
        } else if c == '"' || c == '\'' {
            pos = scan_string(bytes, pos)?;
            Kind::Str
        } else if let Some(len) = number_len(rest) {
            pos += len;
            Kind::Word
        } else if c == '`' {
            let end = rest[1..].find('`').ok_or(LexError {
                at: pos,
                what: "unterminated backtick name",
            })?;
            pos += end + 2;
            Kind::Quoted
        } else {
            pos += rest.find(is_stop).unwrap_or(rest.len());
            Kind::Word
        };
        out.push(Token {
            kind,
            text: &src[start..pos],
        });
    }
    Ok(out)
}

/// End (exclusive) of a regex whose body starts at `pos`, flags included; jsonata's
/// `scanRegex`: brackets nest unless the previous character is a backslash, and the closing
/// slash is one at depth 0 preceded by an even number of backslashes.
fn scan_regex(bytes: &[u8], mut pos: usize) -> Result<usize, LexError> {
    let start = pos;
    let mut depth: i64 = 0;
    while pos < bytes.len() {
        let c = bytes[pos];
        if c == b'/' && depth == 0 {
            let backslashes = bytes[start..pos]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                if pos == start {
                    return Err(LexError {
                        at: pos,
                        what: "empty regex",
                    });
                }
                pos += 1;
                while pos < bytes.len() && (bytes[pos] == b'i' || bytes[pos] == b'm') {
                    pos += 1;
                }
                return Ok(pos);
            }
        }
        let escaped = pos > 0 && bytes[pos - 1] == b'\\';
        if matches!(c, b'(' | b'[' | b'{') && !escaped {
            depth += 1;
        }
        if matches!(c, b')' | b']' | b'}') && !escaped {
            depth -= 1;
        }
        pos += 1;
    }
    Err(LexError {
        at: start,
        what: "unterminated regex",
    })
}

/// End (exclusive) of the string literal opening at `pos`.
fn scan_string(bytes: &[u8], pos: usize) -> Result<usize, LexError> {
    let quote = bytes[pos];
    let mut i = pos + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err(LexError {
        at: pos,
        what: "unterminated string",
    })
}

/// Length of jsonata's number literal `(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?` at the
/// start of `s`, if any.
fn number_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = match b.first() {
        Some(b'0') => 1,
        Some(b'1'..=b'9') => 1 + digits(1),
        _ => return None,
    };
    if b.get(i) == Some(&b'.') && digits(i + 1) > 0 {
        i += 1 + digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let exp = digits(i + 1 + sign);
        if exp > 0 {
            i += 1 + sign + exp;
        }
    }
    Some(i)
}

/// Whether `prev` immediately followed by `next` would lex differently from the two tokens.
fn needs_space(prev: &Token<'_>, next: &Token<'_>) -> bool {
    let first = next.text.chars().next().unwrap_or(' ');
    match prev.kind {
        // A name runs until a stop character; a number may grow a fraction or exponent; regex
        // flags are letters.
        Kind::Word | Kind::Regex => {
            !is_stop(first) || (next.text == "." && number_len(prev.text).is_some())
        }
        Kind::Op => {
            let last = prev.text.chars().last().unwrap_or(' ');
            let mut pair = String::from(last);
            pair.push(first);
            PAIRS.contains(&pair.as_str())
        }
        Kind::Str | Kind::Quoted => false,
    }
}

/// Minifies JSONata source: comments and insignificant whitespace removed, one line.
pub fn minify(src: &str) -> Result<String, LexError> {
    minify_renamed(src, &std::collections::BTreeMap::new())
}

/// Minifies, writing each variable named in `renames` under its new name.
pub fn minify_renamed(
    src: &str,
    renames: &std::collections::BTreeMap<String, String>,
) -> Result<String, LexError> {
    let toks: Vec<Token<'_>> = tokens(src)?
        .into_iter()
        .map(|t| match renames.get(t.text) {
            Some(new) if t.kind == Kind::Word => Token {
                kind: t.kind,
                text: new.as_str(),
            },
            _ => t,
        })
        .collect();
    let mut out = String::with_capacity(src.len() / 2);
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 && needs_space(&toks[i - 1], tok) {
            out.push(' ');
        }
        out.push_str(tok.text);
    }
    Ok(out)
}
