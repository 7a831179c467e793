//! The check: generate cases, send each under every profile, judge the real answers with the
//! engine, compare with the policy, and shrink the first failure to a minimal counterexample.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use corsica::expose::{Exposed, cors_exposed_header_names};
use corsica::header::list_values::{ListValues, extract_tokens};
use corsica::header::safelist::is_always_safelisted_response_header_name;
use corsica::scenario::{Credentials, HeaderPair, InputError, ProfileName, Scenario};
use corsica::{Classification, ExchangeKind, HeaderList, PreflightCache, Profile, Verdict};
use corsica_probe::session::{Hop, LiveOutcome};
use corsica_probe::{NetError, Received, Session, Transport, WireRequest};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};

use crate::case::Case;
use crate::driver::Server;
use crate::policy::{OriginPattern, Policy};
use crate::replay::{replay_scenario, single_scenario};
use crate::strategy::{ATTACKER, cases, method_candidates, origin_candidates};
use crate::violation::{Evidence, Rule, Violation};

/// How many cases, which profiles, which seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Cases generated (each sent under every profile).
    pub cases: u32,
    /// The seed of the generator: the same seed, policy and server give the same cases.
    pub seed: u64,
    /// The profiles judged (default: `spec`, `chromium`, `firefox`, `webkit`).
    pub profiles: Vec<ProfileName>,
    /// The most cases tried while shrinking a failure.
    pub max_shrink_iterations: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            cases: 256,
            seed: 0,
            profiles: vec![
                ProfileName::Spec,
                ProfileName::Chromium,
                ProfileName::Firefox,
                ProfileName::Webkit,
            ],
            max_shrink_iterations: 1024,
        }
    }
}

/// The result of a check.
#[derive(Clone, Debug)]
pub struct Report {
    /// Cases run (up to the first failure, shrinking not counted).
    pub cases: u32,
    /// Requests sent, shrinking included.
    pub requests: usize,
    /// The seed used.
    pub seed: u64,
    /// The minimal counterexample, when the server does not conform.
    pub counterexample: Option<Counterexample>,
}

impl Report {
    /// Whether every case conformed.
    pub fn conforms(&self) -> bool {
        self.counterexample.is_none()
    }
}

/// A minimal failing case: the request, every rule it breaks, and a scenario that replays it.
#[derive(Clone, Debug)]
pub struct Counterexample {
    /// The request.
    pub case: Case,
    /// The rules broken, by profile (the first is the one shrinking kept).
    pub violations: Vec<Violation>,
    /// The request and the server's recorded answers under the first violation's profile, as a
    /// scenario that `corsica eval` replays offline with the same verdict.
    pub scenario: Scenario,
    /// Shrinking steps that kept the failure.
    pub shrinks: u32,
}

/// Why a check could not finish.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckError {
    /// A request got no HTTP answer (refused, timed out, garbage, …).
    Network {
        /// The request (method and URL).
        request: String,
        /// Why.
        error: NetError,
    },
    /// The endpoint cannot be requested by a page (not an http(s) URL …).
    Url(InputError),
    /// `fetch()` refuses to request the endpoint at all (a port browsers block, …): every case
    /// would throw before anything is sent.
    Refused {
        /// Why.
        kind: corsica::ErrorKind,
        /// The value at fault.
        parameter: String,
    },
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Network { request, error } => write!(f, "{request}: {error}"),
            Self::Url(error) => write!(f, "the URL cannot be fetched by a page: {error}"),
            Self::Refused { kind, parameter } => write!(
                f,
                "fetch() refuses the request before sending it ({}: {parameter})",
                kind.name()
            ),
        }
    }
}

impl std::error::Error for CheckError {}

/// How far a check has come, for progress lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Cases run.
    pub done: u32,
    /// Cases to run.
    pub total: u32,
    /// Shrinking a failure.
    pub shrinking: bool,
}

