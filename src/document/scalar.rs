//! Plain-scalar resolution with the YAML 1.2 core schema (so `on`/`yes`/`no` stay strings).

use super::node::NodeKind;

/// What a plain (unquoted) scalar means.
pub(super) fn resolve_plain(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(i) = i64::from_str_radix(hex, 16) {
                return NodeKind::Int(i);
            }
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            if let Ok(i) = i64::from_str_radix(oct, 8) {
                return NodeKind::Int(i);
            }
        }
    }
    if is_int(text) {
        return match text.parse::<i64>() {
            Ok(i) => NodeKind::Int(i),
            Err(_) => text
                .parse::<f64>()
                .map_or(NodeKind::Str(text.to_owned()), NodeKind::Float),
        };
    }
    if is_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return NodeKind::Float(f);
        }
    }
    NodeKind::Str(text.to_owned())
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
    }
}
