//! Prepares two embedded texts at build time. The schema's fast path gets the schema without
//! annotations (`src/schema/strip.rs`) in `$OUT_DIR/schema.min.json`. And it minifies the
//! embedded JSONata: `src/emit/jsonata/<name>.jsonata` (the commented sources of the matcher
//! and of the pattern complexity) becomes `$OUT_DIR/<name>.min.jsonata`, which the compiler
//! embeds. The minifier is the crate's own (`src/emit/jsonata/`), compiled into this script as
//! well; a unit test checks each embedded text equals what it computes at run time.

// The script uses part of the minifier's API.
#![allow(dead_code, missing_docs, unreachable_pub)]

#[path = "src/emit/jsonata/minify.rs"]
mod minify;
#[path = "src/emit/jsonata/shorten.rs"]
mod shorten;
#[path = "src/schema/strip.rs"]
mod strip;

fn main() {
    println!("cargo::rerun-if-changed=src/emit/jsonata/minify.rs");
    println!("cargo::rerun-if-changed=src/emit/jsonata/shorten.rs");
    for name in ["matcher", "complexity"] {
        jsonata(name);
    }
    schema();
}

/// `src/emit/jsonata/<name>.jsonata` minified into `$OUT_DIR/<name>.min.jsonata`.
fn jsonata(name: &str) {
    let source_path = format!("src/emit/jsonata/{name}.jsonata");
    println!("cargo::rerun-if-changed={source_path}");
    let source = std::fs::read_to_string(&source_path).expect("the JSONata source is readable");
    let renames = shorten::renames(&source).expect("the JSONata source tokenizes");
    let minified = minify::minify_renamed(&source, &renames).expect("the JSONata source tokenizes");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join(format!("{name}.min.jsonata"));
    std::fs::write(out, minified).expect("OUT_DIR is writable");
}

/// The schema without annotations, compact, for the validation fast path.
fn schema() {
    let path = "schemas/lambdaless.schema.json";
    println!("cargo::rerun-if-changed={path}");
    println!("cargo::rerun-if-changed=src/schema/strip.rs");
    let text = std::fs::read_to_string(path).expect("the schema is readable");
    let mut schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    strip::strip(&mut schema);
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("schema.min.json");
    std::fs::write(out, schema.to_string()).expect("OUT_DIR is writable");
}
