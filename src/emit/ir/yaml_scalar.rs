//! Scalars of the YAML template: when a key or string can be written plain, how to quote
//! it otherwise, and any other value on one line as JSON.

use serde::Serialize;
use serde_json::Value;

/// A mapping key: plain when it is a plain word (every key CloudFormation uses), else JSON.
pub(crate) fn push_key(out: &mut String, k: &str) {
    if plain(k) {
        out.push_str(k);
    } else {
        out.push_str(&json_string(k));
    }
}

/// A string value on one line: plain when it reads back unchanged, else quoted.
pub(crate) fn push_string(out: &mut String, s: String) {
    if plain(&s) {
        out.push_str(&s);
    } else {
        out.push_str(&json_string(&s));
    }
}

/// Any value on one line, as JSON (which YAML reads as a flow collection or a
/// double-quoted scalar).
pub(crate) fn push_json<T: Serialize + ?Sized>(out: &mut String, v: &T) {
    let json = serde_json::to_vec(v).expect("template values serialize");
    let json = String::from_utf8(json).expect("serde_json writes UTF-8");
    out.push_str(&escape_breaks(json));
}

/// A string that cannot be plain: single-quoted when that is shorter and safe (minified JSON
/// is full of `"`, which a JSON string escapes and a single-quoted scalar does not), else JSON.
/// Both lengths are counted before either form is built: definitions run to tens of KB.
fn json_string(s: &str) -> String {
    let Some((quotes, json_escapes)) = single_quotable(s) else {
        return escape_breaks(Value::from(s).to_string());
    };
    if quotes >= json_escapes {
        return escape_breaks(Value::from(s).to_string());
    }
    let mut out = String::with_capacity(s.len() + quotes + 2);
    out.push('\'');
    for (i, part) in s.split('\'').enumerate() {
        if i > 0 {
            out.push_str("''");
        }
        out.push_str(part);
    }
    out.push('\'');
    out
}

/// When `s` can be single-quoted (no control character, line or paragraph separator,
/// byte-order mark or noncharacter U+FFFE/U+FFFF, no leading or trailing space): its count of `'` (doubled when quoted)
/// and of `"` and `\` (escaped in JSON). One pass over the bytes.
fn single_quotable(s: &str) -> Option<(usize, usize)> {
    if s.starts_with(' ') || s.ends_with(' ') {
        return None;
    }
    let b = s.as_bytes();
    let (mut quotes, mut escapes) = (0, 0);
    for (i, &c) in b.iter().enumerate() {
        // Nearly every byte is printable ASCII with nothing to count.
        if (0x20..0x7f).contains(&c) && !matches!(c, b'\'' | b'"' | b'\\') {
            continue;
        }
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match c {
            b'\'' => quotes += 1,
            b'"' | b'\\' => escapes += 1,
            // C0 controls and DEL; C1 controls (U+0080..U+009F, U+0085 among them).
            0..=0x1f | 0x7f => return None,
            0xc2 if (0x80..=0x9f).contains(&next(1)) => return None,
            // U+2028, U+2029; U+FEFF.
            0xe2 if next(1) == 0x80 && matches!(next(2), 0xa8 | 0xa9) => return None,
            0xef if next(1) == 0xbb && next(2) == 0xbf => return None,
            // U+FFFE, U+FFFF.
            0xef if next(1) == 0xbf && matches!(next(2), 0xbe | 0xbf) => return None,
            _ => {}
        }
    }
    Some((quotes, escapes))
}

/// JSON leaves some characters as they are that YAML must not see raw: U+0085, U+2028 and
/// U+2029, which YAML 1.1 readers (PyYAML, cfn-lint) take for line breaks; U+FEFF, a
/// byte-order mark; and DEL, the other C1 controls, U+FFFE and U+FFFF, outside YAML's
/// printable set (https://yaml.org/spec/1.1/#id868524). They are escaped (a JSON escape is a
/// YAML escape too); they only occur inside strings.
fn escape_breaks(json: String) -> String {
    // Each of them is DEL or has the lead byte 0xC2, 0xE2 or 0xEF: most texts have none.
    if !json.bytes().any(|b| matches!(b, 0x7f | 0xc2 | 0xe2 | 0xef)) || !json.contains(unprintable)
    {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unprintable(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters a YAML document must not hold raw (see [`escape_breaks`]).
fn unprintable(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// Whether `s` reads back as the same string when written plain: a letter, `_`, `$` or `/`
/// first, then letters, digits and `_ . / : $ @ -`, and not a word YAML 1.1 reads as a
/// boolean or null.
fn plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let first_ok = bytes
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'$' | b'/'));
    let rest_ok = bytes[1.min(bytes.len())..].iter().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b':' | b'$' | b'@' | b'-')
    });
    let special = s.len() <= 5
        && ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(s));
    first_ok && rest_ok && !special && !s.ends_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string, written as a YAML value, reads back as itself.
    #[test]
    fn strings_read_back_unchanged() {
        let strings = [
            "",
            "on",
            "Yes",
            "null",
            "N",
            "x:",
            "a: b # not a comment",
            "$default",
            "line\u{2028}break",
            "\u{feff}bom",
            "tab\there",
            "nel\u{85}",
            "c1\u{9f}",
            "del\u{7f}",
            "nc\u{ffff}\u{fffe}",
            "{\"x\":\"\u{ffff}\"}",
            "'quoted'",
            "it's",
            "\"q\"",
            " lead",
            "trail ",
            "{\"a\":\"b\",\"c\":'d'}",
            "back\\slash",
            "ünïcode",
            "#hash",
            "- dash",
            "1.5",
            "arn:aws:states:::dynamodb:getItem",
            "@at",
            "%pct",
            "&amp",
            "*star",
            "!bang",
            "|pipe",
            ">gt",
        ];
        for s in strings {
            let mut out = String::from("k: ");
            push_string(&mut out, s.to_owned());
            let back: serde_json::Value = serde_yaml::from_str(&out).unwrap();
            assert_eq!(back["k"], Value::from(s), "{out}");
        }
    }

    /// A long string full of `"` is single-quoted: shorter than JSON's escapes.
    #[test]
    fn json_text_is_single_quoted() {
        let mut out = String::new();
        push_string(&mut out, r#"{"a":"b","c":"d"}"#.to_owned());
        assert_eq!(out, r#"'{"a":"b","c":"d"}'"#);
    }
}
