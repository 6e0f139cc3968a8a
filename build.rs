//! Minifies the JSONata matcher once, at build time: `src/emit/jsonata/matcher.jsonata` (the
//! commented source) becomes `$OUT_DIR/matcher.min.jsonata`, which the compiler embeds. The
//! minifier is the crate's own (`src/emit/jsonata/`), compiled into this script as well; a unit
//! test checks the embedded text equals what it computes at run time.

// The script uses part of the minifier's API.
#![allow(dead_code, missing_docs, unreachable_pub)]

#[path = "src/emit/jsonata/minify.rs"]
mod minify;
#[path = "src/emit/jsonata/shorten.rs"]
mod shorten;

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
}
