//! `corsica audit`: a live server checked for the 43 CORS misconfiguration patterns.
//!
//! The audit sends untrusted origins derived from the legitimate ones (prefix, suffix,
//! unescaped dot, subdomains, `null`, scheme and port changes, shared hosting, …) with and
//! without credentials, as preflights and as actual requests, and lets the engine decide what
//! each browser profile would do with the real answers. A finding is **exploitable** when a
//! browser would let a page on an origin an attacker can own read the response (or pass the
//! preflight); oddities that only a non-browser client can trigger (CR/LF or uppercase in
//! `Origin`, a 4 KB host) are kept apart as **parser-only**.
//!
//! Only `GET`, `HEAD` and `OPTIONS` reach the server unless [`AuditOptions::allow_writes`] is
//! set: a preflighted `PUT` is judged on its preflight, and the actual `PUT` is withheld.
//!
//! What the legitimate pages do is given by [`AuditOptions`]; without it, requests the server
//! refuses are reported as notes rather than findings, so that a correctly configured server
//! gets no finding.

mod analyze;
mod origins;
pub mod patterns;
mod render;
pub mod sarif;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use corsica::Url;
use corsica::scenario::{Credentials, Output, ProfileName, RequestInput, Scenario, ScenarioOutput};
use corsica::{ExchangeKind, Origin, PreflightCache, Profile, RequestMode, SentRequest, Verdict};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

pub use origins::Reach;
pub use patterns::{PATTERNS, Pattern, Severity, pattern};

use crate::client::{Received, WireRequest};
use crate::error::NetError;
use crate::record::{scenario, server_rules};
use crate::session::{Hop, LiveOutcome, Session, Transport};
use origins::{Candidate, EVIL};

/// The four profiles every page request of the audit is judged under.
pub const PROFILES: [ProfileName; 4] = [
    ProfileName::Spec,
    ProfileName::Chromium,
    ProfileName::Firefox,
    ProfileName::Webkit,
];

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Any site reads credentialed data, or every preflighted request fails.
    High,
    /// A real weakness or breakage with conditions.
    Medium,
    /// Worth fixing.
    Low,
    /// An observation, not a finding: the server may mean it (it is listed apart and never
    /// changes the exit code).
    Note,
}

impl Impact {
    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Note => "note",
        }
    }
}

/// One request the audit sent and what came back.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// What the request was for (`GET from https://evil.example, with cookies`).
    pub label: String,
    /// The request as written.
    pub request: WireRequest,
    /// The answer.
    pub response: Result<Received, NetError>,
}

/// A misconfiguration found (or, with [`Impact::Note`], observed).
#[derive(Clone, Debug)]
pub struct Finding {
    /// The pattern's number (0 to 43; see [`PATTERNS`]).
    pub pattern: u8,
    /// What is at risk.
    pub severity: Severity,
    /// How much it matters.
    pub impact: Impact,
    /// Whether a browser page can trigger it.
    pub reach: Reach,
    /// One line.
    pub title: String,
    /// What happens, in a few sentences.
    pub detail: String,
    /// The requests and responses that show it.
    pub evidence: Vec<Evidence>,
    /// What to change.
    pub fix: String,
    /// The profiles under which a browser lets the page through (for exploitable findings).
    pub allowed_under: Vec<ProfileName>,
    /// A conformance vector that replays the decisive request offline (`corsica eval`).
    pub replay: Option<serde_json::Value>,
}

impl Finding {
    /// An observation rather than a finding.
    pub fn is_note(&self) -> bool {
        self.impact == Impact::Note
    }

    /// A security finding a browser page can exploit.
    pub fn is_exploitable(&self) -> bool {
        !self.is_note() && self.severity == Severity::Security && self.reach == Reach::Browser
    }

    /// The pattern.
    pub fn pattern(&self) -> &'static Pattern {
        pattern(self.pattern)
    }
}

/// Whether the audit could check a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Probed.
    Checked,
    /// Does not apply to this target (why).
    NotApplicable(String),
    /// Not probed (why; for example it needs `--allow-writes`).
    Skipped(String),
}

