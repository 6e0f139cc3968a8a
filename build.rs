//! Prepares two embedded texts at build time. The schema's fast path gets the schema without
//! annotations (`src/schema/strip.rs`) in `$OUT_DIR/schema.min.json`. And it minifies the
//! JSONata matcher: `src/emit/jsonata/matcher.jsonata` (the
//! commented source) becomes `$OUT_DIR/matcher.min.jsonata`, which the compiler embeds. The
//! minifier is the crate's own (`src/emit/jsonata/`), compiled into this script as well; a unit
//! test checks the embedded text equals what it computes at run time.

// The script uses part of the minifier's API.
#![allow(dead_code, missing_docs, unreachable_pub)]

#[path = "src/emit/jsonata/minify.rs"]
mod minify;
#[path = "src/emit/jsonata/shorten.rs"]
mod shorten;
#[path = "src/schema/strip.rs"]
mod strip;

fn main() {
    let source_path = "src/emit/jsonata/matcher.jsonata";
    println!("cargo::rerun-if-changed={source_path}");
    println!("cargo::rerun-if-changed=src/emit/jsonata/minify.rs");
    println!("cargo::rerun-if-changed=src/emit/jsonata/shorten.rs");
    let source = std::fs::read_to_string(source_path).expect("the matcher source is readable");
    let renames = shorten::renames(&source).expect("the matcher tokenizes");
    let minified = minify::minify_renamed(&source, &renames).expect("the matcher tokenizes");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("matcher.min.jsonata");
    std::fs::write(out, minified).expect("OUT_DIR is writable");
    schema();
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
