//! [`FieldMatcher`]: every condition the patterns of a set place on one field path, indexed so
//! that one event value finds the conditions it satisfies without testing them one by one:
//! exact strings, numbers and ASCII `equals-ignore-case` through hash maps, prefixes and
//! suffixes through hash maps per length, `anything-but` string lists through their excluded
//! values; the remaining operators (wildcard, numeric ranges, cidr, ...) are tested in turn.

use super::hash::FxMap;
use crate::pattern::anything_but::AnythingBut;
use crate::pattern::numeric;
use crate::pattern::operator::Matcher;
use crate::pattern::scalar::Scalar;

/// Condition ids under a key, with the distinct key lengths (for prefixes and suffixes).
#[derive(Debug, Clone, Default)]
struct Affixes {
    by_text: FxMap<Box<str>, Vec<u32>>,
    lengths: Vec<usize>,
}

impl Affixes {
    fn add(&mut self, text: &str, cond: u32) {
        self.by_text.entry(text.into()).or_default().push(cond);
        if let Err(at) = self.lengths.binary_search(&text.len()) {
            self.lengths.insert(at, text.len());
        }
    }

    /// Conditions whose text is a prefix (`suffix == false`) or suffix of `s`.
    fn fire(&self, s: &str, suffix: bool, out: &mut impl FnMut(u32)) {
        for &len in &self.lengths {
            if len > s.len() {
                break;
            }
            let part = if suffix {
                s.get(s.len() - len..)
            } else {
                s.get(..len)
            };
            if let Some(conds) = part.and_then(|p| self.by_text.get(p)) {
                conds.iter().copied().for_each(&mut *out);
            }
        }
    }
}

/// The conditions on one field path.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldMatcher {
    strings: FxMap<Box<str>, Vec<u32>>,
    numbers: FxMap<i64, Vec<u32>>,
    folded: FxMap<Box<str>, Vec<u32>>,
    prefixes: Affixes,
    suffixes: Affixes,
    trues: Vec<u32>,
    falses: Vec<u32>,
    nulls: Vec<u32>,
    /// `exists: true`: any scalar.
    any: Vec<u32>,
    /// `anything-but` string lists: the condition of each (a condition may hold several),
    /// and per excluded string the lists (indices into `but_all`) excluding it.
    but_all: Vec<u32>,
    but_excluded: FxMap<Box<str>, Vec<u32>>,
    /// Tested one by one.
    others: Vec<(Matcher, u32)>,
}

impl FieldMatcher {
    /// Indexes one alternative of condition `cond`.
    pub(crate) fn add(&mut self, matcher: &Matcher, cond: u32) {
        match matcher {
            Matcher::ExactString { text, ip: None } => {
                self.strings.entry(text.clone()).or_default().push(cond);
            }
            Matcher::ExactNumber {
                comparable: Some(c),
                ..
            } => self.numbers.entry(*c).or_default().push(cond),
            Matcher::ExactBool(true) => self.trues.push(cond),
            Matcher::ExactBool(false) => self.falses.push(cond),
            Matcher::ExactNull => self.nulls.push(cond),
            Matcher::Prefix(p) => self.prefixes.add(p, cond),
            Matcher::Suffix(s) => self.suffixes.add(s, cond),
            Matcher::Exists(true) => self.any.push(cond),
            // Tested on no value: the field's absence is what it asks for.
            Matcher::Exists(false) => {}
            Matcher::EqualsIgnoreCase(f) => match f.ascii_key() {
                Some(key) => self.folded.entry(key.into()).or_default().push(cond),
                None => self.others.push((matcher.clone(), cond)),
            },
            Matcher::AnythingBut(AnythingBut::Strings(list)) => {
                let slot = u32::try_from(self.but_all.len()).unwrap_or(u32::MAX);
                self.but_all.push(cond);
                for text in list {
                    let excluding = self.but_excluded.entry(text.clone()).or_default();
                    if !excluding.contains(&slot) {
                        excluding.push(slot);
                    }
                }
            }
            _ => self.others.push((matcher.clone(), cond)),
        }
    }

    /// Calls `out` with every condition `value` satisfies (possibly more than once).
    pub(crate) fn fire(&self, value: Scalar<'_>, out: &mut impl FnMut(u32)) {
        self.any.iter().copied().for_each(&mut *out);
        match value {
            Scalar::Str(s) => {
                if let Some(conds) = self.strings.get(s) {
                    conds.iter().copied().for_each(&mut *out);
                }
                if !self.folded.is_empty() {
                    let mut buffer = [0u8; 64];
                    let conds = match buffer.get_mut(..s.len()) {
                        Some(lower) => {
                            lower.copy_from_slice(s.as_bytes());
                            lower.make_ascii_lowercase();
                            // ASCII lower-casing keeps UTF-8 valid.
                            std::str::from_utf8(lower)
                                .ok()
                                .and_then(|l| self.folded.get(l))
                        }
                        None => self.folded.get(s.to_ascii_lowercase().as_str()),
                    };
                    conds.into_iter().flatten().copied().for_each(&mut *out);
                }
                self.prefixes.fire(s, false, out);
                self.suffixes.fire(s, true, out);
                if !self.but_all.is_empty() {
                    let excluded = self.but_excluded.get(s).map_or(&[][..], Vec::as_slice);
                    for (slot, &cond) in (0u32..).zip(&self.but_all) {
                        if !excluded.contains(&slot) {
                            out(cond);
                        }
                    }
                }
            }
            Scalar::Num(n) => {
                if let Some(conds) = numeric::comparable(n).and_then(|c| self.numbers.get(&c)) {
                    conds.iter().copied().for_each(&mut *out);
                }
                self.but_all.iter().copied().for_each(&mut *out);
            }
            Scalar::Bool(b) => {
                let conds = if b { &self.trues } else { &self.falses };
                conds.iter().copied().for_each(&mut *out);
                self.but_all.iter().copied().for_each(&mut *out);
            }
            Scalar::Null => {
                self.nulls.iter().copied().for_each(&mut *out);
                self.but_all.iter().copied().for_each(&mut *out);
            }
        }
        for (matcher, cond) in &self.others {
            if matcher.test(value) {
                out(*cond);
            }
        }
    }
}
