//! `cargo run -p spec-tests --bin fidelity -- [--profile spec] RECORDING.jsonl…`: the engine
//! under each browser's profile (or the one named) against what the browsers did (default: every
//! recording in `spec-tests/recorded/`).

use std::process::ExitCode;

use spec_tests::fidelity::compare_all_as;
use spec_tests::recorded::load_recordings;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let profile = match args.iter().position(|a| a == "--profile") {
        Some(i) if i + 1 < args.len() => {
            let name = args.remove(i + 1);
            args.remove(i);
            Some(name)
        }
        Some(_) => {
            eprintln!("fidelity: --profile needs a name (spec, chromium, firefox, webkit)");
            return ExitCode::from(2);
        }
        None => None,
    };
    let files: Vec<std::path::PathBuf> = args.into_iter().map(Into::into).collect();
    let records = match load_recordings(&files) {
        Ok(records) => records,
        Err(e) => {
            eprintln!("fidelity: {e}");
            return ExitCode::from(2);
        }
    };
    let report = compare_all_as(&records, profile.as_deref());
    print!("{}", report.to_text());
    let false_allows = report
        .differences
        .iter()
        .filter(|d| d.check == "false-allow")
        .count();
    if false_allows == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
