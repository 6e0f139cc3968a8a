//! [`PatternSet`]: many patterns matched against one event at once, the event read straight
//! from its bytes.
//!
//! Layers, each file importing only from the ones below it:
//!   mod (PatternSet: firing conditions, counting groups, deciding candidates)
//!   plan (Index: paths, conditions and groups of every pattern)
//!   field (FieldMatcher: one path's conditions, indexed by value)   scan (byte scanner)
//!   skim (trusted-mode skipping: a value's end only)
//!   lex (validating JSON lexer, skipping)   paths (PathTrie)
//!   event (the pruned event and its View)   error (EventError)
//!   hash (FxHasher)
//!
//! Matching an event: the scanner validates the JSON and keeps only the members some pattern
//! names; each scalar at a tested path fires the conditions its [`field::FieldMatcher`]
//! finds; a pattern whose groups have all fired is a candidate, decided either by its groups
//! alone or by the one evaluator [`CompiledPattern`] also uses, run on the pruned event.

mod error;
mod event;
mod field;
mod hash;
mod lex;
mod paths;
mod plan;
mod scan;
mod skim;

use std::cell::RefCell;

use serde_json::Value;

use super::issue::PatternIssue;
use super::matcher::{node_matches, CompiledPattern};
pub use error::EventError;
use event::Pruned;
use plan::Index;

/// A set of EventBridge patterns, each under a caller-chosen key, matched together.
///
/// Verdicts are exactly [`CompiledPattern::matches`]'s for every pattern (the conformance
/// tests and `pattern_pairs --check` compare them), except that an event must be one JSON
/// object. A key is reported once per pattern added under it.
#[derive(Debug, Clone)]
pub struct PatternSet<K> {
    patterns: Vec<(K, CompiledPattern)>,
    index: Index,
}

impl<K> Default for PatternSet<K> {
    fn default() -> Self {
        PatternSet {
            patterns: Vec::new(),
            index: Index::default(),
        }
    }
}

/// Per-thread working memory of [`PatternSet::matches`], reused from one event to the next.
#[derive(Debug, Default)]
struct Scratch {
    pruned: Pruned,
    /// Stamps: an entry equal to `epoch` was set while matching the current event.
    epoch: u32,
    cond_seen: Vec<u32>,
    group_seen: Vec<u32>,
    pattern_seen: Vec<u32>,
    pattern_count: Vec<u32>,
    candidates: Vec<u32>,
    matched: Vec<u32>,
}

