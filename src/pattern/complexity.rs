//! How much work a client pattern asks of the JSONata matcher, and the limits a pattern must
//! respect to be admitted at subscribe time.
//!
//! Step Functions bounds every JSONata evaluation (depth about 100, about 7 MB per value), and
//! the deliverers match client patterns in JSONata (`src/emit/jsonata/matcher.jsonata`). The
//! matcher's depth grows with the pattern's nesting only, and its work with the values at the
//! pattern's paths times the tests per path; so a pattern is measured by five figures and
//! refused when one is over its limit ([`LIMITS`]). The connections state machine computes the
//! same figures in JSONata (`src/emit/jsonata/complexity.jsonata`); both are checked against
//! each other on many patterns (`tests/engines/jsonata/complexity.mjs`).
//!
//! The figures, for a pattern EventBridge accepts:
//! * `nesting`: the deepest level of any field. The root's keys are level 1; a key with `d`
//!   dots spans `d + 1` levels; a nested object's keys are one level below its key's last
//!   level; a `$or` branch's keys are one level below the keys of the object holding the `$or`.
//! * `branches`: the `$or` branch objects, nested ones included.
//! * `fields`: the keys whose value is an array (leaf fields), every occurrence counted.
//! * `values`: the alternatives (array entries) of all fields.
//! * `costly`: the alternatives that can cost the matcher more than its plain filters (a test
//!   per event value, or a question to EventBridge): a string shaped like an IP address
//!   ([`ip_shaped`]) or a `cidr` block; `equals-ignore-case` (also under `prefix` / `suffix`)
//!   with a non-ASCII argument; a `wildcard` with three or more unescaped `*`; `anything-but`
//!   with an operator object.

use serde_json::{Map, Value};

/// One of the figures a pattern is measured by, in the order they are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// The deepest level of any field.
    Nesting,
    /// The `$or` branch objects.
    Branches,
    /// The leaf fields.
    Fields,
    /// The alternatives of all fields.
    Values,
    /// The costly alternatives.
    Costly,
}

/// Every limit with its largest admitted figure, in the order they are checked (the reply
/// names the first one broken). The one place the limits are set: the dev server checks
/// these, and the connections state machine embeds them.
pub const LIMITS: [(Limit, usize); 5] = [
    (Limit::Nesting, 8),
    (Limit::Branches, 8),
    (Limit::Fields, 32),
    (Limit::Values, 64),
    (Limit::Costly, 2),
];

impl Limit {
    /// The largest figure admitted.
    pub fn max(self) -> usize {
        LIMITS
            .iter()
            .find(|(limit, _)| *limit == self)
            .map_or(0, |(_, max)| *max)
    }
}

/// The five figures of a pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Complexity {
    /// The deepest level of any field.
    pub nesting: usize,
    /// The `$or` branch objects.
    pub branches: usize,
    /// The leaf fields (keys whose value is an array).
    pub fields: usize,
    /// The alternatives of all fields.
    pub values: usize,
    /// The costly alternatives (see the module's documentation).
    pub costly: usize,
}

/// A limit a pattern broke, with the pattern's figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breach {
    /// The limit broken.
    pub limit: Limit,
    /// The pattern's figure (over `limit.max()`).
    pub figure: usize,
}

impl Complexity {
    /// Measures `pattern` (meant for patterns EventBridge accepts; anything else is measured
    /// as far as it has the shape of a pattern). Iterative: no recursion whatever the input.
    pub fn of(pattern: &Value) -> Complexity {
        let mut figures = Complexity::default();
        let mut objects: Vec<(&Map<String, Value>, usize)> = Vec::new();
        if let Value::Object(root) = pattern {
            objects.push((root, 1));
        }
        while let Some((object, level)) = objects.pop() {
            for (key, value) in object {
                if key == "$or" {
                    let branches = value.as_array().map_or(&[][..], Vec::as_slice);
                    figures.branches += branches.len();
                    objects.extend(
                        branches
                            .iter()
                            .filter_map(Value::as_object)
                            .map(|b| (b, level + 1)),
                    );
                    continue;
                }
                let last = level + key.matches('.').count();
                match value {
                    Value::Array(alternatives) => {
                        figures.nesting = figures.nesting.max(last);
                        figures.fields += 1;
                        figures.values += alternatives.len();
                        figures.costly += alternatives.iter().filter(|a| costly(a)).count();
                    }
                    Value::Object(child) => objects.push((child, last + 1)),
                    _ => {}
                }
            }
        }
        figures
    }

    /// The figure measured for `limit`.
    pub fn figure(&self, limit: Limit) -> usize {
        match limit {
            Limit::Nesting => self.nesting,
            Limit::Branches => self.branches,
            Limit::Fields => self.fields,
            Limit::Values => self.values,
            Limit::Costly => self.costly,
        }
    }

    /// The first limit broken, in the order of [`LIMITS`]; `None` when the pattern is admitted.
    pub fn breach(&self) -> Option<Breach> {
        LIMITS
            .iter()
            .map(|&(limit, max)| (limit, max, self.figure(limit)))
            .find(|&(_, max, figure)| figure > max)
            .map(|(limit, _, figure)| Breach { limit, figure })
    }
}

/// Whether alternative `alt` is costly (see the module's documentation).
fn costly(alt: &Value) -> bool {
    match alt {
        Value::String(text) => ip_shaped(text),
        Value::Object(operator) => match operator.iter().next() {
            Some((name, arg)) => match (name.as_str(), arg) {
                ("cidr", _) => true,
                ("anything-but", arg) => arg.is_object(),
                ("wildcard", Value::String(w)) => unescaped_stars(w) >= 3,
                ("equals-ignore-case", Value::String(s)) => !s.is_ascii(),
                ("prefix" | "suffix", Value::Object(inner)) => inner
                    .values()
                    .any(|v| v.as_str().is_some_and(|s| !s.is_ascii())),
                _ => false,
            },
            None => false,
        },
        _ => false,
    }
}

/// Whether a string literal is shaped like an IP address: four dot-separated runs of ASCII
/// digits, or hex digits and colons with a `::` or eight non-empty groups. Every literal the
/// matcher compares as an address (`src/pattern/cidr.rs`) has that shape; so do a few strings
/// that are not addresses (`1.2.3.999`, `1::2::3`, `12345::`), which are counted too: the
/// shape costs the embedded JSONata one regular expression where the exact reading would
/// cost several. Strings such as `12:30` or `aa:bb:cc:dd:ee:ff` do not have it.
pub fn ip_shaped(text: &str) -> bool {
    let runs = |sep: char, digit: fn(&u8) -> bool| {
        text.split(sep)
            .map(|part| !part.is_empty() && part.as_bytes().iter().all(digit))
            .collect::<Vec<bool>>()
    };
    let quad = runs('.', u8::is_ascii_digit);
    if quad.len() == 4 && quad.iter().all(|ok| *ok) {
        return true;
    }
    let hex = !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    let groups = runs(':', u8::is_ascii_hexdigit);
    hex && (text.contains("::") || (groups.len() == 8 && groups.iter().all(|ok| *ok)))
}

/// The `*` of a wildcard that are not escaped (`\*` is a star, `\\` a backslash).
fn unescaped_stars(wildcard: &str) -> usize {
    let mut stars = 0;
    let mut chars = wildcard.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' => stars += 1,
            _ => {}
        }
    }
    stars
}

#[cfg(test)]
#[path = "tests_complexity.rs"]
mod tests;
