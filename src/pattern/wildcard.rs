//! The `wildcard` operator: syntax, matching and EventBridge's complexity limit.
//!
//! `*` matches any run of characters (including none), `\*` is a literal star and `\\` a
//! literal backslash; any other escape, a trailing backslash and `**` are rejected.

use std::collections::HashSet;

/// A parsed wildcard: the literal pieces between stars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wildcard {
    /// `n + 1` literal pieces for `n` stars; pieces may be empty.
    pieces: Vec<Box<str>>,
}

/// Why a wildcard string is rejected; `pos` is the index EventBridge reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WildcardError {
    /// Two stars in a row.
    Consecutive { pos: usize },
    /// A backslash not followed by `*` or `\`.
    InvalidEscape { pos: usize },
}

impl Wildcard {
    /// Parses wildcard syntax.
    pub(crate) fn parse(text: &str) -> Result<Self, WildcardError> {
        let bytes = text.as_bytes();
        let mut pieces = Vec::new();
        let mut current: Vec<u8> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'*' => {
                    if bytes.get(i + 1) == Some(&b'*') {
                        // event-ruler parses the quoted value, so its positions are one more
                        // than indices into the operand: this is the second star's index.
                        return Err(WildcardError::Consecutive { pos: i + 1 });
                    }
                    pieces.push(take_piece(&mut current));
                }
                b'\\' => match bytes.get(i + 1) {
                    Some(&next @ (b'*' | b'\\')) => {
                        current.push(next);
                        i += 1;
                    }
                    _ => return Err(WildcardError::InvalidEscape { pos: i + 1 }),
                },
                other => current.push(other),
            }
            i += 1;
        }
        pieces.push(take_piece(&mut current));
        Ok(Wildcard { pieces })
    }

    /// Whether `input` matches the wildcard (leftmost greedy search; no allocation).
    pub(crate) fn matches(&self, input: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return input == &**first;
        };
        if input.len() < first.len() + last.len()
            || !input.starts_with(&**first)
            || !input.ends_with(&**last)
        {
            return false;
        }
        let Some(mut window) = input.get(first.len()..input.len() - last.len()) else {
            return false;
        };
        for piece in middle {
            match window.find(&**piece) {
                Some(at) => window = &window[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

/// Turns collected bytes into a piece. They are whole UTF-8 sequences because only ASCII
/// bytes (`*`, `\`) are ever removed from the input.
fn take_piece(current: &mut Vec<u8>) -> Box<str> {
    let piece = String::from_utf8_lossy(current)
        .into_owned()
        .into_boxed_str();
    current.clear();
    piece
}

/// EventBridge rejects a field whose wildcards could keep more than this many partial matches
/// alive at once ("Rule is too complex").
pub(crate) const COMPLEXITY_LIMIT: usize = 10;

/// Bound on the number of state sets explored, to keep evaluation time bounded.
const MAX_EXPLORED: usize = 4096;

/// Token of the byte-level automaton: a byte, or a star.
const STAR: u16 = 256;

#[derive(Default)]
struct State {
    /// Target taken on every byte (the star loop, or entry into a star).
    any: Option<u32>,
    /// Byte transitions.
    bytes: Vec<(u8, u32)>,
}

/// Worst-case number of simultaneously live wildcard states for the wildcards of one field,
/// following event-ruler's `MachineComplexityEvaluator` (each wildcard is matched against the
/// quoted value, one state per token, a star being a self-looping state; a live state whose
/// star successor is not live also counts that successor). `texts` must be valid wildcards.
pub(crate) fn complexity(texts: &[&str]) -> usize {
    let mut states = vec![State::default()];
    let mut alphabet: Vec<u8> = Vec::new();
    let mut seen_texts = HashSet::new();
    for text in texts {
        if !seen_texts.insert(*text) {
            continue;
        }
        let tokens = tokens(text);
        let (mut current, mut before_star) = (0u32, None::<u32>);
        for token in tokens {
            let next = u32::try_from(states.len()).unwrap_or(u32::MAX);
            states.push(State::default());
            if token == STAR {
                states[current as usize].any = Some(next);
                states[next as usize].any = Some(next);
                before_star = Some(current);
            } else {
                let byte = u8::try_from(token).unwrap_or(0);
                if !alphabet.contains(&byte) {
                    alphabet.push(byte);
                }
                states[current as usize].bytes.push((byte, next));
                // A star may match nothing: the state before it also takes this byte.
                if let Some(skip) = before_star.take() {
                    states[skip as usize].bytes.push((byte, next));
                }
            }
            current = next;
        }
    }
    explore(&states, &alphabet)
}

/// Tokens of the quoted wildcard (`"` + text + `"`).
fn tokens(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    let mut out = vec![u16::from(b'"')];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'*' => out.push(STAR),
            b'\\' => {
                i += 1;
                out.push(u16::from(bytes.get(i).copied().unwrap_or(b'\\')));
            }
            other => out.push(u16::from(other)),
        }
        i += 1;
    }
    out.push(u16::from(b'"'));
    out
}

/// Subset construction over the automaton, returning the largest weighted state set seen.
fn explore(states: &[State], alphabet: &[u8]) -> usize {
    let mut pending: Vec<Vec<u32>> = vec![vec![0]];
    let mut seen: HashSet<Vec<u32>> = HashSet::new();
    let mut maximum = 0;
    while let Some(active) = pending.pop() {
        // `None` stands for any byte with no literal transition.
        for byte in alphabet.iter().map(Some).chain(std::iter::once(None)) {
            let mut next: Vec<u32> = Vec::new();
            for &id in &active {
                let state = &states[id as usize];
                next.extend(state.any);
                if let Some(byte) = byte {
                    next.extend(
                        state
                            .bytes
                            .iter()
                            .filter(|(b, _)| b == byte)
                            .map(|&(_, t)| t),
                    );
                }
            }
            if next.is_empty() {
                continue;
            }
            next.sort_unstable();
            next.dedup();
            let dangling = next
                .iter()
                .filter_map(|&id| states[id as usize].any)
                .filter(|target| next.binary_search(target).is_err())
                .count();
            let weight = next.len() + dangling;
            if weight > COMPLEXITY_LIMIT {
                return weight;
            }
            maximum = maximum.max(weight);
            if seen.len() < MAX_EXPLORED && seen.insert(next.clone()) {
                pending.push(next);
            }
        }
    }
    maximum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wc(text: &str) -> Wildcard {
        Wildcard::parse(text).unwrap_or(Wildcard { pieces: vec![] })
    }

    #[test]
    fn matching() {
        assert!(wc("arn:aws:events:us-east-1:*:event-bus/*")
            .matches("arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"));
        assert!(wc("/Users/*/doc.txt").matches("/Users/ls_user/dir/dir/dir/doc.txt"));
        assert!(!wc("").matches("x"));
        assert!(wc("").matches(""));
        assert!(wc("*").matches(""));
        assert!(wc("a*a").matches("aa"));
        assert!(!wc("a*a").matches("a"));
        assert!(wc("*/dir/*").matches("x/dir/y"));
        assert!(!wc("*/dir/*").matches("dir/init/file"));
        assert!(wc(r"a\*b").matches("a*b"));
        assert!(!wc(r"a\*b").matches("axb"));
        assert!(wc(r"a\\*").matches(r"a\bc"));
        assert!(wc("é*ü").matches("éxxü"));
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(
            Wildcard::parse("arn:aws:events:us-east-1:**:event-bus/*"),
            Err(WildcardError::Consecutive { pos: 26 })
        );
        assert!(matches!(
            Wildcard::parse(r"a\b"),
            Err(WildcardError::InvalidEscape { .. })
        ));
        assert!(matches!(
            Wildcard::parse("a\\"),
            Err(WildcardError::InvalidEscape { .. })
        ));
    }

    #[test]
    fn complexity_threshold() {
        assert!(complexity(&["*:*:*:*:*:event-bus/*"]) > COMPLEXITY_LIMIT);
        assert!(complexity(&["arn:aws:events:us-east-1:*:event-bus/*"]) <= COMPLEXITY_LIMIT);
        assert!(complexity(&["/Users/*/doc.txt"]) <= COMPLEXITY_LIMIT);
        assert!(complexity(&["*/init/*", "*/dir/*"]) <= COMPLEXITY_LIMIT);
        assert!(complexity(&["a*b*c*d*e*f*g*h*i*j*k*l"]) > COMPLEXITY_LIMIT);
        assert_eq!(complexity(&["plain"]), 1);
    }
}
