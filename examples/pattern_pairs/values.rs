//! Values for `pattern_pairs`: the PRNG, pattern elements (every operator), event values that
//! satisfy (or miss) an element, and event mutations.

use serde_json::{json, Map, Number, Value};

/// splitmix64: tiny, seeded, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn pick_opt<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len() as u64) as usize)
        }
    }
}

/// Characters for strings: ASCII, wildcard syntax, and case-folding edge cases (sharp s,
/// dotted/dotless i, Greek sigmas, a titlecase digraph, a ligature, the Kelvin sign, a
/// non-BMP character), all with stable mappings across Unicode versions.
const ALPHABET: [&str; 30] = [
    "a", "b", "c", "A", "B", "x", ".", "-", "/", ":", "0", "1", "ß", "S", "s", "ẞ", "İ", "ı", "i",
    "I", "Σ", "σ", "ς", "ǅ", "ﬁ", "K", "k", "é", "É", "🚀",
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

pub fn text(rng: &mut Rng) -> String {
    if rng.chance(0.3) {
        return rng.pick(&WORDS).to_string();
    }
    (0..rng.below(6)).map(|_| rng.pick(&ALPHABET)).collect()
}

fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Numbers around EventBridge's range and precision limits, in integer and float forms.
pub fn number(rng: &mut Rng) -> Value {
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

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0..=3 => Value::String(text(rng)),
        4 | 5 => number(rng),
        6 => Value::Bool(rng.chance(0.5)),
        _ => Value::Null,
    }
}

/// A valid wildcard: literal pieces (with `\*` and `\\` escapes) joined by single stars.
fn wildcard(rng: &mut Rng) -> String {
    let mut out = String::new();
    for i in 0..1 + rng.below(3) {
        if i > 0 {
            out.push('*');
        }
        for _ in 0..rng.below(3) {
            match rng.below(8) {
                0 => out.push_str("\\*"),
                1 => out.push_str("\\\\"),
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
pub fn gen_element(rng: &mut Rng) -> Value {
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

/// Each character in its lower- or upper-case form, at random (what equals-ignore-case
/// accepts).
fn recase(rng: &mut Rng, s: &str) -> String {
    s.chars()
        .map(|c| {
            if rng.chance(0.5) {
                c.to_lowercase().collect::<String>()
            } else {
                c.to_uppercase().collect()
            }
        })
        .collect()
}

/// Fills the stars of a wildcard with random text and resolves its escapes.
fn fill(rng: &mut Rng, w: &str) -> String {
    let mut out = String::new();
    let mut chars = w.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => out.push_str(&text(rng)),
            c => out.push(c),
        }
    }
    out
}

/// An event value for the pattern element `item`: one that satisfies it when `hit` (where
/// the generator knows how), otherwise an arbitrary one; `None` means "leave the field out".
pub fn leaf_value(rng: &mut Rng, item: &Value, hit: bool) -> Option<Value> {
    let value = if hit {
        satisfying(rng, item)?
    } else if rng.chance(0.15) {
        return None;
    } else {
        scalar(rng)
    };
    Some(if rng.chance(0.2) {
        let mut items: Vec<Value> = (0..rng.below(3)).map(|_| scalar(rng)).collect();
        let at = rng.below(items.len() as u64 + 1) as usize;
        items.insert(at, value);
        Value::Array(items)
    } else {
        value
    })
}

fn satisfying(rng: &mut Rng, item: &Value) -> Option<Value> {
    let Some((op, arg)) = item.as_object().and_then(|m| m.iter().next()) else {
        return Some(match item {
            Value::String(s) => Value::String(crate::ip::respell(rng, s)),
            Value::Number(n) if rng.chance(0.3) => n.as_f64().map_or(item.clone(), float),
            other => other.clone(),
        });
    };
    let s = arg.as_str().map(str::to_string);
    let inner = arg.get("equals-ignore-case").and_then(Value::as_str);
    let v = match (op.as_str(), s, inner) {
        ("prefix", Some(p), _) => format!("{p}{}", text(rng)),
        ("prefix", None, Some(p)) => format!("{}{}", recase(rng, p), text(rng)),
        ("suffix", Some(p), _) => format!("{}{p}", text(rng)),
        ("suffix", None, Some(p)) => format!("{}{}", text(rng), recase(rng, p)),
        ("equals-ignore-case", Some(p), _) => recase(rng, &p),
        ("wildcard", Some(w), _) => fill(rng, &w),
        ("numeric", ..) => return Some(numeric_value(rng, arg)),
        ("exists", ..) if arg == &Value::Bool(false) => {
            return rng.chance(0.3).then(|| json!({"nested": 1}));
        }
        ("cidr", Some(block), _) => crate::ip::inside(rng, &block),
        _ => return Some(scalar(rng)),
    };
    Some(Value::String(v))
}

/// A number inside (or on the edge of) a numeric range.
fn numeric_value(rng: &mut Rng, arg: &Value) -> Value {
    let items = arg.as_array().map(Vec::as_slice).unwrap_or_default();
    let bound = |i: usize| items.get(i).and_then(Value::as_f64);
    let lo = bound(1).unwrap_or(0.0);
    let x = match (items.first().and_then(Value::as_str), bound(3)) {
        (Some(">" | ">="), Some(hi)) => lo + (hi - lo) * rng.pick(&[0.0, 1e-9, 0.5, 1.0]),
        (Some("<" | "<="), _) => lo - rng.pick(&[0.0, 1e-7, 1e-6, 1.0, 1e9]),
        (Some(">" | ">="), None) => lo + rng.pick(&[0.0, 1e-7, 1e-6, 1.0, 1e9]),
        _ => lo + rng.pick(&[0.0, 0.0, 1e-7, 1e-6]),
    };
    float(x)
}

/// Random changes to an event: noise keys, dotted keys, arrays, nulls and empties.
pub fn mutate(rng: &mut Rng, value: &mut Value, depth: u32) {
    match value {
        Value::Object(map) => {
            if rng.chance(0.3) {
                let k = rng.pick(&[
                    "0",
                    "1",
                    "zz",
                    "constructor",
                    "__proto__",
                    "a.zz",
                    "detail.x",
                ]);
                map.insert(k.to_string(), scalar(rng));
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            for k in keys {
                if depth < 4 && rng.chance(0.12) {
                    flatten_one(map, &k);
                    continue;
                }
                if let Some(v) = map.get_mut(&k) {
                    mutate(rng, v, depth + 1);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mutate(rng, v, depth + 1)),
        _ => {}
    }
    match rng.below(40) {
        0 => *value = Value::Null,
        1 => *value = Value::Array(vec![value.take()]),
        2 => *value = json!([]),
        3 if value.is_object() => {
            let copy = value.clone();
            *value = Value::Array(vec![copy, json!({"other": 1})]);
        }
        _ => {}
    }
}

/// Replaces `map[k] = {"x": v, ...}` by dotted keys `map["k.x"] = v` (some or all of them).
fn flatten_one(map: &mut Map<String, Value>, k: &str) {
    let Some(Value::Object(inner)) = map.get(k).cloned() else {
        return;
    };
    let total = inner.len();
    let mut kept = Map::new();
    for (i, (ik, iv)) in inner.into_iter().enumerate() {
        if i % 2 == 0 || total == 1 {
            map.insert(format!("{k}.{ik}"), iv);
        } else {
            kept.insert(ik, iv);
        }
    }
    if kept.is_empty() {
        map.remove(k);
    } else {
        map.insert(k.to_string(), Value::Object(kept));
    }
}