/// Checks `server` against `policy`: see [`check_with_progress`].
pub async fn check<T: Transport>(
    server: &Server<T>,
    policy: &Policy,
    config: &Config,
) -> Result<Report, CheckError> {
    check_with_progress(server, policy, config, |_| {}).await
}

/// [`check`] from synchronous code: runs it on a single-threaded tokio runtime of its own. Call
/// it from a plain `#[test]` (from inside a runtime, `.await` [`check`] instead).
pub fn check_blocking<T: Transport>(
    server: &Server<T>,
    policy: &Policy,
    config: &Config,
) -> Result<Report, CheckError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime")
        .block_on(check(server, policy, config))
}

/// Generates `config.cases` requests near the policy's boundaries, runs each under every
/// profile against `server`, and on the first failure shrinks it (keeping the rule it breaks)
/// to a minimal counterexample. `progress` is called after each case.
pub async fn check_with_progress<T: Transport>(
    server: &Server<T>,
    policy: &Policy,
    config: &Config,
    mut progress: impl FnMut(Progress),
) -> Result<Report, CheckError> {
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        chunk.copy_from_slice(&config.seed.to_le_bytes());
    }
    let mut runner = TestRunner::new_with_rng(
        proptest::test_runner::Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );
    let strategy = cases(policy);
    let mut requests = 0;
    for done in 0..config.cases {
        let mut tree = strategy
            .new_tree(&mut runner)
            .expect("the case strategies never reject");
        let run = run_case(server, policy, config, &tree.current()).await?;
        requests += run.requests;
        progress(Progress {
            done: done + 1,
            total: config.cases,
            shrinking: false,
        });
        let Some(rule) = run.violations.first().map(|v| v.rule) else {
            continue;
        };
        let mut shrinking = || {
            progress(Progress {
                done: done + 1,
                total: config.cases,
                shrinking: true,
            });
        };
        let shrunk = shrink(server, policy, config, &mut tree, run, rule, &mut shrinking).await?;
        requests += shrunk.requests;
        let best = (shrunk.case, shrunk.run);
        let (case, run) = plainest(server, policy, config, rule, best, &mut requests).await?;
        let shrinks = shrunk.steps;
        let scenario = run.scenario(server, policy, &case);
        return Ok(Report {
            cases: done + 1,
            requests,
            seed: config.seed,
            counterexample: Some(Counterexample {
                case,
                violations: run.violations,
                scenario,
                shrinks,
            }),
        });
    }
    Ok(Report {
        cases: config.cases,
        requests,
        seed: config.seed,
        counterexample: None,
    })
}

/// The smallest case shrinking found that still breaks the rule.
struct Shrunk {
    case: Case,
    run: CaseRun,
    /// Shrinking steps that kept the failure.
    steps: u32,
    /// Requests sent while shrinking.
    requests: usize,
}

/// Shrinks the failing case of `tree` (whose run is `failing`), keeping `rule`, as proptest's
/// runner does: simplify while it still fails, complicate when it passes.
async fn shrink<T: Transport>(
    server: &Server<T>,
    policy: &Policy,
    config: &Config,
    tree: &mut impl ValueTree<Value = Case>,
    failing: CaseRun,
    rule: Rule,
    progress: &mut impl FnMut(),
) -> Result<Shrunk, CheckError> {
    let mut shrunk = Shrunk {
        case: tree.current(),
        run: failing,
        steps: 0,
        requests: 0,
    };
    let mut iterations = 0;
    if !tree.simplify() {
        return Ok(shrunk);
    }
    while iterations < config.max_shrink_iterations {
        iterations += 1;
        progress();
        let case = tree.current();
        let mut run = run_case(server, policy, config, &case).await?;
        shrunk.requests += run.requests;
        if run.breaks(rule) {
            (shrunk.case, shrunk.run) = (case, run);
            shrunk.steps += 1;
            if !tree.simplify() {
                break;
            }
        } else if !tree.complicate() {
            break;
        }
    }
    Ok(shrunk)
}

