//! Paths into a spec or an event pattern: one step type, one rendering.
//!
//! The document, the schema check, the pattern grammar and the analysis all locate things
//! with a `&[PathSeg]`; diagnostics and `test-pattern` print them with [`render`].

use std::fmt::Write;

/// One step of a path: a mapping (object) key or a sequence (array) index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A mapping key.
    Key(String),
    /// A zero-based sequence index.
    Index(usize),
}

/// A path made only of keys (what most spec locations are).
pub(crate) fn keys(segs: &[&str]) -> Vec<PathSeg> {
    segs.iter().map(|s| PathSeg::Key((*s).to_owned())).collect()
}

/// Renders a path for people: `$` is the root (of the spec, or of a pattern), then `.key`
/// for each key and `[n]` for each index: `$.api.routes.subscribe.do`,
/// `$.detail.amount[0].numeric`.
///
/// A key made of anything but ASCII letters, digits, `_`, `-` and `$` (or an empty key) is
/// written as a JSON string, `$.detail."a.b"`, so a rendering never reads two ways.
pub fn render(path: &[PathSeg]) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            PathSeg::Key(key) if is_plain(key) => {
                out.push('.');
                out.push_str(key);
            }
            PathSeg::Key(key) => {
                out.push('.');
                out.push_str(&serde_json::Value::from(key.as_str()).to_string());
            }
            PathSeg::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_keys_indices_and_odd_keys() {
        assert_eq!(render(&[]), "$");
        let path = [
            PathSeg::Key("api".into()),
            PathSeg::Key("$connect".into()),
            PathSeg::Key("detail-type".into()),
            PathSeg::Index(2),
        ];
        assert_eq!(render(&path), "$.api.$connect.detail-type[2]");
        let odd = [PathSeg::Key("a.b".into()), PathSeg::Key(String::new())];
        assert_eq!(render(&odd), r#"$."a.b"."""#);
    }
}
