//! The servers' brain: the page that plays cases in the browser, the endpoints it reports to,
//! and the scripted API that answers each case as its scenario says, logging every request.

use std::collections::{BTreeMap, HashMap};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http::{self, RawRequest, RawResponse, Reply, Server};
use crate::plan::{self, CasePlan};
use crate::rewrite::{Naming, Origins, Role};

/// One request the servers received.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Global arrival order.
    pub seq: u64,
    /// Milliseconds since the harness started.
    pub at_ms: u64,
    /// Which server received it.
    pub role: Role,
    /// The client's port (one per connection).
    pub peer_port: u16,
    /// The method as sent.
    pub method: String,
    /// The request-target as sent.
    pub target: String,
    /// The full real URL (`http://<listener host><target>`).
    pub url: String,
    /// Header lines in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Length of the request body.
    pub body_len: usize,
    /// The step of the case in force when it arrived.
    pub step: usize,
    /// The rule that answered it (`None`: no rule matched, the connection was closed).
    pub rule: Option<usize>,
    /// Status and header lines sent back.
    pub response: Option<(u16, Vec<(String, String)>)>,
}

impl LogEntry {
    /// A CORS preflight: `OPTIONS` with `Access-Control-Request-Method`.
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS"
            && self
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("access-control-request-method"))
    }
}

#[derive(Debug)]
struct CaseRt {
    plan: CasePlan,
    step: usize,
    started: bool,
    log: Vec<LogEntry>,
    results: BTreeMap<usize, Value>,
}

#[derive(Debug, Default)]
struct Inner {
    seq: u64,
    cases: HashMap<String, CaseRt>,
    batches: Vec<Vec<String>>,
    batches_done: Vec<bool>,
    stray: Vec<LogEntry>,
    user_agent: Option<String>,
    page_errors: Vec<String>,
    fetch_timeout_ms: u64,
    concurrent_waits: bool,
}

/// What the page reported for one case, and what the servers saw.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// The case's plan.
    pub plan: CasePlan,
    /// Whether its first step began.
    pub started: bool,
    /// Results per step (`None` for a step that never reported).
    pub results: Vec<Option<Value>>,
    /// Every request of the case, in arrival order.
    pub log: Vec<LogEntry>,
}

/// How many waiting cases one page runs at the same time.
pub const CONCURRENT_BATCH: usize = 25;

/// The shared state behind the three servers.
pub struct Harness {
    /// The real origins.
    pub origins: Origins,
    start: Instant,
    last_activity: Mutex<Instant>,
    inner: Mutex<Inner>,
}

/// The harness with its servers running.
pub struct Running {
    /// The harness.
    pub harness: Arc<Harness>,
    _server: Server,
}