/// The plainer variants of one field of a case, plainest first.
type Variants = Box<dyn Fn(&Case) -> Vec<Case>>;

/// Proptest's binary search stops at a local minimum when the failing values of a field are
/// not contiguous in its candidate list (the allowed origin fails, the attacker passes, `null`
/// fails again): this pass tries each field's plainer candidates in order, and each header
/// removed, keeping every change after which the case still breaks `rule`.
async fn plainest<T: Transport>(
    server: &Server<T>,
    policy: &Policy,
    config: &Config,
    rule: Rule,
    best: (Case, CaseRun),
    requests: &mut usize,
) -> Result<(Case, CaseRun), CheckError> {
    let (mut case, mut run) = best;
    let before = |list: Vec<String>, value: &str| -> Vec<String> {
        list.into_iter().take_while(|c| c != value).collect()
    };
    let mut variants: Vec<Variants> = Vec::new();
    let origins = origin_candidates(policy);
    variants.push(Box::new(move |c: &Case| {
        before(origins.clone(), &c.origin)
            .into_iter()
            .map(|origin| Case {
                origin,
                ..c.clone()
            })
            .collect()
    }));
    let methods = method_candidates(policy);
    variants.push(Box::new(move |c: &Case| {
        before(methods.clone(), &c.method)
            .into_iter()
            .map(|method| Case {
                method,
                ..c.clone()
            })
            .collect()
    }));
    variants.push(Box::new(|c: &Case| {
        [Credentials::SameOrigin, Credentials::Omit]
            .into_iter()
            .take_while(|m| *m != c.credentials)
            .map(|credentials| Case {
                credentials,
                ..c.clone()
            })
            .collect()
    }));
    variants.push(Box::new(|c: &Case| {
        (0..c.headers.len())
            .map(|i| {
                let mut headers = c.headers.clone();
                headers.remove(i);
                Case {
                    headers,
                    ..c.clone()
                }
            })
            .collect()
    }));
    variants.push(Box::new(|c: &Case| {
        if c.private_network {
            vec![Case {
                private_network: false,
                ..c.clone()
            }]
        } else {
            Vec::new()
        }
    }));
    for field in &variants {
        for candidate in field(&case) {
            let mut tried = run_case(server, policy, config, &candidate).await?;
            *requests += tried.requests;
            if tried.breaks(rule) {
                (case, run) = (candidate, tried);
                break;
            }
        }
    }
    Ok((case, run))
}

/// One case under every profile.
struct CaseRun {
    violations: Vec<Violation>,
    /// Each profile's hops on the wire.
    hops: Vec<(ProfileName, Vec<Hop>)>,
    requests: usize,
}

impl CaseRun {
    /// Whether the run breaks `rule`; if it does, its first violation of `rule` moves to the
    /// front.
    fn breaks(&mut self, rule: Rule) -> bool {
        match self.violations.iter().position(|v| v.rule == rule) {
            Some(at) => {
                self.violations[..=at].rotate_right(1);
                true
            }
            None => false,
        }
    }

    /// The scenario that replays the first violation.
    fn scenario<T>(&self, server: &Server<T>, policy: &Policy, case: &Case) -> Scenario {
        let first = &self.violations[0];
        let hops = self
            .hops
            .iter()
            .find(|(name, _)| *name == first.profile)
            .map(|(_, hops)| hops)
            .expect("a violation comes from a profile that ran");
        let input = case.request_input(&server.url);
        match (first.rule, policy.max_age) {
            (Rule::PreflightCachedTooLong, Some(max_age)) => {
                replay_scenario(first.profile, &input, hops, max_age)
            }
            _ => single_scenario(first.profile, &input, hops),
        }
    }
}