/// Where the legitimate origins came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OriginsSource {
    /// `--origin`.
    Given,
    /// The server answers every origin with one fixed `Access-Control-Allow-Origin`.
    Inferred,
    /// Unknown: only the checks that need no legitimate origin ran.
    Unknown,
}

/// The audit of one target.
#[derive(Clone, Debug)]
pub struct AuditReport {
    /// The URL audited.
    pub target: Url,
    /// The legitimate origins used.
    pub origins: Vec<String>,
    /// Where they came from.
    pub origins_source: OriginsSource,
    /// Findings and notes, the most serious first.
    pub findings: Vec<Finding>,
    /// For patterns 1 to 43: checked, not applicable or skipped.
    pub coverage: Vec<(u8, Coverage)>,
    /// Distinct requests sent.
    pub requests: usize,
    /// How long the audit took.
    pub elapsed: Duration,
    /// Why the target could not be audited at all (its plain `GET` got no HTTP response).
    pub error: Option<NetError>,
}

impl AuditReport {
    /// The findings, without the notes.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_note())
    }

    /// The notes.
    pub fn notes(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_note())
    }

    /// Whether a security finding (not a note) is present.
    pub fn has_security_finding(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Security)
    }

    /// The number of findings (not notes) of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings().filter(|f| f.severity == severity).count()
    }
}

/// What the legitimate pages do, and how far the audit may go.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// The legitimate origins (`--origin`). Empty: inferred from a fixed
    /// `Access-Control-Allow-Origin` if the server has one.
    pub origins: Vec<String>,
    /// The methods the pages send (`--method`). When given, a refused method is a finding;
    /// otherwise `PUT` is probed and a refusal is a note.
    pub methods: Vec<String>,
    /// The request headers the pages send (`--header`, names). When given, a refused header is
    /// a finding; otherwise `Content-Type: application/json` is probed and a refusal is a note.
    pub headers: Vec<String>,
    /// The response headers the pages read (`--expose`).
    pub expose: Vec<String>,
    /// Send actual requests with unsafe methods (`PUT`, `POST` … ) too (`--allow-writes`).
    pub allow_writes: bool,
    /// Page requests run at once within the target.
    pub concurrency: usize,
}

impl Default for AuditOptions {
    fn default() -> Self {
        Self {
            origins: Vec::new(),
            methods: Vec::new(),
            headers: Vec::new(),
            expose: Vec::new(),
            allow_writes: false,
            concurrency: 4,
        }
    }
}

/// A bad audit option (an origin that is not a serialized origin, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionError {
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OptionError {}

impl AuditOptions {
    /// Checks the options: origins are serialized origins, methods are tokens, header names are
    /// header names.
    pub fn validate(&self) -> Result<(), OptionError> {
        for origin in &self.origins {
            Origin::parse(origin).map_err(|e| OptionError {
                message: format!("--origin {origin:?}: {e}"),
            })?;
        }
        for method in &self.methods {
            if !corsica::method::is_method(method) {
                return Err(OptionError {
                    message: format!("--method {method:?}: not an HTTP method (a token)"),
                });
            }
        }
        for name in self.headers.iter().chain(&self.expose) {
            if !corsica::header::name::is_header_name(name) {
                return Err(OptionError {
                    message: format!("{name:?}: not a header name"),
                });
            }
        }
        Ok(())
    }
}

/// A request sent outside the engine (a probe no page could make, or a baseline).
#[derive(Clone, Debug)]
pub(crate) struct Raw {
    pub(crate) label: String,
    pub(crate) request: WireRequest,
    pub(crate) result: Result<Received, NetError>,
}

impl Raw {
    pub(crate) fn ok(&self) -> Option<&Received> {
        self.result.as_ref().ok()
    }

    pub(crate) fn evidence(&self) -> Evidence {
        Evidence {
            label: self.label.clone(),
            request: self.request.clone(),
            response: self.result.clone(),
        }
    }
}

/// One page request, run under the four profiles.
#[derive(Clone, Debug)]
pub(crate) struct PageRun {
    pub(crate) label: String,
    pub(crate) input: RequestInput,
    pub(crate) runs: Vec<(ProfileName, LiveOutcome)>,
}