impl Scratch {
    /// Starts a new event for a set of the given sizes.
    fn next_event(&mut self, conds: usize, groups: usize, patterns: usize) {
        if self.epoch == u32::MAX {
            self.epoch = 0;
            for stamps in [
                &mut self.cond_seen,
                &mut self.group_seen,
                &mut self.pattern_seen,
            ] {
                stamps.iter_mut().for_each(|s| *s = 0);
            }
        }
        self.epoch += 1;
        for (stamps, len) in [
            (&mut self.cond_seen, conds),
            (&mut self.group_seen, groups),
            (&mut self.pattern_seen, patterns),
            (&mut self.pattern_count, patterns),
        ] {
            if stamps.len() < len {
                stamps.resize(len, 0);
            }
        }
        self.candidates.clear();
        self.matched.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl<K: Clone> PatternSet<K> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `pattern` under `key`, or returns its grammar issues (see `validate`).
    pub fn add(&mut self, key: K, pattern: &Value) -> Result<(), Vec<PatternIssue>> {
        let compiled = CompiledPattern::new(pattern)?;
        self.index.add(compiled.root());
        self.patterns.push((key, compiled));
        Ok(())
    }

    /// The keys of every pattern `event` (JSON text) matches, in the order they were added.
    ///
    /// The event must be one JSON object; anything serde_json would reject (malformed JSON,
    /// invalid UTF-8, lone surrogate escapes, numbers out of range, nesting deeper than 127)
    /// is an [`EventError`]. Never panics.
    pub fn matches(&self, event: &[u8]) -> Result<Vec<K>, EventError> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.matches_with(event, &mut scratch, false),
            Err(_) => self.matches_with(event, &mut Scratch::default(), false),
        })
    }

    /// [`PatternSet::matches`] for an event known to be well-formed: the same keys, found
    /// reading only as much of the event as can matter.
    ///
    /// Precondition: `event` is one well-formed JSON object (as EventBridge delivers events
    /// to rules) in which no two top-level keys have the same first dot-separated segment (no
    /// key repeats; no `"a.b"` beside `"a"`). On every such event the keys are exactly those
    /// of [`PatternSet::matches`].
    ///
    /// How it reads: values no pattern names are skimmed, only their end found (strings by
    /// their closing quote, containers by counting brackets); named values are read and
    /// validated as `matches` does; the top-level object is left, unread, as soon as every
    /// top-level key some pattern names (by its first segment) has been read. Only then is
    /// that exact: a later top-level key can no longer matter (by the precondition it names
    /// nothing new), every named member already read was read whole (so nested paths, arrays,
    /// `exists: false` and `anything-but` below it are decided), and no named top-level key
    /// is absent (absence, which `exists: false` and `anything-but` test, is only known at
    /// the end of the enclosing object, so while a named key is unseen the object is read on
    /// to its end). A set that names no key stops right after the opening `{`.
    ///
    /// What it still rejects: a non-object; any byte that is not UTF-8 before the point it
    /// stops; malformed JSON in what it parses (the top-level object's keys and punctuation,
    /// named values, as strictly as `matches`); a skimmed value that never ends. Not noticed:
    /// other malformed JSON inside skimmed values, and anything after the point it stops
    /// (right after the value of the last named top-level key: even the closing `}`); on events that break the precondition the keys may differ from
    /// `matches`'s (a repeat after the stop is not seen). Never panics.
    pub fn matches_trusted(&self, event: &[u8]) -> Result<Vec<K>, EventError> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.matches_with(event, &mut scratch, true),
            Err(_) => self.matches_with(event, &mut Scratch::default(), true),
        })
    }

    fn matches_with(
        &self,
        event: &[u8],
        scratch: &mut Scratch,
        trusted: bool,
    ) -> Result<Vec<K>, EventError> {
        let input = scan::scan(event, &self.index.paths, &mut scratch.pruned, trusted)?;
        let index = &self.index;
        scratch.next_event(
            index.cond_groups.len(),
            index.group_pattern.len(),
            index.patterns.len(),
        );
        let Scratch {
            pruned,
            epoch,
            cond_seen,
            group_seen,
            pattern_seen,
            pattern_count,
            candidates,
            matched,
        } = scratch;
        let epoch = *epoch;
        let mut fired = |cond: u32| {
            let cond = cond as usize;
            if cond_seen[cond] == epoch {
                return;
            }
            cond_seen[cond] = epoch;
            for &group in &index.cond_groups[cond] {
                if group_seen[group as usize] == epoch {
                    continue;
                }
                group_seen[group as usize] = epoch;
                let pattern = index.group_pattern[group as usize];
                let p = pattern as usize;
                if pattern_seen[p] != epoch {
                    pattern_seen[p] = epoch;
                    pattern_count[p] = 0;
                }
                pattern_count[p] += 1;
                if pattern_count[p] == index.patterns[p].groups {
                    candidates.push(pattern);
                }
            }
        };
        for &(field, node) in &pruned.leaves {
            if let (Some(matcher), Some(value)) =
                (index.fields.get(field as usize), pruned.scalar(input, node))
            {
                matcher.fire(value, &mut fired);
            }
        }
        candidates.extend_from_slice(&index.always);
        for &pattern in candidates.iter() {
            let plan = &index.patterns[pattern as usize];
            let decided = plan.simple
                && !pruned.complex
                && plan.shared.iter().all(|node| !pruned.arrays.contains(node));
            if decided || node_matches(self.patterns[pattern as usize].1.root(), pruned.root(input))
            {
                matched.push(pattern);
            }
        }
        matched.sort_unstable();
        Ok(matched
            .iter()
            .map(|&p| self.patterns[p as usize].0.clone())
            .collect())
    }

    /// The keys of every pattern an already-parsed `event` matches, in the order they were added.
    pub fn matches_value(&self, event: &Value) -> Vec<K> {
        self.patterns
            .iter()
            .filter(|(_, p)| p.matches(event))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// How many patterns the set holds.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}
