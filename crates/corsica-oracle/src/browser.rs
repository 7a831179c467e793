//! Launching and watching the three browsers.
//!
//! - Chromium: `--headless=new`, driven over the Chrome DevTools Protocol (console lines from
//!   `Log.entryAdded` and `Runtime.consoleAPICalled`, issues from `Audits.issueAdded`).
//! - Firefox ESR: `--headless`, driven over WebDriver BiDi (`log.entryAdded`).
//! - WebKitGTK: MiniBrowser under Xvfb, console lines from its output streams.
//!
//! Every browser runs in its own process group with its own profile directory, and is stopped
//! by its process-group id.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde_json::{Value, json};

use crate::install::{self, BrowserKind};
use crate::proc::{self, Proc, TempDir};
use crate::ws::Ws;

/// Something a browser reported: a console line, a CDP issue, a script exception.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowserEvent {
    /// Where it came from: `log` (CDP Log domain / BiDi javascript entries), `console`
    /// (console API), `issue` (CDP Audits), `exception`, `security`, `oracle`, …
    pub source: String,
    /// Its level (`error`, `warning`, `log`, …) when known.
    pub level: String,
    /// Its text.
    pub text: String,
    /// A URL the browser attached to it.
    pub url: Option<String>,
    /// Structured details (the CDP issue, …).
    pub data: Option<Value>,
}

impl BrowserEvent {
    fn new(source: &str, level: &str, text: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            level: level.into(),
            text: text.into(),
            url: None,
            data: None,
        }
    }
}

/// A running browser.
pub trait Driver {
    /// Which browser.
    fn kind(&self) -> BrowserKind;
    /// Starts a fresh browser (fresh profile) showing `url`.
    fn start(&mut self, url: &str) -> Result<(), String>;
    /// Collects what the browser reports for up to `wait`. An error means it is gone.
    fn poll(&mut self, wait: Duration, out: &mut Vec<BrowserEvent>) -> Result<(), String>;
    /// Stops the browser, collecting what it still reports.
    fn finish(&mut self, out: &mut Vec<BrowserEvent>);
    /// Version details learned from the browser itself.
    fn info(&self) -> Value;
}

/// Options shared by the drivers.
#[derive(Debug, Clone, Default)]
pub struct DriverOptions {
    /// Extra command-line arguments for Chromium.
    pub chromium_args: Vec<String>,
    /// Extra `user_pref` lines for Firefox (`"name", value`).
    pub firefox_prefs: Vec<String>,
}

/// Makes the driver of a browser.
pub fn driver(kind: BrowserKind, opts: &DriverOptions) -> Box<dyn Driver> {
    match kind {
        BrowserKind::Chromium => Box::new(Chromium::new(opts.chromium_args.clone())),
        BrowserKind::Firefox => Box::new(Firefox::new(opts.firefox_prefs.clone())),
        BrowserKind::Webkit => Box::new(Webkit::new()),
    }
}

const CALL_TIMEOUT: Duration = Duration::from_secs(20);

