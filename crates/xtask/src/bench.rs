//! `cargo xtask bench`: every benchmark of issue 7, with a summary at the end.
//!
//! 1. the criterion groups: each step and the full verdict (`benches/src/engine.rs`), and
//!    in-process conformance cases against an axum app (`benches/src/conformance.rs`);
//! 2. `corsica eval --jsonl` throughput on the conformance vectors × 100, one core;
//! 3. the preflight cache's memory under a stream of distinct URLs;
//! 4. the npm package: its size, `evaluate` and `evaluateMany` in node, and mentoss on the same
//!    cases (`wasm::bench`, `benches/node/`);
//! 5. real headless Chromium (the oracle) against the engine on the same generated scenarios,
//!    with the fidelity comparison showing the answers are the same.
//!
//! Timings are figures to read, never pass/fail: a step fails only when it cannot run.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{cargo, root, step};

/// Runs of the `eval --jsonl` timing; the median is reported with the spread.
const EVAL_RUNS: usize = 5;
/// Generated scenarios played in Chromium.
const CHROMIUM_SCENARIOS: usize = 200;
/// Times the engine replays the Chromium scenarios, to time it over more than a millisecond.
const ENGINE_REPEAT: usize = 500;

pub(crate) fn run(quick: bool) -> Result<(), String> {
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut summary = Vec::new();

    let mut criterion = cargo();
    criterion.args(["bench", "-p", "corsica-benches"]);
    if quick {
        criterion.args(["--", "--quick"]);
    }
    step(
        "criterion: the engine's steps and the full verdict",
        &mut criterion,
    )?;
    summary.push(String::from(
        "criterion figures: above, and in target/criterion/report/index.html",
    ));

    step(
        "build the release CLI and the benchmark examples",
        cargo().args([
            "build",
            "--release",
            "-p",
            "corsica-cli",
            "-p",
            "corsica-benches",
            "--examples",
        ]),
    )?;
    let release = root().join("target/release");
    let corsica = release.join("corsica");

    let corpus = dir.join("eval.jsonl");
    step(
        "write the eval corpus (every vector × 100)",
        Command::new(release.join("examples/eval_corpus")).args([path(&corpus), "100"]),
    )?;
    let lines = count_lines(&corpus)?;
    let times = (0..EVAL_RUNS)
        .map(|_| time_eval(&corsica, &corpus))
        .collect::<Result<Vec<_>, _>>()?;
    summary.push(format!(
        "corsica eval --jsonl: {} scenarios in {}",
        lines,
        rate(lines, &times)
    ));

    let memory = Command::new(release.join("examples/cache_memory"))
        .output()
        .map_err(|e| format!("cache_memory: {e}"))?;
    if !memory.status.success() {
        return Err(String::from("cache_memory failed"));
    }
    summary.push(format!(
        "preflight cache under a stream of distinct URLs:\n{}",
        String::from_utf8_lossy(&memory.stdout).trim_end()
    ));

    crate::wasm::bench()?;
    summary.push(String::from(
        "npm package (size, node throughput, mentoss): above",
    ));

    summary.push(chromium(&dir, &corsica)?);

    eprintln!("\n==> summary");
    for line in &summary {
        eprintln!("{line}");
    }
    Ok(())
}

/// Chromium against the engine on the same generated scenarios.
fn chromium(dir: &Path, corsica: &Path) -> Result<String, String> {
    let scenarios = dir.join("chromium-scenarios.jsonl");
    let recording = dir.join("chromium-recording.jsonl");
    let count = CHROMIUM_SCENARIOS.to_string();
    step(
        "build the oracle",
        cargo().args(["build", "--release", "-q", "-p", "corsica-oracle"]),
    )?;
    let oracle = root().join("target/release/corsica-oracle");
    step(
        "generate scenarios for Chromium",
        Command::new(&oracle).args([
            "generate",
            "--seed",
            "7",
            "--count",
            &count,
            "--out",
            path(&scenarios),
        ]),
    )?;
    let started = Instant::now();
    step(
        "record them in headless Chromium (one run)",
        Command::new(&oracle).args([
            "record",
            "--scenarios",
            path(&scenarios),
            "--out",
            path(&recording),
            "--browser",
            "chromium",
            "--runs",
            "1",
            "--quiet",
        ]),
    )?;
    let browser = started.elapsed();
    step(
        "the engine agrees with Chromium on those scenarios",
        cargo().args([
            "run",
            "--release",
            "-q",
            "-p",
            "spec-tests",
            "--bin",
            "fidelity",
            "--",
            path(&recording),
        ]),
    )?;
    let repeated = dir.join("chromium-scenarios-repeated.jsonl");
    let text = std::fs::read_to_string(&scenarios).map_err(|e| format!("{e}"))?;
    std::fs::write(&repeated, text.repeat(ENGINE_REPEAT)).map_err(|e| format!("{e}"))?;
    let lines = count_lines(&repeated)?;
    let engine = time_eval(corsica, &repeated)?;
    let per_browser = browser.as_secs_f64() / CHROMIUM_SCENARIOS as f64;
    let per_engine = engine.as_secs_f64() / lines as f64;
    Ok(format!(
        "headless Chromium: {CHROMIUM_SCENARIOS} scenarios in {:.1} s ({:.1} ms each, browser start included); \
         the engine (corsica eval --jsonl, JSON in and out): {:.2} µs each; ratio {:.0}×",
        browser.as_secs_f64(),
        per_browser * 1e3,
        per_engine * 1e6,
        per_browser / per_engine
    ))
}

/// The wall time of `corsica eval --jsonl corpus`, output discarded.
fn time_eval(corsica: &Path, corpus: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new(corsica)
        .args(["eval", "--jsonl", path(corpus)])
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", corsica.display()))?;
    // Exit 1 only says some scenario was blocked.
    if status.code().is_some_and(|code| code > 1) {
        return Err(format!("corsica eval --jsonl {} failed", corpus.display()));
    }
    Ok(started.elapsed())
}

/// `n` items per run: median rate with the slowest and fastest runs.
fn rate(n: usize, times: &[Duration]) -> String {
    let mut rates: Vec<f64> = times.iter().map(|t| n as f64 / t.as_secs_f64()).collect();
    rates.sort_by(f64::total_cmp);
    format!(
        "{} runs: median {:.0}/s [{:.0}, {:.0}]",
        rates.len(),
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1]
    )
}

fn count_lines(file: &Path) -> Result<usize, String> {
    std::fs::read_to_string(file)
        .map(|text| text.lines().count())
        .map_err(|e| format!("{}: {e}", file.display()))
}

fn path(p: &Path) -> &str {
    p.to_str().expect("the workspace path is UTF-8")
}
