//! Topic examples: events each pattern must match or ignore, tested offline with
//! EventBridge's matching rules, so a pattern that does not do what its author meant fails
//! `check` instead of silently delivering the wrong events.

use std::path::Path;

use serde_json::Value;

use super::ctx::Ctx;
use super::patterns::TopicPatterns;
use crate::diagnostic::{Code, Diagnostic};
use crate::path::{self, PathSeg};
use crate::spec::Spec;

/// Largest example file read.
const MAX_EXAMPLE_BYTES: u64 = 1024 * 1024;

/// Tests every example of every topic whose pattern is valid.
pub(super) fn check_examples(
    cx: &mut Ctx<'_>,
    spec: &Spec,
    patterns: &TopicPatterns,
    dir: Option<&Path>,
) {
    for (i, (name, topic)) in spec.topics.iter().enumerate() {
        let Some(examples) = &topic.examples else {
            continue;
        };
        let Some(pattern) = patterns.get(i) else {
            continue;
        };
        for (list, expected) in [
            ("matches", &examples.matches),
            ("ignores", &examples.ignores),
        ] {
            for (i, example) in expected.iter().enumerate() {
                let at = [
                    super::ctx::path(&["topics", name, "examples", list]),
                    vec![PathSeg::Index(i)],
                ]
                .concat();
                let span = cx.doc.span(&at, false);
                let event = match example {
                    Value::String(file) => match load(dir, file) {
                        Ok(e) => e,
                        Err(msg) => {
                            cx.push(
                                Diagnostic::error(
                                    Code::ExampleFile,
                                    format!("topic `{name}`: {msg}"),
                                )
                                .at(span),
                            );
                            continue;
                        }
                    },
                    inline => inline.clone(),
                };
                let outcome = pattern.explain(&event);
                let want_match = list == "matches";
                match (want_match, outcome) {
                    (true, Some(field)) => {
                        let pattern_at = [
                            super::ctx::path(&["topics", name, "pattern"]),
                            field.clone(),
                        ]
                        .concat();
                        let (line, _) = line_col(cx, &pattern_at);
                        cx.push(
                            Diagnostic::error(Code::ExampleNotMatched, format!("topic `{name}`: this example should match, but the pattern's `{}` rejects it", path::render(&field)))
                                .at(span)
                                .label("not matched")
                                .help(format!("the pattern field is on line {line}; fix the pattern or move the example to `ignores`")),
                        );
                    }
                    (false, None) => {
                        cx.push(
                            Diagnostic::error(Code::ExampleNotIgnored, format!("topic `{name}`: this example should be ignored, but the pattern matches it"))
                                .at(span)
                                .label("matched")
                                .help("every field of the pattern accepts it: narrow the pattern or move the example to `matches`"),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

fn line_col(cx: &Ctx<'_>, path: &[PathSeg]) -> (usize, usize) {
    let span = cx.doc.span(path, true);
    cx.doc.line_col(span.start)
}

/// Reads one example event from `file`, relative to the spec's folder.
fn load(dir: Option<&Path>, file: &str) -> Result<Value, String> {
    let Some(dir) = dir else {
        return Err(format!(
            "example file `{file}` cannot be resolved: the spec was not read from a file"
        ));
    };
    let path = dir.join(file);
    let meta = std::fs::metadata(&path)
        .map_err(|e| format!("cannot read example file `{}`: {e}", path.display()))?;
    if meta.len() > MAX_EXAMPLE_BYTES {
        return Err(format!(
            "example file `{}` is over {MAX_EXAMPLE_BYTES} bytes",
            path.display()
        ));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read example file `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "example file `{}` is not one JSON event: {e}",
            path.display()
        )
    })
}
