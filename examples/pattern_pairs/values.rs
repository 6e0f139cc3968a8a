//! Values for `pattern_pairs`: the PRNG, strings and numbers around the edges that matter,
//! and pattern elements (every operator).

use serde_json::{json, Number, Value};

/// splitmix64 state, and whether the current pair draws from the tiny pools.
pub(crate) struct Rng {
    state: u64,
    /// Tiny pools of keys and values: names collide (merges, dotted keys both ways, arrays
    /// of objects) and values repeat, which exercises the structure rather than the values.
    pub small: bool,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng {
            state: seed,
            small: false,
        }
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    pub(crate) fn pick_opt<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len() as u64) as usize)
        }
    }
}

/// Characters for strings: ASCII, wildcard syntax, and case-folding edge cases (sharp s,
/// dotted/dotless i, Greek sigmas, a titlecase digraph, a ligature, the Kelvin sign and the
/// long s (whose case forms are ASCII), a non-BMP character), all with stable mappings
/// across Unicode versions.
const ALPHABET: [&str; 31] = [
    "a", "b", "c", "A", "B", "x", ".", "-", "/", ":", "0", "1", "ß", "S", "s", "ẞ", "İ", "ı", "i",
    "I", "Σ", "σ", "ς", "ǅ", "ﬁ", "\u{212A}", "k", "é", "É", "🚀", "ſ",
];

const WORDS: [&str; 14] = [
    "",
    "abc",
    "ABC",
    "Straße",
    "STRASSE",
    "ΟΔΥΣΣΕΥΣ",
    "init",
    "dir/init/file",
    "x.png",
    "EventBridge",
    "10.0.0.1",
    "2001:db8::1",
    "null",
    "émoji🚀",
];

/// Strings of the tiny pools: wildcard overlaps, ASCII letters with non-ASCII case forms.
const SMALL_TEXTS: [&str; 14] = [
    "a", "b", "aa", "ab", "ba", "aba", "x", "y", "k", "K", "\u{212A}", "s", "\u{17F}", "SK",
];

pub(crate) fn text(rng: &mut Rng) -> String {
    if rng.small {
        return rng.pick(&SMALL_TEXTS).to_string();
    }
    if rng.chance(0.3) {
        return rng.pick(&WORDS).to_string();
    }
    (0..rng.below(6)).map(|_| rng.pick(&ALPHABET)).collect()
}

pub(crate) fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Numbers around EventBridge's range and precision limits, in integer and float forms.
pub(crate) fn number(rng: &mut Rng) -> Value {
    const EDGES: [f64; 22] = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1e-7,
        1.0000001,
        1.000001,
        5e9,
        -5e9,
        4999999999.999999,
        5000000000.000001,
        6e9,
        1e20,
        1e-300,
        301.8,
        3.018e2,
        0.30000000000000004,
        0.1,
        1e15,
        -2.5,
        123456789012.0,
    ];
    match rng.below(6) {
        0 => float(rng.pick(&EDGES)),
        1 => json!(rng.pick(&[
            0i64,
            1,
            -1,
            100,
            200,
            5_000_000_000,
            -5_000_000_000,
            6_000_000_000
        ])),
        2 => json!(rng.pick(&[123_456_789_012u64, 9_007_199_254_740_993, u64::MAX])),
        3 => json!(rng.below(1000) as i64 - 500),
        4 => float((rng.below(2_000_000) as f64 - 1e6) / 1e3),
        _ => float((rng.next() >> 11) as f64 / (1u64 << 53) as f64 * 2e10 - 1e10),
    }
}

pub(crate) fn scalar(rng: &mut Rng) -> Value {
    if rng.small && rng.chance(0.3) {
        return small_literal(rng);
    }
    match rng.below(8) {
        0..=3 => Value::String(text(rng)),
        4 | 5 => number(rng),
        6 => Value::Bool(rng.chance(0.5)),
        _ => Value::Null,
    }
}

/// A valid wildcard: literal pieces (with `\*` and `\\` escapes) joined by single stars.
pub(crate) fn wildcard(rng: &mut Rng) -> String {
    let small = rng.chance(0.4);
    let mut out = String::new();
    for i in 0..1 + rng.below(4) {
        if i > 0 {
            out.push('*');
        }
        for _ in 0..rng.below(3) {
            match rng.below(8) {
                0 => out.push_str("\\*"),
                1 => out.push_str("\\\\"),
                _ if small => out.push_str(rng.pick(&["a", "b"])),
                _ => out.push_str(rng.pick(&ALPHABET)),
            }
        }
    }
    if rng.chance(0.3) {
        out.insert(0, '*');
        out = out.replacen("**", "*", 1);
    }
    out
}