impl PageRun {
    /// The run under `spec` (the requests are the same under every profile).
    pub(crate) fn spec(&self) -> &LiveOutcome {
        &self.runs[0].1
    }

    /// The profiles under which `fetch()` resolves.
    pub(crate) fn allowed_under(&self) -> Vec<ProfileName> {
        self.runs
            .iter()
            .filter(|(_, live)| live.outcome.verdict == Verdict::Allowed)
            .map(|(name, _)| *name)
            .collect()
    }

    /// The profiles under which the preflight passed (the request was preflighted, and the
    /// failure, if any, came after it).
    pub(crate) fn preflight_passed_under(&self) -> Vec<ProfileName> {
        self.runs
            .iter()
            .filter(|(_, live)| {
                live.hops
                    .iter()
                    .any(|h| h.kind == ExchangeKind::Preflight && h.result.is_ok())
                    && live
                        .outcome
                        .failure
                        .as_ref()
                        .is_none_or(|f| f.stage != corsica::Stage::Preflight)
            })
            .map(|(name, _)| *name)
            .collect()
    }

    /// The first hop of `kind` that got a response.
    pub(crate) fn response(&self, kind: ExchangeKind) -> Option<(&WireRequest, &Received)> {
        self.spec().hops.iter().find_map(|h| {
            (h.kind == kind)
                .then(|| h.answer().ok().map(|r| (&*h.wire, r)))
                .flatten()
        })
    }

    /// Every hop of the spec run, as evidence.
    pub(crate) fn evidence(&self) -> Vec<Evidence> {
        self.spec()
            .hops
            .iter()
            .map(|h| Evidence {
                label: format!(
                    "{}{}",
                    self.label,
                    if h.kind == ExchangeKind::Preflight {
                        " (preflight)"
                    } else {
                        ""
                    }
                ),
                request: (*h.wire).clone(),
                response: (*h.result).clone(),
            })
            .collect()
    }

    /// The run under `name` replayed offline: its scenario (the recorded answers as server
    /// rules) and the scenario-format output.
    pub(crate) fn scenario(&self, name: ProfileName) -> Option<(Scenario, Output)> {
        let (_, live) = self.runs.iter().find(|(n, _)| *n == name)?;
        let scenario = scenario(
            &format!("audit/{}", name.as_str()),
            name,
            &self.input,
            server_rules(live.hops.iter().map(Hop::recorded)),
            false,
            &format!("corsica audit: {}", self.label),
        );
        match scenario.evaluate().ok()? {
            ScenarioOutput::Single(output) => Some((scenario, output)),
            ScenarioOutput::Multi(_) => None,
        }
    }

    /// The run under `name` as a conformance vector (the scenario, with the output as
    /// `expected`).
    pub(crate) fn replay(&self, name: ProfileName) -> Option<serde_json::Value> {
        let (scenario, output) = self.scenario(name)?;
        let mut value = serde_json::to_value(&scenario).ok()?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert(
                String::from("expected"),
                serde_json::to_value(&output).ok()?,
            );
        }
        Some(value)
    }
}

/// What an untrusted origin got.
#[derive(Clone, Debug)]
pub(crate) struct CandidateObs {
    pub(crate) candidate: Candidate,
    /// `GET` with `credentials: "include"`.
    pub(crate) cred: Option<PageRun>,
    /// `GET` with `credentials: "omit"`.
    pub(crate) anon: Option<PageRun>,
    /// The preflighted request, with credentials.
    pub(crate) preflight: Option<PageRun>,
    /// For origins no page can have: the same `GET`s, sent by hand.
    pub(crate) raw: Vec<Raw>,
}

