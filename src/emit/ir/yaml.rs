//! The template as compact YAML: block style for the outline a reviewer scans (sections,
//! resources, their attributes, each property), and every property value on one line as JSON,
//! which YAML reads as a flow collection or a double-quoted scalar.
//!
//! That keeps a diff per property while the template stays small enough for CloudFormation's
//! 51,200-byte inline limit (block YAML spends most of its bytes on indentation).

use serde_json::Value;

/// Top-level sections whose entries are written in block style, each entry's fields too.
pub(crate) const BLOCK_SECTIONS: [&str; 3] = ["Parameters", "Resources", "Outputs"];

/// `template` (a JSON object, in order) as YAML text.
pub fn template_yaml(template: &Value) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let Value::Object(sections) = template else {
        push_flow(&mut out, template);
        out.push('\n');
        return out;
    };
    for (section, value) in sections {
        push_key(&mut out, section);
        match value {
            Value::Object(entries) if BLOCK_SECTIONS.contains(&section.as_str()) => {
                out.push_str(":\n");
                for (name, entry) in entries {
                    out.push_str("  ");
                    push_key(&mut out, name);
                    out.push_str(":\n");
                    entry_fields(entry, &mut out);
                }
            }
            _ => push_line_value(&mut out, value),
        }
    }
    out
}

/// A resource's, parameter's or output's fields at depth 2; `Properties` one more level down.
fn entry_fields(entry: &Value, out: &mut String) {
    let Value::Object(fields) = entry else {
        out.push_str("    ");
        push_flow(out, entry);
        out.push('\n');
        return;
    };
    for (field, value) in fields {
        match value {
            Value::Object(props) if field == "Properties" && !props.is_empty() => {
                out.push_str("    Properties:\n");
                for (name, v) in props {
                    out.push_str("      ");
                    push_key(out, name);
                    push_line_value(out, v);
                }
            }
            _ => {
                out.push_str("    ");
                push_key(out, field);
                push_line_value(out, value);
            }
        }
    }
}

/// `: <value>` and the line's end, after a key.
fn push_line_value(out: &mut String, v: &Value) {
    out.push_str(": ");
    push_flow(out, v);
    out.push('\n');
}

/// A mapping key: plain when it is a plain word (every key CloudFormation uses), else JSON.
fn push_key(out: &mut String, k: &str) {
    if plain(k) {
        out.push_str(k);
    } else {
        out.push_str(&json_string(k));
    }
}

/// A value on one line: a plain scalar when unambiguous, else JSON.
fn push_flow(out: &mut String, v: &Value) {
    match v {
        Value::String(s) if plain(s) => out.push_str(s),
        Value::String(s) => out.push_str(&json_string(s)),
        other => {
            let json = serde_json::to_vec(other).expect("a Value serializes");
            let json = String::from_utf8(json).expect("serde_json writes UTF-8");
            out.push_str(&escape_breaks(json));
        }
    }
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

/// When `s` can be single-quoted (no control character, line or paragraph separator or
/// byte-order mark, no leading or trailing space): its count of `'` (doubled when quoted)
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
            _ => {}
        }
    }
    Some((quotes, escapes))
}

/// JSON leaves U+0085, U+2028, U+2029 and U+FEFF as they are; YAML 1.1 readers (PyYAML,
/// cfn-lint) take the first three for line breaks and the last for a byte-order mark, so
/// they are escaped (the JSON escape is a YAML escape too). They only occur inside strings.
fn escape_breaks(json: String) -> String {
    // Each of them is encoded with a lead byte 0xC2, 0xE2 or 0xEF: most texts have none.
    if !json.bytes().any(|b| matches!(b, 0xc2 | 0xe2 | 0xef))
        || !json.contains(['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'])
    {
        return json;
    }
    json.chars()
        .map(|c| match c {
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        })
        .collect()
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
    use serde_json::json;

    #[test]
    fn reads_back_as_the_same_document() {
        let t = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": "a: b # not a comment",
            "Resources": { "Api": { "Type": "AWS::ApiGatewayV2::Api", "Properties": {
                "Name": { "Fn::Sub": "${NamePrefix}" }, "On": "on", "Yes": "Yes", "N": 1,
                "Text": "line\u{2028}break\u{feff}", "Empty": "", "Key:": "x:", "Route": "$default"
            } } },
            "Outputs": { "Url": { "Description": "d", "Value": { "Ref": "Api" } } }
        });
        let text = template_yaml(&t);
        let back: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, t, "{text}");
        assert!(
            text.contains("    Type: AWS::ApiGatewayV2::Api\n"),
            "{text}"
        );
        assert!(text.contains("      Route: $default\n"), "{text}");
    }
}