fn ne_text(rng: &mut Rng) -> String {
    let t = text(rng);
    if t.is_empty() {
        "p".into()
    } else {
        t
    }
}

fn one_or_list(rng: &mut Rng, mut item: impl FnMut(&mut Rng) -> String) -> Value {
    if rng.chance(0.5) {
        Value::String(item(rng))
    } else {
        Value::Array(
            (0..1 + rng.below(3))
                .map(|_| Value::String(item(rng)))
                .collect(),
        )
    }
}

fn in_range(rng: &mut Rng) -> Value {
    let n = number(rng);
    match n.as_f64() {
        Some(x) if (-5e9..=5e9).contains(&x) => n,
        _ => json!(rng.below(100)),
    }
}

/// One element of a pattern's value array: a literal or an operator object.
/// Literals of the tiny pools, among them IP-like strings that are and are not addresses.
fn small_literal(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0 => json!(1),
        1 => float(2.0),
        2 => Value::Bool(true),
        3 => Value::Null,
        4..=6 => Value::String(text(rng)),
        _ => json!(rng.pick(&[
            "10.0.0.256",
            "010.0.0.256",
            "10.0.0.1",
            "010.0.0.01",
            "::1",
            "0:0:0:0:0:0:0:1",
            "1:2:3:4:5:6:7::8",
            "1:2:3:4:5:6:7:0:8",
        ])),
    }
}

/// Elements of the tiny pools: mostly literals and `exists`, a few fixed operators.
fn small_element(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0..=3 => small_literal(rng),
        4..=6 => json!({"exists": false}),
        7 => json!({"exists": true}),
        8 => {
            json!({"wildcard": rng.pick(&["a*a", "ab*ba", "*a*b*", "*a*a*", "a*b*a", "a\\*b", "*"])})
        }
        9 => json!({"equals-ignore-case": text(rng)}),
        10 => json!({rng.pick(&["prefix", "suffix"]): {"equals-ignore-case": text(rng)}}),
        _ => json!({"anything-but": ["x", "y"]}),
    }
}

pub(crate) fn gen_element(rng: &mut Rng) -> Value {
    if rng.small {
        return small_element(rng);
    }
    let eic = |rng: &mut Rng| json!({"equals-ignore-case": text(rng)});
    match rng.below(20) {
        0..=2 => scalar(rng),
        3 => Value::String(crate::ip::address(rng)),
        4 => json!({"prefix": text(rng)}),
        5 => json!({"prefix": eic(rng)}),
        6 => json!({"suffix": text(rng)}),
        7 => json!({"suffix": eic(rng)}),
        8 => json!({"equals-ignore-case": text(rng)}),
        9 => json!({"wildcard": wildcard(rng)}),
        10 => {
            json!({"anything-but": if rng.chance(0.5) { Value::String(text(rng)) } else { in_range(rng) }})
        }
        11 => {
            let list: Vec<Value> = if rng.chance(0.5) {
                (0..1 + rng.below(3))
                    .map(|_| Value::String(text(rng)))
                    .collect()
            } else {
                (0..1 + rng.below(3)).map(|_| in_range(rng)).collect()
            };
            json!({"anything-but": list})
        }
        12 => {
            let kind = rng.pick(&["prefix", "suffix", "equals-ignore-case", "wildcard"]);
            let operand = match kind {
                "wildcard" => one_or_list(rng, wildcard),
                "equals-ignore-case" => one_or_list(rng, text),
                _ => one_or_list(rng, ne_text),
            };
            json!({"anything-but": {kind: operand}})
        }
        13 | 14 => {
            let (a, b) = (in_range(rng), in_range(rng));
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            let (lo, hi) = if x <= y { (a, b) } else { (b, a) };
            match rng.below(4) {
                0 => json!({"numeric": ["=", lo]}),
                1 => json!({"numeric": [rng.pick(&["<", "<="]), lo]}),
                2 => json!({"numeric": [rng.pick(&[">", ">="]), lo]}),
                _ => json!({"numeric": [rng.pick(&[">", ">="]), lo, rng.pick(&["<", "<="]), hi]}),
            }
        }
        15 | 16 => json!({"exists": rng.chance(0.5)}),
        _ => json!({"cidr": crate::ip::block(rng)}),
    }
}
