//! Playing scenarios in a browser and writing down what happened.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::browser::{self, BrowserEvent, DriverOptions};
use crate::harness::{self, CaseOutcome, Harness, LogEntry};
use crate::install::{self, BrowserKind};
use crate::plan;
use crate::rewrite::{Naming, Origins};

/// What `record` does.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Browsers to play in, in order.
    pub browsers: Vec<BrowserKind>,
    /// Plays of every scenario (2 marks unstable scenarios).
    pub runs: usize,
    /// Bound on each `fetch()` (a timeout is recorded as such).
    pub fetch_timeout: Duration,
    /// Cases per page load.
    pub batch_size: usize,
    /// Driver options (extra flags, prefs).
    pub driver: DriverOptions,
    /// Print progress lines on stderr.
    pub progress: bool,
    /// Install missing browsers with apt-get.
    pub install: bool,
    /// Run the cases that wait between requests one at a time too (slower; otherwise they
    /// run concurrently at the end of each batch).
    pub serial: bool,
}

impl Default for RecordOptions {
    fn default() -> Self {
        Self {
            browsers: BrowserKind::ALL.to_vec(),
            runs: 1,
            fetch_timeout: Duration::from_secs(5),
            batch_size: 50,
            driver: DriverOptions::default(),
            progress: true,
            install: true,
            serial: false,
        }
    }
}

/// One input line: a scenario, or a line that is not one.
#[derive(Debug, Clone)]
pub enum Input {
    /// A parsed scenario.
    Scenario(Value),
    /// A line that is not JSON (kept so that it is reported, not dropped).
    Invalid {
        /// The line as read.
        line: String,
        /// Why it was refused.
        error: String,
    },
}

/// Reads scenarios from JSONL files (blank lines and `//` comment lines are skipped) or from
/// vector files (`spec-tests/vectors/*.json`: a JSON array whose strings are comments), in order;
/// a file name with a `*` stands for the files of its directory that match it.
pub fn read_all_scenarios(paths: &[PathBuf], limit: Option<usize>) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for path in paths
        .iter()
        .map(|p| expand(p))
        .collect::<Result<Vec<_>, _>>()?
        .concat()
    {
        let left = limit.map(|l| l.saturating_sub(out.len()));
        if left == Some(0) {
            break;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if text.trim_start().starts_with('[') {
            let vectors: Vec<Value> =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            out.extend(
                vectors
                    .into_iter()
                    .filter(Value::is_object)
                    .take(left.unwrap_or(usize::MAX))
                    .map(Input::Scenario),
            );
        } else {
            out.extend(read_scenarios(&path, left)?);
        }
    }
    Ok(out)
}

/// The files a path names: itself, or those of its directory that match a `*` in its name.
fn expand(path: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some((before, after)) = name.split_once('*') else {
        return Ok(vec![path.to_path_buf()]);
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.len() >= before.len() + after.len() && n.starts_with(before) && n.ends_with(after)
            })
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no file matches", path.display()));
    }
    Ok(files)
}

/// Reads a JSONL file of scenarios (blank lines and `//` comment lines are skipped).
pub fn read_scenarios(path: &std::path::Path, limit: Option<usize>) -> Result<Vec<Input>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in BufReader::new(f).lines() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        out.push(match serde_json::from_str::<Value>(t) {
            Ok(v) if v.is_object() => Input::Scenario(v),
            Ok(_) => Input::Invalid {
                line: t.to_owned(),
                error: "not a JSON object".into(),
            },
            Err(e) => Input::Invalid {
                line: t.to_owned(),
                error: e.to_string(),
            },
        });
    }
    Ok(out)
}

static TOKENS: AtomicU64 = AtomicU64::new(1);

/// A fresh case token (`cx<n>z`): unique in this process, so that no URL is played twice.
pub fn next_token() -> String {
    format!("cx{}z", TOKENS.fetch_add(1, Ordering::Relaxed))
}

