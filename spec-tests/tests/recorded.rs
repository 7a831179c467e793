//! The recorded browser corpora (`spec-tests/recorded/*.jsonl`), replayed through the engine
//! under each browser's profile: every difference must be listed in
//! `recorded/expected-differences.txt` with a reason, no listed entry may be stale, and a false
//! allow (the engine allowing what the browser blocked) is never acceptable. Every WPT-derived
//! vector (`vectors/wpt-*.json`) must be in the recordings of each browser, as written (played,
//! or recorded as one the oracle cannot play, with the reason).

use std::collections::BTreeSet;
use std::process::ExitCode;

use serde_json::Value;
use spec_tests::fidelity::compare_all;
use spec_tests::recorded::{load_expected_differences, load_recordings};
use spec_tests::{load_vectors, root};

/// A scenario as played: without `source` and `expected`, which the oracle does not read.
fn as_played(scenario: &Value) -> Value {
    let mut scenario = scenario.clone();
    if let Some(object) = scenario.as_object_mut() {
        object.remove("source");
        object.remove("expected");
    }
    scenario
}

/// The WPT-derived vectors missing from the recordings of a browser, or recorded from another
/// version of the vector, as `(browser, id)`.
fn unrecorded_wpt_vectors(records: &[Value]) -> Result<Vec<(String, String)>, String> {
    let vectors = load_vectors(&root().join("vectors"))?;
    let mut missing = Vec::new();
    for browser in ["chromium", "firefox", "webkit"] {
        for vector in vectors.iter().filter(|v| {
            v.file
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("wpt-"))
        }) {
            let played = as_played(&vector.raw);
            let recorded = records.iter().any(|r| {
                r["browser"]["name"] == browser
                    && r["id"] == vector.id.as_str()
                    && as_played(&r["scenario"]) == played
            });
            if !recorded {
                missing.push((browser.to_owned(), vector.id.clone()));
            }
        }
    }
    Ok(missing)
}

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
    match unrecorded_wpt_vectors(&records) {
        Ok(missing) => {
            for (browser, id) in &missing {
                failed += 1;
                println!(
                    "NOT RECORDED {id} [{browser}]: the WPT vector is not in spec-tests/recorded/ as it is played now; re-record (spec-tests/recorded/README.md)"
                );
            }
        }
        Err(e) => {
            failed += 1;
            println!("error: {e}");
        }
    }
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
