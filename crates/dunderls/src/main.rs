//! The `dunderls` command: `check`, `rules`, `explain`, `server`.

mod check;
mod cli;
mod docs_gen;
mod explain;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cli.command {
        cli::Command::Check(args) => check::run(args),
        cli::Command::Rules(args) => explain::rules(args),
        cli::Command::Explain(args) => explain::explain(args),
        cli::Command::Server => u8::try_from(dunderls_server::run_stdio()).unwrap_or(1),
        cli::Command::GenerateDocs(args) => docs_gen::run(&args.root, args.check),
    };
    ExitCode::from(code)
}