/// Finds a case token in text (`/cx12z/`, `/cx12z?`, `/cx12z'`…).
pub fn find_token(text: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(pos) = text[from..].find("/cx") {
        let start = from + pos + 1;
        let rest = &text[start + 2..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('z') {
            let end = start + 2 + digits + 1;
            let next = text[end..].chars().next();
            if next.is_none_or(|c| !c.is_ascii_alphanumeric()) {
                return Some(&text[start..end]);
            }
        }
        from = start;
    }
    None
}

/// How one scenario went in one pass.
#[derive(Debug, Clone)]
enum Played {
    Case {
        outcome: CaseOutcome,
        events: Vec<Vec<BrowserEvent>>,
    },
    Unsupported(String),
    Invalid(String),
}

/// Browser identity for the records.
#[derive(Debug, Clone)]
struct BrowserId {
    json: Value,
}

/// Per-browser timing, for the summary.
#[derive(Debug, Clone)]
pub struct BrowserTiming {
    /// The browser.
    pub browser: BrowserKind,
    /// Wall time of all its passes.
    pub elapsed: Duration,
    /// Scenarios played (per pass).
    pub played: usize,
    /// Scenarios that could not be played.
    pub unsupported: usize,
    /// Restarts after a crash or hang.
    pub restarts: usize,
    /// Scenarios whose runs disagreed.
    pub unstable: usize,
    /// Cases that ended in a browser failure.
    pub failures: usize,
}

/// Records every scenario in every browser of `opts`, writing one JSON line per scenario and
/// browser to `out`.
pub fn record(
    inputs: &[Input],
    opts: &RecordOptions,
    out: &mut dyn Write,
) -> Result<Vec<BrowserTiming>, String> {
    let mut log = |m: &str| eprintln!("{m}");
    if opts.install {
        install::ensure(&opts.browsers, &mut log)?;
    } else {
        // Still fail clearly rather than half-way through.
        for k in &opts.browsers {
            let exe = install::executable(*k);
            if !exe.exists() {
                return Err(format!(
                    "missing: {} ({}); run `corsica-oracle install`",
                    k.name(),
                    exe.display()
                ));
            }
        }
    }
    let running =
        harness::start(opts.fetch_timeout).map_err(|e| format!("cannot start the servers: {e}"))?;
    let h = &running.harness;
    let mut timings = Vec::new();
    for &kind in &opts.browsers {
        let started = Instant::now();
        let mut driver = browser::driver(kind, &opts.driver);
        let mut passes: Vec<Vec<Played>> = Vec::new();
        let mut restarts = 0;
        for run in 0..opts.runs.max(1) {
            let (played, r) = play_pass(h, driver.as_mut(), inputs, opts, run)?;
            restarts += r;
            passes.push(played);
        }
        let id = browser_id(kind, driver.info(), h.user_agent());
        drop(driver);
        let date = now_utc();
        let mut timing = BrowserTiming {
            browser: kind,
            elapsed: started.elapsed(),
            played: 0,
            unsupported: 0,
            restarts,
            unstable: 0,
            failures: 0,
        };
        for (i, input) in inputs.iter().enumerate() {
            let runs: Vec<&Played> = passes.iter().map(|p| &p[i]).collect();
            let mut rec = build_record(input, &runs, &id, &date, &h.origins);
            rec["oracle"] = json!({
                "version": env!("CARGO_PKG_VERSION"),
                "fetch_timeout_s": opts.fetch_timeout.as_secs_f64(),
                "batch_size": opts.batch_size,
                "concurrent_waits": !opts.serial,
                "warmup_ms": warmup_ms(kind),
            });
            match rec.get("status").and_then(Value::as_str) {
                Some("recorded") => timing.played += 1,
                Some("browser-failure") => {
                    timing.played += 1;
                    timing.failures += 1;
                }
                _ => timing.unsupported += 1,
            }
            if rec.get("unstable") == Some(&Value::Bool(true)) {
                timing.unstable += 1;
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string(&rec).map_err(|e| e.to_string())?
            )
            .map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
        if opts.progress {
            eprintln!(
                "[{}] done: {} scenarios x {} run(s) in {:.1} s ({} not playable, {} unstable, {} browser failures, {} restarts)",
                kind.name(),
                inputs.len(),
                opts.runs.max(1),
                timing.elapsed.as_secs_f64(),
                timing.unsupported,
                timing.unstable,
                timing.failures,
                timing.restarts
            );
        }
        timings.push(timing);
    }
    Ok(timings)
}

/// Plays every input once in one browser.
fn play_pass(
    h: &Harness,
    driver: &mut dyn browser::Driver,
    inputs: &[Input],
    opts: &RecordOptions,
    run: usize,
) -> Result<(Vec<Played>, usize), String> {
    let kind = driver.kind();
    let mut played: Vec<Option<Played>> = vec![None; inputs.len()];
    let mut plans = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        match input {
            Input::Invalid { error, .. } => played[i] = Some(Played::Invalid(error.clone())),
            Input::Scenario(s) => {
                let tok = next_token();
                match plan::plan(s, &h.origins, &tok) {
                    Ok(p) => {
                        index_of.insert(tok, i);
                        plans.push(p);
                    }
                    Err(reason) => played[i] = Some(Played::Unsupported(reason)),
                }
            }
        }
    }
    let total = plans.len();
    let mut restarts = 0;
    let mut events: Vec<BrowserEvent> = Vec::new();
    if total > 0 {
        h.load(plans, opts.batch_size, !opts.serial);
        let label = format!("[{} run {}/{}]", kind.name(), run + 1, opts.runs.max(1));
        let started = Instant::now();
        let mut last_progress = Instant::now();
        let max_restarts = 5 + total / 25;
        let warmup = warmup_ms(kind);
        let mut start_url = format!("{}&warmup={warmup}", h.page_url(0, 0));
        'outer: loop {
            if let Err(e) = driver.start(&start_url) {
                restarts += 1;
                events.push(oracle_event(&format!("start failed: {e}")));
                if restarts > max_restarts {
                    return Err(format!("{}: cannot start: {e}", kind.name()));
                }
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            h.mark_active();
            let trouble = loop {
                if let Err(e) = driver.poll(Duration::from_millis(200), &mut events) {
                    break e;
                }
                if h.all_done() {
                    break 'outer;
                }
                let stall = stall_limit(h, opts.fetch_timeout);
                if h.idle_for() > stall {
                    break format!("no request reached the servers for {} s", stall.as_secs());
                }
                if opts.progress && last_progress.elapsed() > Duration::from_secs(5) {
                    let (done, all) = h.progress();
                    eprintln!(
                        "{label} {done}/{all} cases, {:.1} s, {restarts} restarts",
                        started.elapsed().as_secs_f64()
                    );
                    last_progress = Instant::now();
                }
            };
            // The browser crashed or hung: give up on the case it was playing, go on after it.
            restarts += 1;
            events.push(oracle_event(&format!("restart: {trouble}")));
            if opts.progress {
                eprintln!("{label} {}: {trouble}; restarting", kind.name());
            }
            driver.finish(&mut events);
            if h.first_unfinished().is_none() {
                break;
            }
            if restarts > max_restarts {
                let msg = format!(
                    "{} failed too often ({restarts} restarts); last: {trouble}",
                    kind.name()
                );
                while let Some((_, _, tok)) = h.first_unfinished() {
                    h.give_up(&tok, &msg);
                }
                break;
            }
            // Give up on every case that began and did not finish; go on from the first case
            // that did not begin (the page skips the cases already done).
            let msg = format!("the browser crashed or hung during this case: {trouble}");
            let Some((b, i)) = h.abandon_started(&msg) else {
                break;
            };
            for done in 0..b {
                h.set_batch_done(done);
            }
            start_url = format!("{}&warmup={warmup}", h.page_url(b, i));
        }
        driver.finish(&mut events);
        if opts.progress {
            let (done, all) = h.progress();
            eprintln!(
                "{label} {done}/{all} cases in {:.1} s, {restarts} restarts",
                started.elapsed().as_secs_f64()
            );
        }
    }
    if let Some(path) = std::env::var_os("CORSICA_ORACLE_DEBUG_EVENTS") {
        let mut text = String::new();
        for e in &events {
            text.push_str(&format!(
                "{} {} {:?} {:?} {}\n",
                e.source,
                e.level,
                e.text,
                e.url,
                e.data.as_ref().map(Value::to_string).unwrap_or_default()
            ));
        }
        for e in h.stray() {
            text.push_str(&format!(
                "stray {} {} {:?}\n",
                e.method,
                e.url,
                e.response.as_ref().map(|r| r.0)
            ));
        }
        let _ = std::fs::write(path, text);
    }
    let outcomes = if total > 0 { h.outcomes() } else { Vec::new() };
    let per_case = attribute(&events, &outcomes);
    for (outcome, evs) in outcomes.into_iter().zip(per_case) {
        let i = index_of[&outcome.plan.token];
        played[i] = Some(Played::Case {
            outcome,
            events: evs,
        });
    }
    Ok((
        played
            .into_iter()
            .map(|p| p.expect("every input handled"))
            .collect(),
        restarts,
    ))
}

/// How long a freshly started browser idles after its warm-up requests and before the first
/// case, in milliseconds (`CORSICA_ORACLE_WARMUP_MS` overrides; 0 turns the warm-up off).
///
/// The warm-up (four preflighted requests to one URL on each API origin) exists because a
/// fresh Firefox ESR 153 session missed its preflight cache on its first two would-be hits.
fn warmup_ms(kind: BrowserKind) -> u64 {
    if let Some(v) = std::env::var("CORSICA_ORACLE_WARMUP_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return v;
    }
    let _ = kind;
    300
}

fn oracle_event(text: &str) -> BrowserEvent {
    BrowserEvent {
        source: "oracle".into(),
        level: "info".into(),
        text: text.into(),
        url: None,
        data: None,
    }
}

/// How long the servers may stay silent before the browser counts as hung.
fn stall_limit(h: &Harness, fetch_timeout: Duration) -> Duration {
    let waits = h
        .first_unfinished()
        .and_then(|(_, _, tok)| h.case_info(&tok))
        .map_or(0.0, |(_, at)| at);
    fetch_timeout * 2 + Duration::from_secs_f64(waits) + Duration::from_secs(20)
}

/// Splits the browser's events by case and step: by the case token in the event's text or URL
/// when there is one, and otherwise by the page's `corsica-oracle step <tok> <n>` markers.
fn attribute(events: &[BrowserEvent], outcomes: &[CaseOutcome]) -> Vec<Vec<Vec<BrowserEvent>>> {
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Vec<Vec<BrowserEvent>>> = Vec::new();
    for (i, c) in outcomes.iter().enumerate() {
        slot.insert(c.plan.token.as_str(), i);
        out.push(vec![Vec::new(); c.plan.steps.len()]);
    }
    let token_of = |ev: &BrowserEvent| {
        find_token(&ev.text)
            .or_else(|| ev.url.as_deref().and_then(find_token))
            .and_then(|t| slot.get(t).copied())
    };
    // The page's position: the case and step it last announced (none while cases run
    // concurrently, or between batches).
    let mut current: Option<(usize, usize)> = None;
    let mut concurrent = false;
    let mut last_step: HashMap<usize, usize> = HashMap::new();
    for (k, ev) in events.iter().enumerate() {
        if ev.source == "console" {
            if let Some(rest) = ev.text.strip_prefix("corsica-oracle step ") {
                let mut it = rest.split(' ');
                if let (Some(tok), Some(step)) =
                    (it.next(), it.next().and_then(|s| s.parse::<usize>().ok()))
                {
                    if let Some(&ci) = slot.get(tok) {
                        last_step.insert(ci, step);
                        current = (!concurrent).then_some((ci, step));
                    }
                }
                continue;
            }
            if ev.text.starts_with("corsica-oracle concurrent-begin") {
                concurrent = true;
                current = None;
                continue;
            }
            if ev.text.starts_with("corsica-oracle concurrent-end")
                || ev.text.starts_with("corsica-oracle batch-done")
            {
                concurrent = false;
                current = None;
                continue;
            }
        }
        if ev.source == "oracle" {
            current = None;
            concurrent = false;
            continue;
        }
        let mut by_token = token_of(ev);
        // WebKit's `CONSOLE SECURITY ERROR` line names no URL; the `Fetch API cannot load
        // <url>` line that follows it does.
        if by_token.is_none() && ev.url.is_none() && ev.source == "security" {
            by_token = events[k + 1..]
                .iter()
                .take(3)
                .take_while(|e| !(e.source == "console" && e.text.starts_with("corsica-oracle ")))
                .find(|e| e.source == "js")
                .and_then(token_of);
        }
        // An event about some other resource (the harness's own requests, a favicon) is not
        // attributed by position; one about the page itself is.
        if by_token.is_none() && ev.url.as_deref().is_some_and(|u| !is_page_url(u)) {
            continue;
        }
        let target = match (by_token, current) {
            (Some(ci), Some((cur, step))) if ci == cur => Some((ci, step)),
            (Some(ci), _) => Some((ci, last_step.get(&ci).copied().unwrap_or(0))),
            (None, cur) => cur,
        };
        if let Some((ci, step)) = target {
            if let Some(s) = out[ci].get_mut(step) {
                s.push(ev.clone());
            }
        }
    }
    out
}

/// The page itself (`http://127.0.0.1:A/#…`) or its sandboxed frame.
fn is_page_url(u: &str) -> bool {
    u == "about:srcdoc" || url::Url::parse(u).is_ok_and(|x| x.path() == "/" && x.query().is_none())
}

fn browser_id(kind: BrowserKind, info: Value, ua: Option<String>) -> BrowserId {
    let package = kind.main_package();
    let pkg_version = install::package_version(package);
    let version = pkg_version.as_deref().map(install::upstream_version);
    let mut m = Map::new();
    m.insert("name".into(), json!(kind.name()));
    m.insert("version".into(), json!(version));
    m.insert("package".into(), json!(package));
    m.insert("package_version".into(), json!(pkg_version));
    if kind != BrowserKind::Webkit {
        m.insert(
            "version_output".into(),
            json!(install::version_output(&install::executable(kind))),
        );
    }
    m.insert("user_agent".into(), json!(ua));
    match kind {
        BrowserKind::Chromium => {
            m.insert("product".into(), info["product"].clone());
        }
        BrowserKind::Firefox => {
            m.insert(
                "product".into(),
                json!(format!(
                    "{} {}",
                    info["browserName"].as_str().unwrap_or("firefox"),
                    info["browserVersion"].as_str().unwrap_or("")
                )),
            );
        }
        BrowserKind::Webkit => {
            m.insert("product".into(), json!("MiniBrowser (WebKitGTK)"));
        }
    }
    BrowserId {
        json: Value::Object(m),
    }
}

/// `(date, timestamp)` in UTC.
fn now_utc() -> (String, String) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let date = format!("{y:04}-{m:02}-{d:02}");
    let ts = format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    );
    (date, ts)
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn pairs_json(
    origins: &Origins,
    token: &str,
    variants: &[(String, String)],
    headers: &[(String, String)],
    map_host: bool,
) -> Value {
    Value::Array(
        headers
            .iter()
            .map(|(n, v)| {
                let v = if map_host && n.eq_ignore_ascii_case("host") {
                    origins.unrewrite_host(v)
                } else {
                    origins.unrewrite_case(v, Some(token), variants)
                };
                json!([n, v])
            })
            .collect(),
    )
}

