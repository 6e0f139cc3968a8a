//! The byte scanner: reads an event's JSON text once, validating all of it exactly as strictly
//! as serde_json does (UTF-8, escapes and surrogate pairs, control characters, number syntax
//! and range, nesting depth, trailing characters), and keeps in a [`Pruned`] event only the
//! members some pattern names; everything else is validated and skipped.

use super::error::{EventError, Fail, What};
use super::event::{Node, Pruned, Text};
use super::lex::Lexer;
use super::paths::{same, KeyPath, PathTrie};
use super::skim::skim;

/// Beyond this many arrays nested at named paths, every candidate gets the full evaluator,
/// which bounds its array recursion.
const DEEP_ARRAYS: u32 = 16;

/// Scans `event` into `out` (cleared first), keeping what `paths` names; returns the text
/// read as such (all of the event, or in trusted mode the prefix up to where it stopped).
///
/// Trusted mode (see `PatternSet::matches_trusted`): values nobody names are skimmed (only
/// their end found), and the root object is left as soon as every top-level key some pattern
/// names (its first segment, for a dotted key) has been read.
pub(crate) fn scan<'a>(
    event: &'a [u8],
    paths: &PathTrie,
    out: &mut Pruned,
    trusted: bool,
) -> Result<&'a str, EventError> {
    out.clear();
    if u32::try_from(event.len()).is_err() {
        return Err(EventError {
            message: "event larger than 4 GiB".to_owned(),
        });
    }
    let mut scanner = Scanner {
        lex: Lexer::new(event, trusted).map_err(|e| EventError {
            message: format!("invalid UTF-8 at byte {}", e.pos),
        })?,
        arrays: 0,
        trusted,
        stopped: false,
        paths,
        out,
    };
    scanner.lex.ws();
    if scanner.lex.peek() != Some(b'{') {
        return Err(EventError {
            message: "an event must be a JSON object".to_owned(),
        });
    }
    scanner.value(Some(0))?;
    if !scanner.stopped {
        scanner.lex.ws();
        if scanner.lex.pos != scanner.lex.b.len() {
            return Err(scanner.lex.err(What::TrailingCharacters).into());
        }
    }
    let read = scanner.lex.pos;
    scanner.lex.check(read)?;
    Ok(scanner.lex.checked)
}

struct Scanner<'a, 'p> {
    lex: Lexer<'a>,
    /// Arrays open at named paths.
    arrays: u32,
    /// Trusted mode: skim what nobody names, stop once every named top-level key is read.
    trusted: bool,
    /// Trusted mode stopped before the end of the root object.
    stopped: bool,
    paths: &'p PathTrie,
    out: &'p mut Pruned,
}

