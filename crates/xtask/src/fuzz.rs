//! `cargo xtask fuzz [SECONDS]`: runs every libFuzzer target of `crates/corsica/fuzz` for SECONDS
//! each (default 60), installing nightly Rust and `cargo-fuzz` when they are missing. `cargo
//! xtask test` runs each for a few seconds as a smoke test.
//!
//! The targets are built as `crates/corsica/fuzz/README.md` records the long runs: without a
//! sanitizer (the engine has no `unsafe` code for AddressSanitizer to watch, and it slowed them)
//! and with debug assertions, so that an arithmetic overflow is a crash.

use std::process::Command;

use crate::{root, step};

/// `cargo fuzz run` options: no sanitizer, debug assertions (overflow checks) on.
const BUILD: [&str; 3] = ["--sanitizer", "none", "--debug-assertions"];

/// The fuzz targets, as `crates/corsica/fuzz/Cargo.toml` names them.
const TARGETS: [&str; 7] = [
    "list_values",
    "mime",
    "url",
    "cors_headers",
    "preflight_check",
    "scenario",
    "eval_json",
];

/// Installs nightly Rust (libFuzzer needs `-Z sanitizer`) and `cargo-fuzz`, if missing.
fn ensure_tools() -> Result<(), String> {
    let toolchains = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| format!("rustup is needed to install nightly Rust for fuzzing: {e}"))?;
    if !String::from_utf8_lossy(&toolchains.stdout)
        .lines()
        .any(|l| l.starts_with("nightly"))
    {
        step(
            "install nightly Rust (for cargo fuzz)",
            Command::new("rustup").args([
                "toolchain",
                "install",
                "nightly",
                "--profile",
                "minimal",
            ]),
        )?;
    }
    let installed = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        step(
            "install cargo-fuzz",
            Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]),
        )?;
    }
    Ok(())
}

/// Runs every target for `seconds` each, from its committed corpus.
pub(crate) fn run(seconds: u64) -> Result<(), String> {
    ensure_tools()?;
    let dir = root().join("crates/corsica/fuzz");
    for target in TARGETS {
        step(
            &format!("fuzz {target} for {seconds} s"),
            Command::new("cargo")
                .args(["+nightly", "fuzz", "run"])
                .args(BUILD)
                .args([target, "--", &format!("-max_total_time={seconds}")])
                .current_dir(&dir),
        )?;
    }
    Ok(())
}
