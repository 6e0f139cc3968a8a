//! `lambdaless-gen`: thin entry point; the work is in the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: a build allocates and frees tens of thousands of small values, and glibc's
/// allocator spent about a third of a build's instructions on them (callgrind).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = lambdaless_gen::cli::Cli::parse();
    ExitCode::from(lambdaless_gen::run::run(cli))
}
