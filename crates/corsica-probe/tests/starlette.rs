//! Starlette's `CORSMiddleware` (PyPI), served by uvicorn on 127.0.0.1: an allowlist passes the
//! audit, `allow_origins=["*"]` with credentials (which echoes the origin) is found.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{
    Process, audit_url, manifest_dir, missing, patterns, probe_json_put, runs, workspace,
};

/// A Python with starlette and uvicorn: `$CORSICA_PROBE_PYTHON`, the virtual environment
/// `cargo xtask test` makes (`target/live-servers/venv`), or `python3`.
fn python() -> PathBuf {
    let candidates = [
        std::env::var_os("CORSICA_PROBE_PYTHON").map(PathBuf::from),
        Some(workspace().join("target/live-servers/venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| runs(p, &["-c", "import starlette, uvicorn"]))
        .unwrap_or_else(|| {
            missing(
                "starlette and uvicorn (PyPI)",
                "run `cargo xtask test` (it makes target/live-servers/venv), or `pip install starlette uvicorn`",
            )
        })
}

fn starlette(mode: &str) -> Process {
    let mut command = Command::new(python());
    command
        .current_dir(manifest_dir().join("tests/fixtures/starlette"))
        .arg("app.py")
        .arg(mode);
    Process::printing_port(&format!("starlette ({mode})"), command)
}

#[tokio::test]
async fn starlette_with_an_allowlist_passes() {
    let server = starlette("correct");
    let url = server.url("/api/data");
    let report = audit_url(url.clone()).await;
    assert_eq!(patterns(&report), Vec::<u8>::new(), "{}", report.to_text());
    assert!(probe_json_put(&url).await.allowed_everywhere());
}

#[tokio::test]
async fn starlette_wildcard_with_credentials_is_found() {
    let server = starlette("reflect");
    let report = audit_url(server.url("/api/data")).await;
    let found = patterns(&report);
    // `*` with credentials becomes reflection: #2 when a request without a cookie still gets
    // `*` (older Starlette), #1 when every origin is echoed (current Starlette).
    assert!(
        found.contains(&1) || found.contains(&2),
        "{}",
        report.to_text()
    );
    assert!(
        report
            .findings()
            .any(|f| f.is_exploitable() && matches!(f.pattern, 1 | 2)),
        "{}",
        report.to_text()
    );
}
