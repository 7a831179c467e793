//! `corsica probe`, `corsica audit` and `corsica demo` end to end, against the built-in servers
//! on 127.0.0.1 (run by this test process); and the README's `corsica demo` block, which must be
//! the command's real output, the ports aside.

use std::path::Path;
use std::process::{Command, Output};

use corsica_probe::fixture::{Config, LoopbackServer, Policy};
use tokio::runtime::Runtime;

const PAGE: &str = "http://localhost:5173";

fn corsica(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corsica"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("corsica runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A runtime whose worker threads serve `configs` while the test runs the binary.
fn servers(configs: Vec<Config>) -> (Runtime, Vec<LoopbackServer>) {
    let runtime = Runtime::new().expect("a runtime");
    let servers = runtime.block_on(async {
        let mut servers = Vec::new();
        for config in configs {
            servers.push(LoopbackServer::start(config).await.expect("a server"));
        }
        servers
    });
    (runtime, servers)
}

/// `127.0.0.1:<port>` written as `127.0.0.1:PORT`.
fn without_ports(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        out.push_str(&rest[..i + "127.0.0.1:".len()]);
        rest = &rest[i + "127.0.0.1:".len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str("PORT");
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_readme_shows_the_demo_as_it_is() {
    let output = corsica(&["demo"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    let block = readme
        .split("```text\n$ corsica demo\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a `corsica demo` block");
    assert_eq!(
        without_ports(&stdout(&output)),
        without_ports(block),
        "the README's `corsica demo` output is stale"
    );
}

#[test]
fn probe_reports_the_nginx_if_preflight_and_its_recording_replays() {
    let (runtime, servers) = servers(vec![Config::NginxIfPreflight {
        origin: PAGE.to_owned(),
    }]);
    let url = servers[0].url("/api/data").to_string();
    let args = [
        "probe",
        url.as_str(),
        "--origin",
        PAGE,
        "--method",
        "PUT",
        "--header",
        "Content-Type: application/json",
        "--credentials",
        "include",
    ];
    let output = corsica(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("(preflight) → 204"), "{text}");
    assert!(
        text.contains(
            "No 'Access-Control-Allow-Origin' header is present on the requested resource"
        ),
        "{text}"
    );
    assert!(text.contains("Error: PreflightMissingAllowOriginHeader (at the preflight stage)"));
    assert!(text.contains("Network: as for spec"), "{text}");
    assert!(text.contains("On the wire: 1 request"), "{text}");

    // --json: one vector per profile, which `corsica eval` replays to the same output.
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let output = corsica(&json_args);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 4);
    drop(servers);
    drop(runtime);
    let dir = std::env::temp_dir().join(format!("corsica-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for vector in &lines {
        assert_eq!(vector["server"][0]["preflight"], true);
        let file = dir.join("vector.json");
        std::fs::write(&file, vector.to_string()).unwrap();
        let replay = corsica(&["eval", file.to_str().unwrap()]);
        assert_eq!(replay.status.code(), Some(0), "{}", stderr(&replay));
        let replayed: serde_json::Value = serde_json::from_slice(&replay.stdout).unwrap();
        assert_eq!(replayed, vector["expected"]);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn probe_exit_codes() {
    let (_runtime, servers) = servers(vec![Config::Correct(Policy::json_api(PAGE))]);
    let url = servers[0].url("/api/data").to_string();
    let ok = corsica(&[
        "probe",
        &url,
        "--origin",
        PAGE,
        "--credentials",
        "include",
        "--profile",
        "chromium",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("Verdict: ALLOWED"));

    // Nothing listens: a network error, exit 2, said clearly.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let refused = corsica(&["probe", &closed, "--origin", PAGE]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("failed: Connection refused"),
        "{}",
        stderr(&refused)
    );

    let bad = corsica(&["probe", &url, "--mode", "sideways"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--mode"), "{}", stderr(&bad));
    let bad = corsica(&["probe", &url, "--origin", "app.example"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("request.origin"), "{}", stderr(&bad));
    // A URL fetch() refuses before sending anything: blocked, with the browser's reason.
    let refused = corsica(&["probe", "ftp://files.example/x", "--profile", "chromium"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stdout(&refused).contains("(nothing was sent)"),
        "{}",
        stdout(&refused)
    );
}

#[test]
fn audit_outputs_and_exit_codes() {
    let (_runtime, servers) = servers(vec![
        Config::Correct(Policy::json_api(PAGE)),
        Config::Reflecting,
    ]);
    let correct = servers[0].url("/api/data").to_string();
    let reflecting = servers[1].url("/api/data").to_string();

    let output = corsica(&["audit", &correct, "--origin", PAGE]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("No finding."));

    let output = corsica(&["audit", &reflecting, "--origin", PAGE, "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(report["summary"]["exploitable"].as_u64().unwrap() >= 1);
    let reflection = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "CORS001")
        .expect("a reflection finding");
    assert_eq!(reflection["severity"], "security");
    assert_eq!(reflection["reach"], "browser");
    assert!(reflection["evidence"][0]["response"]["headers"].is_array());
    assert_eq!(report["coverage"].as_array().unwrap().len(), 43);
    // The finding's vector replays offline.
    let dir = std::env::temp_dir().join(format!("corsica-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("vector.json");
    std::fs::write(&file, reflection["replay"].to_string()).unwrap();
    let replay = corsica(&["eval", file.to_str().unwrap()]);
    let replayed: serde_json::Value = serde_json::from_slice(&replay.stdout).unwrap();
    assert_eq!(replayed["verdict"], "allowed");
    assert_eq!(replayed, reflection["replay"]["expected"]);
    let _ = std::fs::remove_dir_all(dir);

    let output = corsica(&["audit", &reflecting, "--origin", PAGE, "--sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 44);
    assert!(
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "CORS001" && r["level"] == "error")
    );

    let bad = corsica(&["audit", &correct, "--origin", "https://app.example/"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--origin"), "{}", stderr(&bad));
}

#[test]
fn audit_many_targets() {
    let (_runtime, servers) = servers(vec![
        Config::Correct(Policy::json_api(PAGE)),
        Config::WildcardWithCredentials,
        Config::Reflecting,
    ]);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let dir = std::env::temp_dir().join(format!("corsica-targets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("targets.txt");
    std::fs::write(
        &file,
        format!(
            "# three servers and one that is not there\n{}\n{}  {PAGE}\n\n{} https://app.example\n{closed}\n",
            servers[0].url("/api/data"),
            servers[1].url("/api/me"),
            servers[2].url("/api/me"),
        ),
    )
    .unwrap();
    let output = corsica(&[
        "audit",
        "--targets",
        file.to_str().unwrap(),
        "--origin",
        PAGE,
        "--parallel",
        "2",
        "--rate",
        "50",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    // A security finding wins over the unreachable target.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Summary"), "{text}");
    assert!(
        text.contains("4 targets, 2 with a security finding, 1 unreachable"),
        "{text}"
    );
    // Not a terminal: a progress line per target.
    let progress = stderr(&output);
    assert_eq!(progress.matches("audit: [").count(), 4, "{progress}");
    assert!(progress.contains("[4/4]"), "{progress}");
}
