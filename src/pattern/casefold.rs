//! Case-insensitive comparison the way EventBridge's `equals-ignore-case` does it.
//!
//! event-ruler expands every pattern character into the UTF-8 of its lower-case and its
//! upper-case form (`Locale.ROOT`) and accepts either at that position. Patterns are folded
//! once at compile time; comparisons then run without allocating.
//!
//! Sources and decisions (the EventBridge user guide only says "regardless of case"):
//! * event-ruler's `EqualsIgnoreCaseParser` maps each pattern character `c` to
//!   `String.valueOf(c).toLowerCase(Locale.ROOT)` and `.toUpperCase(Locale.ROOT)`: Java's
//!   full, context-free mappings (`ß` → `SS`, `İ` → `i̇`, `ŉ` → `ʼN`; a lone `Σ` is `σ`).
//!   This is not Unicode case *folding*: `ſ` (long s) and `K` (Kelvin sign) are not accepted
//!   for `s` and `k`, though their case forms are ASCII. Rust's `char::to_lowercase` /
//!   `to_uppercase` are the same full mappings (SpecialCasing, unconditional), and so are
//!   JavaScript's, which the JSONata matcher uses.
//! * event-ruler iterates Java `char`s, i.e. UTF-16 code units: a character outside the BMP
//!   becomes two lone surrogates, which `getBytes(UTF_8)` turns into `?`. Here characters
//!   are code points, so `🚀` matches `🚀` rather than `??` (a deliberate deviation from what
//!   is an encoding accident).
//! * Matching is greedy, lower-case form first, without backtracking. The two forms of a
//!   character never start with the same character unless they are equal, so at most one
//!   of them fits at a position and greedy matching finds what an automaton would.
//! * Mappings follow the Unicode version of the engine (Rust's standard library, Node's ICU,
//!   the JVM); they differ only for characters added to Unicode recently.

/// A pattern string prepared for case-insensitive equality, prefix and suffix tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The original text, kept for ASCII fast paths.
    text: Box<str>,
    /// Per pattern character: its lower-case and upper-case spellings (empty when ASCII).
    alternatives: Vec<(Box<str>, Box<str>)>,
}

impl Folded {
    /// Prepares `text` for case-insensitive comparisons.
    pub(crate) fn new(text: &str) -> Self {
        let alternatives = if text.is_ascii() {
            Vec::new()
        } else {
            text.chars()
                .map(|c| {
                    let lower: String = c.to_lowercase().collect();
                    let upper: String = c.to_uppercase().collect();
                    (lower.into_boxed_str(), upper.into_boxed_str())
                })
                .collect()
        };
        Folded {
            text: text.into(),
            alternatives,
        }
    }

    /// Byte length of the input consumed by matching the pattern at the start of `input`.
    fn match_forward(&self, input: &str) -> Option<usize> {
        if self.alternatives.is_empty() {
            let n = self.text.len();
            let head = input.as_bytes().get(..n)?;
            return head.eq_ignore_ascii_case(self.text.as_bytes()).then_some(n);
        }
        let mut pos = 0;
        for (lower, upper) in &self.alternatives {
            let rest = input.get(pos..)?;
            if rest.starts_with(&**lower) {
                pos += lower.len();
            } else if rest.starts_with(&**upper) {
                pos += upper.len();
            } else {
                return None;
            }
        }
        Some(pos)
    }

    /// The pattern in ASCII lower case when it is all ASCII: then `equals(s)` holds exactly
    /// when `s.to_ascii_lowercase()` is this key.
    pub(crate) fn ascii_key(&self) -> Option<String> {
        self.alternatives
            .is_empty()
            .then(|| self.text.to_ascii_lowercase())
    }

    /// Whether `input` equals the pattern, ignoring case.
    pub(crate) fn equals(&self, input: &str) -> bool {
        if self.alternatives.is_empty() {
            return input.len() == self.text.len() && self.match_forward(input).is_some();
        }
        self.match_forward(input) == Some(input.len())
    }

    /// Whether `input` starts with the pattern, ignoring case.
    pub(crate) fn is_prefix_of(&self, input: &str) -> bool {
        self.match_forward(input).is_some()
    }

    /// Whether `input` ends with the pattern, ignoring case.
    pub(crate) fn is_suffix_of(&self, input: &str) -> bool {
        if self.alternatives.is_empty() {
            let n = self.text.len();
            return input.len() >= n
                && input.as_bytes()[input.len() - n..].eq_ignore_ascii_case(self.text.as_bytes());
        }
        let mut end = input.len();
        for (lower, upper) in self.alternatives.iter().rev() {
            let Some(rest) = input.get(..end) else {
                return false;
            };
            if rest.ends_with(&**lower) {
                end -= lower.len();
            } else if rest.ends_with(&**upper) {
                end -= upper.len();
            } else {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::Folded;

    #[test]
    fn ascii() {
        let f = Folded::new("EventB");
        assert!(f.is_prefix_of("EvEnTbridge"));
        assert!(!f.is_prefix_of("Even"));
        assert!(f.equals("eventb"));
        assert!(!f.equals("eventbx"));
        assert!(Folded::new(".png").is_suffix_of("IMAGE.PNG"));
        assert!(!Folded::new(".png").is_suffix_of("image.jpg"));
        assert!(Folded::new("").equals(""));
        assert!(!Folded::new("").equals("x"));
    }

    #[test]
    fn non_ascii() {
        let f = Folded::new("Straße");
        assert!(f.equals("STRASSE") || f.equals("straße"));
        assert!(f.equals("STRAßE"));
        assert!(Folded::new("émoji🚀").equals("ÉMOJI🚀"));
        assert!(Folded::new("ünï").is_suffix_of("xxÜNÏ"));
        assert!(Folded::new("Ünï").is_prefix_of("ünïcode"));
        // Kelvin sign lower-cases to 'k' but an ASCII pattern only accepts 'k' and 'K'.
        assert!(!Folded::new("k").equals("\u{212A}"));
    }

    #[test]
    fn full_mappings_not_folding() {
        // Per character: its lower-case or its upper-case form, one-to-many mappings included.
        let sharp = Folded::new("ß");
        assert!(sharp.equals("ß") && sharp.equals("SS"));
        assert!(!sharp.equals("ss") && !sharp.equals("ẞ") && !sharp.equals("Ss"));
        let dotted = Folded::new("İ");
        assert!(dotted.equals("İ") && dotted.equals("i\u{307}"));
        assert!(!dotted.equals("i") && !dotted.equals("I"));
        // ΐ upper-cases to three code points.
        assert!(Folded::new("ΐ").equals("\u{399}\u{308}\u{301}"));
        assert!(Folded::new("xΐ").is_suffix_of("aX\u{399}\u{308}\u{301}"));
        // Sigma: a pattern Σ accepts σ and Σ, not the final form ς.
        assert!(Folded::new("Σ").equals("σ") && !Folded::new("Σ").equals("ς"));
        assert!(Folded::new("ς").equals("Σ") && !Folded::new("ς").equals("σ"));
        // Not case folding: the long s and the Kelvin sign are not s and k.
        assert!(!Folded::new("s").equals("\u{17F}") && !Folded::new("ß").equals("\u{17F}\u{17F}"));
        assert!(Folded::new("\u{212A}").equals("k") && Folded::new("\u{212A}").equals("\u{212A}"));
        // Code points, not UTF-16 units: a non-BMP character matches itself.
        assert!(Folded::new("🚀x").is_prefix_of("🚀Xyz"));
        assert!(Folded::new("\u{10400}").equals("\u{10428}"));
    }
}
