//! Reading a client's message as API Gateway does. Its Java JSON parser accepts escapes of
//! unpaired UTF-16 surrogates (`"\ud800"`), which serde_json refuses; such a message is still
//! routed by its selection field. Each unpaired surrogate escape is read as U+FFFD, which
//! keeps every length the stack measures (one UTF-16 unit either way) and every route.

use serde_json::Value;

/// The message as JSON, or `None` when API Gateway would not read it as JSON either.
pub(crate) fn parse(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok().or_else(|| {
        text.contains("\\u")
            .then(|| serde_json::from_str(&replace_lone_surrogates(text)).ok())?
    })
}

/// `text` with every `\uXXXX` escape of an unpaired surrogate replaced by `\ufffd`.
fn replace_lone_surrogates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match surrogate_at(rest) {
            Some(0xD800..=0xDBFF) => {
                let paired =
                    surrogate_at(&rest[6..]).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low));
                if paired {
                    out.push_str(&rest[..12]);
                    rest = &rest[12..];
                } else {
                    out.push_str("\\ufffd");
                    rest = &rest[6..];
                }
            }
            Some(_) => {
                out.push_str("\\ufffd");
                rest = &rest[6..];
            }
            // Any other escape (`\\` included) is copied whole, so `\\ud800` stays text.
            None => {
                let len = rest[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The surrogate a `\uXXXX` escape at the start of `s` encodes, if it is one.
fn surrogate_at(s: &str) -> Option<u32> {
    let hex = s.strip_prefix("\\u")?.get(..4)?;
    let unit = u32::from_str_radix(hex, 16).ok()?;
    (0xD800..=0xDFFF).contains(&unit).then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unpaired_surrogates_read_as_replacement_characters() {
        assert_eq!(parse(r#"{"a":"\ud800"}"#), Some(json!({"a": "\u{fffd}"})));
        assert_eq!(
            parse(r#"{"a":"\udc00x\ud800"}"#),
            Some(json!({"a": "\u{fffd}x\u{fffd}"}))
        );
        assert_eq!(parse(r#"{"a":"\ud83d\ude00"}"#), Some(json!({"a": "😀"})));
        assert_eq!(parse(r#"{"a":"\\ud800"}"#), Some(json!({"a": "\\ud800"})));
        assert_eq!(parse(r#"{"a":"é\ud800"}"#), Some(json!({"a": "é\u{fffd}"})));
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"a":"\ud800"#), None);
    }
}
