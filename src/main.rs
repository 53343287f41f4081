//! The `iso20k` binary: parse the command line, run, exit. Everything else is the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = iso20k::cli::Cli::parse();
    iso20k::cli::run(cli).into()
}
