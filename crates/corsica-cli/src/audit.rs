//! `corsica audit URL` (or `--targets FILE`): live servers checked for CORS misconfigurations.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use corsica::Url;
use corsica_probe::audit::{AuditOptions, AuditReport, Severity, audit, sarif::sarif};
use corsica_probe::session::RateLimit;
use corsica_probe::{Client, Session};
use tokio::sync::Semaphore;

use crate::probe::{NetArgs, check_rate};
use crate::{EXIT_INPUT, print_out};

/// `corsica audit URL`
#[derive(Debug, clap::Args)]
#[command(after_help = "\
About 80 requests per target: untrusted origins derived from the legitimate ones, with and
without cookies, as preflights and as GETs; the engine says what each browser would let a page
on them do. Only GET, HEAD and OPTIONS reach the server unless --allow-writes is given.
Findings are security (exploitable by a web page, or parser-only), functional or cache; notes
are things a server may mean and never change the exit code.

Exit codes: 0 no security finding, 1 a security finding, 2 a target that did not answer, or
bad input.")]
pub(crate) struct Args {
    /// The URL to audit (or give --targets).
    #[arg(required_unless_present = "targets", conflicts_with = "targets")]
    url: Option<String>,
    /// A legitimate origin, one the server means to allow (repeatable). Without it the audit
    /// infers one from a fixed Access-Control-Allow-Origin, or runs only the checks that need
    /// none.
    #[arg(long = "origin", value_name = "ORIGIN")]
    origins: Vec<String>,
    /// A method the legitimate pages send (repeatable); the preflight refusing it becomes a
    /// finding. Default: PUT is probed, and a refusal is only a note.
    #[arg(long = "method", value_name = "METHOD")]
    methods: Vec<String>,
    /// A request header the legitimate pages send (repeatable, a name); the preflight refusing
    /// it becomes a finding. Default: Content-Type: application/json is probed.
    #[arg(long = "header", value_name = "NAME")]
    headers: Vec<String>,
    /// A response header the legitimate pages read (repeatable); not exposing it is a finding.
    #[arg(long = "expose", value_name = "NAME")]
    expose: Vec<String>,
    /// Also send actual requests with unsafe methods (the preflighted PUT, a POST from an
    /// untrusted origin). Without it only GET, HEAD and OPTIONS reach the server.
    #[arg(long)]
    allow_writes: bool,
    /// Print one JSON report per target (JSON Lines).
    #[arg(long, conflicts_with = "sarif")]
    json: bool,
    /// Print a SARIF 2.1.0 log of every target.
    #[arg(long)]
    sarif: bool,
    /// Audit every target of FILE: one per line, `URL [ORIGIN ...]`; `#` starts a comment. The
    /// --origin flags apply to lines that name no origin.
    #[arg(long, value_name = "FILE")]
    targets: Option<PathBuf>,
    /// Requests in flight at once, across all targets.
    #[arg(long, default_value_t = 8, value_name = "N")]
    parallel: usize,
    /// Requests per second to each host (0: no limit; loopback hosts are never paced).
    #[arg(long, default_value_t = 10.0, value_name = "PER_SECOND")]
    rate: f64,
    #[command(flatten)]
    net: NetArgs,
}

/// One target and its legitimate origins.
#[derive(Clone, Debug)]
struct Target {
    url: Url,
    origins: Vec<String>,
}

fn parse_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("{text:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{text:?}: only http and https URLs can be audited"));
    }
    Ok(url)
}

/// The targets of a `--targets` file.
fn read_targets(path: &Path, default_origins: &[String]) -> Result<Vec<Target>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut targets = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line
            .split_once('#')
            .map_or(line, |(before, _)| before)
            .trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let url = words.next().unwrap_or_default();
        let url = parse_url(url).map_err(|e| format!("{}:{}: {e}", path.display(), number + 1))?;
        let mut origins: Vec<String> = words.map(str::to_owned).collect();
        if origins.is_empty() {
            origins = default_origins.to_vec();
        }
        targets.push(Target { url, origins });
    }
    if targets.is_empty() {
        return Err(format!("{}: no target in the file", path.display()));
    }
    Ok(targets)
}

