//! `cargo run -p spec-tests --bin fidelity -- RECORDING.jsonl…`: the engine under each browser's
//! profile against what the browsers did (default: every `spec-tests/recorded/*.jsonl`).

use std::process::ExitCode;

use spec_tests::fidelity::compare_all;
use spec_tests::recorded::load_recordings;

fn main() -> ExitCode {
    let files: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let records = match load_recordings(&files) {
        Ok(records) => records,
        Err(e) => {
            eprintln!("fidelity: {e}");
            return ExitCode::from(2);
        }
    };
    let report = compare_all(&records);
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
