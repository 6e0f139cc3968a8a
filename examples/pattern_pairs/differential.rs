//! `PatternSet` against `CompiledPattern`: a chunk of (pattern, event) pairs is checked pair by
//! pair (a set of one pattern, the event read from its JSON text) and as a cross product (one
//! set of every pattern of the chunk against every event of the chunk).

use lambdaless_gen::pattern::{CompiledPattern, PatternSet};
use serde_json::Value;

/// Figures of a differential run.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Pairs checked through a set of one pattern.
    pub(crate) pairs: u64,
    /// (pattern, event) verdicts checked through the chunk's set.
    pub(crate) cross: u64,
    /// Disagreements (all of them counted, the first 20 described in `examples`).
    pub(crate) disagreements: u64,
    /// Events also checked through `matches_trusted` (objects meeting its precondition).
    pub(crate) trusted: u64,
    /// Non-object events, rightly rejected.
    pub(crate) rejected: u64,
    pub(crate) examples: Vec<String>,
}

impl Tally {
    fn disagree(&mut self, what: String) {
        self.disagreements += 1;
        if self.examples.len() < 20 {
            self.examples.push(what);
        }
    }
}

/// Checks one chunk of pairs whose patterns `CompiledPattern::new` accepts (others are
/// skipped).
pub(crate) fn check_chunk(chunk: &[(Value, Value)], tally: &mut Tally) {
    let compiled: Vec<(usize, CompiledPattern)> = chunk
        .iter()
        .enumerate()
        .filter_map(|(i, (p, _))| CompiledPattern::new(p).ok().map(|c| (i, c)))
        .collect();
    let mut set = PatternSet::new();
    for (i, _) in &compiled {
        if set.add(*i, &chunk[*i].0).is_err() {
            tally.disagree(format!("PatternSet::add rejected {}", chunk[*i].0));
        }
    }
    for (i, (pattern, event)) in chunk.iter().enumerate() {
        let bytes = serde_json::to_vec(event).unwrap_or_default();
        // An event is one object; `CompiledPattern` also accepts arrays of them, sets don't.
        if !event.is_object() {
            tally.rejected += 1;
            if set.matches(&bytes).is_ok() {
                tally.disagree(format!("set accepted a non-object event: {event}"));
            }
            continue;
        }
        if let Some((_, one)) = compiled.iter().find(|(j, _)| *j == i) {
            tally.pairs += 1;
            let want = one.matches(event);
            let mut single = PatternSet::new();
            let _ = single.add((), pattern);
            match single.matches(&bytes) {
                Ok(keys) if keys.len() == usize::from(want) => {}
                other => tally.disagree(format!(
                    "single: want {want}, got {other:?}\n  pattern: {pattern}\n  event: {event}"
                )),
            }
            if trustable(event) {
                match single.matches_trusted(&bytes) {
                    Ok(keys) if keys.len() == usize::from(want) => {}
                    other => tally.disagree(format!(
                        "single trusted: want {want}, got {other:?}\n  pattern: {pattern}\n  event: {event}"
                    )),
                }
            }
        }
        let want: Vec<usize> = compiled
            .iter()
            .filter(|(_, c)| c.matches(event))
            .map(|(j, _)| *j)
            .collect();
        tally.cross += compiled.len() as u64;
        if trustable(event) {
            tally.trusted += 1;
            match set.matches_trusted(&bytes) {
                Ok(got) if got == want => {}
                other => tally.disagree(format!(
                    "set trusted: want {want:?}, got {other:?}\n  event: {event}"
                )),
            }
        }
        match set.matches(&bytes) {
            Ok(got) if got == want => {}
            other => {
                let first = want
                    .iter()
                    .chain(other.iter().flatten())
                    .copied()
                    .find(|j| want.contains(j) != other.as_ref().is_ok_and(|g| g.contains(j)));
                let pattern = first.map_or(Value::Null, |j| chunk[j].0.clone());
                tally.disagree(format!(
                    "set: want {want:?}, got {other:?}\n  first differing pattern: {pattern}\n  event: {event}"
                ));
            }
        }
    }
}

/// Whether `event` meets `PatternSet::matches_trusted`'s precondition: an object whose
/// top-level keys have distinct first dot-separated segments.
pub(crate) fn trustable(event: &Value) -> bool {
    let Some(object) = event.as_object() else {
        return false;
    };
    let mut firsts: Vec<&str> = object
        .keys()
        .map(|k| k.split('.').next().unwrap_or(""))
        .collect();
    firsts.sort_unstable();
    firsts.windows(2).all(|w| w[0] != w[1])
}
