//! `corsica conform` end to end against servers on 127.0.0.1 run by this test process: a
//! correct server conforms (exit 0), a reflecting one fails (exit 1) with a minimal
//! counterexample whose scenario `corsica eval` replays with the same verdict; and every
//! malformed input (policy files, URLs, servers answering garbage or nothing) exits 2 with its
//! exact error.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use corsica_probe::fixture::{Config, LoopbackServer, Policy};
use tokio::runtime::Runtime;

use support::corsica;

const PAGE: &str = "http://localhost:5173";

const POLICY: &str = r#"
origins = ["http://localhost:5173"]
methods = ["GET", "POST", "PUT", "DELETE"]
headers = ["content-type", "authorization"]
credentials = true
max_age = 600
"#;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file holding `text` in this test's own temporary directory.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corsica-conform-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the file is written");
    path
}

fn server(config: Config) -> (Runtime, LoopbackServer) {
    let runtime = Runtime::new().expect("a runtime");
    let server = runtime
        .block_on(LoopbackServer::start(config))
        .expect("a server");
    (runtime, server)
}

fn conform(url: &str, policy: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "conform",
        url,
        "--policy",
        policy.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    corsica(&args, "")
}

#[test]
fn a_correct_server_conforms() {
    let (_runtime, server) = server(Config::Correct(Policy::json_api(PAGE)));
    let url = server.url("/api/data");
    let output = conform(
        url.as_str(),
        &file("policy.toml", POLICY),
        &["--cases", "200", "--seed", "3"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!(
            "200 cases against {url} under spec, chromium, firefox, webkit (seed 3, "
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("Conforms: every case did what the policy says.\n"),
        "{stdout}"
    );
}

#[test]
fn a_reflecting_server_fails_and_its_counterexample_replays() {
    let (_runtime, server) = server(Config::Reflecting);
    let url = server.url("/api/data");
    let policy = file("policy.toml", POLICY);
    let output = conform(url.as_str(), &policy, &["--seed", "5", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["conforms"], false);
    let counterexample = &report["counterexample"];
    assert_eq!(
        counterexample["case"],
        serde_json::json!({
            "origin": "https://attacker.example",
            "method": "GET",
            "headers": [],
            "credentials": "same-origin",
            "private_network": false,
        })
    );
    let first = &counterexample["violations"][0];
    assert_eq!(first["profile"], "spec");
    assert_eq!(first["rule"], "OriginNotAllowed");
    assert_eq!(first["evidence"]["verdict"], "allowed");

    // `corsica eval` replays the scenario with the live verdict.
    let scenario = counterexample["scenario"].to_string();
    let replay = corsica(&["eval"], &scenario);
    assert_eq!(replay.status.code(), Some(0), "{}", stderr(&replay));
    let replay: serde_json::Value = serde_json::from_slice(&replay.stdout).expect("JSON");
    assert_eq!(replay["verdict"], "allowed");
    assert_eq!(replay["profile"], "spec");

    // The text report names the case, the rule and the evidence, and prints the scenario.
    let output = conform(url.as_str(), &policy, &["--seed", "5"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let expected = format!(
        "  fetch GET {url} from https://attacker.example, credentials same-origin, no headers\n  \
         [spec] security: an origin the policy does not list is allowed (https://attacker.example); fetch() resolves\n"
    );
    assert!(text.contains(&expected), "{text}");
    assert!(
        text.contains("    Access-Control-Allow-Origin: https://attacker.example\n"),
        "{text}"
    );
    let json = text
        .split_once("Replay offline with `corsica eval` (the server's answers recorded):\n")
        .expect("the scenario follows")
        .1;
    let replay = corsica(&["eval"], json);
    assert_eq!(replay.status.code(), Some(0), "{}", stderr(&replay));
}

/// How a raw server answers.
#[derive(Clone, Copy)]
enum Raw {
    /// These bytes, then it closes.
    Bytes(&'static [u8]),
    /// Nothing: the connection stays open.
    Silent,
    /// A status line, then headers that never end.
    Endless,
    /// An empty `200` with no CORS header, after this long.
    Slow(Duration),
}

/// Accepts connections on 127.0.0.1 and answers each as `answer` says; the thread ends with the
/// test process.
fn raw_server(answer: Raw) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = stream.read(&mut buffer);
            match answer {
                Raw::Bytes(bytes) => {
                    let _ = stream.write_all(bytes);
                }
                Raw::Silent => held.push(stream),
                Raw::Slow(delay) => {
                    std::thread::spawn(move || {
                        std::thread::sleep(delay);
                        let _ = stream.write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        );
                    });
                }
                Raw::Endless => {
                    std::thread::spawn(move || {
                        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\n");
                        while stream.write_all(b"X-More: and more and more\r\n").is_ok() {}
                    });
                }
            }
        }
    });
    format!("http://{address}/api/data")
}

#[test]
fn malformed_inputs_exit_2_with_their_error() {
    let garbage = raw_server(Raw::Bytes(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"));
    let silent = raw_server(Raw::Silent);
    let endless = raw_server(Raw::Endless);
    let good = file("good.toml", POLICY);
    let policy = |name: &str, text: &str| file(name, text);
    let cases: Vec<(String, PathBuf, Vec<&str>, String)> = vec![
        (
            garbage.clone(),
            policy(
                "unknown.toml",
                "origins = []\nmethods = []\nheaders = []\ncredentials = false\ncolour = \"red\"\n",
            ),
            vec![],
            String::from(
                "policy key `colour`: unknown field `colour`, expected one of `origins`, `methods`, `headers`, `credentials`, `expose`, `max_age`, `private_network`",
            ),
        ),
        (
            garbage.clone(),
            policy("missing.toml", "origins = []\nmethods = []\nheaders = []\n"),
            vec![],
            String::from("policy key `credentials`: missing field `credentials`"),
        ),
        (
            garbage.clone(),
            policy(
                "slash.toml",
                "origins = [\"https://app.example/\"]\nmethods = []\nheaders = []\ncredentials = false\n",
            ),
            vec![],
            String::from(
                "policy key `origins[0]`: \"https://app.example/\" is not an origin: write scheme://host[:port] as browsers send it (lowercase, no path, no trailing slash, no default port), a pattern https://*.example.com, \"null\" or \"*\"",
            ),
        ),
        (
            garbage.clone(),
            policy(
                "pattern.json",
                r#"{"origins": ["https://a*.example.com"], "methods": [], "headers": [], "credentials": false}"#,
            ),
            vec![],
            String::from(
                "policy key `origins[0]`: \"https://a*.example.com\": a pattern's `*` must be the whole leftmost label of the host, as in https://*.example.com",
            ),
        ),
        (
            garbage.clone(),
            policy(
                "wildcard.toml",
                "origins = [\"https://app.example\"]\nmethods = []\nheaders = [\"*\"]\ncredentials = true\n",
            ),
            vec![],
            String::from(
                "policy key `headers[0]`: `*` cannot be combined with credentials = true: browsers never honour a wildcard on credentialed requests; list what is allowed",
            ),
        ),
        (
            garbage.clone(),
            policy(
                "trace.json",
                r#"{"origins": [], "methods": ["GET", "TRACE"], "headers": [], "credentials": false}"#,
            ),
            vec![],
            String::from(
                "policy key `methods[1]`: \"TRACE\" is a forbidden method: fetch() refuses it",
            ),
        ),
        (
            garbage.clone(),
            policy(
                "header.toml",
                "origins = []\nmethods = []\nheaders = [\"x y\"]\ncredentials = false\n",
            ),
            vec![],
            String::from("policy key `headers[0]`: \"x y\" is not a header name (an HTTP token)"),
        ),
        (
            garbage.clone(),
            policy(
                "type.json",
                r#"{"origins": [], "methods": [], "headers": [], "credentials": "yes"}"#,
            ),
            vec![],
            String::from(
                "policy key `credentials`: invalid type: string \"yes\", expected a boolean at line 1 column 66",
            ),
        ),
        (
            garbage.clone(),
            policy(
                "max_age.toml",
                "origins = []\nmethods = []\nheaders = []\ncredentials = false\nmax_age = -1\n",
            ),
            vec![],
            String::from("policy key `max_age`: invalid value: integer `-1`, expected u64"),
        ),
        (
            garbage.clone(),
            policy("syntax.toml", "origins = [\n"),
            vec![],
            String::from("policy: unclosed array, expected `]`"),
        ),
        (
            String::from("notaurl"),
            good.clone(),
            vec![],
            String::from("notaurl: not a URL (relative URL without a base)"),
        ),
        (
            String::from("ftp://127.0.0.1/data"),
            good.clone(),
            vec![],
            String::from("ftp://127.0.0.1/data: give an http: or https: URL"),
        ),
        (
            String::from("http://127.0.0.1:1/data"),
            good.clone(),
            vec![],
            String::from(
                "fetch() refuses the request before sending it (BadPort: http://127.0.0.1:1/data)",
            ),
        ),
        (
            garbage.clone(),
            good.clone(),
            vec!["--cases", "0"],
            String::from("--cases: give at least 1"),
        ),
        (
            garbage.clone(),
            good.clone(),
            vec!["--seed", "1"],
            format!(
                "OPTIONS {garbage}: the server's answer is not HTTP (invalid HTTP version): \
                 SSH-2.0-OpenSSH_9.6\\r\\n\\r\\n (the server must answer every request with HTTP)"
            ),
        ),
        (
            silent.clone(),
            good.clone(),
            vec!["--seed", "1", "--timeout", "0.5"],
            format!(
                "OPTIONS {silent}: timed out after 0.5 s waiting for the response headers \
                 (the server must answer every request with HTTP)"
            ),
        ),
        (
            endless.clone(),
            good,
            vec!["--seed", "1"],
            format!(
                "OPTIONS {endless}: the server's answer is not HTTP (more than 1024 headers): \
                 HTTP/1.1 200 OK\\r\\n{}X-More: and more and m… (the server must answer every request with HTTP)",
                "X-More: and more and more\\r\\n".repeat(3)
            ),
        ),
    ];
    for (url, policy, extra, expected) in cases {
        let output = conform(&url, &policy, &extra);
        let stderr = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{url} {policy:?} {extra:?}: {stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "{url} {policy:?}: nothing on stdout"
        );
        assert_eq!(
            stderr,
            format!("corsica conform: {expected}\n"),
            "{url} {policy:?} {extra:?}"
        );
    }
    let missing = conform(&garbage, Path::new("no/such/policy.toml"), &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "corsica conform: policy: cannot read no/such/policy.toml: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_long_run_prints_progress_lines_on_stderr() {
    // Every request takes 150 ms, and 20 cases send at least one each: over the 2 seconds after
    // which progress lines start. The policy allows nothing and the server grants nothing.
    let slow = raw_server(Raw::Slow(Duration::from_millis(150)));
    let nothing = file(
        "nothing.toml",
        "origins = []\nmethods = []\nheaders = []\ncredentials = false\n",
    );
    let output = conform(&slow, &nothing, &["--cases", "20", "--seed", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stderr = stderr(&output);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(!lines.is_empty(), "no progress line");
    for line in lines {
        let count = line
            .strip_prefix("corsica conform: ")
            .and_then(|rest| rest.strip_suffix(" cases…"))
            .unwrap_or_else(|| panic!("not a progress line: {line:?}"));
        let (done, total) = count.split_once('/').expect("done/total");
        assert_eq!(total, "20");
        assert!(
            done.parse::<u32>().is_ok_and(|d| (1..=20).contains(&d)),
            "{line}"
        );
    }
}
