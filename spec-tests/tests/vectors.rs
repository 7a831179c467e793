//! Runs every vector in `spec-tests/vectors/` (`cargo test -p spec-tests -- FILTER`).

use std::process::ExitCode;

use spec_tests::{check, load_expected_failures, load_vectors, root};

fn main() -> ExitCode {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let vectors = match load_vectors(&root().join("vectors")) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let expected_failures = match load_expected_failures(&root().join("expected-failures.txt")) {
        Ok(map) => map,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut passed, mut failed, mut known) = (0, 0, 0);
    let mut ran = std::collections::BTreeSet::new();
    for vector in vectors
        .iter()
        .filter(|v| filters.is_empty() || filters.iter().any(|f| v.id.contains(f.as_str())))
    {
        ran.insert(vector.id.clone());
        match (check(vector), expected_failures.get(&vector.id)) {
            (Ok(()), None) => passed += 1,
            (Err(_), Some(_)) => known += 1,
            (Ok(()), Some(reason)) => {
                failed += 1;
                println!(
                    "UNEXPECTED PASS {} (listed in expected-failures.txt: {reason}): remove the entry",
                    vector.id
                );
            }
            (Err(report), None) => {
                failed += 1;
                println!(
                    "FAIL {} ({})\n    {report}",
                    vector.id,
                    vector.file.display()
                );
            }
        }
    }
    if filters.is_empty() {
        for id in expected_failures.keys().filter(|id| !ran.contains(*id)) {
            failed += 1;
            println!("STALE expected-failures.txt entry {id}: no such vector");
        }
    }
    println!("vectors: {passed} passed, {failed} failed, {known} expected failures");
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
