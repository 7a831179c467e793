//! The servers corsica-probe's live tests run (`crates/corsica-probe/tests/{nginx,express,
//! starlette}.rs`): Debian's `nginx-light`, Express with the `cors` package (npm), and Starlette
//! with uvicorn (PyPI). Installs whatever is missing before `cargo test`; when something cannot
//! be installed, fails saying what and how (the tests themselves fail the same way, never skip).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{root, step};

/// Makes sure every live-test server can start.
pub(crate) fn ensure() -> Result<(), String> {
    let started = Instant::now();
    eprintln!("==> servers for the live tests (nginx-light, express + cors, starlette + uvicorn)");
    nginx()?;
    express()?;
    starlette()?;
    eprintln!(
        "    servers for the live tests: ok in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Whether `program args…` runs and succeeds (quietly).
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Debian's `nginx-light`, as root through apt-get (with an `apt-get update` if the first try
/// fails).
fn nginx() -> Result<(), String> {
    if runs("/usr/sbin/nginx", &["-v"]) || runs("nginx", &["-v"]) {
        return Ok(());
    }
    if !is_root() {
        return Err(String::from(
            "nginx is missing and only root can install it: run `apt-get install -y nginx-light` as root",
        ));
    }
    let install = || {
        let mut command = Command::new("apt-get");
        command
            .args(["install", "-y", "--no-install-recommends", "nginx-light"])
            .env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    if step("apt-get install nginx-light", &mut install()).is_ok() {
        return Ok(());
    }
    step("apt-get update", Command::new("apt-get").arg("update"))?;
    step("apt-get install nginx-light", &mut install())
}

/// `npm ci` in the Express fixture when its `node_modules` lacks express or cors.
fn express() -> Result<(), String> {
    let fixture = root().join("crates/corsica-probe/tests/fixtures/express");
    let installed = |package: &str| {
        fixture
            .join("node_modules")
            .join(package)
            .join("package.json")
            .exists()
    };
    if installed("express") && installed("cors") {
        return Ok(());
    }
    if !runs("npm", &["--version"]) {
        return Err(String::from(
            "npm is missing: install Node.js 20 with npm (Debian: apt-get install -y nodejs npm)",
        ));
    }
    step(
        "npm ci (express + cors for the live tests)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&fixture),
    )
}

/// A virtual environment with starlette and uvicorn in `target/live-servers/venv`.
fn starlette() -> Result<(), String> {
    let venv = root().join("target/live-servers/venv");
    let python = venv.join("bin/python");
    let python_text = python.display().to_string();
    if runs(&python_text, &["-c", "import starlette, uvicorn"]) {
        return Ok(());
    }
    if !runs("python3", &["--version"]) {
        return Err(String::from(
            "python3 is missing: install Python 3 (with venv)",
        ));
    }
    if !Path::new(&python).exists() {
        step(
            "python3 -m venv target/live-servers/venv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }
    let requirements =
        root().join("crates/corsica-probe/tests/fixtures/starlette/requirements.txt");
    step(
        "pip install starlette uvicorn (for the live tests)",
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(requirements),
    )
}
