//! `corsica`: the browser's CORS verdict, without a browser.
//!
//! - `corsica eval [FILE]`: one scenario (JSON) to one output object; `--jsonl` streams one
//!   scenario per line.
//! - `corsica explain [FILE]`: the verdict in plain words, the exchanges, the console line, the
//!   trace and the fix; or build the request with flags.
//!
//! Exit codes: 0 allowed (or everything evaluated, for `eval`), 1 blocked (`explain`), 2 bad
//! input or usage.

mod eval;
mod explain;
mod input;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The browser's CORS verdict, without a browser.
#[derive(Debug, Parser)]
#[command(name = "corsica", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate a scenario (JSON in the scenario format) and print the output object.
    Eval(eval::Args),
    /// Explain what a browser does with a request, and how to fix the server.
    Explain(Box<explain::Args>),
}

/// Exit code: bad input or usage.
pub(crate) const EXIT_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_INPUT } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Eval(args) => eval::run(&args),
        Command::Explain(args) => explain::run(&args),
    }
}