/// Binds the loopback listeners of every [`Role`] (`localhost` on IPv4 and, when possible, IPv6)
/// and starts serving.
pub fn start(fetch_timeout: Duration) -> std::io::Result<Running> {
    let page = TcpListener::bind("127.0.0.1:0")?;
    let api = TcpListener::bind("127.0.0.1:0")?;
    let alts = [
        TcpListener::bind("127.0.0.1:0")?,
        TcpListener::bind("127.0.0.1:0")?,
        TcpListener::bind("127.0.0.1:0")?,
    ];
    // Find a port free on both 127.0.0.1 and ::1 for `localhost`.
    let mut other_group = None;
    for _ in 0..20 {
        let v4 = TcpListener::bind("127.0.0.1:0")?;
        let port = v4.local_addr()?.port();
        match TcpListener::bind(("::1", port)) {
            Ok(v6) => {
                other_group = Some(vec![v4, v6]);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            // No IPv6 loopback here: browsers then only try 127.0.0.1.
            Err(_) => {
                other_group = Some(vec![v4]);
                break;
            }
        }
    }
    let other_group =
        other_group.ok_or_else(|| std::io::Error::other("no free port for localhost"))?;
    let origins = Origins {
        page_port: page.local_addr()?.port(),
        api_port: api.local_addr()?.port(),
        other_port: other_group[0].local_addr()?.port(),
        alt_ports: [
            alts[0].local_addr()?.port(),
            alts[1].local_addr()?.port(),
            alts[2].local_addr()?.port(),
        ],
        naming: Naming::Oracle,
    };
    let harness = Arc::new(Harness {
        origins,
        start: Instant::now(),
        last_activity: Mutex::new(Instant::now()),
        inner: Mutex::new(Inner {
            fetch_timeout_ms: fetch_timeout.as_millis() as u64,
            ..Inner::default()
        }),
    });
    let handler: Arc<dyn http::Handler> = Arc::new(Handler(Arc::clone(&harness)));
    let mut groups = vec![vec![page], vec![api], other_group];
    groups.extend(alts.into_iter().map(|alt| vec![alt]));
    let server = Server::start(groups, handler)?;
    Ok(Running {
        harness,
        _server: server,
    })
}

impl Harness {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    /// Time since the servers last received anything.
    pub fn idle_for(&self) -> Duration {
        self.last_activity
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }

    /// Resets the idle clock (after launching a browser).
    pub fn mark_active(&self) {
        self.touch();
    }

    /// Registers the cases of one pass, split in batches of `batch_size` page loads.
    /// Replaces any previous pass.
    ///
    /// With `concurrent_waits`, the cases that may run concurrently
    /// ([`CasePlan::concurrent_ok`]) are taken out and put in batches of their own at the end
    /// of the pass ([`CONCURRENT_BATCH`] cases each), which the page runs concurrently, so that
    /// their waits overlap.
    pub fn load(&self, plans: Vec<CasePlan>, batch_size: usize, concurrent_waits: bool) {
        let mut inner = self.lock();
        inner.cases.clear();
        inner.stray.clear();
        inner.page_errors.clear();
        inner.concurrent_waits = concurrent_waits;
        let (waiting, plain): (Vec<&CasePlan>, Vec<&CasePlan>) = plans
            .iter()
            .partition(|p| concurrent_waits && p.concurrent_ok());
        let tokens = |ps: &[&CasePlan]| ps.iter().map(|p| p.token.clone()).collect::<Vec<_>>();
        inner.batches = plain
            .chunks(batch_size.max(1))
            .map(tokens)
            .chain(
                waiting
                    .chunks(CONCURRENT_BATCH.min(batch_size.max(1)))
                    .map(tokens),
            )
            .collect();
        inner.batches_done = vec![false; inner.batches.len()];
        for plan in plans {
            inner.cases.insert(
                plan.token.clone(),
                CaseRt {
                    plan,
                    step: 0,
                    started: false,
                    log: Vec::new(),
                    results: BTreeMap::new(),
                },
            );
        }
    }

    /// The page URL of batch `b`, starting at its case `from`.
    pub fn page_url(&self, b: usize, from: usize) -> String {
        format!(
            "{}/#b={b}&from={from}",
            self.origins.real_origin(Role::Page)
        )
    }

    /// Number of batches in the current pass.
    pub fn batch_count(&self) -> usize {
        self.lock().batches.len()
    }

    /// Whether every batch of the pass reported done.
    pub fn all_done(&self) -> bool {
        let inner = self.lock();
        inner.batches_done.iter().all(|d| *d)
    }

    /// Cases with every step reported, out of all cases.
    pub fn progress(&self) -> (usize, usize) {
        let inner = self.lock();
        let done = inner
            .cases
            .values()
            .filter(|c| c.results.len() >= c.plan.steps.len())
            .count();
        (done, inner.cases.len())
    }

    /// The first case (batch, index in batch, token) that has not reported all its steps.
    pub fn first_unfinished(&self) -> Option<(usize, usize, String)> {
        let inner = self.lock();
        for (b, batch) in inner.batches.iter().enumerate() {
            for (i, tok) in batch.iter().enumerate() {
                let c = &inner.cases[tok];
                if c.results.len() < c.plan.steps.len() {
                    return Some((b, i, tok.clone()));
                }
            }
        }
        None
    }

    /// Whether a case began, and the longest `at` of its steps.
    pub fn case_info(&self, token: &str) -> Option<(bool, f64)> {
        let inner = self.lock();
        let c = inner.cases.get(token)?;
        Some((
            c.started,
            c.plan.steps.iter().map(|s| s.at).fold(0.0_f64, f64::max),
        ))
    }

    /// Marks a case as given up (the browser hung or crashed on it): its missing steps get a
    /// result saying so, so that the page's run can continue after it.
    pub fn give_up(&self, token: &str, reason: &str) {
        let mut inner = self.lock();
        if let Some(c) = inner.cases.get_mut(token) {
            for step in 0..c.plan.steps.len() {
                c.results.entry(step).or_insert_with(|| {
                    json!({"outcome": "browser-failure", "error": {"name": "OracleError", "message": reason}})
                });
            }
        }
    }

    /// After a crash or hang: gives up on every case that began and did not finish, and
    /// returns where to go on (batch, index) — the first case that did not begin.
    pub fn abandon_started(&self, reason: &str) -> Option<(usize, usize)> {
        let mut inner = self.lock();
        let mut resume = None;
        let order: Vec<(usize, usize, String)> = inner
            .batches
            .iter()
            .enumerate()
            .flat_map(|(b, batch)| {
                batch
                    .iter()
                    .enumerate()
                    .map(move |(i, t)| (b, i, t.clone()))
            })
            .collect();
        for (b, i, tok) in order {
            let Some(c) = inner.cases.get_mut(&tok) else {
                continue;
            };
            if c.results.len() >= c.plan.steps.len() {
                continue;
            }
            if c.started {
                for step in 0..c.plan.steps.len() {
                    c.results.entry(step).or_insert_with(|| {
                        json!({"outcome": "browser-failure", "error": {"name": "OracleError", "message": reason}})
                    });
                }
            } else if resume.is_none() {
                resume = Some((b, i));
            }
        }
        resume
    }

    /// Marks batch `b` as done (used when a restart skips past its end).
    pub fn set_batch_done(&self, b: usize) {
        if let Some(d) = self.lock().batches_done.get_mut(b) {
            *d = true;
        }
    }

    /// Everything recorded for the pass, in the order the cases were loaded.
    pub fn outcomes(&self) -> Vec<CaseOutcome> {
        let inner = self.lock();
        let mut out = Vec::new();
        for batch in &inner.batches {
            for tok in batch {
                let c = &inner.cases[tok];
                out.push(CaseOutcome {
                    plan: c.plan.clone(),
                    started: c.started,
                    results: (0..c.plan.steps.len())
                        .map(|s| c.results.get(&s).cloned())
                        .collect(),
                    log: c.log.clone(),
                });
            }
        }
        out
    }

    /// Requests that belonged to no case.
    pub fn stray(&self) -> Vec<LogEntry> {
        self.lock().stray.clone()
    }

    /// `navigator.userAgent`, once a page has loaded.
    pub fn user_agent(&self) -> Option<String> {
        self.lock().user_agent.clone()
    }

    /// Script errors the page reported.
    pub fn page_errors(&self) -> Vec<String> {
        self.lock().page_errors.clone()
    }

    /// The cases of batch `b`, as the page plays them.
    fn cases_json(&self, b: usize) -> Option<String> {
        let inner = self.lock();
        let batch = inner.batches.get(b)?;
        let cases: Vec<Value> = batch
            .iter()
            .map(|t| {
                let c = &inner.cases[t];
                let mut v = c.plan.page_json();
                // A case already finished (or given up) is not played again after a restart.
                v["skip"] = json!(c.results.len() >= c.plan.steps.len());
                v
            })
            .collect();
        serde_json::to_string(&cases).ok()
    }

    /// The page (the same document for every batch: the batch is in the URL's fragment, so
    /// that `Referer` and console messages name the page as `http://page.test/`).
    fn page_html(&self) -> String {
        let inner = self.lock();
        let warmup_origins = json!([
            self.origins.real_origin(Role::Api),
            self.origins.real_origin(Role::Other)
        ]);
        PAGE_TEMPLATE
            .replace("__TIMEOUT__", &inner.fetch_timeout_ms.to_string())
            .replace(
                "__CONCURRENT__",
                if inner.concurrent_waits {
                    "true"
                } else {
                    "false"
                },
            )
            .replace("__WARMUP_ORIGINS__", &warmup_origins.to_string())
            .replace("__ONE__", ONE_JS)
    }

    /// The document of `/__oracle/frame` (see [`FRAME_TEMPLATE`]).
    fn frame_html(&self) -> String {
        let timeout = self.lock().fetch_timeout_ms;
        FRAME_TEMPLATE
            .replace("__TIMEOUT__", &timeout.to_string())
            .replace("__ONE__", ONE_JS)
    }

    fn oracle_endpoint(&self, req: &RawRequest) -> RawResponse {
        let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
        let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let num = |k: &str| params.get(k).and_then(|v| v.parse::<usize>().ok());
        let no_content = || RawResponse::new(204).header("Cache-Control", "no-store");
        match path {
            "/" => RawResponse::new(200)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Cache-Control", "no-store")
                .body(self.page_html()),
            "/__oracle/cases" => match self.cases_json(num("b").unwrap_or(0)) {
                Some(cases) => RawResponse::new(200)
                    .header("Content-Type", "application/json")
                    .header("Cache-Control", "no-store")
                    .body(cases),
                None => RawResponse::new(404).header("Cache-Control", "no-store"),
            },
            "/__oracle/mark" => {
                let mut inner = self.lock();
                if let (Some(tok), Some(step)) = (params.get("tok"), num("step")) {
                    if let Some(c) = inner.cases.get_mut(tok) {
                        c.step = step;
                        c.started = true;
                    }
                }
                no_content()
            }
            "/__oracle/result" => {
                if let Ok(v) = serde_json::from_slice::<Value>(&req.body) {
                    let mut inner = self.lock();
                    let tok = v.get("tok").and_then(Value::as_str).map(str::to_owned);
                    let step = v.get("step").and_then(Value::as_u64);
                    if let (Some(tok), Some(step)) = (tok, step) {
                        if let Some(c) = inner.cases.get_mut(&tok) {
                            c.results.entry(step as usize).or_insert(v);
                        }
                    }
                }
                no_content()
            }
            "/__oracle/hello" => {
                if let Ok(v) = serde_json::from_slice::<Value>(&req.body) {
                    if let Some(ua) = v.get("ua").and_then(Value::as_str) {
                        self.lock().user_agent = Some(ua.to_owned());
                    }
                }
                no_content()
            }
            "/__oracle/error" => {
                let text = String::from_utf8_lossy(&req.body).into_owned();
                self.lock().page_errors.push(text);
                no_content()
            }
            "/__oracle/done" => {
                let b = num("b").unwrap_or(usize::MAX);
                let mut inner = self.lock();
                if let Some(d) = inner.batches_done.get_mut(b) {
                    *d = true;
                }
                let next = (b + 1 < inner.batches.len()).then_some(b + 1);
                drop(inner);
                RawResponse::new(200)
                    .header("Content-Type", "application/json")
                    .header("Cache-Control", "no-store")
                    .body(json!({ "next": next }).to_string())
            }
            _ => RawResponse::new(404).header("Cache-Control", "no-store"),
        }
    }

    fn scripted(&self, role: Role, peer: SocketAddr, req: RawRequest) -> Reply {
        let url = format!("{}{}", self.origins.real_origin(role), req.target);
        let token = req
            .target
            .trim_start_matches('/')
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .to_owned();
        let mut inner = self.lock();
        inner.seq += 1;
        let seq = inner.seq;
        let mut entry = LogEntry {
            seq,
            at_ms: self.start.elapsed().as_millis() as u64,
            role,
            peer_port: peer.port(),
            method: req.method.clone(),
            target: req.target.clone(),
            url: url.clone(),
            headers: req.headers.clone(),
            body_len: req.body.len(),
            step: 0,
            rule: None,
            response: None,
        };
        if token == "warmup" {
            // The page's warm-up requests: allow everything, cache nothing.
            let origin = req.header("origin").unwrap_or("*").to_owned();
            let resp = RawResponse::new(if req.method == "OPTIONS" { 204 } else { 200 })
                .header("Access-Control-Allow-Origin", &origin)
                .header("Access-Control-Allow-Methods", "PUT")
                .header("Access-Control-Allow-Headers", "x-warmup")
                .header("Access-Control-Max-Age", "5")
                .header("Cache-Control", "no-store");
            entry.response = Some((resp.status, resp.headers.clone()));
            inner.stray.push(entry);
            return Reply::Respond(resp);
        }
        let Some(case) = inner.cases.get_mut(&token) else {
            entry.response = Some((404, vec![("Cache-Control".into(), "no-store".into())]));
            inner.stray.push(entry);
            return Reply::Respond(RawResponse::new(404).header("Cache-Control", "no-store"));
        };
        entry.step = case.step;
        let rules = case.plan.rules_for(case.step);
        let Some(index) = plan::match_rule(rules, &req.method, &url) else {
            case.log.push(entry);
            return Reply::Close;
        };
        let rule = &rules[index];
        let mut resp = RawResponse::new(rule.status);
        resp.reason = rule.reason.clone();
        resp.headers = rule.headers.clone();
        if rule.add_no_store {
            resp.headers
                .push(("Cache-Control".into(), "no-store".into()));
        }
        resp.body = rule.body.clone();
        let bodyless = resp.status < 200 || resp.status == 204 || resp.status == 304;
        let mut sent = resp.headers.clone();
        if !bodyless
            && !sent
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        {
            sent.push(("Content-Length".into(), resp.body.len().to_string()));
        }
        let delay = rule.delay;
        entry.rule = Some(index);
        entry.response = Some((resp.status, sent));
        case.log.push(entry);
        drop(inner);
        if delay > 0.0 {
            std::thread::sleep(Duration::from_secs_f64(delay));
        }
        Reply::Respond(resp)
    }
}

struct Handler(Arc<Harness>);

impl http::Handler for Handler {
    fn handle(&self, listener: usize, peer: SocketAddr, req: RawRequest) -> Reply {
        let h = &self.0;
        h.touch();
        let role = Role::ALL[listener];
        let path = req.target.split(['?', '#']).next().unwrap_or("");
        if path == "/__oracle/frame" {
            return Reply::Respond(
                RawResponse::new(200)
                    .header("Content-Type", "text/html; charset=utf-8")
                    .header("Cache-Control", "no-store")
                    .body(h.frame_html()),
            );
        }
        if role == Role::Page && (path == "/" || path.starts_with("/__oracle/")) {
            return Reply::Respond(h.oracle_endpoint(&req));
        }
        h.scripted(role, peer, req)
    }
}

/// `one(step)`: one `fetch()` of a step, bounded by `TIMEOUT_MS`, and what the calling document
/// saw; shared by the page, the sandboxed `srcdoc` frame (opaque origin) and the frame served
/// from another origin.
const ONE_JS: &str = r#"async function one(s) {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, TIMEOUT_MS);
  const init = Object.assign({}, s.init, { signal: ctl.signal });
  const t0 = performance.now();
  // The document that calls fetch(): browsers name its URL in some console lines.
  const out = { page: String(location.href) };
  try {
    const resp = await fetch(s.url, init);
    out.outcome = "resolved";
    const headers = [];
    for (const pair of resp.headers) headers.push([pair[0], pair[1]]);
    out.response = { type: resp.type, status: resp.status, statusText: resp.statusText,
                     url: resp.url, redirected: resp.redirected, headers: headers };
    try {
      const t = await resp.text();
      out.response.body = t.length > 256 ? t.slice(0, 256) : t;
      out.response.body_length = t.length;
    } catch (e) {
      out.response.body_error = { name: String(e && e.name), message: String(e && e.message) };
    }
  } catch (e) {
    out.outcome = timedOut ? "timeout" : "rejected";
    out.error = { name: String(e && e.name), message: String(e && e.message) };
  }
  clearTimeout(timer);
  out.elapsed_ms = Math.round(performance.now() - t0);
  return out;
}
"#;

