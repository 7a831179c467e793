//! Express 5 with the `cors` package (npm), run by node on 127.0.0.1: an allowlist passes the
//! audit, `origin: true` with credentials is found.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{Process, audit_url, manifest_dir, missing, patterns, probe_json_put, runs};

/// node and the fixture's `node_modules` (installed by `cargo xtask test`).
fn express(mode: &str) -> Process {
    let node =
        PathBuf::from(std::env::var_os("CORSICA_PROBE_NODE").unwrap_or_else(|| "node".into()));
    if !runs(&node, &["--version"]) {
        missing(
            "node",
            "install Node.js 20 (Debian: apt-get install -y nodejs)",
        );
    }
    let fixture = manifest_dir().join("tests/fixtures/express");
    for package in ["express", "cors"] {
        if !fixture
            .join("node_modules")
            .join(package)
            .join("package.json")
            .exists()
        {
            missing(
                &format!("the npm package `{package}`"),
                &format!(
                    "run `cargo xtask test`, or `npm ci` in {}",
                    fixture.display()
                ),
            );
        }
    }
    let mut command = Command::new(node);
    command.current_dir(&fixture).arg("server.js").arg(mode);
    Process::printing_port(&format!("express ({mode})"), command)
}

#[tokio::test]
async fn express_cors_with_an_allowlist_passes() {
    let server = express("correct");
    let url = server.url("/api/data");
    let report = audit_url(url.clone()).await;
    assert_eq!(patterns(&report), Vec::<u8>::new(), "{}", report.to_text());
    assert!(probe_json_put(&url).await.allowed_everywhere());
}

#[tokio::test]
async fn express_cors_reflecting_is_found() {
    let server = express("reflect");
    let report = audit_url(server.url("/api/data")).await;
    let found = patterns(&report);
    // Any origin echoed with credentials, and the requested headers echoed (the default
    // `allowedHeaders`).
    assert!(found.contains(&1), "{}", report.to_text());
    assert!(found.contains(&31), "{}", report.to_text());
    let reflection = report.findings().find(|f| f.pattern == 1).unwrap();
    assert!(reflection.is_exploitable());
    assert!(report.has_security_finding());
}
