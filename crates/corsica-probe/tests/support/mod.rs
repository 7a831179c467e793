//! Support for the live tests: servers run as child processes on 127.0.0.1, each on a port the
//! system picks, stopped by PID when dropped; the audit and the probe run against them.
//!
//! Nothing is skipped: a missing server package makes the test fail with a message that names
//! it and the command that installs it (`cargo xtask test` installs all of them).

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use corsica::Url;
use corsica::scenario::{ProfileName, RequestInput};
use corsica_probe::audit::{AuditOptions, AuditReport, audit};
use corsica_probe::probe::{ProbeReport, probe};
use corsica_probe::{BrowserHeaders, Client, ClientConfig, Session};

/// The legitimate page of every fixture.
pub const PAGE: &str = "http://localhost:5173";

/// The package's directory.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    manifest_dir().join("../..")
}

/// Fails the test: `what` is missing, and `how` installs it.
pub fn missing(what: &str, how: &str) -> ! {
    panic!("{what} is missing, so this live test cannot run (it is not skipped): {how}")
}

/// A server running as a child process, stopped (by PID) when dropped.
pub struct Process {
    /// What it is, for messages.
    pub name: String,
    child: Child,
    /// The port it listens on.
    pub port: u16,
    stderr: PathBuf,
}

impl Process {
    /// Starts `command`, which prints `LISTENING <port>` on standard output once it listens.
    pub fn printing_port(name: &str, mut command: Command) -> Self {
        let stderr = log_file(name);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("a log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({command:?}): {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    // Keep draining so the child never blocks on a full pipe.
                    continue;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left.min(Duration::from_millis(200))) {
                Ok(line) => {
                    if let Some(port) = line.strip_prefix("LISTENING ") {
                        break port.trim().parse().expect("a port number");
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!("{name} exited ({status}): {}", read(&stderr));
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "{name} did not say which port it listens on: {}",
                        read(&stderr)
                    );
                }
            }
        };
        Self {
            name: name.to_owned(),
            child,
            port,
            stderr,
        }
    }

    /// Starts `command`, which listens on `port`, and waits until it accepts connections.
    pub fn on_port(name: &str, mut command: Command, port: u16) -> Self {
        let stderr = log_file(name);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).expect("a log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({command:?}): {e}"));
        let deadline = Instant::now() + Duration::from_secs(30);
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{name} exited ({status}): {}", read(&stderr));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("{name} does not listen on {address}: {}", read(&stderr));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            name: name.to_owned(),
            child,
            port,
            stderr,
        }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:{}{path}", self.port)).expect("a URL")
    }

    /// What the server wrote on standard error.
    pub fn log(&self) -> String {
        read(&self.stderr)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // `Child::kill` signals the child's PID (SIGKILL); then reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr);
    }
}

fn log_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "corsica-probe-{}-{}-{}.log",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A live session with the default browser headers.
pub fn session() -> Session {
    Session::new(
        Client::new(ClientConfig::default()).expect("a client"),
        BrowserHeaders::default(),
    )
}

/// The audit of `url` with `PAGE` as the legitimate origin.
pub async fn audit_url(url: Url) -> AuditReport {
    let options = AuditOptions {
        origins: vec![PAGE.to_owned()],
        ..AuditOptions::default()
    };
    let report = audit(Arc::new(session()), url, &options).await;
    assert!(report.error.is_none(), "{}", report.to_text());
    report
}

/// The pattern numbers of the findings (not the notes), sorted.
pub fn patterns(report: &AuditReport) -> Vec<u8> {
    let mut found: Vec<u8> = report.findings().map(|f| f.pattern).collect();
    found.sort_unstable();
    found
}

/// Probes a credentialed JSON `PUT` from `PAGE` under every profile.
pub async fn probe_json_put(url: &Url) -> ProbeReport {
    let input: RequestInput = serde_json::from_value(serde_json::json!({
        "origin": PAGE,
        "url": url.as_str(),
        "method": "PUT",
        "headers": [["Content-Type", "application/json"]],
        "credentials": "include",
    }))
    .expect("a request");
    let profiles = [
        ProfileName::Spec,
        ProfileName::Chromium,
        ProfileName::Firefox,
        ProfileName::Webkit,
    ];
    probe(&session(), &input, &profiles, false)
        .await
        .expect("a valid request")
}

/// Whether `program` runs (`program --version` exits).
pub fn runs(program: &Path, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