/// What a legitimate origin got.
#[derive(Clone, Debug)]
pub(crate) struct LegitObs {
    pub(crate) origin: String,
    /// The server sends `Access-Control-Allow-Credentials` to this origin: it means to allow
    /// credentials, so the requests below are credentialed.
    pub(crate) uses_credentials: bool,
    pub(crate) cred: Option<PageRun>,
    pub(crate) anon: Option<PageRun>,
    pub(crate) preflight: Option<PageRun>,
    /// `GET` with `Authorization`, without cookies (a preflight for `authorization`).
    pub(crate) authorization: Option<PageRun>,
    /// `GET` of a path that does not exist, with credentials.
    pub(crate) missing: Option<PageRun>,
    /// `OPTIONS` with `Origin` but no `Access-Control-Request-Method`.
    pub(crate) plain_options: Raw,
    /// A preflight asking for a header no server lists.
    pub(crate) odd_header: Raw,
    /// A preflight asking for a method no server lists.
    pub(crate) odd_method: Raw,
}

/// Everything the audit saw.
#[derive(Clone, Debug)]
pub(crate) struct Observations {
    pub(crate) source: OriginsSource,
    pub(crate) options: AuditOptions,
    pub(crate) baseline: Raw,
    pub(crate) legit: Vec<LegitObs>,
    pub(crate) candidates: Vec<CandidateObs>,
    pub(crate) options_without_origin: Raw,
    pub(crate) own_origin: Option<Raw>,
    pub(crate) private_network: Raw,
    pub(crate) crlf: Option<Raw>,
    pub(crate) slow: Vec<(Raw, Reach)>,
    pub(crate) typical_latency: Duration,
    pub(crate) side_effect: Option<Raw>,
}

/// Why an actual request is not sent: unsafe methods need `--allow-writes`.
fn withhold(sent: &SentRequest, allow_writes: bool) -> Option<&'static str> {
    (sent.kind == ExchangeKind::Request
        && !allow_writes
        && !matches!(sent.method.as_str(), "GET" | "HEAD" | "OPTIONS"))
    .then_some("the audit sends only GET, HEAD and OPTIONS requests unless --allow-writes is given")
}

/// A page request in the scenario format (built through JSON, so that fields the format adds
/// later keep their defaults).
fn input(
    origin: &str,
    url: &Url,
    method: &str,
    headers: Vec<(String, String)>,
    credentials: Credentials,
) -> RequestInput {
    serde_json::from_value(serde_json::json!({
        "origin": origin,
        "url": url.as_str(),
        "method": method,
        "headers": headers,
        "credentials": credentials.as_str(),
    }))
    .expect("a valid request input")
}

/// Runs a page request under the four profiles; `None` when the origin is not one a page can
/// have (the engine refuses it).
async fn page<T: Transport>(
    session: &Session<T>,
    label: String,
    input: RequestInput,
    allow_writes: bool,
) -> Option<PageRun> {
    let request = input.to_request("request").ok()?.ok()?;
    let mut runs = Vec::with_capacity(PROFILES.len());
    for name in PROFILES {
        let profile = Profile::of(name.into());
        let mut cache = PreflightCache::new(&profile);
        let live = session
            .fetch_gated(&request, &profile, &mut cache, Duration::ZERO, |sent| {
                withhold(sent, allow_writes)
            })
            .await;
        runs.push((name, live));
    }
    Some(PageRun { label, input, runs })
}

/// Sends a request built by hand (headers as given, then what a browser adds).
async fn raw<T: Transport>(
    session: &Session<T>,
    label: String,
    method: &str,
    url: &Url,
    headers: &[(&str, &str)],
    credentials: bool,
) -> Raw {
    let preflight = method == "OPTIONS"
        && headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("access-control-request-method"));
    let kind = if preflight {
        ExchangeKind::Preflight
    } else {
        ExchangeKind::Request
    };
    // The page: the one the `Origin` names when a page can have it, otherwise a page of the
    // target's own origin (a request without `Origin` is a same-origin one); it gives the
    // `Referer` and `Sec-Fetch-Site` a browser would send.
    let page_origin = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("origin"))
        .and_then(|(_, v)| Origin::parse(v).ok())
        .unwrap_or_else(|| Origin::of_url(url));
    let request = session.browser().wire(
        kind,
        method,
        url,
        &headers.iter().copied().collect(),
        credentials,
        &page_origin,
        RequestMode::Cors,
    );
    let record = session.exchange(request, preflight).await;
    Raw {
        label,
        request: (*record.request).clone(),
        result: (*record.result).clone(),
    }
}