pub(crate) fn run(args: &Args) -> ExitCode {
    match prepare(args) {
        Ok((targets, client)) => execute(args, targets, &client),
        Err(message) => {
            eprintln!("corsica audit: {message}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn prepare(args: &Args) -> Result<(Vec<Target>, Client), String> {
    let targets = match (&args.url, &args.targets) {
        (Some(url), _) => vec![Target {
            url: parse_url(url)?,
            origins: args.origins.clone(),
        }],
        (None, Some(path)) => read_targets(path, &args.origins)?,
        (None, None) => return Err(String::from("give a URL or --targets FILE")),
    };
    for target in &targets {
        options(args, target)
            .validate()
            .map_err(|e| e.to_string())?;
    }
    if args.parallel == 0 {
        return Err(String::from("--parallel: give at least 1"));
    }
    check_rate(args.rate)?;
    Ok((targets, args.net.client()?))
}

fn options(args: &Args, target: &Target) -> AuditOptions {
    AuditOptions {
        origins: target.origins.clone(),
        methods: args.methods.clone(),
        headers: args.headers.clone(),
        expose: args.expose.clone(),
        allow_writes: args.allow_writes,
        concurrency: args.parallel.min(4),
    }
}

fn execute(args: &Args, targets: Vec<Target>, client: &Client) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("corsica audit: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let many = args.targets.is_some();
    let reports = runtime.block_on(audit_all(args, &targets, client, many));
    let mut out = String::new();
    if args.sarif {
        let _ = writeln!(out, "{}", sarif(&reports));
    } else if args.json {
        for report in &reports {
            let _ = writeln!(out, "{}", report.to_json());
        }
    } else {
        for report in &reports {
            let _ = writeln!(out, "{}", report.to_text());
        }
    }
    if many {
        let table = summary(&reports);
        if args.json || args.sarif {
            eprint!("{table}");
        } else {
            out.push_str(&table);
        }
    }
    if let Err(code) = print_out("audit", &out) {
        return code;
    }
    for report in &reports {
        if let Some(error) = &report.error {
            eprintln!("corsica audit: {}: {error}", report.target);
        }
    }
    if reports.iter().any(AuditReport::has_security_finding) {
        ExitCode::from(1)
    } else if reports.iter().any(|r| r.error.is_some()) {
        ExitCode::from(EXIT_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Audits every target, at most `--parallel` requests in flight, `--rate` per host, with
/// progress on standard error when there are several.
async fn audit_all(
    args: &Args,
    targets: &[Target],
    client: &Client,
    many: bool,
) -> Vec<AuditReport> {
    let rate = RateLimit::per_second(args.rate);
    let in_flight = Arc::new(Semaphore::new(args.parallel));
    let progress = Arc::new(Progress::new(targets.len(), many));
    let ticker = progress.clone();
    let tick = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            ticker.draw();
        }
    });
    let mut set = tokio::task::JoinSet::new();
    let targets_at_once = Arc::new(Semaphore::new(args.parallel));
    for (i, target) in targets.iter().enumerate() {
        let session = Arc::new(
            Session::new(client.clone(), args.net.browser())
                .with_rate_limit(rate.clone())
                .with_in_flight_limit(in_flight.clone()),
        );
        let options = options(args, target);
        let url = target.url.clone();
        let progress = progress.clone();
        let permits = targets_at_once.clone();
        set.spawn(async move {
            let _permit = permits.acquire_owned().await;
            progress.start(session.clone());
            let report = audit(session.clone(), url, &options).await;
            progress.finish(&session, &report);
            (i, report)
        });
    }
    let mut reports = Vec::with_capacity(targets.len());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(done) => reports.push(done),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    tick.abort();
    progress.clear();
    reports.sort_by_key(|(i, _)| *i);
    reports.into_iter().map(|(_, r)| r).collect()
}

/// Progress on standard error: a bar on a terminal, a line per finished target otherwise.
struct Progress {
    total: usize,
    enabled: bool,
    terminal: bool,
    started: Instant,
    state: Mutex<ProgressState>,
}

#[derive(Default)]
struct ProgressState {
    done: usize,
    finished_requests: usize,
    running: Vec<Arc<Session>>,
}

impl Progress {
    fn new(total: usize, enabled: bool) -> Self {
        Self {
            total,
            enabled,
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            state: Mutex::new(ProgressState::default()),
        }
    }

    fn start(&self, session: Arc<Session>) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .running
            .push(session);
    }

    fn finish(&self, session: &Arc<Session>, report: &AuditReport) {
        let done = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.done += 1;
            state.finished_requests += session.requests_sent();
            state.running.retain(|s| !Arc::ptr_eq(s, session));
            state.done
        };
        if self.enabled && !self.terminal {
            let outcome = match &report.error {
                Some(error) => format!("error: {error}"),
                None => format!(
                    "{} finding{} ({} security), {} requests",
                    report.findings().count(),
                    if report.findings().count() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    report.count(Severity::Security),
                    report.requests
                ),
            };
            eprintln!(
                "audit: [{done}/{}] {}: {outcome}",
                self.total, report.target
            );
        } else {
            self.draw();
        }
    }

    fn draw(&self) {
        if !(self.enabled && self.terminal) {
            return;
        }
        let (done, requests) = {
            let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let running: usize = state.running.iter().map(|s| s.requests_sent()).sum();
            (state.done, state.finished_requests + running)
        };
        let width = 24;
        let filled = (done * width)
            .checked_div(self.total)
            .unwrap_or(width)
            .min(width);
        let bar: String = "█".repeat(filled) + &"░".repeat(width - filled);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K{bar} {done}/{} targets · {requests} requests · {:.1} s",
            self.total,
            self.started.elapsed().as_secs_f64()
        );
        let _ = err.flush();
    }

    fn clear(&self) {
        if self.enabled && self.terminal {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

/// The summary table of several audits.
fn summary(reports: &[AuditReport]) -> String {
    let width = reports
        .iter()
        .map(|r| r.target.as_str().len())
        .max()
        .unwrap_or(6)
        .clamp(6, 60);
    let mut text = String::new();
    let _ = writeln!(text, "Summary");
    let _ = writeln!(
        text,
        "  {:<width$}  {:>8}  {:>11}  {:>10}  {:>5}  {:>5}  {:>8}",
        "Target", "Security", "Exploitable", "Functional", "Cache", "Notes", "Requests"
    );
    for report in reports {
        let target: String = report.target.as_str().chars().take(width).collect();
        if let Some(error) = &report.error {
            let _ = writeln!(text, "  {target:<width$}  error: {}", error.kind());
            continue;
        }
        let _ = writeln!(
            text,
            "  {target:<width$}  {:>8}  {:>11}  {:>10}  {:>5}  {:>5}  {:>8}",
            report.count(Severity::Security),
            report.findings().filter(|f| f.is_exploitable()).count(),
            report.count(Severity::Functional),
            report.count(Severity::Cache) + report.count(Severity::Hygiene),
            report.notes().count(),
            report.requests
        );
    }
    let with_security = reports.iter().filter(|r| r.has_security_finding()).count();
    let _ = writeln!(
        text,
        "  {} target{}, {with_security} with a security finding, {} unreachable",
        reports.len(),
        if reports.len() == 1 { "" } else { "s" },
        reports.iter().filter(|r| r.error.is_some()).count()
    );
    text
}
