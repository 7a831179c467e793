//! `cargo xtask`: development tasks, each installing what it needs.
//!
//! - `cargo xtask test`: every check (what `.ci/run` calls).
//! - `cargo xtask demo`: runs `corsica demo` (built-in servers on loopback, probed and audited).
//! - `cargo xtask bench [--quick]`: every benchmark, with a summary (`bench.rs`).
//! - `cargo xtask fuzz [SECONDS]`: every fuzz target for SECONDS each (`fuzz.rs`).
//! - `cargo xtask wasm`: builds the `corsica` npm package into `wasm/pkg/` (`wasm.rs`).
//! - `cargo xtask wasm-test`: the npm package's tests (also a step of `test`).
//! - `cargo xtask playground`: serves the playground on loopback (`wasm.rs`).
//! - `cargo xtask wasm-bench`: the npm package's size and node benchmarks (`benches/node`).

mod bench;
mod fuzz;
mod servers;
mod wasm;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The `no_std` target the engine must build for.
const NO_STD_TARGET: &str = "thumbv7em-none-eabihf";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("demo") => demo(),
        Some("bench") => bench::run(args.get(1).is_some_and(|a| a == "--quick")),
        Some("fuzz") => match args.get(1).map(|s| s.parse::<u64>()) {
            None => fuzz::run(60),
            Some(Ok(seconds)) => fuzz::run(seconds),
            Some(Err(_)) => Err(String::from("usage: cargo xtask fuzz [SECONDS per target]")),
        },
        Some("wasm") => wasm::build(),
        Some("wasm-test") => wasm::test(),
        Some("playground") => wasm::playground(),
        Some("wasm-bench") => wasm::bench(),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\ntasks:\n  test   every check (fmt, clippy, tests, vectors, no_std build, docs)\n  demo   run corsica demo: built-in servers on loopback, probed and audited\n  bench [--quick]   every benchmark (criterion, eval --jsonl, cache memory, Chromium), with a summary\n  fuzz [SECONDS]   run every fuzz target (default 60 s each)\n  wasm   build the npm package into wasm/pkg\n  wasm-test   the npm package's tests\n  playground   serve the playground on loopback\n  wasm-bench   the npm package's size and node benchmarks"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask is two levels deep")
        .to_path_buf()
}

fn cargo() -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| String::from("cargo")));
    command.current_dir(root());
    command
}

/// Runs `command` as step `name`, with a progress line and its duration.
fn step(name: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("==> {name}");
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("{name}: cannot run {command:?}: {e}"))?;
    eprintln!(
        "    {name}: {} in {:.1} s",
        if status.success() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed ({status})"))
    }
}

/// Installs a rustup component or target if it is missing (idempotent).
fn ensure_rustup(kind: &str, name: &str) -> Result<(), String> {
    let listed = Command::new("rustup")
        .args([kind, "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to install the {kind} {name}: {e}"))?;
    let installed = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .any(|l| l.trim().starts_with(name));
    if installed {
        return Ok(());
    }
    step(
        &format!("install the {kind} {name}"),
        Command::new("rustup").args([kind, "add", name]),
    )
}

fn test() -> Result<(), String> {
    let started = Instant::now();
    ensure_rustup("component", "rustfmt")?;
    ensure_rustup("component", "clippy")?;
    ensure_rustup("target", NO_STD_TARGET)?;
    step(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--check"]),
    )?;
    step(
        "cargo clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The live tests of corsica-probe run nginx, Express and Starlette on loopback.
    servers::ensure()?;
    step(
        "cargo test (workspace, all features)",
        cargo().args(["test", "--workspace", "--all-features"]),
    )?;
    step(
        "benchmarks once each in test mode (cargo test -p corsica-benches --benches)",
        cargo().args(["test", "-p", "corsica-benches", "--benches"]),
    )?;
    step(
        "vectors match the JSON Schemas (python3 spec-tests/check_vectors.py --mini)",
        Command::new("python3")
            .args(["spec-tests/check_vectors.py", "--mini"])
            .current_dir(root()),
    )?;
    step(
        &format!("no_std build ({NO_STD_TARGET})"),
        cargo().args([
            "build",
            "-p",
            "corsica",
            "--no-default-features",
            "--target",
            NO_STD_TARGET,
        ]),
    )?;
    step(
        "cargo doc -D warnings",
        cargo()
            .args(["doc", "--workspace", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    // A short run of every fuzz target (the long runs are `cargo xtask fuzz`).
    fuzz::run(5)?;
    // The npm package: built, then tested in node and in headless Chromium.
    wasm::test()?;
    eprintln!(
        "xtask test: every check passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn demo() -> Result<(), String> {
    step(
        "build corsica",
        cargo().args(["build", "-q", "-p", "corsica-cli"]),
    )?;
    let binary = root().join("target/debug/corsica");
    let status = Command::new(&binary)
        .arg("demo")
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("corsica demo failed ({status})"))
    }
}
