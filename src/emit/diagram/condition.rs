//! Choice conditions, shortened for a transition label: a JSONPath rule as a small
//! expression (`$.progress.pages >= 19`), a JSONata condition cut to its decisive part.

use serde_json::Value;

use super::text::{shorten, MAX_LABEL};

/// A JSONPath Choice rule (`{"Variable": …, "<Operator>": …}`, or `And`/`Or`/`Not`), as
/// `$.a == "x" and $.b absent`.
pub(super) fn rule(rule: &Value) -> String {
    shorten(&describe(rule), MAX_LABEL)
}

fn describe(rule: &Value) -> String {
    let Some(fields) = rule.as_object() else {
        return rule.to_string();
    };
    for (key, joiner) in [("And", " and "), ("Or", " or ")] {
        if let Some(parts) = fields.get(key).and_then(Value::as_array) {
            let parts: Vec<String> = parts.iter().map(operand).collect();
            return parts.join(joiner);
        }
    }
    if let Some(inner) = fields.get("Not") {
        return format!("not {}", operand(inner));
    }
    let var = fields
        .get("Variable")
        .and_then(Value::as_str)
        .unwrap_or("?");
    fields
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "Variable" | "Next"))
        .map_or_else(|| var.to_owned(), |(op, v)| comparison(var, op, v))
}

/// A rule inside `And`/`Or`/`Not`, parenthesised when it is itself a combination.
fn operand(rule: &Value) -> String {
    let combined = ["And", "Or"].iter().any(|k| rule.get(k).is_some());
    let text = describe(rule);
    if combined {
        format!("({text})")
    } else {
        text
    }
}

fn comparison(var: &str, op: &str, value: &Value) -> String {
    let yes = value.as_bool().unwrap_or(true);
    match op {
        "IsPresent" => format!("{var} {}", if yes { "present" } else { "absent" }),
        "IsNull" => format!("{var} {}", if yes { "is null" } else { "not null" }),
        _ if op.starts_with("Is") => {
            let kind = op[2..].to_ascii_lowercase();
            format!("{var} {} {kind}", if yes { "is" } else { "is not" })
        }
        _ => {
            let (base, path) = op.strip_suffix("Path").map_or((op, false), |b| (b, true));
            let shown = match value.as_str() {
                Some(p) if path => p.to_owned(),
                _ => value.to_string(),
            };
            format!("{var} {} {shown}", symbol(base))
        }
    }
}

/// The operator's symbol; an operator this list does not know is shown by name.
fn symbol(op: &str) -> &str {
    const SUFFIXES: [(&str, &str); 5] = [
        ("GreaterThanEquals", ">="),
        ("LessThanEquals", "<="),
        ("GreaterThan", ">"),
        ("LessThan", "<"),
        ("Equals", "=="),
    ];
    if op == "StringMatches" {
        return "matches";
    }
    SUFFIXES
        .iter()
        .find(|(suffix, _)| op.ends_with(suffix))
        .map_or(op, |(_, sym)| sym)
}

/// A JSONata condition (`{% … %}`): each top-level block `(a; b; c)` stands for its value
/// `c`; when that is still long, nested groups become `(…)` and a long left side of a
/// comparison keeps its first term (`$length(…) + … > 131072`).
pub(super) fn jsonata(condition: &str) -> String {
    let expr = condition.trim();
    let expr = expr
        .strip_prefix("{%")
        .and_then(|e| e.strip_suffix("%}"))
        .unwrap_or(expr)
        .trim();
    let expr = unwrap_blocks(expr);
    if expr.chars().count() <= MAX_LABEL {
        return expr;
    }
    let collapsed = collapse_groups(&expr);
    if collapsed.chars().count() <= MAX_LABEL {
        return collapsed;
    }
    shorten(&first_term(&collapsed), MAX_LABEL)
}

/// Byte offsets and characters of `text` at bracket depth 0 (brackets themselves included
/// when they open or close a depth-0 group), outside string literals.
fn top_level(text: &str) -> Vec<(usize, char)> {
    let (mut depth, mut quote) = (0i32, None);
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                if depth == 0 {
                    out.push((i, c));
                }
                depth += 1;
            }
            (None, ')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    out.push((i, c));
                }
            }
            (None, c) if depth == 0 => out.push((i, c)),
            _ => {}
        }
    }
    out
}

