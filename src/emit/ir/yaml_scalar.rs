//! Scalars of the YAML template: when a key or string can be written plain, how to quote
//! it otherwise, and any other value on one line as JSON.
//!
//! Everything is written straight into the template's byte buffer: JSON is serialized in
//! place, and checked for characters YAML must not see raw (see [`escape_breaks`]) only
//! after it is written.

use serde::Serialize;

/// A mapping key: plain when it is a plain word (every key CloudFormation uses), else JSON.
pub(crate) fn push_key(out: &mut Vec<u8>, k: &str) {
    push_string(out, k);
}

/// A string value on one line: plain when it reads back unchanged, else quoted.
pub(crate) fn push_string(out: &mut Vec<u8>, s: &str) {
    if plain(s) {
        out.extend_from_slice(s.as_bytes());
    } else {
        push_quoted(out, s);
    }
}

/// Any value on one line, as JSON (which YAML reads as a flow collection or a
/// double-quoted scalar).
pub(crate) fn push_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let start = out.len();
    serde_json::to_writer(&mut *out, v).expect("template values serialize");
    escape_breaks(out, start);
}

/// A string that cannot be plain: single-quoted when that is shorter and safe (minified JSON
/// is full of `"`, which a JSON string escapes and a single-quoted scalar does not), else JSON.
/// Both lengths are counted before either form is built: definitions run to tens of KB.
fn push_quoted(out: &mut Vec<u8>, s: &str) {
    match single_quotable(s) {
        Some((quotes, json_escapes)) if quotes < json_escapes => {
            out.reserve(s.len() + quotes + 2);
            out.push(b'\'');
            for (i, part) in s.split('\'').enumerate() {
                if i > 0 {
                    out.extend_from_slice(b"''");
                }
                out.extend_from_slice(part.as_bytes());
            }
            out.push(b'\'');
        }
        _ => push_json(out, s),
    }
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
/// YAML escape too) in the JSON written from `start` on; they only occur inside strings.
fn escape_breaks(out: &mut Vec<u8>, start: usize) {
    let json = &out[start..];
    // Each of them is DEL or outside ASCII: most texts have none.
    if json.is_ascii() && !json.contains(&0x7f) {
        return;
    }
    let json = String::from_utf8(out.split_off(start)).expect("serde_json writes UTF-8");
    let mut buf = [0; 4];
    for c in json.chars() {
        if unprintable(c) {
            out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
        } else {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
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
    use serde_json::Value;

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
            let mut out = b"k: ".to_vec();
            push_string(&mut out, s);
            let back: serde_json::Value = serde_yaml::from_slice(&out).unwrap();
            assert_eq!(
                back["k"],
                Value::from(s),
                "{}",
                String::from_utf8_lossy(&out)
            );
        }
    }

    /// A long string full of `"` is single-quoted: shorter than JSON's escapes.
    #[test]
    fn json_text_is_single_quoted() {
        let mut out = Vec::new();
        push_string(&mut out, r#"{"a":"b","c":"d"}"#);
        assert_eq!(out, br#"'{"a":"b","c":"d"}'"#);
    }
}
