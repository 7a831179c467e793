//! Writes the corpus of `corsica eval --jsonl`'s throughput benchmark: every conformance vector
//! (`spec-tests/vectors/`, scenarios of every kind: simple, preflighted, redirected, cached,
//! blocked at each step) as one compact JSON line, repeated.
//!
//! `cargo run --release -p corsica-benches --example eval_corpus -- OUT.jsonl [REPEAT]`

use std::fmt::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(out), repeat) = (args.next(), args.next()) else {
        eprintln!("usage: eval_corpus OUT.jsonl [REPEAT (default 100)]");
        return ExitCode::from(2);
    };
    let Ok(repeat) = repeat.as_deref().unwrap_or("100").parse::<usize>() else {
        eprintln!("eval_corpus: REPEAT must be a number");
        return ExitCode::from(2);
    };
    let vectors = match spec_tests::load_vectors(&spec_tests::root().join("vectors")) {
        Ok(vectors) => vectors,
        Err(e) => {
            eprintln!("eval_corpus: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut once = String::new();
    for vector in &vectors {
        let _ = writeln!(once, "{}", vector.raw);
    }
    if let Err(e) = std::fs::write(&out, once.repeat(repeat)) {
        eprintln!("eval_corpus: {out}: {e}");
        return ExitCode::FAILURE;
    }
    println!("{} lines", vectors.len() * repeat);
    ExitCode::SUCCESS
}