/// The document served at `/__oracle/frame` on every origin: it runs the steps the page posts
/// to it (a case whose `request.origin` is another placeholder origin than the page's) and posts
/// the results back. Placeholders: `__TIMEOUT__`, `__ONE__`.
const FRAME_TEMPLATE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>corsica-oracle frame</title></head>
<body><script>
"use strict";
const TIMEOUT_MS = __TIMEOUT__;
__ONE__
window.addEventListener("message", async (ev) => {
  if (ev.source !== parent || !ev.data || !ev.data.key) return;
  let r;
  try { r = await one(ev.data.step); } catch (e) { r = { outcome: "rejected", error: { name: "OracleError", message: String(e) } }; }
  parent.postMessage({ key: ev.data.key, result: r }, "*");
});
parent.postMessage({ ready: true }, "*");
</script></body></html>
"#;

/// The page that plays the batches (`/#b=<batch>&from=<index>[&warmup=<ms>]`).
/// Placeholders: `__TIMEOUT__`, `__CONCURRENT__`, `__WARMUP_ORIGINS__`, `__ONE__`.
const PAGE_TEMPLATE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>corsica-oracle</title></head>
<body><script>
"use strict";
const TIMEOUT_MS = __TIMEOUT__;
const WARMUP_ORIGINS = __WARMUP_ORIGINS__;
const CONCURRENT = __CONCURRENT__;
const PARAMS = new URLSearchParams(location.hash.slice(1));
const BATCH = Number(PARAMS.get("b") || 0);
const FROM = Number(PARAMS.get("from") || 0);
const WARMUP_MS = Number(PARAMS.get("warmup") || 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function post(path, obj) {
  for (let i = 0; i < 3; i++) {
    try {
      const r = await fetch(path, { method: "POST", body: JSON.stringify(obj) });
      const t = await r.text();
      try { return JSON.parse(t); } catch (e) { return null; }
    } catch (e) { await sleep(100); }
  }
  return null;
}
window.addEventListener("error", (e) => { post("/__oracle/error", { message: String(e.message) }); });
window.addEventListener("unhandledrejection", (e) => { post("/__oracle/error", { message: String(e.reason) }); });
__ONE__
async function runCase(c) {
  let start = null;
  for (let j = 0; j < c.steps.length; j++) {
    const s = c.steps[j];
    if (start !== null) {
      const wait = start + s.at * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
    }
    try { await fetch("/__oracle/mark?tok=" + c.tok + "&step=" + j); } catch (e) {}
    console.log("corsica-oracle step " + c.tok + " " + j);
    if (start === null) start = performance.now();
    let r;
    try { r = s.opaque ? await oneOpaque(s) : s.frame ? await oneInFrame(s) : await one(s); } catch (e) { r = { outcome: "rejected", error: { name: "OracleError", message: String(e) } }; }
    r.tok = c.tok;
    r.step = j;
    await post("/__oracle/result", r);
  }
}
// A step played in an iframe that `point(f, key)` loads: the frame posts {key, result} back
// (a frame that asks with {ready} first is sent the step).
function oneInIframe(s, point) {
  return new Promise((resolve) => {
    const f = document.createElement("iframe");
    const key = Math.random().toString(36).slice(2);
    const guard = setTimeout(() => {
      cleanup();
      resolve({ outcome: "timeout", error: { name: "OracleError", message: "the frame did not answer" } });
    }, TIMEOUT_MS + 5000);
    function onMessage(ev) {
      if (ev.source !== f.contentWindow || !ev.data) return;
      if (ev.data.ready) { f.contentWindow.postMessage({ key: key, step: s }, "*"); return; }
      if (ev.data.key !== key) return;
      cleanup();
      resolve(ev.data.result);
    }
    function cleanup() { clearTimeout(guard); window.removeEventListener("message", onMessage); f.remove(); }
    window.addEventListener("message", onMessage);
    point(f, key);
    document.body.appendChild(f);
  });
}
// A step from an opaque origin: `one` runs in a sandboxed srcdoc iframe (origin "null").
function oneOpaque(s) {
  return oneInIframe(s, (f, key) => {
    f.setAttribute("sandbox", "allow-scripts");
    const step = JSON.stringify(s).replace(/</g, "\\u003c");
    f.srcdoc = "<!doctype html><script>\"use strict\";const TIMEOUT_MS=" + TIMEOUT_MS + ";" + one.toString() +
      ";(async()=>{const r=await one(" + step + ");parent.postMessage({key:" + JSON.stringify(key) + ",result:r},\"*\");})();<\/script>";
  });
}
// A step from another origin: `one` runs in an iframe of that origin (its /__oracle/frame).
function oneInFrame(s) {
  return oneInIframe(s, (f) => { f.src = s.frame + "/__oracle/frame"; });
}
(async () => {
  await post("/__oracle/hello", { ua: navigator.userAgent, batch: BATCH });
  let CASES = [];
  for (let k = 0; k < 5; k++) {
    try { CASES = await (await fetch("/__oracle/cases?b=" + BATCH)).json(); break; } catch (e) { await sleep(200); }
  }
  if (WARMUP_MS > 0) {
    // Preflighted requests to both API origins before the first case: a fresh Firefox
    // session was seen not to use its preflight cache for its first preflights.
    for (const base of WARMUP_ORIGINS) {
      for (let k = 0; k < 4; k++) {
        try { await fetch(base + "/warmup/w", { method: "PUT", headers: { "X-Warmup": "1" } }); } catch (e) {}
      }
    }
    await sleep(WARMUP_MS);
  }
  // Cases run one after the other, except those that wait between their requests (the
  // preflight cache): they come in batches of their own and, when CONCURRENT, run concurrently.
  let i = FROM;
  for (; i < CASES.length && !(CONCURRENT && CASES[i].concurrent); i++) {
    if (!CASES[i].skip) await runCase(CASES[i]);
  }
  if (i < CASES.length) {
    console.log("corsica-oracle concurrent-begin");
    await Promise.all(CASES.slice(i).filter((c) => !c.skip).map(runCase));
    console.log("corsica-oracle concurrent-end");
  }
  console.log("corsica-oracle batch-done " + BATCH);
  const next = await post("/__oracle/done?b=" + BATCH, {});
  if (next && typeof next.next === "number") {
    location.hash = "b=" + next.next + "&from=0";
    location.reload();
  }
})();
</script></body></html>
"#;
