//! `lambdaless-gen`: thin entry point; the work is in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lambdaless_gen::cli::Cli::parse();
    ExitCode::from(lambdaless_gen::run::run(cli))
}
