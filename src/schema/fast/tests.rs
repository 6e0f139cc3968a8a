//! The interpreter's verdict equals the compiled validator's on every spec in `specs/`, every
//! spec in `specs/invalid/`, and every single-node mutation of the specs (each value replaced
//! by values of every JSON type and edge sizes, each key removed, an unknown key added). The
//! fuzz target checks the same equality on every input it tries (`cfg(fuzzing)` in
//! `schema::check`).

use serde_json::{json, Value};

use super::{pointer, unsupported_keywords, valid};
use crate::document;
use crate::source::read_source;

/// The published schema, annotations included.
fn published() -> &'static Value {
    super::super::schema()
}

/// The stripped schema the fast path reads.
fn schema() -> &'static Value {
    super::schema()
}

#[test]
fn the_embedded_schema_is_the_published_one_stripped() {
    let mut stripped = published().clone();
    super::super::strip::strip(&mut stripped);
    assert_eq!(&stripped, schema());
    assert!(schema().to_string().len() < published().to_string().len() / 2);
}

fn specs(folder: &str) -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| read_source(p).ok())
        .filter_map(|s| document::parse(&s).ok())
        .map(|d| d.to_json())
        .collect()
}

/// Values a node is replaced by.
fn replacements(x: &Value) -> Vec<Value> {
    let mut out = vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e9),
        json!(""),
        json!("x"),
        json!("A b"),
        json!("y".repeat(300)),
        json!([]),
        json!({}),
        json!([1]),
        json!(["a", "a"]),
        json!({ "zz": 1 }),
        json!("$connect"),
        json!("10m"),
        json!("a@b.c"),
    ];
    match x {
        Value::String(s) => out.extend([
            json!(format!("{s}!")),
            json!(s.to_uppercase()),
            json!(format!("9{s}")),
            json!(format!("{s}{s}")),
        ]),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            out.extend([json!(f + 1.0), json!(-f), json!(f + 0.5), json!(f * 1000.0)]);
        }
        Value::Array(a) => {
            out.push(Value::Array(a.iter().chain(a.iter()).cloned().collect()));
            out.push(Value::Array(a.iter().skip(1).cloned().collect()));
        }
        _ => {}
    }
    out
}

/// Every single-node mutation of `doc`.
fn mutations(doc: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    mutate(doc, &mut |m| out.push(m), &|v| v);
    out
}

fn mutate(node: &Value, emit: &mut dyn FnMut(Value), wrap: &dyn Fn(Value) -> Value) {
    for r in replacements(node) {
        emit(wrap(r));
    }
    match node {
        Value::Object(o) => {
            for k in o.keys() {
                let mut without = o.clone();
                without.remove(k);
                emit(wrap(Value::Object(without)));
            }
            let mut extra = o.clone();
            extra.insert("zz-unknown".into(), json!(1));
            emit(wrap(Value::Object(extra)));
            for (k, child) in o {
                let rebuild = |v: Value| {
                    let mut copy = o.clone();
                    copy.insert(k.clone(), v);
                    wrap(Value::Object(copy))
                };
                mutate(child, emit, &rebuild);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let rebuild = |v: Value| {
                    let mut copy = a.clone();
                    copy[i] = v;
                    wrap(Value::Array(copy))
                };
                mutate(child, emit, &rebuild);
            }
        }
        _ => {}
    }
}

#[test]
fn pointers_resolve_as_serde_json_resolves_them() {
    let doc = json!({ "$defs": { "a/b": 1, "m~n": 2, "l": [3, 4] }, "": { "": 5 } });
    for p in [
        "",
        "/",
        "//",
        "/$defs",
        "/$defs/a~1b",
        "/$defs/m~0n",
        "/$defs/a/b",
        "/$defs/l/1",
        "/$defs/l/01",
        "/$defs/l/+1",
        "/$defs/l/9",
        "/$defs/x",
        "$defs",
        "/$defs/l/1/x",
    ] {
        assert_eq!(pointer(&doc, p), doc.pointer(p), "{p}");
    }
}

#[test]
fn the_schema_uses_only_keywords_the_interpreter_knows() {
    assert_eq!(unsupported_keywords(published()), Vec::<String>::new());
}

#[test]
fn verdicts_agree_with_the_compiled_validator() {
    let compiled = jsonschema::draft202012::new(published()).unwrap();
    let mut checked = 0;
    let mut invalid = 0;
    let mut disagreements = Vec::new();
    // Every spec and its mutations; every invalid spec as it is (its mutations are mostly
    // invalid for the same reason, and would only slow the test down).
    let valid_specs = specs("specs");
    let instances = valid_specs
        .iter()
        .flat_map(|doc| std::iter::once(doc.clone()).chain(mutations(doc)))
        .chain(specs("specs/invalid"));
    for instance in instances {
        {
            let expected = compiled.is_valid(&instance);
            checked += 1;
            invalid += usize::from(!expected);
            if valid(schema(), schema(), &instance) != expected && disagreements.len() < 5 {
                disagreements.push(format!("schema says {expected}: {instance}"));
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(
        checked > 5_000 && invalid > checked / 4,
        "{checked} instances, {invalid} invalid"
    );
}
