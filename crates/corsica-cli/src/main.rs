//! `corsica`: the browser's CORS verdict, without a browser.
//!
//! - `corsica eval [FILE]`: one scenario (JSON) to one output object; `--jsonl` streams one
//!   scenario per line.
//! - `corsica explain [FILE]`: the verdict in plain words, the exchanges, the console line, the
//!   trace and the fix; or build the request with flags.
//! - `corsica probe URL`: the same for a live server: the engine decides every request (the
//!   preflight, the actual request, each redirect) and sends it over real HTTP(S).
//! - `corsica audit URL`: a live server checked for the 43 CORS misconfiguration patterns.
//! - `corsica conform URL --policy FILE`: a live server checked against its declared CORS
//!   policy with generated requests, under every browser profile and the Fetch Standard.
//! - `corsica demo`: built-in loopback servers (a correct API and five common mistakes), probed
//!   and audited.
//!
//! Exit codes: 0 allowed (or everything evaluated, for `eval`; no security finding, for
//! `audit`; the server conforms, for `conform`), 1 blocked (`explain`, `probe`), a security finding
//! (`audit`) or a violation (`conform`), 2 bad input, usage or a network error.

mod audit;
mod conform;
mod demo;
mod eval;
mod explain;
mod input;
mod probe;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Send a request to a live server as each browser would, and explain the verdict.
    Probe(Box<probe::Args>),
    /// Check a live server (or many) for CORS misconfigurations.
    Audit(Box<audit::Args>),
    /// Check a live server against its declared CORS policy, with generated browser requests.
    Conform(Box<conform::Args>),
    /// Start built-in servers on loopback, probe and audit them, and print a short report.
    Demo(demo::Args),
}

/// Exit code: bad input or usage.
pub(crate) const EXIT_INPUT: u8 = 2;

/// Writes `text` to standard output. A reader that went away (`corsica … | head`) is reported
/// as `corsica COMMAND: writing output: …` with exit code 2, never a panic.
pub(crate) fn print_out(command: &str, text: &str) -> Result<(), ExitCode> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            eprintln!("corsica {command}: writing output: {e}");
            ExitCode::from(EXIT_INPUT)
        })
}

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
        Command::Probe(args) => probe::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Conform(args) => conform::run(&args),
        Command::Demo(args) => demo::run(&args),
    }
}