/// Runs `case` under each profile of `config` and judges it.
async fn run_case<T: Transport>(
    server: &Server<T>,
    policy: &Policy,
    config: &Config,
    case: &Case,
) -> Result<CaseRun, CheckError> {
    let transport = PrivateNetwork {
        inner: &server.transport,
        on: case.private_network,
    };
    let mut session = Session::new(transport, server.browser.clone());
    if let Some(rate) = &server.rate {
        session = session.with_rate_limit(rate.clone());
    }
    let input = case.request_input(&server.url);
    // Every generated case is a request `fetch()` accepts, to a URL it may refuse.
    let request = input
        .to_request("request")
        .map_err(CheckError::Url)?
        .map_err(|(rejection, _)| CheckError::Refused {
            kind: rejection.kind,
            parameter: rejection.parameter,
        })?;
    let mut violations = Vec::new();
    let mut judged_answers = Vec::new();
    let mut hops = Vec::with_capacity(config.profiles.len());
    for &name in &config.profiles {
        let profile = Profile::of(name.into());
        let mut cache = PreflightCache::new(&profile);
        let live = session
            .fetch(&request, &profile, &mut cache, Duration::ZERO)
            .await;
        network_error(&live.hops)?;
        refused_url(&live)?;
        let judged = Judged::new(policy, case, name, &live);
        judged.security_and_function(&mut violations);
        if judged.expected == Expected::Allowed && live.outcome.verdict == Verdict::Allowed {
            if let Some(max_age) = policy.max_age {
                let later = session
                    .fetch(&request, &profile, &mut cache, Duration::from_secs(max_age))
                    .await;
                network_error(&later.hops)?;
                judged.cache(&later, &mut violations);
            }
        }
        if judged.expected != Expected::NotApplicable {
            hygiene(&session, &judged, &mut judged_answers, &mut violations).await?;
        }
        hops.push((name, live.hops));
    }
    // A hygiene finding shows under every profile that sent the same request: keep the first.
    let mut seen = Vec::new();
    violations.retain(|v| {
        let key = (v.rule, v.subject.clone());
        let keep = v.rule.category() != crate::violation::Category::Hygiene || !seen.contains(&key);
        seen.push(key);
        keep
    });
    Ok(CaseRun {
        violations,
        hops,
        requests: session.requests_sent(),
    })
}

fn network_error(hops: &[Hop]) -> Result<(), CheckError> {
    match hops.iter().find_map(|h| h.answer().err().map(|e| (h, e))) {
        Some((hop, error)) => Err(CheckError::Network {
            request: format!("{} {}", hop.wire.method, hop.wire.url),
            error: error.clone(),
        }),
        None => Ok(()),
    }
}