fn exchange_json(
    origins: &Origins,
    token: &str,
    variants: &[(String, String)],
    e: &LogEntry,
) -> Value {
    json!({
        "method": e.method,
        "url": origins.unrewrite_case(&e.url, Some(token), variants),
        "real_url": e.url,
        "preflight": e.is_preflight(),
        "headers": pairs_json(origins, token, variants, &e.headers, true),
        "body_length": e.body_len,
        "rule": e.rule,
        "response": e.response.as_ref().map(|(status, headers)| json!({
            "status": status,
            "headers": pairs_json(origins, token, variants, headers, false),
        })),
        "at_ms": e.at_ms,
        "connection": e.peer_port,
    })
}

fn result_json(
    origins: &Origins,
    outcome: &CaseOutcome,
    events: &[Vec<BrowserEvent>],
    step: usize,
) -> Value {
    let origins = &origins.named(outcome.plan.naming);
    let tok = outcome.plan.token.as_str();
    let variants = outcome.plan.variants.as_slice();
    let page = outcome.results[step].clone().unwrap_or_else(|| {
        json!({"outcome": "browser-failure", "error": {"name": "OracleError", "message": "the page never reported this request"}})
    });
    let o = page["outcome"]
        .as_str()
        .unwrap_or("browser-failure")
        .to_owned();
    let verdict = match o.as_str() {
        "resolved" => json!("allowed"),
        "rejected" => json!("blocked"),
        _ => Value::Null,
    };
    let response = match page.get("response") {
        Some(r) if r.is_object() => {
            let mut r = r.clone();
            if let Some(u) = r["url"].as_str() {
                r["url"] = json!(origins.unrewrite_case(u, Some(tok), variants));
            }
            if let Some(hs) = r["headers"].as_array() {
                let mapped: Vec<Value> = hs
                    .iter()
                    .map(|p| {
                        json!([
                            p[0],
                            origins.unrewrite_case(
                                p[1].as_str().unwrap_or(""),
                                Some(tok),
                                variants
                            )
                        ])
                    })
                    .collect();
                r["headers"] = Value::Array(mapped);
            }
            r
        }
        _ => Value::Null,
    };
    let exchanges: Vec<Value> = outcome
        .log
        .iter()
        .filter(|e| e.step == step)
        .map(|e| exchange_json(origins, tok, variants, e))
        .collect();
    let mut console = Vec::new();
    let mut issues = Vec::new();
    let mut cors_error = Value::Null;
    let mut network_cors_error = Value::Null;
    let mut network = Vec::new();
    for ev in events.get(step).map(Vec::as_slice).unwrap_or(&[]) {
        if ev.source == "issue" {
            let issue = ev.data.clone().unwrap_or(Value::Null);
            let d = &issue["details"];
            let mut item = json!({"code": issue["code"]});
            if let Some(c) = d.get("corsIssueDetails") {
                let st = &c["corsErrorStatus"];
                item["cors_error"] = st["corsError"].clone();
                item["failed_parameter"] = json!(origins.unrewrite_case(
                    st["failedParameter"].as_str().unwrap_or(""),
                    Some(tok),
                    variants
                ));
                item["is_warning"] = c["isWarning"].clone();
                if let Some(u) = c["request"]["url"].as_str() {
                    item["url"] = json!(origins.unrewrite_case(u, Some(tok), variants));
                }
                if cors_error.is_null() && c["isWarning"] != Value::Bool(true) {
                    cors_error = json!({"kind": item["cors_error"], "failed_parameter": item["failed_parameter"]});
                }
            }
            if let Some(dep) = d.get("deprecationIssueDetails") {
                item["type"] = dep["type"].clone();
            }
            if let Some(g) = d.get("genericIssueDetails") {
                item["type"] = g["errorType"].clone();
            }
            issues.push(item);
        } else {
            let mut line = json!({
                "source": ev.source,
                "level": ev.level,
                "text": origins.unrewrite_case(&ev.text, Some(tok), variants),
            });
            if let Some(u) = &ev.url {
                line["url"] = json!(origins.unrewrite_case(u, Some(tok), variants));
            }
            if ev.source == "network" {
                // Chromium's Network.loadingFailed: the net error and the CORS status.
                let st = ev.data.as_ref().map(|d| &d["corsErrorStatus"]);
                if let Some(st) = st.filter(|st| st.is_object()) {
                    let kind = st["corsError"].clone();
                    let failed = st["failedParameter"].as_str().unwrap_or("");
                    let param = json!(origins.unrewrite_case(failed, Some(tok), variants));
                    line["cors_error"] = kind.clone();
                    line["failed_parameter"] = param.clone();
                    if network_cors_error.is_null() {
                        network_cors_error = json!({"kind": kind, "failed_parameter": param});
                    }
                }
                if let Some(obj) = line.as_object_mut() {
                    obj.remove("source");
                    obj.remove("level");
                }
                network.push(line);
                continue;
            }
            console.push(line);
        }
    }
    // The CorsIssue is the reference; Network.loadingFailed carries the same status.
    if cors_error.is_null() {
        cors_error = network_cors_error;
    }
    let mut m = Map::new();
    if let Some(url) = page["page"].as_str() {
        m.insert(
            "page".into(),
            json!(origins.unrewrite_case(url, Some(tok), variants)),
        );
    }
    m.insert("outcome".into(), json!(o));
    m.insert("verdict".into(), verdict);
    m.insert("response".into(), response);
    m.insert(
        "error".into(),
        page.get("error").cloned().unwrap_or(Value::Null),
    );
    m.insert(
        "elapsed_ms".into(),
        page.get("elapsed_ms").cloned().unwrap_or(Value::Null),
    );
    m.insert(
        "sent".into(),
        json!({
            "preflights": outcome.log.iter().filter(|e| e.step == step && e.is_preflight()).count(),
            "requests": exchanges.len(),
        }),
    );
    m.insert("exchanges".into(), Value::Array(exchanges));
    m.insert("console".into(), Value::Array(console));
    m.insert("cors_error".into(), cors_error);
    m.insert("issues".into(), Value::Array(issues));
    if !network.is_empty() {
        m.insert("network_errors".into(), Value::Array(network));
    }
    Value::Object(m)
}