/// Runs `tasks` with at most `limit` at once, returning their results in order.
async fn bounded<R, F>(tasks: Vec<F>, limit: usize) -> Vec<R>
where
    R: Send + 'static,
    F: Future<Output = R> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut set = JoinSet::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let permits = permits.clone();
        set.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (i, task.await)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(result) => results.push(result),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The `URL` with one more path segment (for a path that does not exist).
fn missing_url(url: &Url) -> Url {
    // The engine's URLs have no path setter: the `url` crate's, through the serialization
    // (both parsers give the same answers).
    let mut missing =
        url::Url::parse(url.as_str()).expect("the url crate parses the engine's URLs");
    missing.set_query(None);
    missing.set_fragment(None);
    let path = missing.path().trim_end_matches('/').to_owned();
    missing.set_path(&format!("{path}/corsica-probe-missing"));
    Url::parse(missing.as_str()).expect("the engine parses the url crate's URLs")
}

/// Audits `target` through `session` (see the [module docs](self)).
pub async fn audit<T: Transport + 'static>(
    session: Arc<Session<T>>,
    target: Url,
    options: &AuditOptions,
) -> AuditReport {
    let started = Instant::now();
    let before = session.requests_sent();
    let baseline = raw(
        &session,
        String::from("GET without Origin"),
        "GET",
        &target,
        &[],
        false,
    )
    .await;
    if let Err(error) = &baseline.result {
        return AuditReport {
            target,
            origins: options.origins.clone(),
            origins_source: if options.origins.is_empty() {
                OriginsSource::Unknown
            } else {
                OriginsSource::Given
            },
            findings: Vec::new(),
            coverage: (1..=43)
                .map(|n| {
                    (
                        n,
                        Coverage::Skipped(String::from("the target did not answer")),
                    )
                })
                .collect(),
            requests: session.requests_sent() - before,
            elapsed: started.elapsed(),
            error: Some(error.clone()),
        };
    }
    let observations = observe(&session, &target, options, baseline).await;
    let (findings, coverage) = analyze::analyze(&observations);
    AuditReport {
        target,
        origins: observations
            .legit
            .iter()
            .map(|l| l.origin.clone())
            .collect(),
        origins_source: observations.source,
        findings,
        coverage,
        requests: session.requests_sent() - before,
        elapsed: started.elapsed(),
        error: None,
    }
}