/// Index of the next value pushed.
fn next_index(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Scanner<'_, '_> {
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
            if self.trusted {
                self.lex.pos = skim(self.lex.b, self.lex.pos)?;
            } else {
                self.lex.skip()?;
            }
            return Ok(None);
        }
        self.lex.ws();
        match self.lex.peek() {
            Some(b'{') => self.object(trie),
            Some(b'[') => self.array(trie),
            Some(b'"') => {
                let text = self.lex.string(trie.is_some(), &mut self.out.text)?;
                Ok(text.and_then(|t| self.scalar(trie, Node::Str(t))))
            }
            Some(b't') => self.literal(b"true", trie, Node::Bool(true)),
            Some(b'f') => self.literal(b"false", trie, Node::Bool(false)),
            Some(b'n') => self.literal(b"null", trie, Node::Null),
            Some(b'-' | b'0'..=b'9') => {
                let number = self.lex.number(trie.is_some())?;
                Ok(number.and_then(|n| self.scalar(trie, Node::Num(n))))
            }
            Some(_) => Err(self.lex.err(What::ExpectedValue)),
            None => Err(self.lex.err(What::EofWhileParsingAValue)),
        }
    }

    fn literal(&mut self, word: &[u8], trie: Option<u32>, node: Node) -> Result<Option<u32>, Fail> {
        self.lex.word(word)?;
        Ok(self.scalar(trie, node))
    }

    fn object(&mut self, trie: Option<u32>) -> Result<Option<u32>, Fail> {
        self.lex.enter()?;
        let start = self.out.pending.len();
        self.lex.ws();
        if self.lex.peek() == Some(b'}') {
            self.lex.pos += 1;
        } else {
            loop {
                if self.done(trie) {
                    break;
                }
                self.lex.ws();
                if self.lex.peek() != Some(b'"') {
                    return Err(self.lex.err(What::ExpectedAStringKey));
                }
                let key = self.lex.string(trie.is_some(), &mut self.out.text)?;
                self.lex.expect(b':', What::ExpectedColon)?;
                match (trie, key) {
                    (Some(node), Some(key)) => self.member(node, key, start)?,
                    _ => {
                        self.value(None)?;
                    }
                }
                if self.done(trie) {
                    break;
                }
                self.lex.ws();
                match self.lex.peek() {
                    Some(b',') => self.lex.pos += 1,
                    Some(b'}') => {
                        self.lex.pos += 1;
                        break;
                    }
                    _ => return Err(self.lex.err(What::ExpectedCommaOrBrace)),
                }
            }
        }
        self.lex.depth -= 1;
        if trie.is_none() {
            return Ok(None);
        }
        let first = next_index(self.out.entries.len());
        let len = next_index(self.out.pending.len() - start);
        let pending = self.out.pending.drain(start..);
        self.out.entries.extend(pending);
        Ok(Some(self.push(Node::Object(first, len))))
    }

    /// Trusted mode, in the object at `trie`: whether it is the root and every top-level key
    /// some pattern names has been read, so that nothing further can matter (the event is
    /// trusted not to repeat a first segment); if so, records the stop.
    fn done(&mut self, trie: Option<u32>) -> bool {
        self.stopped =
            self.trusted && trie == Some(0) && self.out.roots_seen.len() == self.paths.children(0);
        self.stopped
    }

    /// The value of member `key` of an object at trie node `node`, kept when named.
    fn member(&mut self, node: u32, key: Text, start: usize) -> Result<(), Fail> {
        if let Text::Input(_, end) = key {
            self.lex.check(end as usize)?;
        }
        let name = self.out.str(self.lex.checked, key);
        let dotted = name.as_bytes().contains(&b'.');
        let path = self.paths.key_path(node, name);
        if self.trusted && node == 0 {
            let first = match path {
                KeyPath::Unnamed => None,
                KeyPath::Named(child) if !dotted => Some(child),
                _ => self.paths.child(0, name.split('.').next().unwrap_or("")),
            };
            if let Some(first) = first {
                if !self.out.roots_seen.contains(&first) {
                    self.out.roots_seen.push(first);
                }
            }
        }
        let value = match path {
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
        // (Every key read is in the checked text by now.)
        let text = |k: Text| self.out.str(self.lex.checked, k);
        let name = text(key);
        let repeated = self.out.pending[start..]
            .iter()
            .position(|(k, _)| same(text(*k).as_bytes(), name.as_bytes()));
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
        self.lex.enter()?;
        if let Some(node) = trie {
            if !self.out.arrays.contains(&node) {
                self.out.arrays.push(node);
            }
            self.arrays += 1;
            self.out.complex |= self.arrays > DEEP_ARRAYS;
        }
        let start = self.out.pending_items.len();
        self.lex.ws();
        if self.lex.peek() == Some(b']') {
            self.lex.pos += 1;
        } else {
            loop {
                if let Some(item) = self.value(trie)? {
                    self.out.pending_items.push(item);
                }
                self.lex.ws();
                match self.lex.peek() {
                    Some(b',') => self.lex.pos += 1,
                    Some(b']') => {
                        self.lex.pos += 1;
                        break;
                    }
                    _ => return Err(self.lex.err(What::ExpectedCommaOrBracket)),
                }
            }
        }
        self.lex.depth -= 1;
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
}