fn results_of(origins: &Origins, p: &Played) -> Option<Vec<Value>> {
    match p {
        Played::Case { outcome, events } => Some(
            (0..outcome.plan.steps.len())
                .map(|s| result_json(origins, outcome, events, s))
                .collect(),
        ),
        _ => None,
    }
}

/// What must agree between runs: the verdicts and what was sent.
fn signature(results: &[Value]) -> Vec<Value> {
    results
        .iter()
        .map(|r| {
            let exchanges: Vec<Value> = r["exchanges"]
                .as_array()
                .map(|es| {
                    es.iter()
                        .map(|e| {
                            let headers: Vec<Value> = e["headers"]
                                .as_array()
                                .map(|hs| {
                                    hs.iter()
                                        .filter(|p| !p[0].as_str().is_some_and(|n| n.eq_ignore_ascii_case("referer")))
                                        .cloned()
                                        .collect()
                                })
                                .unwrap_or_default();
                            json!({"method": e["method"], "url": e["url"], "preflight": e["preflight"], "headers": headers})
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "outcome": r["outcome"],
                "type": r["response"]["type"],
                "status": r["response"]["status"],
                "headers": r["response"]["headers"],
                "exchanges": exchanges,
            })
        })
        .collect()
}

fn differences(a: &[Value], b: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    if a.len() != b.len() {
        out.push("different number of requests".into());
        return out;
    }
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        for key in ["outcome", "type", "status", "headers", "exchanges"] {
            if x[key] != y[key] {
                let what = match key {
                    "exchanges" => "what was sent".to_owned(),
                    "headers" => "visible response headers".to_owned(),
                    k => format!("{k} {} vs {}", x[k], y[k]),
                };
                out.push(format!("request {i}: {what}"));
            }
        }
    }
    out
}

fn build_record(
    input: &Input,
    runs: &[&Played],
    id: &BrowserId,
    date: &(String, String),
    origins: &Origins,
) -> Value {
    let mut m = Map::new();
    let (scenario, sid) = match input {
        Input::Scenario(s) => (s.clone(), s.get("id").cloned().unwrap_or(Value::Null)),
        Input::Invalid { line, .. } => (Value::String(line.clone()), Value::Null),
    };
    m.insert("id".into(), sid);
    m.insert("browser".into(), id.json.clone());
    m.insert("date".into(), json!(date.0));
    m.insert("recorded_at".into(), json!(date.1));
    let naming = match input {
        Input::Scenario(s) => Naming::of(s),
        Input::Invalid { .. } => Naming::Oracle,
    };
    m.insert("origins".into(), origins.named(naming).to_json());
    let first = runs[0];
    match first {
        Played::Invalid(e) => {
            m.insert("status".into(), json!("invalid"));
            m.insert("reason".into(), json!(e));
        }
        Played::Unsupported(e) => {
            m.insert("status".into(), json!("unsupported"));
            m.insert("reason".into(), json!(format!("cannot be played: {e}")));
        }
        Played::Case { outcome, .. } => {
            let results = results_of(origins, first).unwrap_or_default();
            let failed = results.iter().any(|r| r["outcome"] == "browser-failure");
            m.insert(
                "status".into(),
                json!(if failed {
                    "browser-failure"
                } else {
                    "recorded"
                }),
            );
            m.insert("token".into(), json!(outcome.plan.token));
            m.insert(
                "played".into(),
                Value::Array(
                    outcome
                        .plan
                        .steps
                        .iter()
                        .map(|s| json!({"url": s.url, "init": s.init, "at": s.at}))
                        .collect(),
                ),
            );
            m.insert("results".into(), Value::Array(results.clone()));
            m.insert("runs".into(), json!(runs.len()));
            if runs.len() > 1 {
                let sig0 = signature(&results);
                let mut diffs = Vec::new();
                let mut others = Vec::new();
                for (k, r) in runs.iter().enumerate().skip(1) {
                    let rs = results_of(origins, r).unwrap_or_default();
                    for d in differences(&sig0, &signature(&rs)) {
                        diffs.push(format!("run {} vs run 1: {d}", k + 1));
                    }
                    others.push(Value::Array(rs));
                }
                m.insert("unstable".into(), json!(!diffs.is_empty()));
                if !diffs.is_empty() {
                    m.insert("instability".into(), json!(diffs));
                    m.insert("other_runs".into(), Value::Array(others));
                }
            }
        }
    }
    m.insert("scenario".into(), scenario);
    Value::Object(m)
}

/// Where `record` writes, opened before playing so that a bad path fails early.
pub fn open_out(path: &PathBuf) -> Result<std::io::BufWriter<std::fs::File>, String> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
    }
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = next_token();
        assert!(t.starts_with("cx") && t.ends_with('z'));
        assert_eq!(
            find_token("Access to fetch at 'http://127.0.0.1:1/cx12z/a' from"),
            Some("cx12z")
        );
        assert_eq!(find_token("http://localhost:3/cx7z?x"), Some("cx7z"));
        assert_eq!(find_token("http://localhost:3/cx7za"), None);
        assert_eq!(find_token("/cxz/ /cx9z"), Some("cx9z"));
        assert_eq!(find_token("nothing"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_417), (2025, 11, 25));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    fn ev(source: &str, text: &str) -> BrowserEvent {
        BrowserEvent {
            source: source.into(),
            level: "error".into(),
            text: text.into(),
            url: None,
            data: None,
        }
    }

    #[test]
    fn attribution_by_token_and_marker() {
        use crate::plan::{CasePlan, StepPlan};
        let mk = |tok: &str, steps: usize| CaseOutcome {
            plan: CasePlan {
                token: tok.into(),
                steps: (0..steps)
                    .map(|_| StepPlan {
                        at: 0.0,
                        url: String::new(),
                        init: json!({}),
                        rules: None,
                        opaque: false,
                        frame: None,
                    })
                    .collect(),
                rules: vec![],
                variants: vec![],
                naming: Naming::Oracle,
            },
            started: true,
            results: vec![None; steps],
            log: vec![],
        };
        let outcomes = vec![mk("cx1z", 1), mk("cx2z", 2)];
        let events = vec![
            ev("console", "corsica-oracle step cx1z 0"),
            ev("security", "Origin http://x is not allowed"),
            ev("console", "corsica-oracle step cx2z 0"),
            ev("log", "blocked at 'http://h/cx1z/late'"),
            ev("security", "step 0 of case 2"),
            ev("console", "corsica-oracle step cx2z 1"),
            ev("security", "step 1 of case 2"),
            ev("console", "corsica-oracle batch-done 0"),
            ev("security", "nobody's"),
        ];
        let mut events = events;
        events.extend([
            ev("console", "corsica-oracle concurrent-begin"),
            ev("console", "corsica-oracle step cx1z 0"),
            ev("console", "corsica-oracle step cx2z 0"),
            ev("security", "Origin http://y is not allowed"),
            ev(
                "js",
                "Fetch API cannot load http://h/cx1z/a due to access control checks.",
            ),
            ev("security", "unknown case"),
            ev("console", "corsica-oracle concurrent-end"),
        ]);
        let a = attribute(&events, &outcomes);
        assert_eq!(
            a[0][0].iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
            [
                "Origin http://x is not allowed",
                "blocked at 'http://h/cx1z/late'",
                "Origin http://y is not allowed",
                "Fetch API cannot load http://h/cx1z/a due to access control checks."
            ]
        );
        assert_eq!(
            a[1][0].iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
            ["step 0 of case 2"]
        );
        assert_eq!(
            a[1][1].iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
            ["step 1 of case 2"]
        );
    }
}