/// A URL `fetch()` refuses whatever the page (a port browsers block) is an error, not a case:
/// nothing would ever be sent.
fn refused_url(live: &LiveOutcome) -> Result<(), CheckError> {
    match &live.outcome.failure {
        Some(failure)
            if live.outcome.classification == Classification::Disallowed
                && failure.kind == corsica::ErrorKind::BadPort =>
        {
            Err(CheckError::Refused {
                kind: failure.kind,
                parameter: failure.url.to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// What the policy says of a case, as a profile sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expected<'a> {
    /// The policy allows it.
    Allowed,
    /// The policy refuses it: the rule a resolved `fetch()` breaks, and what is at fault.
    Refused(Rule, Cow<'a, str>),
    /// Not a cross-origin CORS request (same origin, refused by `fetch()` itself).
    NotApplicable,
}

/// One profile's run of a case, with the policy's expectation.
struct Judged<'a> {
    case: &'a Case,
    policy: &'a Policy,
    profile: ProfileName,
    live: &'a LiveOutcome,
    expected: Expected<'a>,
}

impl<'a> Judged<'a> {
    fn new(
        policy: &'a Policy,
        case: &'a Case,
        profile: ProfileName,
        live: &'a LiveOutcome,
    ) -> Self {
        let outcome = &live.outcome;
        let preflight = outcome
            .exchanges
            .iter()
            .find(|e| e.request.kind == ExchangeKind::Preflight);
        let expected = if !matches!(
            outcome.classification,
            Classification::Simple | Classification::Preflight
        ) {
            Expected::NotApplicable
        } else if !policy.allows_origin(&case.origin) {
            Expected::Refused(Rule::OriginNotAllowed, Cow::Borrowed(&case.origin))
        } else if case.includes_credentials() && !policy.credentials {
            Expected::Refused(
                Rule::CredentialsNotAllowed,
                Cow::Borrowed("credentials: include"),
            )
        } else if let Some(preflight) = preflight {
            // What the browser asks permission for is what the preflight names.
            let headers = &preflight.request.headers;
            let method = headers
                .get("access-control-request-method")
                .unwrap_or_default();
            let names = headers
                .get("access-control-request-headers")
                .unwrap_or_default();
            if !policy.allows_method(&method) {
                Expected::Refused(Rule::MethodNotAllowed, method)
            } else if let Some(name) = names
                .split(',')
                .map(str::trim)
                .find(|n| !n.is_empty() && !policy.allows_header(n))
            {
                Expected::Refused(Rule::HeaderNotAllowed, Cow::Owned(name.to_owned()))
            } else {
                Expected::Allowed
            }
        } else {
            Expected::Allowed
        };
        Self {
            case,
            policy,
            profile,
            live,
            expected,
        }
    }

    fn violation(&self, rule: Rule, subject: String, response: Option<&HeaderList>) -> Violation {
        Violation {
            profile: self.profile,
            rule,
            subject,
            evidence: Evidence {
                verdict: self.live.outcome.verdict,
                error: self.live.outcome.failure.as_ref().map(|f| f.kind),
                headers: response.map(cors_headers).unwrap_or_default(),
                other_origin: None,
                other_origin_answer: None,
            },
        }
    }

    /// The last response received (the one that decided).
    fn last_response(&self) -> Option<&'a HeaderList> {
        self.live
            .hops
            .last()
            .and_then(|h| h.answer().ok())
            .map(|r| &r.headers)
    }

    fn security_and_function(&self, out: &mut Vec<Violation>) {
        let verdict = self.live.outcome.verdict;
        match (&self.expected, verdict) {
            (Expected::Refused(rule, subject), Verdict::Allowed) => {
                out.push(self.violation(*rule, subject.to_string(), self.last_response()));
            }
            (Expected::Allowed, Verdict::Blocked) => {
                let subject = self
                    .live
                    .outcome
                    .failure
                    .as_ref()
                    .map_or("", |f| f.kind.name())
                    .to_owned();
                out.push(self.violation(
                    Rule::AllowedRequestBlocked,
                    subject,
                    self.last_response(),
                ));
            }
            (Expected::Allowed, Verdict::Allowed) => {
                self.exposed(out);
                self.private_network(out);
            }
            _ => {}
        }
    }

    /// Every header of `expose` is in the CORS-exposed header-name list of the final answer.
    fn exposed(&self, out: &mut Vec<Violation>) {
        let Some(headers) = self.last_response() else {
            return;
        };
        let exposed = cors_exposed_header_names(headers, self.case.includes_credentials());
        for name in self.policy.expose.iter().filter(|n| *n != "*") {
            let visible = match &exposed {
                Exposed::All => true,
                Exposed::Names(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
            };
            if !visible && !is_always_safelisted_response_header_name(name) {
                out.push(self.violation(Rule::ExposedHeaderHidden, name.clone(), Some(headers)));
            }
        }
    }

    /// A private-network preflight the policy allows is answered with
    /// `Access-Control-Allow-Private-Network: true`.
    fn private_network(&self, out: &mut Vec<Violation>) {
        if !(self.case.private_network && self.policy.private_network) {
            return;
        }
        let preflight = self
            .live
            .hops
            .iter()
            .find(|h| h.kind == ExchangeKind::Preflight);
        if let Some(Ok(received)) = preflight.map(Hop::answer) {
            if received.headers.get(ACAPN).as_deref() != Some("true") {
                out.push(self.violation(
                    Rule::PrivateNetworkRefused,
                    String::from(ACAPN),
                    Some(&received.headers),
                ));
            }
        }
    }

    /// `later` is the same request `max_age` seconds later, with the same preflight cache: the
    /// cache must not answer its preflight.
    fn cache(&self, later: &LiveOutcome, out: &mut Vec<Violation>) {
        let cached = later
            .outcome
            .exchanges
            .iter()
            .any(|e| e.request.kind == ExchangeKind::Preflight && e.from_cache);
        if cached {
            let preflight = self
                .live
                .hops
                .iter()
                .find(|h| h.kind == ExchangeKind::Preflight);
            let headers = preflight.and_then(|h| h.answer().ok()).map(|r| &r.headers);
            let max_age = headers
                .and_then(|h| h.get("access-control-max-age"))
                .map_or_else(String::new, |v| format!("Access-Control-Max-Age: {v}"));
            out.push(self.violation(Rule::PreflightCachedTooLong, max_age, headers));
        }
    }
}

const ACAO: &str = "access-control-allow-origin";
const ACAPN: &str = "access-control-allow-private-network";

/// The CORS response headers and `Vary`, as received.
fn cors_headers(headers: &HeaderList) -> Vec<HeaderPair> {
    headers
        .iter()
        .filter(|h| {
            let name = h.name.to_ascii_lowercase();
            name.starts_with("access-control-") || name == "vary"
        })
        .map(|h| (h.name.to_string(), h.value.to_string()))
        .collect()
}

/// Hygiene rules: no answer to an allowed origin grants more than the policy; every answer to
/// an actual request says `Vary: Origin` when another origin gets another
/// `Access-Control-Allow-Origin`.
///
/// A finding depends on the answer alone (and the case), so an answer in `judged_answers`
/// (judged under an earlier profile of the case, the session sharing it) is skipped: it would
/// only repeat findings, which [`run_case`] drops.
async fn hygiene<T: Transport>(
    session: &Session<T>,
    judged: &Judged<'_>,
    judged_answers: &mut Vec<Arc<Result<Received, NetError>>>,
    out: &mut Vec<Violation>,
) -> Result<(), CheckError> {
    let allowed = judged.policy.allows_origin(&judged.case.origin);
    for hop in &judged.live.hops {
        if judged_answers.iter().any(|a| Arc::ptr_eq(a, &hop.result)) {
            continue;
        }
        judged_answers.push(hop.result.clone());
        let Ok(received) = hop.answer() else { continue };
        let headers = &received.headers;
        if allowed {
            for grant in grants(judged.policy, headers) {
                out.push(judged.violation(Rule::GrantsMoreThanPolicy, grant, Some(headers)));
            }
        }
        // Vary: Origin, on answers a cache could store (not preflights), unless they grant every
        // origin alike: the answer depends on Origin when another origin gets another
        // Access-Control-Allow-Origin (an allowed origin's grant, or a foreign one's refusal).
        let acao = headers.get(ACAO);
        if hop.kind != ExchangeKind::Request
            || acao.as_deref() == Some("*")
            || varies_on_origin(headers)
        {
            continue;
        }
        let Some(other) = contrast_origin(judged.policy, &judged.case.origin) else {
            continue;
        };
        let record = session
            .exchange(with_origin(&hop.wire, &other), false)
            .await;
        let answer = (*record.result)
            .as_ref()
            .map_err(|error| CheckError::Network {
                request: format!("{} {}", record.request.method, record.request.url),
                error: error.clone(),
            })?;
        let other_acao = answer.headers.get(ACAO).map(|v| v.into_owned());
        if other_acao.as_deref() != acao.as_deref() {
            let none = || String::from("(none)");
            let subject = format!(
                "Access-Control-Allow-Origin: {}",
                acao.map_or_else(none, |v| v.into_owned())
            );
            let mut violation = judged.violation(Rule::VaryOriginMissing, subject, Some(headers));
            violation.evidence.other_origin = Some(other);
            violation.evidence.other_origin_answer = Some(other_acao.unwrap_or_else(none));
            out.push(violation);
        }
    }
    Ok(())
}

/// The origin whose answer shows whether an answer to `origin` depends on `Origin`: an
/// unrelated one for an allowed origin, the policy's first allowed origin for another (none if
/// the policy allows none).
fn contrast_origin(policy: &Policy, origin: &str) -> Option<String> {
    if policy.allows_origin(origin) {
        let other = if origin == ATTACKER {
            "https://other.example"
        } else {
            ATTACKER
        };
        Some(String::from(other))
    } else {
        policy.origins.first().map(OriginPattern::instance)
    }
}

/// `Vary` lists `Origin` (or is `*`).
fn varies_on_origin(headers: &HeaderList) -> bool {
    headers
        .values("vary")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|v| v.eq_ignore_ascii_case("origin") || v == "*")
}

/// The same wire request from `other`, to see whether the answer depends on `Origin`.
fn with_origin(wire: &WireRequest, other: &str) -> WireRequest {
    let mut headers = HeaderList::with_capacity(wire.headers.len());
    for h in &wire.headers {
        let value = if h.name.eq_ignore_ascii_case("origin") {
            other
        } else {
            h.value.as_str()
        };
        headers.append(h.name.as_str(), value);
    }
    WireRequest {
        method: wire.method.clone(),
        url: wire.url.clone(),
        headers,
    }
}

/// The CORS headers of an answer to an allowed origin that grant more than the policy, as
/// `Header: value`.
fn grants(policy: &Policy, headers: &HeaderList) -> Vec<String> {
    let mut out = Vec::new();
    let any_origin = policy.origins.contains(&OriginPattern::Any);
    if headers.get(ACAO).as_deref() == Some("*") && !any_origin {
        out.push(String::from("Access-Control-Allow-Origin: *"));
    }
    if headers.get("access-control-allow-credentials").as_deref() == Some("true")
        && !policy.credentials
    {
        out.push(String::from("Access-Control-Allow-Credentials: true"));
    }
    if headers.get(ACAPN).as_deref() == Some("true") && !policy.private_network {
        out.push(String::from("Access-Control-Allow-Private-Network: true"));
    }
    let list = |name: &str| match extract_tokens(headers, name) {
        ListValues::Valid(tokens) => tokens,
        ListValues::Absent | ListValues::Invalid(_) => Default::default(),
    };
    for method in list("access-control-allow-methods") {
        if !policy.allows_method(method) {
            out.push(format!("Access-Control-Allow-Methods: {method}"));
        }
    }
    for name in list("access-control-allow-headers") {
        if !policy.allows_header(name) {
            out.push(format!("Access-Control-Allow-Headers: {name}"));
        }
    }
    for name in list("access-control-expose-headers") {
        if !policy.exposes(name) && !is_always_safelisted_response_header_name(name) {
            out.push(format!("Access-Control-Expose-Headers: {name}"));
        }
    }
    out
}

/// A transport that adds `Access-Control-Request-Private-Network: true` to preflights when `on`.
struct PrivateNetwork<'a, T> {
    inner: &'a T,
    on: bool,
}

impl<T: Transport> Transport for PrivateNetwork<'_, T> {
    fn send(
        &self,
        request: &WireRequest,
    ) -> impl std::future::Future<Output = Result<corsica_probe::Received, NetError>> + Send {
        let preflight = request.method == "OPTIONS"
            && request.headers.contains("access-control-request-method");
        let request = if self.on && preflight {
            let mut with = request.clone();
            with.headers
                .append("Access-Control-Request-Private-Network", "true");
            std::borrow::Cow::Owned(with)
        } else {
            std::borrow::Cow::Borrowed(request)
        };
        let inner = self.inner;
        async move { inner.send(&request).await }
    }
}
