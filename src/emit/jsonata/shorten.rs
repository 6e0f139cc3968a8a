//! Shorter variable names for the embedded matcher: every variable the expression binds
//! (`$name :=`, or a `function($a, $b)` parameter) is renamed, consistently everywhere, to the
//! shortest name still free (`$a`, `$b`, ..., the most used first). The readable names stay in
//! the source; the template pays for every byte of the embedded text.
//!
//! A consistent rename preserves the meaning when every occurrence of a bound name refers to a
//! binding of the expression (true of the matcher: it uses no variable it does not bind, except
//! JSONata's built-in functions, which are never renamed) and when no new name is already used.

use std::collections::{BTreeMap, BTreeSet};

use super::minify::{tokens, Kind, LexError, Token};

/// JSONata 2.0.6's built-in functions and Step Functions' additions: never renamed, never
/// chosen as a new name.
const BUILT_INS: &[&str] = &[
    "$sum",
    "$count",
    "$max",
    "$min",
    "$average",
    "$string",
    "$substring",
    "$substringBefore",
    "$substringAfter",
    "$lowercase",
    "$uppercase",
    "$length",
    "$trim",
    "$pad",
    "$contains",
    "$split",
    "$join",
    "$match",
    "$replace",
    "$now",
    "$millis",
    "$fromMillis",
    "$toMillis",
    "$formatNumber",
    "$formatBase",
    "$formatInteger",
    "$parseInteger",
    "$number",
    "$floor",
    "$ceil",
    "$round",
    "$abs",
    "$sqrt",
    "$power",
    "$random",
    "$boolean",
    "$not",
    "$exists",
    "$keys",
    "$lookup",
    "$spread",
    "$merge",
    "$sift",
    "$each",
    "$error",
    "$assert",
    "$type",
    "$append",
    "$reverse",
    "$shuffle",
    "$distinct",
    "$sort",
    "$zip",
    "$map",
    "$filter",
    "$single",
    "$reduce",
    "$base64encode",
    "$base64decode",
    "$encodeUrlComponent",
    "$encodeUrl",
    "$decodeUrlComponent",
    "$decodeUrl",
    "$eval",
    "$clone",
    "$partition",
    "$range",
    "$hash",
    "$uuid",
    "$parse",
];

/// Names the states that embed the matcher use around it: never chosen as a new name.
const RESERVED: &[&str] = &["$states", "$matches", "$s"];

fn is_variable(t: &Token<'_>) -> bool {
    t.kind == Kind::Word && t.text.len() > 1 && t.text.starts_with('$') && t.text != "$$"
}

/// Candidate short names: `$a`..`$z`, `$A`..`$Z`, then `$a0`, `$a1`, ...
fn candidates() -> impl Iterator<Item = String> {
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
    let singles = letters.clone().into_iter().map(|c| format!("${c}"));
    let doubles = letters
        .into_iter()
        .flat_map(|c| (0..10).map(move |d| format!("${c}{d}")));
    singles.chain(doubles)
}

/// The renaming: each bound variable to a short free name, most used first.
pub fn renames(src: &str) -> Result<BTreeMap<String, String>, LexError> {
    let toks = tokens(src)?;
    let mut binds = BTreeSet::new();
    for (i, t) in toks.iter().enumerate() {
        if !is_variable(t) || BUILT_INS.contains(&t.text) {
            continue;
        }
        let assigned = toks.get(i + 1).is_some_and(|n| n.text == ":=");
        if assigned || in_parameters(&toks, i) {
            binds.insert(t.text);
        }
    }
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for t in toks.iter().filter(|t| is_variable(t)) {
        *uses.entry(t.text).or_default() += 1;
    }
    let mut order: Vec<&str> = binds.into_iter().collect();
    order.sort_by_key(|name| (std::cmp::Reverse(uses[name]), *name));
    let taken: BTreeSet<&str> = uses
        .keys()
        .copied()
        .chain(BUILT_INS.iter().copied())
        .chain(RESERVED.iter().copied())
        .collect();
    let mut fresh = candidates().filter(|c| !taken.contains(c.as_str()));
    Ok(order
        .into_iter()
        .map(|name| (name.to_owned(), fresh.next().expect("enough short names")))
        .collect())
}

/// Whether the variable at `i` is a parameter: inside `function ( ... )`.
fn in_parameters(toks: &[Token<'_>], i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        match toks[j].text {
            "(" => return j > 0 && toks[j - 1].text == "function",
            "," => {}
            _ if is_variable(&toks[j]) => {}
            _ => return false,
        }
    }
    false
}