/// Sends every probe.
async fn observe<T: Transport + 'static>(
    session: &Arc<Session<T>>,
    target: &Url,
    options: &AuditOptions,
    baseline: Raw,
) -> Observations {
    let allow_writes = options.allow_writes;
    // The legitimate origins: given, or the fixed value the server sends to any origin.
    let (legitimate, source) = if options.origins.is_empty() {
        let probe = raw(
            session,
            format!("GET from {EVIL}, without cookies"),
            "GET",
            target,
            &[("Origin", EVIL)],
            false,
        )
        .await;
        let inferred = probe
            .ok()
            .and_then(|r| r.headers.get("access-control-allow-origin"))
            .map(|v| v.trim().trim_end_matches('/').to_owned())
            .filter(|v| v != "*" && v != EVIL && v != "null" && Origin::parse(v).is_ok());
        match inferred {
            Some(origin) => (vec![origin], OriginsSource::Inferred),
            None => (Vec::new(), OriginsSource::Unknown),
        }
    } else {
        (options.origins.clone(), OriginsSource::Given)
    };

    // The preflighted request: the pages' method and headers, or a JSON PUT.
    let method = options
        .methods
        .iter()
        .find(|m| !corsica::method::is_cors_safelisted_method(m))
        .or(options.methods.first())
        .cloned()
        .unwrap_or_else(|| String::from("PUT"));
    let headers: Vec<(String, String)> = if options.headers.is_empty() {
        vec![(
            String::from("Content-Type"),
            String::from("application/json"),
        )]
    } else {
        options
            .headers
            .iter()
            .map(|name| {
                let value = if name.eq_ignore_ascii_case("content-type") {
                    "application/json"
                } else {
                    "corsica-probe"
                };
                (name.clone(), value.to_owned())
            })
            .collect()
    };

    // Untrusted origins.
    let candidates = origins::candidates(&legitimate, target);
    let tasks: Vec<_> = candidates
        .into_iter()
        .map(|candidate| {
            let session = session.clone();
            let target = target.clone();
            let method = method.clone();
            let headers = headers.clone();
            async move {
                let origin = candidate.origin.clone();
                let mut obs = CandidateObs {
                    candidate,
                    cred: None,
                    anon: None,
                    preflight: None,
                    raw: Vec::new(),
                };
                if obs.candidate.reach == Reach::Browser {
                    let get = |credentials| input(&origin, &target, "GET", Vec::new(), credentials);
                    obs.cred = page(
                        &session,
                        format!("GET from {origin}, with cookies"),
                        get(Credentials::Include),
                        allow_writes,
                    )
                    .await;
                    obs.anon = page(
                        &session,
                        format!("GET from {origin}, without cookies"),
                        get(Credentials::Omit),
                        allow_writes,
                    )
                    .await;
                    obs.preflight = page(
                        &session,
                        format!("{method} from {origin}, with cookies"),
                        input(&origin, &target, &method, headers, Credentials::Include),
                        allow_writes,
                    )
                    .await;
                }
                if obs.cred.is_none() {
                    for (label, cookies) in [("with cookies", true), ("without cookies", false)] {
                        obs.raw.push(
                            raw(
                                &session,
                                format!("GET from {origin:?}, {label}"),
                                "GET",
                                &target,
                                &[("Origin", origin.as_str())],
                                cookies,
                            )
                            .await,
                        );
                    }
                }
                obs
            }
        })
        .collect();
    let candidates = bounded(tasks, options.concurrency).await;

    // Legitimate origins.
    let tasks: Vec<_> = legitimate
        .iter()
        .take(4)
        .cloned()
        .map(|origin| {
            let session = session.clone();
            let target = target.clone();
            let method = method.clone();
            let headers = headers.clone();
            async move {
                let get = |credentials| input(&origin, &target, "GET", Vec::new(), credentials);
                let cred = page(
                    &session,
                    format!("GET from {origin}, with cookies"),
                    get(Credentials::Include),
                    allow_writes,
                )
                .await;
                let anon = page(
                    &session,
                    format!("GET from {origin}, without cookies"),
                    get(Credentials::Omit),
                    allow_writes,
                )
                .await;
                let uses_credentials = [&cred, &anon].into_iter().flatten().any(|run| {
                    run.response(ExchangeKind::Request).is_some_and(|(_, r)| {
                        r.headers.contains("access-control-allow-credentials")
                    })
                });
                let (credentials, cookies) = if uses_credentials {
                    (Credentials::Include, "with cookies")
                } else {
                    (Credentials::Omit, "without cookies")
                };
                let preflight = page(
                    &session,
                    format!("{method} from {origin}, {cookies}"),
                    input(&origin, &target, &method, headers, credentials),
                    allow_writes,
                )
                .await;
                let authorization = page(
                    &session,
                    format!("GET with Authorization from {origin}"),
                    input(
                        &origin,
                        &target,
                        "GET",
                        vec![(
                            String::from("Authorization"),
                            String::from("Bearer corsica-probe"),
                        )],
                        Credentials::Omit,
                    ),
                    allow_writes,
                )
                .await;
                let missing = page(
                    &session,
                    format!("GET of a missing path from {origin}, {cookies}"),
                    input(
                        &origin,
                        &missing_url(&target),
                        "GET",
                        Vec::new(),
                        credentials,
                    ),
                    allow_writes,
                )
                .await;
                let plain_options = raw(
                    &session,
                    format!("OPTIONS from {origin} without Access-Control-Request-Method"),
                    "OPTIONS",
                    &target,
                    &[("Origin", origin.as_str())],
                    false,
                )
                .await;
                let odd_header = raw(
                    &session,
                    format!("preflight from {origin} asking for x-corsica-probe"),
                    "OPTIONS",
                    &target,
                    &[
                        ("Accept", "*/*"),
                        ("Origin", origin.as_str()),
                        ("Access-Control-Request-Method", "GET"),
                        ("Access-Control-Request-Headers", "x-corsica-probe"),
                    ],
                    false,
                )
                .await;
                let odd_method = raw(
                    &session,
                    format!("preflight from {origin} asking for the method CORSICA-PROBE"),
                    "OPTIONS",
                    &target,
                    &[
                        ("Accept", "*/*"),
                        ("Origin", origin.as_str()),
                        ("Access-Control-Request-Method", "CORSICA-PROBE"),
                    ],
                    false,
                )
                .await;
                LegitObs {
                    origin,
                    uses_credentials,
                    cred,
                    anon,
                    preflight,
                    authorization,
                    missing,
                    plain_options,
                    odd_header,
                    odd_method,
                }
            }
        })
        .collect();
    let legit = bounded(tasks, options.concurrency).await;

    // The rest, one at a time.
    let options_without_origin = raw(
        session,
        String::from("OPTIONS without Origin"),
        "OPTIONS",
        target,
        &[],
        false,
    )
    .await;
    let own = target.origin().ascii_serialization();
    let own_origin = if own == "null" {
        None
    } else {
        Some(
            raw(
                session,
                format!("GET from the server's own origin {own}"),
                "GET",
                target,
                &[("Origin", own.as_str())],
                false,
            )
            .await,
        )
    };
    let private_network = raw(
        session,
        format!("preflight from {EVIL} asking for private network access"),
        "OPTIONS",
        target,
        &[
            ("Accept", "*/*"),
            ("Origin", EVIL),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Private-Network", "true"),
        ],
        false,
    )
    .await;
    // CR/LF only over HTTP/1.x: HTTP/2 cannot carry it.
    let crlf = if baseline
        .ok()
        .is_some_and(|r| r.version != crate::client::Version::Http2)
    {
        let origin = format!("{EVIL}\rX-Corsica-Injected: 1");
        Some(
            raw(
                session,
                String::from("GET with a CR in Origin"),
                "GET",
                target,
                &[("Origin", origin.as_str())],
                false,
            )
            .await,
        )
    } else {
        None
    };
    // Timing: the typical latency, then long origins.
    let mut latencies: Vec<Duration> = std::iter::once(&baseline)
        .filter_map(Raw::ok)
        .map(|r| r.elapsed)
        .chain(legit.iter().filter_map(|l| {
            l.anon
                .as_ref()
                .and_then(|p| p.response(ExchangeKind::Request))
                .map(|(_, r)| r.elapsed)
        }))
        .collect();
    latencies.sort();
    let typical_latency = latencies
        .get(latencies.len() / 2)
        .copied()
        .unwrap_or_default();
    let mut slow = Vec::new();
    for (origin, reach) in origins::long_origins() {
        let probe = raw(
            session,
            format!("GET from a {}-byte origin", origin.len()),
            "GET",
            target,
            &[("Origin", origin.as_str())],
            false,
        )
        .await;
        let suspicious = analyze::is_slow(&probe, typical_latency);
        slow.push((probe, reach));
        if suspicious {
            // Confirm with another origin of the same shape before calling it slow.
            let again = origins::confirmation(&origin);
            let probe = raw(
                session,
                format!("GET from another {}-byte origin", again.len()),
                "GET",
                target,
                &[("Origin", again.as_str())],
                false,
            )
            .await;
            slow.push((probe, reach));
            break;
        }
    }
    let side_effect = if allow_writes {
        Some(
            raw(
                session,
                format!("POST (text/plain, no preflight) from {EVIL}, with cookies"),
                "POST",
                target,
                &[
                    ("Origin", EVIL),
                    ("Content-Type", "text/plain;charset=UTF-8"),
                ],
                true,
            )
            .await,
        )
    } else {
        None
    };

    Observations {
        source,
        options: options.clone(),
        baseline,
        legit,
        candidates,
        options_without_origin,
        own_origin,
        private_network,
        crlf,
        slow,
        typical_latency,
        side_effect,
    }
}