/// Every depth-0 `( … ; last)` replaced by `last`.
fn unwrap_blocks(expr: &str) -> String {
    let tops = top_level(expr);
    let mut out = String::new();
    let mut copied = 0;
    let opens = tops.iter().filter(|&&(_, c)| c == '(');
    for &(open, _) in opens {
        let Some(&(close, _)) = tops.iter().find(|&&(i, c)| i > open && c == ')') else {
            break;
        };
        let inner = &expr[open + 1..close];
        let Some(&(semi, _)) = top_level(inner).iter().rev().find(|&&(_, c)| c == ';') else {
            continue;
        };
        out.push_str(&expr[copied..open]);
        out.push_str(inner[semi + 1..].trim());
        copied = close + 1;
    }
    out.push_str(&expr[copied..]);
    out
}

/// Every bracketed group's contents replaced by `…`.
fn collapse_groups(expr: &str) -> String {
    let (mut depth, mut quote) = (0i32, None);
    let mut out = String::new();
    for c in expr.chars() {
        let keep = depth == 0;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                depth += 1;
                if depth == 1 {
                    out.push(c);
                    out.push('…');
                }
                continue;
            }
            (None, ')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    out.push(c);
                }
                continue;
            }
            _ => {}
        }
        if keep {
            out.push(c);
        }
    }
    out
}

/// `a + b + c > 1` → `a + … > 1`: the first term of a comparison's long left side.
fn first_term(expr: &str) -> String {
    const COMPARISONS: [&str; 7] = [" >= ", " <= ", " != ", " > ", " < ", " = ", " in "];
    let tops = top_level(expr);
    let at = |pat: &str| {
        tops.iter()
            .map(|&(i, _)| i)
            .find(|&i| expr[i..].starts_with(pat))
            .map(|i| (i, pat.len()))
    };
    let Some((cmp, len)) = COMPARISONS.iter().find_map(|p| at(p)) else {
        return expr.to_owned();
    };
    let joiners = [" + ", " - ", " & ", " and ", " or "];
    let first = joiners
        .iter()
        .filter_map(|p| at(p).filter(|&(i, _)| i < cmp))
        .min();
    match first {
        Some((end, joiner_len)) => format!(
            "{} {} … {} {}",
            &expr[..end],
            expr[end..end + joiner_len].trim(),
            expr[cmp..cmp + len].trim(),
            expr[cmp + len..].trim()
        ),
        None => expr.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jsonpath_rules_read_as_expressions() {
        let r = json!({"Variable": "$.progress", "IsPresent": false, "Next": "X"});
        assert_eq!(rule(&r), "$.progress absent");
        let r = json!({"Variable": "$.pages", "NumericGreaterThanEquals": 19});
        assert_eq!(rule(&r), "$.pages >= 19");
        let r = json!({"And": [
            {"Variable": "$.topic", "StringEquals": "*"},
            {"Or": [{"Variable": "$.a", "IsNull": true}, {"Not": {"Variable": "$.b", "IsString": true}}]}
        ]});
        assert_eq!(
            rule(&r),
            r#"$.topic == "*" and ($.a is null or not $.b is s…"#
        );
        let r = json!({"Variable": "$.a", "StringEqualsPath": "$.b"});
        assert_eq!(rule(&r), "$.a == $.b");
    }

    #[test]
    fn jsonata_keeps_the_decisive_part() {
        assert_eq!(jsonata("{% $states.input.n > 3 %}"), "$states.input.n > 3");
        assert_eq!(jsonata("{% ($a := 1; $a = 1) %}"), "$a = 1");
        let size = "{% ($s := $string({'e': $states.input.event}); $length($s) + \
                    $length($replace($s, /[\\x00-\\x7F]+/, '')) + \
                    $length($replace($s, /[\\x00-\\u07FF]+/, '')) + \
                    $length($replace($s, /[^\\uD800-\\uDBFF]+/, ''))) > 131072 %}";
        assert_eq!(jsonata(size), "$length(…) + … > 131072");
    }
}
