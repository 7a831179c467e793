//! The recorded browser corpora (`spec-tests/recorded/*.jsonl`), replayed through the engine
//! under each browser's profile: every difference must be listed in
//! `recorded/expected-differences.txt` with a reason, no listed entry may be stale, and a false
//! allow (the engine allowing what the browser blocked) is never acceptable.

use std::collections::BTreeSet;
use std::process::ExitCode;

use spec_tests::fidelity::compare_all;
use spec_tests::recorded::{load_expected_differences, load_recordings};
use spec_tests::root;

fn main() -> ExitCode {
    let (records, expected) = match (
        load_recordings(&[]),
        load_expected_differences(&root().join("recorded/expected-differences.txt")),
    ) {
        (Ok(r), Ok(e)) => (r, e),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = compare_all(&records);
    let mut failed = 0;
    let mut seen = BTreeSet::new();
    for d in &report.differences {
        let key = (d.id.clone(), d.browser.clone(), d.check.to_owned());
        seen.insert(key.clone());
        if d.check == "false-allow" {
            failed += 1;
            println!("FALSE ALLOW {} [{}]: {}", d.id, d.browser, d.detail);
        } else if !expected.contains_key(&key) {
            failed += 1;
            println!(
                "UNEXPECTED {} {} [{}]: {}",
                d.check, d.id, d.browser, d.detail
            );
        }
    }
    for key in expected.keys().filter(|k| !seen.contains(*k)) {
        failed += 1;
        println!(
            "STALE expected-differences.txt entry `{} {} {}`: the engine now agrees; remove it",
            key.0, key.1, key.2
        );
    }
    let compared: usize = report.tallies.values().map(|t| t.requests).sum();
    println!(
        "recorded requests compared: {compared}, differences: {} ({} listed)",
        report.differences.len(),
        expected.len()
    );
    let passed = compared.saturating_sub(failed);
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