fn tail(path: &std::path::Path, lines: usize) -> String {
    let s = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = s.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

// ---------------------------------------------------------------------------------------------
// Chromium

struct Chromium {
    exe: PathBuf,
    extra: Vec<String>,
    proc: Option<Proc>,
    dir: Option<TempDir>,
    ws: Option<Ws>,
    session: Option<String>,
    info: Value,
    /// Network request ids to URLs, until the request ends.
    requests: std::collections::HashMap<String, String>,
    /// Sessions of frames in other processes (a sandboxed iframe), auto-attached.
    children: std::collections::HashSet<String>,
}

impl Chromium {
    fn new(extra: Vec<String>) -> Self {
        Self {
            exe: install::executable(BrowserKind::Chromium),
            extra,
            proc: None,
            dir: None,
            ws: None,
            session: None,
            info: Value::Null,
            requests: std::collections::HashMap::new(),
            children: std::collections::HashSet::new(),
        }
    }

    fn stop(&mut self) {
        self.ws = None;
        self.session = None;
        self.requests.clear();
        self.children.clear();
        if let Some(mut p) = self.proc.take() {
            p.stop();
        }
        self.dir = None;
    }

    fn launch(&mut self, url: &str) -> Result<(), String> {
        let dir = TempDir::new("chromium").map_err(|e| e.to_string())?;
        let log_path = dir.join("chromium.log");
        let log = File::create(&log_path).map_err(|e| e.to_string())?;
        let mut cmd = Command::new(&self.exe);
        cmd.args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(&self.extra)
        .arg("about:blank")
        .env("HOME", dir.path.as_os_str())
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
        let mut p = Proc::spawn("chromium", cmd).map_err(|e| e.to_string())?;
        let port_file = dir.join("profile").join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(45);
        let ws_url = loop {
            if let Ok(s) = std::fs::read_to_string(&port_file) {
                let mut lines = s.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break format!("ws://127.0.0.1:{}{}", port.trim(), path.trim());
                }
            }
            if !p.alive() {
                return Err(format!(
                    "chromium exited at start-up:\n{}",
                    tail(&log_path, 20)
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromium wrote no DevToolsActivePort in 45 s:\n{}",
                    tail(&log_path, 20)
                ));
            }
            thread::sleep(Duration::from_millis(50));
        };
        self.proc = Some(p);
        self.dir = Some(dir);
        let mut ws = Ws::connect(&ws_url, CALL_TIMEOUT)?;
        self.info = ws.call("Browser.getVersion", json!({}), None, CALL_TIMEOUT)?;
        let deadline = Instant::now() + Duration::from_secs(15);
        let target = loop {
            let targets = ws.call("Target.getTargets", json!({}), None, CALL_TIMEOUT)?;
            let page = targets["targetInfos"]
                .as_array()
                .and_then(|ts| ts.iter().find(|t| t["type"] == "page"))
                .and_then(|t| t["targetId"].as_str())
                .map(str::to_owned);
            if let Some(t) = page {
                break t;
            }
            if Instant::now() > deadline {
                let created = ws.call(
                    "Target.createTarget",
                    json!({"url": "about:blank"}),
                    None,
                    CALL_TIMEOUT,
                )?;
                break created["targetId"]
                    .as_str()
                    .ok_or("Target.createTarget gave no targetId")?
                    .to_owned();
            }
            thread::sleep(Duration::from_millis(100));
        };
        let attached = ws.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
            None,
            CALL_TIMEOUT,
        )?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or("Target.attachToTarget gave no sessionId")?
            .to_owned();
        // Network must be on for the network service's CORS issues to reach Audits.
        for method in [
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
            "Audits.enable",
        ] {
            ws.call(method, json!({}), Some(&session), CALL_TIMEOUT)?;
        }
        // Frames in other processes (sandboxed iframes may be isolated) report on their own
        // sessions: attach to them as they appear.
        ws.call(
            "Target.setAutoAttach",
            json!({"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}),
            Some(&session),
            CALL_TIMEOUT,
        )?;
        ws.call(
            "Page.navigate",
            json!({"url": url}),
            Some(&session),
            CALL_TIMEOUT,
        )?;
        self.ws = Some(ws);
        self.session = Some(session);
        Ok(())
    }

    fn convert(&mut self, v: &Value) -> Result<Option<BrowserEvent>, String> {
        let method = v["method"].as_str().unwrap_or("");
        let params = &v["params"];
        let from = v["sessionId"].as_str();
        let main = from.is_some() && from == self.session.as_deref();
        let ours = main || from.is_some_and(|s| self.children.contains(s));
        Ok(match method {
            "Log.entryAdded" if ours => {
                let e = &params["entry"];
                let mut ev = BrowserEvent::new(
                    "log",
                    e["level"].as_str().unwrap_or(""),
                    e["text"].as_str().unwrap_or(""),
                );
                ev.url = e["url"].as_str().map(str::to_owned);
                ev.data = Some(json!({"source": e["source"]}));
                Some(ev)
            }
            "Runtime.consoleAPICalled" if ours => {
                let text = params["args"]
                    .as_array()
                    .map(|args| {
                        args.iter()
                            .map(|a| match &a["value"] {
                                Value::String(s) => s.clone(),
                                Value::Null => a["description"].as_str().unwrap_or("").to_owned(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                Some(BrowserEvent::new(
                    "console",
                    params["type"].as_str().unwrap_or("log"),
                    text,
                ))
            }
            "Runtime.exceptionThrown" if ours => {
                let d = &params["exceptionDetails"];
                let text = d["exception"]["description"]
                    .as_str()
                    .or(d["text"].as_str())
                    .unwrap_or("")
                    .to_owned();
                Some(BrowserEvent::new("exception", "error", text))
            }
            "Audits.issueAdded" if ours => {
                let issue = &params["issue"];
                let code = issue["code"].as_str().unwrap_or("").to_owned();
                let mut ev = BrowserEvent::new("issue", "", code);
                let details = &issue["details"];
                ev.url = details["corsIssueDetails"]["request"]["url"]
                    .as_str()
                    .or(details["deprecationIssueDetails"]["sourceCodeLocation"]["url"].as_str())
                    .or(details["genericIssueDetails"]["request"]["url"].as_str())
                    .map(str::to_owned);
                ev.data = Some(issue.clone());
                Some(ev)
            }
            "Network.requestWillBeSent" if ours => {
                if let (Some(id), Some(url)) = (
                    params["requestId"].as_str(),
                    params["request"]["url"].as_str(),
                ) {
                    self.requests.insert(id.to_owned(), url.to_owned());
                }
                None
            }
            "Network.loadingFinished" if ours => {
                if let Some(id) = params["requestId"].as_str() {
                    self.requests.remove(id);
                }
                None
            }
            "Network.loadingFailed" if ours => {
                let url = params["requestId"]
                    .as_str()
                    .and_then(|id| self.requests.remove(id));
                let mut ev = BrowserEvent::new(
                    "network",
                    "error",
                    params["errorText"].as_str().unwrap_or(""),
                );
                ev.url = url;
                ev.data = Some(json!({
                    "corsErrorStatus": params["corsErrorStatus"],
                    "blockedReason": params["blockedReason"],
                    "canceled": params["canceled"],
                }));
                Some(ev)
            }
            "Target.attachedToTarget" if ours => {
                if let Some(child) = params["sessionId"].as_str() {
                    self.children.insert(child.to_owned());
                    if let Some(ws) = self.ws.as_mut() {
                        for method in [
                            "Runtime.enable",
                            "Log.enable",
                            "Network.enable",
                            "Audits.enable",
                        ] {
                            ws.send(method, json!({}), Some(child))?;
                        }
                        ws.send(
                            "Target.setAutoAttach",
                            json!({"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}),
                            Some(child),
                        )?;
                        ws.send("Runtime.runIfWaitingForDebugger", json!({}), Some(child))?;
                    }
                }
                None
            }
            "Target.detachedFromTarget" => {
                let gone = params["sessionId"].as_str();
                if gone.is_some() && gone == self.session.as_deref() {
                    return Err("chromium: detached from the page".into());
                }
                if let Some(g) = gone {
                    self.children.remove(g);
                }
                None
            }
            "Inspector.targetCrashed" if main => return Err("chromium: the page crashed".into()),
            _ => None,
        })
    }
}

impl Driver for Chromium {
    fn kind(&self) -> BrowserKind {
        BrowserKind::Chromium
    }

    fn start(&mut self, url: &str) -> Result<(), String> {
        self.stop();
        let r = self.launch(url);
        if r.is_err() {
            self.stop();
        }
        r
    }

    fn poll(&mut self, wait: Duration, out: &mut Vec<BrowserEvent>) -> Result<(), String> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(p) = self.proc.as_mut() {
                if !p.alive() {
                    return Err("chromium exited".into());
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let ws = self.ws.as_mut().ok_or("chromium is not running")?;
            match ws.next_event(left)? {
                Some(v) => {
                    if let Some(ev) = self.convert(&v)? {
                        out.push(ev);
                    }
                }
                None => return Ok(()),
            }
            if Instant::now() >= deadline {
                return Ok(());
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<BrowserEvent>) {
        let _ = self.poll(Duration::from_millis(300), out);
        self.stop();
    }

    fn info(&self) -> Value {
        self.info.clone()
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// Firefox

struct Firefox {
    exe: PathBuf,
    prefs: Vec<String>,
    proc: Option<Proc>,
    dir: Option<TempDir>,
    ws: Option<Ws>,
    lines: Option<Receiver<(&'static str, String)>>,
    recent: Vec<String>,
    info: Value,
}

/// The profile's `user.js`: no first-run pages, telemetry, updates, safe browsing,
/// captive-portal checks, HTTP/3, or remote settings.
const FIREFOX_USER_JS: &str = r#"user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage", "about:blank");
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("startup.homepage_welcome_url", "about:blank");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("trailhead.firstrun.didSeeAboutWelcome", true);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.policy.firstRunURL", "");
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.archive.enabled", false);
user_pref("toolkit.telemetry.server", "");
user_pref("app.update.disabledForTesting", true);
user_pref("app.update.auto", false);
user_pref("app.normandy.enabled", false);
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.blockedURIs.enabled", false);
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.http.http3.enable", false);
user_pref("network.http.http3.enabled", false);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("network.proxy.type", 0);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("browser.region.network.url", "");
user_pref("geo.provider.network.url", "");
user_pref("browser.search.update", false);
user_pref("browser.ping-centre.telemetry", false);
user_pref("browser.newtabpage.activity-stream.feeds.telemetry", false);
user_pref("browser.newtabpage.activity-stream.telemetry", false);
user_pref("security.OCSP.enabled", 0);
user_pref("network.cookie.cookieBehavior", 0);
user_pref("browser.tabs.remote.autostart", true);
"#;

impl Firefox {
    fn new(prefs: Vec<String>) -> Self {
        Self {
            exe: install::executable(BrowserKind::Firefox),
            prefs,
            proc: None,
            dir: None,
            ws: None,
            lines: None,
            recent: Vec::new(),
            info: Value::Null,
        }
    }

    fn stop(&mut self) {
        self.ws = None;
        if let Some(mut p) = self.proc.take() {
            p.stop();
        }
        self.lines = None;
        self.dir = None;
    }

    fn drain_lines(&mut self) {
        if let Some(rx) = &self.lines {
            while let Ok((_, line)) = rx.try_recv() {
                self.recent.push(line);
            }
            let n = self.recent.len();
            if n > 40 {
                self.recent.drain(..n - 40);
            }
        }
    }

    fn launch(&mut self, url: &str) -> Result<(), String> {
        let dir = TempDir::new("firefox").map_err(|e| e.to_string())?;
        let profile = dir.join("profile");
        let home = dir.join("home");
        std::fs::create_dir_all(&profile).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
        let mut user_js = FIREFOX_USER_JS.to_owned();
        for p in &self.prefs {
            user_js.push_str(&format!("user_pref({p});\n"));
        }
        std::fs::write(profile.join("user.js"), user_js).map_err(|e| e.to_string())?;
        let mut cmd = Command::new(&self.exe);
        cmd.args(["--headless", "--no-remote", "--profile"])
            .arg(&profile)
            .args(["--remote-debugging-port", "0", "about:blank"])
            .env("MOZ_HEADLESS", "1")
            .env("HOME", &home)
            .env("MOZ_CRASHREPORTER_DISABLE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut p = Proc::spawn("firefox", cmd).map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel();
        if let Some(s) = p.take_stdout() {
            proc::forward_lines(s, "stdout", tx.clone());
        }
        if let Some(s) = p.take_stderr() {
            proc::forward_lines(s, "stderr", tx);
        }
        self.recent.clear();
        let deadline = Instant::now() + Duration::from_secs(60);
        let ws_base = loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok((_, line)) => {
                    if let Some(rest) = line.split("WebDriver BiDi listening on ").nth(1) {
                        break rest.trim().to_owned();
                    }
                    self.recent.push(line);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!(
                        "firefox exited at start-up:\n{}",
                        self.recent.join("\n")
                    ));
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "firefox did not open WebDriver BiDi in 60 s:\n{}",
                    self.recent.join("\n")
                ));
            }
        };
        self.proc = Some(p);
        self.dir = Some(dir);
        self.lines = Some(rx);
        let mut ws = Ws::connect(
            &format!("{}/session", ws_base.trim_end_matches('/')),
            CALL_TIMEOUT,
        )?;
        let session = ws.call(
            "session.new",
            json!({"capabilities": {}}),
            None,
            CALL_TIMEOUT,
        )?;
        self.info = session["capabilities"].clone();
        ws.call(
            "session.subscribe",
            json!({"events": ["log.entryAdded"]}),
            None,
            CALL_TIMEOUT,
        )?;
        let tree = ws.call("browsingContext.getTree", json!({}), None, CALL_TIMEOUT)?;
        let context = tree["contexts"][0]["context"]
            .as_str()
            .ok_or("browsingContext.getTree gave no context")?
            .to_owned();
        ws.call(
            "browsingContext.navigate",
            json!({"context": context, "url": url, "wait": "none"}),
            None,
            CALL_TIMEOUT,
        )?;
        self.ws = Some(ws);
        Ok(())
    }
}

impl Driver for Firefox {
    fn kind(&self) -> BrowserKind {
        BrowserKind::Firefox
    }

    fn start(&mut self, url: &str) -> Result<(), String> {
        self.stop();
        let r = self.launch(url);
        if r.is_err() {
            self.stop();
        }
        r
    }

    fn poll(&mut self, wait: Duration, out: &mut Vec<BrowserEvent>) -> Result<(), String> {
        let deadline = Instant::now() + wait;
        loop {
            self.drain_lines();
            if let Some(p) = self.proc.as_mut() {
                if !p.alive() {
                    return Err(format!("firefox exited:\n{}", self.recent.join("\n")));
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let ws = self.ws.as_mut().ok_or("firefox is not running")?;
            match ws.next_event(left)? {
                Some(v) if v["method"] == "log.entryAdded" => {
                    let p = &v["params"];
                    let mut ev = BrowserEvent::new(
                        "log",
                        p["level"].as_str().unwrap_or(""),
                        p["text"].as_str().unwrap_or(""),
                    );
                    ev.data = Some(json!({"type": p["type"], "method": p["method"]}));
                    if p["type"] == "console" {
                        ev.source = "console".into();
                    }
                    out.push(ev);
                }
                Some(_) => {}
                None => return Ok(()),
            }
            if Instant::now() >= deadline {
                return Ok(());
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<BrowserEvent>) {
        let _ = self.poll(Duration::from_millis(500), out);
        self.stop();
    }

    fn info(&self) -> Value {
        self.info.clone()
    }
}

impl Drop for Firefox {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// WebKitGTK (MiniBrowser)

struct Webkit {
    exe: PathBuf,
    xvfb: Option<Proc>,
    display: Option<String>,
    proc: Option<Proc>,
    dir: Option<TempDir>,
    lines: Option<Receiver<(&'static str, String)>>,
    recent: Vec<String>,
}

impl Webkit {
    fn new() -> Self {
        Self {
            exe: install::executable(BrowserKind::Webkit),
            xvfb: None,
            display: None,
            proc: None,
            dir: None,
            lines: None,
            recent: Vec::new(),
        }
    }

    fn ensure_xvfb(&mut self) -> Result<String, String> {
        if let (Some(p), Some(d)) = (self.xvfb.as_mut(), self.display.as_ref()) {
            if p.alive() {
                return Ok(d.clone());
            }
        }
        self.xvfb = None;
        let mut cmd = Command::new(install::xvfb());
        cmd.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut p = Proc::spawn("Xvfb", cmd).map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel();
        if let Some(s) = p.take_stdout() {
            proc::forward_lines(s, "stdout", tx.clone());
        }
        if let Some(s) = p.take_stderr() {
            proc::forward_lines(s, "stderr", tx);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut errs = Vec::new();
        let display = loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(("stdout", line)) if line.trim().parse::<u32>().is_ok() => {
                    break format!(":{}", line.trim());
                }
                Ok((_, line)) => errs.push(line),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("Xvfb exited at start-up:\n{}", errs.join("\n")));
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Xvfb gave no display in 20 s:\n{}",
                    errs.join("\n")
                ));
            }
        };
        // Keep draining Xvfb's output so that it never blocks on a full pipe.
        thread::spawn(move || while rx.recv().is_ok() {});
        self.xvfb = Some(p);
        self.display = Some(display.clone());
        Ok(display)
    }

    fn stop_browser(&mut self, out: Option<&mut Vec<BrowserEvent>>) {
        if let Some(mut p) = self.proc.take() {
            // SIGINT makes MiniBrowser flush its console output.
            p.signal(Signal::SIGINT);
            let rx = self.lines.take();
            let mut events = Vec::new();
            if let Some(rx) = &rx {
                let deadline = Instant::now() + Duration::from_secs(3);
                loop {
                    let left = deadline.saturating_duration_since(Instant::now());
                    match rx.recv_timeout(left.max(Duration::from_millis(1))) {
                        Ok((_, line)) => {
                            if let Some(ev) = parse_webkit_line(&line) {
                                events.push(ev);
                            }
                        }
                        Err(_) => break,
                    }
                }
            }
            p.stop_with(Signal::SIGINT, Duration::from_secs(2));
            if let Some(rx) = &rx {
                while let Ok((_, line)) = rx.try_recv() {
                    if let Some(ev) = parse_webkit_line(&line) {
                        events.push(ev);
                    }
                }
            }
            if let Some(out) = out {
                out.extend(events);
            }
        }
        self.lines = None;
        self.dir = None;
    }

    fn launch(&mut self, url: &str) -> Result<(), String> {
        let display = self.ensure_xvfb()?;
        let dir = TempDir::new("webkit").map_err(|e| e.to_string())?;
        let sub = |n: &str| -> Result<PathBuf, String> {
            let p = dir.join(n);
            std::fs::create_dir_all(&p).map_err(|e| e.to_string())?;
            Ok(p)
        };
        let home = sub("home")?;
        let runtime = sub("runtime")?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| e.to_string())?;
        }
        let mut cmd = Command::new(&self.exe);
        cmd.arg("--enable-write-console-messages-to-stdout=true")
            .arg(url)
            .env("DISPLAY", &display)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", sub("config")?)
            .env("XDG_CACHE_HOME", sub("cache")?)
            .env("XDG_DATA_HOME", sub("data")?)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut p = Proc::spawn("MiniBrowser", cmd).map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel();
        if let Some(s) = p.take_stdout() {
            proc::forward_lines(s, "stdout", tx.clone());
        }
        if let Some(s) = p.take_stderr() {
            proc::forward_lines(s, "stderr", tx);
        }
        self.recent.clear();
        self.proc = Some(p);
        self.dir = Some(dir);
        self.lines = Some(rx);
        Ok(())
    }
}

/// Parses a MiniBrowser console line (`… CONSOLE SECURITY ERROR <text>`, `… CONSOLE LOG <text>`).
pub fn parse_webkit_line(line: &str) -> Option<BrowserEvent> {
    let at = line.find("CONSOLE ")?;
    let rest = &line[at + "CONSOLE ".len()..];
    let mut words = rest.splitn(3, ' ');
    let first = words.next()?;
    const LEVELS: [&str; 5] = ["LOG", "ERROR", "WARN", "INFO", "DEBUG"];
    if LEVELS.contains(&first) {
        let text = rest[first.len()..].trim_start();
        let source = if first == "LOG" { "console" } else { "js" };
        return Some(BrowserEvent::new(source, &first.to_ascii_lowercase(), text));
    }
    let second = words.next()?;
    let text = words.next().unwrap_or("");
    if LEVELS.contains(&second) {
        let source = if first == "JS" && second == "LOG" {
            "console".to_owned()
        } else {
            first.to_ascii_lowercase()
        };
        return Some(BrowserEvent::new(
            &source,
            &second.to_ascii_lowercase(),
            text,
        ));
    }
    Some(BrowserEvent::new("console", "log", rest))
}

impl Driver for Webkit {
    fn kind(&self) -> BrowserKind {
        BrowserKind::Webkit
    }

    fn start(&mut self, url: &str) -> Result<(), String> {
        self.stop_browser(None);
        let r = self.launch(url);
        if r.is_err() {
            self.stop_browser(None);
        }
        r
    }

    fn poll(&mut self, wait: Duration, out: &mut Vec<BrowserEvent>) -> Result<(), String> {
        let deadline = Instant::now() + wait;
        let rx = self.lines.as_ref().ok_or("MiniBrowser is not running")?;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left.max(Duration::from_millis(1))) {
                Ok((_, line)) => {
                    if let Some(ev) = parse_webkit_line(&line) {
                        out.push(ev);
                    } else {
                        self.recent.push(line);
                        let n = self.recent.len();
                        if n > 40 {
                            self.recent.drain(..n - 40);
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        if let Some(p) = self.proc.as_mut() {
            if !p.alive() {
                return Err(format!("MiniBrowser exited:\n{}", self.recent.join("\n")));
            }
        }
        if let Some(x) = self.xvfb.as_mut() {
            if !x.alive() {
                return Err("Xvfb exited".into());
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<BrowserEvent>) {
        let _ = self.poll(Duration::from_millis(100), out);
        self.stop_browser(Some(out));
    }

    fn info(&self) -> Value {
        Value::Null
    }
}

impl Drop for Webkit {
    fn drop(&mut self) {
        self.stop_browser(None);
        if let Some(mut x) = self.xvfb.take() {
            x.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webkit_lines() {
        let e = parse_webkit_line("CONSOLE SECURITY ERROR Origin http://a is not allowed").unwrap();
        assert_eq!(
            (e.source.as_str(), e.level.as_str(), e.text.as_str()),
            ("security", "error", "Origin http://a is not allowed")
        );
        let e = parse_webkit_line(
            "http://127.0.0.1:1/__oracle/page?b=0:53:15: CONSOLE LOG corsica-oracle step cx1z 0",
        )
        .unwrap();
        assert_eq!(
            (e.source.as_str(), e.text.as_str()),
            ("console", "corsica-oracle step cx1z 0")
        );
        let e = parse_webkit_line(
            "CONSOLE JS ERROR Fetch API cannot load http://x/ due to access control checks.",
        )
        .unwrap();
        assert_eq!((e.source.as_str(), e.level.as_str()), ("js", "error"));
        assert!(parse_webkit_line("Gtk-WARNING something").is_none());
    }
}
