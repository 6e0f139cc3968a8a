//! Plain-scalar resolution with the YAML 1.2 core schema (so `on`/`yes`/`no` stay strings).

use std::borrow::Cow;

use super::node::NodeKind;

/// What a plain (unquoted) scalar means. A string keeps the parser's own copy of the text.
pub(super) fn resolve_plain(text: Cow<'_, str>) -> NodeKind {
    // Most plain scalars are words: a letter that starts no null, boolean or number.
    let word =
        |b: &u8| b.is_ascii_alphabetic() && !matches!(b, b'n' | b'N' | b't' | b'T' | b'f' | b'F');
    if text.as_bytes().first().is_some_and(word) {
        return NodeKind::Str(text.into_owned());
    }
    match resolve_other(&text) {
        Some(kind) => kind,
        None => NodeKind::Str(text.into_owned()),
    }
}

/// A null, boolean or number, or `None` for a string.
fn resolve_other(text: &str) -> Option<NodeKind> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => NodeKind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => NodeKind::Float(f64::NAN),
        _ => return resolve_number(text),
    })
}

/// An integer or float, or `None`.
fn resolve_number(text: &str) -> Option<NodeKind> {
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(i) = i64::from_str_radix(hex, 16) {
                return Some(NodeKind::Int(i));
            }
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            if let Ok(i) = i64::from_str_radix(oct, 8) {
                return Some(NodeKind::Int(i));
            }
        }
    }
    if is_int(text) {
        return match text.parse::<i64>() {
            Ok(i) => Some(NodeKind::Int(i)),
            Err(_) => text.parse::<f64>().ok().map(NodeKind::Float),
        };
    }
    if is_float(text) {
        return text.parse::<f64>().ok().map(NodeKind::Float);
    }
    None
}

fn is_int(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let mut i = 0;
    let int_digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_plain(text: &str) -> NodeKind {
        super::resolve_plain(text.into())
    }

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain("~"), NodeKind::Null);
        assert_eq!(resolve_plain("True"), NodeKind::Bool(true));
        assert_eq!(resolve_plain("yes"), NodeKind::Str("yes".into()));
        assert_eq!(resolve_plain("-12"), NodeKind::Int(-12));
        assert_eq!(resolve_plain("0x1F"), NodeKind::Int(31));
        assert_eq!(resolve_plain("1.5e3"), NodeKind::Float(1500.0));
        assert_eq!(resolve_plain("1.2.3"), NodeKind::Str("1.2.3".into()));
        assert_eq!(resolve_plain("2h"), NodeKind::Str("2h".into()));
        assert_eq!(resolve_plain("99999999999999999999"), NodeKind::Float(1e20));
        assert_eq!(resolve_plain("e5"), NodeKind::Str("e5".into()));
        assert_eq!(resolve_plain("NaN"), NodeKind::Str("NaN".into()));
        assert_eq!(resolve_plain("nULL"), NodeKind::Str("nULL".into()));
        assert_eq!(resolve_plain("0o17"), NodeKind::Int(15));
    }
}
