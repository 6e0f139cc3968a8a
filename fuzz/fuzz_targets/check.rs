//! Fuzzes the whole `check` pipeline (YAML → schema → analysis → emission → quotas) on
//! arbitrary bytes: it must never panic, hang or overflow the stack.
#![no_main]

use lambdaless_gen::compile::compile;
use lambdaless_gen::emit::Format;
use lambdaless_gen::render::{human, Style};
use lambdaless_gen::source::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source = Source::new("fuzz.yaml", text.as_ref());
    match compile(&source, Format::Yaml) {
        Ok(compiled) => {
            for d in &compiled.warnings {
                let _ = human(&source, d, Style::plain());
            }
        }
        Err(diags) => {
            for d in &diags {
                let _ = human(&source, d, Style::plain());
            }
        }
    }
});
