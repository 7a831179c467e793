//! From what the audit saw to findings: one function per group of patterns.

use std::collections::BTreeMap;
use std::time::Duration;

use corsica::scenario::ProfileName;
use corsica::{ErrorKind, ExchangeKind, Stage, Verdict};

use super::origins::{Candidate, EVIL, Reach};
use super::patterns::pattern;
use super::{
    CandidateObs, Coverage, Evidence, Finding, Impact, LegitObs, Observations, OriginsSource,
    PageRun, Raw,
};
use crate::client::Received;
use crate::error::NetError;

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACEH: &str = "access-control-expose-headers";
const ACMA: &str = "access-control-max-age";

/// The findings, most serious first, and what was covered.
pub(super) fn analyze(obs: &Observations) -> (Vec<Finding>, Vec<(u8, Coverage)>) {
    let mut out = Out::default();
    for n in 1..=43 {
        out.coverage.insert(n, Coverage::Checked);
    }
    let reflect_all = origin_trust(obs, &mut out);
    wildcard(obs, &mut out);
    if obs.legit.is_empty() {
        for n in [
            0, 17, 18, 19, 20, 24, 25, 26, 27, 28, 29, 30, 31, 34, 35, 36, 37, 43,
        ] {
            out.not_applicable(
                n,
                "no legitimate origin is known: pass --origin (the server sends no fixed Access-Control-Allow-Origin to infer it from)",
            );
        }
    }
    for legit in &obs.legit {
        legitimate(obs, legit, reflect_all, &mut out);
    }
    cache(obs, &mut out);
    untrusted_extras(obs, &mut out);
    robustness(obs, &mut out);
    own_origin(obs, &mut out);
    let mut findings: Vec<Finding> = out.findings.into_values().collect();
    findings.sort_by(|a, b| {
        (a.is_note(), a.severity, a.impact, a.pattern).cmp(&(
            b.is_note(),
            b.severity,
            b.impact,
            b.pattern,
        ))
    });
    (findings, out.coverage.into_iter().collect())
}

/// Findings by pattern (one each; later evidence for the same pattern is dropped), and the
/// coverage of patterns 1 to 43.
#[derive(Default)]
struct Out {
    findings: BTreeMap<u8, Finding>,
    coverage: BTreeMap<u8, Coverage>,
}

impl Out {
    fn add(&mut self, finding: Finding) {
        match self.findings.get(&finding.pattern) {
            Some(existing) if existing.impact <= finding.impact => {}
            _ => {
                self.findings.insert(finding.pattern, finding);
            }
        }
    }

    fn not_applicable(&mut self, n: u8, why: &str) {
        if n > 0 && !self.findings.contains_key(&n) {
            self.coverage
                .insert(n, Coverage::NotApplicable(why.to_owned()));
        }
    }

    fn skipped(&mut self, n: u8, why: &str) {
        self.coverage.insert(n, Coverage::Skipped(why.to_owned()));
    }
}

/// A finding of `number` with the pattern's severity and fix.
fn finding(number: u8, impact: Impact, reach: Reach, title: String, detail: String) -> Finding {
    let p = pattern(number);
    Finding {
        pattern: number,
        severity: p.severity,
        impact,
        reach,
        title,
        detail,
        evidence: Vec::new(),
        fix: p.fix.to_owned(),
        allowed_under: Vec::new(),
        replay: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Header helpers.

fn get(r: &Received, name: &str) -> Option<String> {
    r.headers.get(name).map(|v| v.into_owned())
}

/// Whether an `Access-Control-Allow-Origin` line is exactly `origin`.
fn reflects(r: &Received, origin: &str) -> bool {
    r.headers
        .values(ACAO)
        .any(|v| v.trim_matches([' ', '\t']) == origin)
}

/// The comma-separated tokens of every `name` header.
fn tokens(r: &Received, name: &str) -> Vec<String> {
    r.headers
        .values(name)
        .flat_map(|v| v.split(','))
        .map(|t| t.trim_matches([' ', '\t']).to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

fn has_token(r: &Received, name: &str, token: &str) -> bool {
    tokens(r, name)
        .iter()
        .any(|t| t.eq_ignore_ascii_case(token))
}

fn varies_on_origin(r: &Received) -> bool {
    has_token(r, "vary", "origin") || has_token(r, "vary", "*")
}

fn is_ok(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Whether a shared cache could store `r` as it is (RFC 9111: explicit freshness, or a
/// heuristic one from `Last-Modified`).
fn storable(r: &Received) -> bool {
    let directives = tokens(r, "cache-control");
    let has = |d: &str| directives.iter().any(|t| t.eq_ignore_ascii_case(d));
    if has("no-store") || has("private") {
        return false;
    }
    directives.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t == "public"
            || t.starts_with("s-maxage")
            || (t.starts_with("max-age=") && t != "max-age=0")
    }) || r.headers.contains("expires")
        || r.headers.contains("last-modified")
}

fn profiles_text(profiles: &[ProfileName]) -> String {
    if profiles.len() == 4 {
        return String::from("every profile");
    }
    profiles
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scenario-format output's console line and fix under `name`.
fn engine_text(run: &PageRun, name: ProfileName) -> Option<(String, String)> {
    let (_, output) = run.scenario(name)?;
    let error = output.error?;
    Some((error.message, error.fix))
}

/// Whether `probe` took far longer than the `typical` answer: ten times as long and at least
/// 2 s, or ran out of time although typical answers take under a second.
pub(super) fn is_slow(probe: &Raw, typical: Duration) -> bool {
    let threshold = (typical * 10).max(Duration::from_secs(2));
    match &probe.result {
        Ok(r) => r.elapsed > threshold,
        Err(NetError::Timeout { .. }) => typical < Duration::from_secs(1),
        Err(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns 1-15 and 4: which untrusted origins the server accepts. Returns whether every origin
// is accepted (#1 or #2), which makes the finer patterns redundant.

struct Hit<'a> {
    candidate: &'a Candidate,
    impact: Impact,
    allowed: Vec<ProfileName>,
    evidence: Vec<Evidence>,
    replay: Option<serde_json::Value>,
    what: String,
}

/// Who the page on `origin` is, in words.
fn page_on(origin: &str) -> String {
    if origin == "null" {
        String::from("a sandboxed iframe or a data: page (Origin: null)")
    } else {
        format!("a page on {origin}")
    }
}

fn judge(c: &CandidateObs) -> Option<Hit<'_>> {
    let origin = c.candidate.origin.as_str();
    if c.candidate.reach == Reach::ParserOnly || c.cred.is_none() {
        let reflected = c
            .raw
            .iter()
            .find(|r| r.ok().is_some_and(|x| reflects(x, origin)))?;
        let with_credentials = reflected
            .ok()
            .and_then(|r| get(r, ACAC))
            .is_some_and(|v| v.trim() == "true");
        // No browser sends this Origin, and a client that can send it needs no CORS to read the
        // answer: a lax parser, noted, not a finding.
        return Some(Hit {
            candidate: &c.candidate,
            impact: Impact::Note,
            allowed: Vec::new(),
            evidence: c.raw.iter().map(Raw::evidence).collect(),
            replay: None,
            what: format!(
                "{origin:?} is echoed in Access-Control-Allow-Origin{}",
                if with_credentials {
                    " with Access-Control-Allow-Credentials: true"
                } else {
                    ""
                }
            ),
        });
    }
    let runs = [&c.cred, &c.anon, &c.preflight];
    let reflected = runs.iter().any(|run| {
        run.as_ref().is_some_and(|run| {
            run.spec()
                .hops
                .iter()
                .any(|h| h.answer().is_ok_and(|r| reflects(r, origin)))
        })
    });
    if !reflected {
        return None;
    }
    let read_cred = c
        .cred
        .as_ref()
        .map(PageRun::allowed_under)
        .unwrap_or_default();
    let passed = c
        .preflight
        .as_ref()
        .map(PageRun::preflight_passed_under)
        .unwrap_or_default();
    let read_anon = c
        .anon
        .as_ref()
        .map(PageRun::allowed_under)
        .unwrap_or_default();
    let (impact, allowed, run, what) = if !read_cred.is_empty() {
        (
            Impact::High,
            read_cred,
            &c.cred,
            format!(
                "{} reads responses with the user's cookies",
                page_on(origin)
            ),
        )
    } else if !passed.is_empty() {
        let method = c
            .preflight
            .as_ref()
            .map_or("PUT", |p| p.input.method.as_str());
        (
            Impact::Medium,
            passed,
            &c.preflight,
            format!(
                "{} passes the preflight for a credentialed {method}",
                page_on(origin)
            ),
        )
    } else if !read_anon.is_empty() {
        (
            Impact::Low,
            read_anon,
            &c.anon,
            format!("{} reads responses (without cookies)", page_on(origin)),
        )
    } else {
        (
            Impact::Note,
            Vec::new(),
            &c.cred,
            format!(
                "{origin} is echoed in Access-Control-Allow-Origin, but no browser accepts the answer"
            ),
        )
    };
    let run = run.as_ref()?;
    Some(Hit {
        candidate: &c.candidate,
        impact,
        replay: run.replay(allowed.first().copied().unwrap_or(ProfileName::Spec)),
        allowed,
        evidence: run.evidence(),
        what,
    })
}

fn origin_trust(obs: &Observations, out: &mut Out) -> bool {
    let hits: Vec<Hit<'_>> = obs.candidates.iter().filter_map(judge).collect();
    let evil = hits.iter().find(|h| h.candidate.origin == EVIL);
    let tried = obs.candidates.len();
    let accepted = hits.len();
    let mut reflect_all = false;
    if let Some(hit) = evil {
        reflect_all = true;
        // #2: reflection only when credentials are in play (a cookie, or the preflight), while
        // a request without cookies gets `*`.
        let evil_obs = obs.candidates.iter().find(|c| c.candidate.origin == EVIL);
        let anon_star = evil_obs
            .and_then(|c| c.anon.as_ref())
            .and_then(|r| r.response(ExchangeKind::Request))
            .and_then(|(_, r)| get(r, ACAO))
            .is_some_and(|v| v.trim() == "*");
        let number = if anon_star { 2 } else { 1 };
        let mut f = finding(
            number,
            hit.impact,
            Reach::Browser,
            format!("{}: {}", pattern(number).name, hit.what),
            format!(
                "{}{} {accepted} of the {tried} untrusted origins tried were accepted. Allowed under {}.",
                if anon_star {
                    "Without cookies the server answers `Access-Control-Allow-Origin: *`; with a cookie it echoes the requesting origin and adds `Access-Control-Allow-Credentials: true`, which is what an allow-all setting with credentials turns into. "
                } else {
                    "The server echoes whatever Origin it is sent. "
                },
                if hit.impact == Impact::High {
                    "Any web page the user visits can read this API's responses with the user's cookies."
                } else {
                    ""
                },
                profiles_text(&hit.allowed)
            ),
        );
        f.evidence.clone_from(&hit.evidence);
        f.allowed_under.clone_from(&hit.allowed);
        f.replay.clone_from(&hit.replay);
        out.add(f);
    }
    // #14: an alternation anchored on one side per alternative (`^a|b$`): the prefix (or
    // suffix) mistake holds for some legitimate origins and not for others, where a matcher
    // that is lax everywhere would accept the variants of all of them.
    let mut alternation = false;
    if obs.legit.len() >= 2 && !reflect_all {
        let from = |variant: &str, number: u8| -> Vec<usize> {
            let mut indices: Vec<usize> = hits
                .iter()
                .filter(|h| h.candidate.pattern == number && h.candidate.variant == variant)
                .filter(|h| h.candidate.reach == Reach::Browser && h.impact != Impact::Note)
                .filter_map(|h| h.candidate.from)
                .collect();
            indices.sort_unstable();
            indices.dedup();
            indices
        };
        // Only the legitimate origins the server does allow count.
        let allowed: Vec<usize> = obs
            .legit
            .iter()
            .enumerate()
            .take(4)
            .filter(|(_, l)| {
                [&l.cred, &l.anon]
                    .into_iter()
                    .flatten()
                    .any(|run| run.spec().outcome.verdict == corsica::Verdict::Allowed)
            })
            .map(|(i, _)| i)
            .collect();
        let prefix = from("prefix", 5);
        let suffix = from("suffix", 6);
        let partial = |set: &[usize]| {
            allowed.len() >= 2
                && !set.is_empty()
                && set.len() < allowed.len()
                && set.iter().all(|i| allowed.contains(i))
        };
        if partial(&prefix) || partial(&suffix) {
            alternation = true;
            let worst: Vec<&Hit<'_>> = hits
                .iter()
                .filter(|h| {
                    matches!(h.candidate.pattern, 5 | 6) && h.candidate.reach == Reach::Browser
                })
                .collect();
            let affected: Vec<&str> = prefix
                .iter()
                .chain(&suffix)
                .filter_map(|&i| obs.legit.get(i).map(|l| l.origin.as_str()))
                .collect();
            let mut f = finding(
                14,
                worst.iter().map(|h| h.impact).min().unwrap_or(Impact::Low),
                Reach::Browser,
                format!(
                    "{}: {}",
                    pattern(14).name,
                    worst
                        .iter()
                        .map(|h| h.candidate.origin.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!(
                    "Only the variants of {} are accepted, not those of the other legitimate origins: the signature of one anchor per alternative. {}.",
                    affected.join(", "),
                    worst
                        .iter()
                        .map(|h| h.what.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
            if let Some(first) = worst.first() {
                f.evidence.clone_from(&first.evidence);
                f.allowed_under.clone_from(&first.allowed);
                f.replay.clone_from(&first.replay);
            }
            out.add(f);
        }
    } else {
        out.not_applicable(14, "needs two or more legitimate origins");
    }
    // The finer patterns, grouped. A prefix match (#5) also accepts the port (#12) and
    // parser-confusion (#13) variants, which all start with the trusted origin; a suffix match
    // (#6) also accepts the unescaped-dot variant (#7): those are reported once, as the cause.
    let exploitable = |number: u8, variant: &str| {
        hits.iter().any(|h| {
            h.candidate.pattern == number
                && h.candidate.reach == Reach::Browser
                && (variant.is_empty() || h.candidate.variant == variant)
                && h.impact != Impact::Note
        })
    };
    // A wildcard on the first letters (#3) explains every variant that starts like the trusted
    // origin; a port that is not checked (#12) explains the longer port (`:51730`).
    let prefix = exploitable(5, "prefix");
    let suffix = exploitable(6, "");
    let first_letters = exploitable(3, "");
    let any_port = exploitable(12, "");
    let mut groups: BTreeMap<u8, Vec<&Hit<'_>>> = BTreeMap::new();
    for hit in &hits {
        let n = hit.candidate.pattern;
        if n == 1
            || (reflect_all && n != 4)
            || (alternation && matches!(n, 5 | 6))
            || (first_letters && matches!(n, 5 | 7 | 8 | 12 | 13))
            || (prefix && matches!(n, 12 | 13))
            || (suffix && n == 7)
            || (any_port && hit.candidate.variant == "port-prefix")
        {
            continue;
        }
        groups.entry(n).or_default().push(hit);
    }
    for (n, group) in groups {
        let worst = group
            .iter()
            .min_by_key(|h| (h.impact, h.candidate.reach == Reach::ParserOnly))
            .expect("groups are not empty");
        let reach = if group
            .iter()
            .any(|h| h.candidate.reach == Reach::Browser && h.impact != Impact::Note)
        {
            Reach::Browser
        } else {
            worst.candidate.reach
        };
        let origins: Vec<&str> = group.iter().map(|h| h.candidate.origin.as_str()).collect();
        let mut f = finding(
            n,
            worst.impact,
            reach,
            if n == 4 {
                format!("{}: {}", pattern(n).name, worst.what)
            } else {
                format!("{}: {}", pattern(n).name, origins.join(", "))
            },
            format!(
                "{}.{}",
                group
                    .iter()
                    .map(|h| h.what.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                if worst.allowed.is_empty() {
                    String::new()
                } else {
                    format!(" Allowed under {}.", profiles_text(&worst.allowed))
                }
            ),
        );
        if reach == Reach::ParserOnly {
            f.detail.push_str(" No browser sends such an Origin: this shows a lax parser, not an exploitable hole.");
        }
        f.evidence.clone_from(&worst.evidence);
        f.allowed_under.clone_from(&worst.allowed);
        f.replay.clone_from(&worst.replay);
        out.add(f);
    }
    // Coverage of the mutations that need a domain name or an https origin.
    for (n, why) in [
        (
            3,
            "the legitimate host does not start with a letter or digit",
        ),
        (6, "the legitimate origin's host is not a domain name"),
        (
            7,
            "the legitimate origin's host has fewer than three labels",
        ),
        (8, "the legitimate origin's host is not a domain name"),
        (9, "the legitimate origin's host is not a domain name"),
        (11, "no legitimate origin is https"),
        (13, "the legitimate origin's host is not a domain name"),
    ] {
        if !obs.candidates.iter().any(|c| c.candidate.pattern == n) {
            out.not_applicable(n, why);
        }
    }
    reflect_all
}

// #16: `*` to an untrusted origin.
fn wildcard(obs: &Observations, out: &mut Out) {
    let Some(evil) = obs.candidates.iter().find(|c| c.candidate.origin == EVIL) else {
        return;
    };
    let Some(run) = &evil.anon else { return };
    let Some((_, response)) = run.response(ExchangeKind::Request) else {
        return;
    };
    if get(response, ACAO).is_none_or(|v| v.trim() != "*") {
        return;
    }
    let given = obs.source == OriginsSource::Given;
    let mut f = finding(
        16,
        if given { Impact::Low } else { Impact::Note },
        Reach::Browser,
        String::from(
            "Access-Control-Allow-Origin: * : every site can read the response (without cookies)",
        ),
        format!(
            "{}{}",
            if given {
                "The legitimate origins are listed, yet the server answers `*`. "
            } else {
                "Fine for public data. "
            },
            match response.address_space() {
                corsica::lna::AddressSpace::Public =>
                    "For data that depends on the network the caller is on (IP allowlists, an intranet), `*` is a leak.",
                _ =>
                    "The server is on a private or loopback address: intranet data answered with `*` is readable by any site the user visits (subject to the browser's Local Network Access prompt).",
            }
        ),
    );
    f.evidence = run.evidence();
    f.allowed_under = run.allowed_under();
    f.replay = run.replay(ProfileName::Spec);
    out.add(f);
}

// ---------------------------------------------------------------------------------------------
// What the legitimate origins get: patterns 0, 17-20, 24-31, 34-37, 43.

fn legitimate(obs: &Observations, legit: &LegitObs, reflect_all: bool, out: &mut Out) {
    let origin = legit.origin.as_str();
    let explicit = obs.source == OriginsSource::Given;
    let get_run = if legit.uses_credentials {
        legit.cred.as_ref()
    } else {
        legit.anon.as_ref()
    };
    let get_allowed = get_run.is_some_and(|r| r.spec().outcome.verdict == Verdict::Allowed);
    let mut reported_get = false;

    // #43: a redirect to another origin on the way.
    if let Some(run) = get_run {
        let hops = &run.spec().hops;
        let crossed = hops
            .windows(2)
            .any(|w| w[0].wire.url.origin() != w[1].wire.url.origin());
        if crossed {
            let mut f = finding(
                43,
                if get_allowed {
                    Impact::Note
                } else {
                    Impact::High
                },
                Reach::Browser,
                format!(
                    "The request from {origin} is redirected to another origin{}",
                    if get_allowed {
                        ""
                    } else {
                        ", and the browser blocks it"
                    }
                ),
                format!(
                    "After a redirect to another origin the browser sends `Origin: null`.{}",
                    engine_text(run, ProfileName::Spec)
                        .map(|(m, _)| format!(" Console: {m}"))
                        .unwrap_or_default()
                ),
            );
            if let Some((_, fix)) = engine_text(run, ProfileName::Spec) {
                f.fix = format!("{} {fix}", f.fix);
            }
            f.evidence = run.evidence();
            f.replay = run.replay(ProfileName::Spec);
            out.add(f);
            reported_get = true;
        } else if !out.findings.contains_key(&43) {
            out.not_applicable(43, "the target does not redirect");
        }
    }

    // The preflighted request.
    let preflight = legit.preflight.as_ref();
    let preflight_response = preflight.and_then(|p| p.response(ExchangeKind::Preflight));
    if let (Some(run), Some((_, response))) = (preflight, preflight_response) {
        let failure = run.spec().outcome.failure.clone();
        let at_preflight = failure.as_ref().filter(|f| f.stage == Stage::Preflight);
        let method = run.input.method.as_str();
        // #30: methods in the wrong case, whatever was asked.
        let lowercase: Vec<String> = tokens(response, ACAM)
            .into_iter()
            .filter(|m| {
                let upper = m.to_ascii_uppercase();
                *m != upper && !matches!(upper.as_str(), "GET" | "HEAD" | "POST")
            })
            .collect();
        if !lowercase.is_empty() {
            let mut f = finding(
                30,
                Impact::Medium,
                Reach::Browser,
                format!(
                    "Access-Control-Allow-Methods lists {} in lowercase: browsers never match it",
                    lowercase.join(", ")
                ),
                format!(
                    "A page calling fetch() with method {} is blocked: non-safelisted methods are compared byte for byte.",
                    lowercase[0].to_ascii_uppercase()
                ),
            );
            f.evidence = run.evidence();
            f.replay = run.replay(ProfileName::Spec);
            out.add(f);
        }
        match at_preflight.map(|f| f.kind) {
            None => {
                preflight_passed(legit, run, response, get_run, out);
                // #35, with --allow-writes: the actual request itself was sent and refused.
                let sent_actual = run
                    .spec()
                    .hops
                    .iter()
                    .any(|h| h.kind == ExchangeKind::Request && h.result.is_ok());
                let actual_failure = failure.as_ref().map(|f| f.kind);
                if sent_actual
                    && matches!(
                        actual_failure,
                        Some(
                            ErrorKind::MissingAllowOriginHeader
                                | ErrorKind::InvalidAllowCredentials
                        )
                    )
                {
                    let mut f = finding(
                        35,
                        Impact::High,
                        Reach::Browser,
                        format!(
                            "The preflight allows the {method} from {origin}, but its actual response does not"
                        ),
                        engine_text(run, ProfileName::Spec)
                            .map(|(m, _)| format!("Console: {m}"))
                            .unwrap_or_default(),
                    );
                    f.evidence = run.evidence();
                    f.replay = run.replay(ProfileName::Spec);
                    out.add(f);
                    reported_get = true;
                }
                if let (false, Some(get_run)) = (get_allowed, get_run) {
                    // #35: the preflight grants, the actual response does not.
                    let get_failure = get_run.spec().outcome.failure.as_ref().map(|f| f.kind);
                    if matches!(
                        get_failure,
                        Some(
                            ErrorKind::MissingAllowOriginHeader
                                | ErrorKind::InvalidAllowCredentials
                        )
                    ) && reflects(response, origin)
                    {
                        let mut f = finding(
                            35,
                            Impact::High,
                            Reach::Browser,
                            format!(
                                "The preflight allows {origin}, but the actual response does not"
                            ),
                            format!(
                                "The preflight answers Access-Control-Allow-Origin: {origin}, the GET response lacks {}.",
                                if get_failure == Some(ErrorKind::MissingAllowOriginHeader) {
                                    "Access-Control-Allow-Origin"
                                } else {
                                    "Access-Control-Allow-Credentials: true"
                                }
                            ),
                        );
                        f.evidence = run.evidence();
                        f.evidence.extend(get_run.evidence());
                        f.replay = get_run.replay(ProfileName::Spec);
                        out.add(f);
                        reported_get = true;
                    }
                }
            }
            Some(kind) => {
                let status = response.status;
                let grants_origin = reflects(response, origin) || reflects(response, "*");
                let (message, fix) = engine_text(run, ProfileName::Spec).unwrap_or_default();
                let mut add = |number: u8, impact: Impact, title: String| {
                    let mut f = finding(
                        number,
                        impact,
                        Reach::Browser,
                        title,
                        format!("{} Console: {message}", pattern(number).summary),
                    );
                    if !fix.is_empty() && number != 27 {
                        f.fix = fix.clone();
                    }
                    f.evidence = run.evidence();
                    f.replay = run.replay(ProfileName::Spec);
                    out.add(f);
                };
                match kind {
                    // The status first: a redirect or an error status before the CORS layer is
                    // the cause, whatever the CORS check then says.
                    _ if (300..400).contains(&status)
                        || kind == ErrorKind::PreflightDisallowedRedirect =>
                    {
                        add(
                            26,
                            Impact::High,
                            format!("The preflight from {origin} is redirected ({status})"),
                        );
                    }
                    _ if !is_ok(status)
                        && !grants_origin
                        && matches!(status, 401 | 403 | 404 | 405 | 500..=599) =>
                    {
                        add(
                            25,
                            if get_allowed || explicit {
                                Impact::High
                            } else {
                                Impact::Note
                            },
                            format!(
                                "The preflight from {origin} gets {status} before the CORS layer answers it"
                            ),
                        );
                    }
                    ErrorKind::PreflightInvalidStatus if grants_origin => add(
                        27,
                        Impact::Note,
                        format!(
                            "The preflight for {method} from {origin} is refused with status {status}"
                        ),
                    ),
                    ErrorKind::PreflightWildcardOriginNotAllowed => add(
                        17,
                        Impact::High,
                        String::from(
                            "Access-Control-Allow-Origin: * with credentials: browsers refuse every credentialed request (preflights included)",
                        ),
                    ),
                    ErrorKind::PreflightMultipleAllowOriginValues => add(
                        18,
                        Impact::High,
                        format!(
                            "The preflight carries several Access-Control-Allow-Origin values: {}",
                            get(response, ACAO).unwrap_or_default()
                        ),
                    ),
                    ErrorKind::PreflightInvalidAllowOriginValue
                    | ErrorKind::PreflightAllowOriginMismatch
                        if resembles(response, origin) =>
                    {
                        add(
                            19,
                            Impact::High,
                            format!(
                                "The preflight's Access-Control-Allow-Origin is {:?}, not {origin:?}",
                                get(response, ACAO).unwrap_or_default()
                            ),
                        );
                    }
                    ErrorKind::PreflightInvalidAllowCredentials
                        if response.headers.contains(ACAC) =>
                    {
                        add(
                            20,
                            Impact::High,
                            format!(
                                "The preflight's Access-Control-Allow-Credentials is {:?}, not \"true\"",
                                get(response, ACAC).unwrap_or_default()
                            ),
                        );
                    }
                    ErrorKind::PreflightMissingAllowOriginHeader
                    | ErrorKind::PreflightInvalidAllowCredentials
                        if get_allowed =>
                    {
                        add(
                            35,
                            Impact::High,
                            format!(
                                "The preflight lacks Access-Control-Allow-{} that the actual response sends to {origin}",
                                if kind == ErrorKind::PreflightMissingAllowOriginHeader {
                                    "Origin"
                                } else {
                                    "Credentials"
                                }
                            ),
                        );
                    }
                    ErrorKind::MethodDisallowedByPreflightResponse
                        if has_token(response, ACAM, "*")
                            && run.input.credentials.as_str() == "include" =>
                    {
                        add(
                            29,
                            Impact::High,
                            format!(
                                "Access-Control-Allow-Methods: * with credentials does not allow {method}"
                            ),
                        );
                    }
                    ErrorKind::HeaderDisallowedByPreflightResponse
                        if has_token(response, ACAH, "*")
                            && run.input.credentials.as_str() == "include" =>
                    {
                        add(
                            29,
                            Impact::High,
                            String::from(
                                "Access-Control-Allow-Headers: * with credentials allows no header",
                            ),
                        );
                    }
                    ErrorKind::MethodDisallowedByPreflightResponse if !lowercase.is_empty() => {}
                    ErrorKind::MethodDisallowedByPreflightResponse
                    | ErrorKind::HeaderDisallowedByPreflightResponse => {
                        let what = at_preflight
                            .and_then(|f| f.failed_parameter.clone())
                            .unwrap_or_else(|| method.to_owned());
                        let asked = if kind == ErrorKind::MethodDisallowedByPreflightResponse {
                            !obs.options.methods.is_empty()
                        } else {
                            !obs.options.headers.is_empty()
                        };
                        add(
                            0,
                            if asked { Impact::High } else { Impact::Note },
                            format!(
                                "The preflight from {origin} does not allow {what}{}",
                                if asked {
                                    ""
                                } else {
                                    " (pass --method/--header to say the pages need it)"
                                }
                            ),
                        );
                    }
                    // A preflight refused for the reason the GET is refused too is reported once,
                    // with the GET, below.
                    _ if explicit && get_allowed => add(
                        0,
                        Impact::High,
                        format!("The preflighted {method} from {origin} is blocked ({kind})"),
                    ),
                    _ => {}
                }
            }
        }
    }

    // The plain GET.
    if let (Some(run), false, false) = (get_run, get_allowed, reported_get) {
        if let Some(failure) = run.spec().outcome.failure.clone() {
            let response = run.response(ExchangeKind::Request).map(|(_, r)| r);
            let (message, fix) = engine_text(run, ProfileName::Spec).unwrap_or_default();
            let number = match (failure.kind, response) {
                (ErrorKind::WildcardOriginNotAllowed, _) => Some(17),
                (ErrorKind::MultipleAllowOriginValues, _) => Some(18),
                (ErrorKind::InvalidAllowOriginValue | ErrorKind::AllowOriginMismatch, Some(r))
                    if resembles(r, origin) =>
                {
                    Some(19)
                }
                (ErrorKind::InvalidAllowCredentials, Some(r)) if r.headers.contains(ACAC) => {
                    Some(20)
                }
                (ErrorKind::RequestDidNotSucceed, _) => None,
                _ if explicit && !reflect_all => Some(0),
                _ => None,
            };
            if let Some(number) = number {
                let mut f = finding(
                    number,
                    Impact::High,
                    Reach::Browser,
                    format!(
                        "{} from {origin} is blocked: {}",
                        if legit.uses_credentials {
                            "A credentialed GET"
                        } else {
                            "A GET"
                        },
                        failure.kind
                    ),
                    format!("{} Console: {message}", pattern(number).summary),
                );
                if !fix.is_empty() {
                    f.fix = fix;
                }
                f.evidence = run.evidence();
                f.replay = run.replay(ProfileName::Spec);
                out.add(f);
            }
        }
    }

    // #28: Authorization covered only by `*`.
    if let Some(run) = &legit.authorization {
        let spec = &run.spec().outcome;
        let tolerated = run.allowed_under();
        let spec_refuses = spec.failure.as_ref().is_some_and(|f| {
            f.kind == ErrorKind::HeaderDisallowedByPreflightResponse
                && f.failed_parameter.as_deref() == Some("authorization")
        });
        if spec_refuses && !tolerated.is_empty() {
            let mut f = finding(
                28,
                Impact::Medium,
                Reach::Browser,
                String::from(
                    "`Authorization` is allowed only through Access-Control-Allow-Headers: *",
                ),
                format!(
                    "The standard blocks it; {} tolerate it today with a deprecation warning.",
                    profiles_text(&tolerated)
                ),
            );
            f.evidence = run.evidence();
            f.allowed_under = tolerated;
            f.replay = run.replay(ProfileName::Spec);
            out.add(f);
        }
    }

    // #34: errors without CORS headers.
    if let Some(run) = &legit.missing {
        let granted = get_run
            .and_then(|r| r.response(ExchangeKind::Request))
            .is_some_and(|(_, r)| reflects(r, origin) || reflects(r, "*"));
        match run.response(ExchangeKind::Request).map(|(_, r)| r) {
            Some(r) if r.status < 400 => out.not_applicable(
                34,
                "a path that does not exist still answers without an error status",
            ),
            Some(r) if granted && !reflects(r, origin) && !reflects(r, "*") => {
                let mut f = finding(
                    34,
                    Impact::Low,
                    Reach::Browser,
                    format!(
                        "A {} error response has no Access-Control-Allow-Origin",
                        r.status
                    ),
                    format!(
                        "The page cannot read the error (status {}): it gets a CORS failure instead.",
                        r.status
                    ),
                );
                f.evidence = run.evidence();
                f.replay = run.replay(ProfileName::Spec);
                out.add(f);
            }
            _ => {}
        }
    }

    // #24: every OPTIONS treated as a preflight.
    if let Some(with_origin) = legit.plain_options.ok() {
        let answered = |r: &Received| r.headers.contains(ACAM) || r.headers.contains(ACAH);
        if answered(with_origin) {
            let hidden = obs.options_without_origin.ok().is_some_and(|r| {
                !answered(r) && (r.status != with_origin.status || r.headers.contains("allow"))
            });
            let mut f = finding(
                24,
                if hidden { Impact::Low } else { Impact::Note },
                Reach::Browser,
                String::from(
                    "OPTIONS without Access-Control-Request-Method gets a preflight answer",
                ),
                if hidden {
                    String::from(
                        "Without Origin the application answers OPTIONS itself; with Origin the CORS layer answers instead, so cross-origin callers never reach the application's OPTIONS handler.",
                    )
                } else {
                    String::from(
                        "Matters only if the application serves OPTIONS itself (WebDAV, API discovery).",
                    )
                },
            );
            f.evidence = vec![
                legit.plain_options.evidence(),
                obs.options_without_origin.evidence(),
            ];
            out.add(f);
        }
    }

    // #31: mirrored method or headers; #27: a refused preflight with an error status.
    let mirrored_header = legit
        .odd_header
        .ok()
        .is_some_and(|r| has_token(r, ACAH, "x-corsica-probe"));
    let mirrored_method = legit
        .odd_method
        .ok()
        .is_some_and(|r| has_token(r, ACAM, "CORSICA-PROBE"));
    if mirrored_header || mirrored_method {
        let what = match (mirrored_method, mirrored_header) {
            (true, true) => "the requested method and headers",
            (true, false) => "the requested method",
            _ => "the requested headers",
        };
        let mut f = finding(
            31,
            if reflect_all {
                Impact::Medium
            } else {
                Impact::Low
            },
            Reach::Browser,
            format!("The preflight echoes {what}: every method and header is allowed"),
            format!(
                "Asked for {}, the server allowed {}.",
                if mirrored_method {
                    "the method CORSICA-PROBE"
                } else {
                    "the header x-corsica-probe"
                },
                if mirrored_method {
                    "it in Access-Control-Allow-Methods"
                } else {
                    "it in Access-Control-Allow-Headers"
                }
            ),
        );
        f.evidence = [&legit.odd_method, &legit.odd_header]
            .into_iter()
            .filter(|r| {
                r.ok().is_some_and(|x| {
                    has_token(x, ACAM, "CORSICA-PROBE") || has_token(x, ACAH, "x-corsica-probe")
                })
            })
            .map(Raw::evidence)
            .collect();
        out.add(f);
    }
    if let Some(r) = legit.odd_header.ok() {
        if !is_ok(r.status) && (reflects(r, origin) || r.headers.contains(ACAM)) {
            let mut f = finding(
                27,
                Impact::Note,
                Reach::Browser,
                format!(
                    "A preflight asking for a header the server does not allow gets status {}",
                    r.status
                ),
                format!(
                    "{}{}",
                    pattern(27).summary,
                    if r.body.snippet.is_empty() {
                        String::new()
                    } else {
                        format!(" The body says: {:?}.", r.body.snippet_text())
                    }
                ),
            );
            f.evidence = vec![legit.odd_header.evidence()];
            out.add(f);
        }
    }

    // #36: interesting response headers the page cannot read.
    if let Some(run) = get_run.filter(|_| get_allowed) {
        if let (Some((_, r)), Some(visible)) = (
            run.response(ExchangeKind::Request),
            run.spec().outcome.response.as_ref(),
        ) {
            let wanted: Vec<String> = obs
                .options
                .expose
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect();
            let interesting = [
                "location",
                "etag",
                "link",
                "x-request-id",
                "x-total-count",
                "content-disposition",
                "retry-after",
            ];
            let hidden: Vec<String> = r
                .headers
                .iter()
                .map(|h| h.name.to_ascii_lowercase())
                .filter(|n| {
                    (interesting.contains(&n.as_str()) || wanted.contains(n))
                        && !visible.headers.contains(n)
                })
                .collect();
            if !hidden.is_empty() {
                let asked = hidden.iter().any(|h| wanted.contains(h));
                let mut f = finding(
                    36,
                    if asked { Impact::Medium } else { Impact::Note },
                    Reach::Browser,
                    format!("The page cannot read {}", hidden.join(", ")),
                    format!(
                        "The response sends them, but Access-Control-Expose-Headers does not list them{}.",
                        if asked {
                            ""
                        } else {
                            " (pass --expose NAME if the pages read one)"
                        }
                    ),
                );
                f.fix = format!(
                    "Send `Access-Control-Expose-Headers: {}`.",
                    hidden.join(", ")
                );
                f.evidence = run.evidence();
                out.add(f);
            }
        }
    }
}

/// Whether an `Access-Control-Allow-Origin` value is `origin` spelled differently (a trailing
/// slash, another case, spaces, a path).
fn resembles(r: &Received, origin: &str) -> bool {
    let Some(value) = get(r, ACAO) else {
        return false;
    };
    let normal = |s: &str| s.trim().trim_end_matches('/').to_ascii_lowercase();
    let value = normal(&value);
    value == normal(origin)
        || value.starts_with(&format!("{}/", normal(origin)))
        || origin
            .split_once("://")
            .is_some_and(|(_, host)| value == host)
}

/// Checks on a preflight that passed: #29, #37.
fn preflight_passed(
    legit: &LegitObs,
    run: &PageRun,
    response: &Received,
    get_run: Option<&PageRun>,
    out: &mut Out,
) {
    // #37: max-age.
    let value = get(response, ACMA);
    let (impact, title, detail) = match value.as_deref().map(str::trim) {
        None => (
            Impact::Note,
            String::from("The preflight has no Access-Control-Max-Age: browsers keep it 5 seconds"),
            String::from("Nearly every preflighted request then costs two round trips."),
        ),
        Some(v) => match v.parse::<i64>() {
            Err(_) => (
                Impact::Low,
                format!("Access-Control-Max-Age {v:?} is not a number"),
                String::from("Browsers fall back to 5 seconds (Firefox caches nothing)."),
            ),
            Ok(n) if n < 0 => (
                Impact::Low,
                format!("Access-Control-Max-Age is negative ({n})"),
                String::from("The preflight is not cached at all."),
            ),
            Ok(n) if n > 7200 => (
                Impact::Note,
                format!("Access-Control-Max-Age {n} is above what browsers keep"),
                String::from(
                    "Chromium keeps a preflight 7200 s at most, WebKit 600 s, Firefox 86400 s.",
                ),
            ),
            Ok(_) => return,
        },
    };
    let mut f = finding(37, impact, Reach::Browser, title, detail);
    f.evidence = run.evidence();
    out.add(f);
    // #29: `*` in the exposed headers of a credentialed response (literal there).
    if let Some((_, r)) = get_run
        .filter(|_| legit.uses_credentials)
        .and_then(|run| run.response(ExchangeKind::Request))
    {
        if has_token(r, ACEH, "*") && has_token(r, ACAC, "true") {
            let mut f = finding(
                29,
                Impact::Low,
                Reach::Browser,
                String::from("Access-Control-Expose-Headers: * with credentials exposes nothing"),
                String::from(
                    "Under credentials `*` is the name of a header, not a wildcard: the page can read only the safelisted response headers.",
                ),
            );
            if let Some(run) = get_run {
                f.evidence = run.evidence();
            }
            out.add(f);
        }
    }
    // #29: `*` in a credentialed preflight's grants (literal there).
    if legit.uses_credentials && (has_token(response, ACAM, "*") || has_token(response, ACAH, "*"))
    {
        let mut f = finding(
            29,
            Impact::Note,
            Reach::Browser,
            String::from("`*` in a credentialed preflight's grants is a literal name"),
            String::from(
                "It allowed this request only because the method and headers were listed or safelisted; it allows nothing else.",
            ),
        );
        f.evidence = run.evidence();
        out.add(f);
    }
}

// ---------------------------------------------------------------------------------------------
// #21-23: `Vary`.

fn cache(obs: &Observations, out: &mut Out) {
    let evil = obs.candidates.iter().find(|c| c.candidate.origin == EVIL);
    let evil_response = evil
        .and_then(|c| c.anon.as_ref())
        .and_then(|r| r.response(ExchangeKind::Request));
    let legit_response = obs.legit.first().and_then(|l| {
        if l.uses_credentials {
            l.cred.as_ref()
        } else {
            l.anon.as_ref()
        }
        .and_then(|r| r.response(ExchangeKind::Request))
    });
    let mut responses: Vec<(String, &crate::client::WireRequest, &Received)> = Vec::new();
    if let Some(r) = obs.baseline.ok() {
        responses.push((obs.baseline.label.clone(), &obs.baseline.request, r));
    }
    if let Some((w, r)) = legit_response {
        responses.push((format!("GET from {}", obs.legit[0].origin), w, r));
    }
    if let Some((w, r)) = evil_response {
        responses.push((format!("GET from {EVIL}"), w, r));
    }
    if responses.len() < 2 {
        for n in [21, 22, 23] {
            out.skipped(n, "too few answers to compare");
        }
        return;
    }
    let allow = |r: &Received| get(r, ACAO).map(|v| v.trim().to_owned());
    let first = allow(responses[0].2);
    let varies = responses.iter().any(|(_, _, r)| allow(r) != first);
    let evidence = |rs: &[&(String, &crate::client::WireRequest, &Received)]| -> Vec<Evidence> {
        rs.iter()
            .map(|(label, w, r)| Evidence {
                label: label.clone(),
                request: (*w).clone(),
                response: Ok((*r).clone()),
            })
            .collect()
    };
    if varies {
        let missing: Vec<&(String, &crate::client::WireRequest, &Received)> = responses
            .iter()
            .filter(|(_, _, r)| !varies_on_origin(r))
            .collect();
        if !missing.is_empty() {
            let cacheable = missing.iter().any(|(_, _, r)| storable(r));
            let mut f = finding(
                21,
                if cacheable {
                    Impact::Medium
                } else {
                    Impact::Note
                },
                Reach::Browser,
                format!(
                    "Access-Control-Allow-Origin depends on Origin, but {} without `Vary: Origin`",
                    missing
                        .iter()
                        .map(|(l, _, _)| format!("the {l}"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                        + if missing.len() > 1 {
                            " are answered"
                        } else {
                            " is answered"
                        }
                ),
                if cacheable {
                    String::from(
                        "These responses can be stored by a shared cache (they carry freshness information or Last-Modified), which would then serve one origin's CORS answer to another: the legitimate origin breaks, or gets another origin's grant.",
                    )
                } else {
                    String::from(
                        "No shared cache would store these responses as they are (no freshness information); adding caching later would serve one origin's CORS answer to another.",
                    )
                },
            );
            f.evidence = evidence(&responses.iter().collect::<Vec<_>>());
            out.add(f);
        }
    } else if first.is_some()
        && responses
            .iter()
            .any(|(_, _, r)| has_token(r, "vary", "origin"))
    {
        let mut f = finding(
            23,
            Impact::Note,
            Reach::Browser,
            format!(
                "`Vary: Origin` with a fixed Access-Control-Allow-Origin ({})",
                first.as_deref().unwrap_or_default()
            ),
            String::from(
                "Every origin gets the same answer, so varying on Origin only splits caches.",
            ),
        );
        f.evidence = evidence(&responses.iter().collect::<Vec<_>>());
        out.add(f);
    }
    // #22: `Vary` values of the application lost when Origin is present.
    let base: Vec<String> = tokens(responses[0].2, "vary")
        .into_iter()
        .map(|t| t.to_ascii_lowercase())
        .filter(|t| t != "origin")
        .collect();
    if !base.is_empty() {
        for entry in &responses[1..] {
            let with: Vec<String> = tokens(entry.2, "vary")
                .into_iter()
                .map(|t| t.to_ascii_lowercase())
                .collect();
            let lost: Vec<&String> = base.iter().filter(|t| !with.contains(t)).collect();
            if !lost.is_empty() && !with.is_empty() {
                let mut f = finding(
                    22,
                    Impact::Low,
                    Reach::Browser,
                    format!(
                        "`Vary: {}` is dropped when the request has Origin",
                        lost.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!(
                        "Without Origin the response varies on {}; with it, only on {}.",
                        base.join(", "),
                        with.join(", ")
                    ),
                );
                f.evidence = evidence(&[&responses[0], entry]);
                out.add(f);
                break;
            }
        }
    } else {
        out.coverage.insert(22, Coverage::Checked);
    }
}

// ---------------------------------------------------------------------------------------------
// #32, #33, #38, #39: what untrusted origins get besides the origin itself.

fn untrusted_extras(obs: &Observations, out: &mut Out) {
    let evil = obs.candidates.iter().find(|c| c.candidate.origin == EVIL);
    if let Some(evil) = evil {
        // #32
        if let Some(run) = &evil.preflight {
            if let Some((_, r)) = run.response(ExchangeKind::Preflight) {
                if is_ok(r.status)
                    && (r.headers.contains(ACAM) || r.headers.contains(ACAH))
                    && !reflects(r, EVIL)
                    && !reflects(r, "*")
                {
                    let mut f = finding(
                        32,
                        Impact::Note,
                        Reach::Browser,
                        format!(
                            "A preflight from {EVIL} (not allowed) still gets the allowed methods and headers"
                        ),
                        format!(
                            "Access-Control-Allow-Methods: {}; Access-Control-Allow-Headers: {}.",
                            get(r, ACAM).unwrap_or_default(),
                            get(r, ACAH).unwrap_or_default()
                        ),
                    );
                    f.evidence = run.evidence();
                    out.add(f);
                }
            }
        }
        // #33
        let leaks: Vec<&PageRun> = [&evil.cred, &evil.anon, &evil.preflight]
            .into_iter()
            .flatten()
            .filter(|run| {
                run.spec().hops.iter().any(|h| {
                    h.answer()
                        .is_ok_and(|r| r.headers.contains(ACAC) && !r.headers.contains(ACAO))
                })
            })
            .collect();
        if let Some(run) = leaks.first() {
            let mut f = finding(
                33,
                Impact::Note,
                Reach::Browser,
                format!(
                    "Access-Control-Allow-Credentials goes to {EVIL} without Access-Control-Allow-Origin"
                ),
                String::from(
                    "Harmless to browsers (they need both), but it tells scanners the API uses credentials.",
                ),
            );
            f.evidence = run.evidence();
            out.add(f);
        }
    }
    // #38
    if let Some(r) = obs.private_network.ok() {
        if get(r, "access-control-allow-private-network")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            let mut f = finding(
                38,
                if reflects(r, EVIL) {
                    Impact::Medium
                } else {
                    Impact::Low
                },
                Reach::Browser,
                format!("Private network access is granted to {EVIL}"),
                String::from(
                    "Access-Control-Allow-Private-Network: true to an untrusted origin lets public sites reach this private-network service in browsers that still use Private Network Access preflights.",
                ),
            );
            f.evidence = vec![obs.private_network.evidence()];
            out.add(f);
        }
    }
    // #39
    match &obs.side_effect {
        None => out.skipped(39, "needs --allow-writes (a POST reaches the handler)"),
        Some(raw) => {
            if let Some(r) = raw.ok().filter(|r| is_ok(r.status)) {
                let mut f = finding(
                    39,
                    Impact::Note,
                    Reach::Browser,
                    format!(
                        "A POST from {EVIL} without a preflight reaches the handler ({})",
                        r.status
                    ),
                    String::from(
                        "The browser hides the answer, but the request was processed. If it changes state, protect it against CSRF.",
                    ),
                );
                f.evidence = vec![raw.evidence()];
                out.add(f);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// #40, #41: parser robustness.

fn robustness(obs: &Observations, out: &mut Out) {
    // #40: slow answers to long origins, confirmed by a second one.
    let slow: Vec<&(Raw, Reach)> = obs
        .slow
        .iter()
        .filter(|(raw, _)| is_slow(raw, obs.typical_latency))
        .collect();
    if slow.len() >= 2 {
        let reach = slow[0].1;
        let timing = |raw: &Raw| match &raw.result {
            Ok(r) => format!("{:.1} s", r.elapsed.as_secs_f64()),
            Err(e) => e.to_string(),
        };
        let mut f = finding(
            40,
            if reach == Reach::Browser {
                Impact::Medium
            } else {
                Impact::Low
            },
            reach,
            String::from("Long Origin values make the server slow"),
            format!(
                "Typical answer: {:.3} s; long origins: {}.",
                obs.typical_latency.as_secs_f64(),
                slow.iter()
                    .map(|(raw, _)| timing(raw))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        f.evidence = slow.iter().map(|(raw, _)| raw.evidence()).collect();
        out.add(f);
    }
    // #41
    match &obs.crlf {
        None => out.not_applicable(
            41,
            "the server speaks HTTP/2, which cannot carry a CR in a header",
        ),
        Some(raw) => {
            let injected = match &raw.result {
                Ok(r) => {
                    r.headers.contains("x-corsica-injected")
                        || r.headers.values(ACAO).any(|v| v.contains('\r'))
                }
                Err(NetError::Malformed { .. }) => true,
                Err(_) => false,
            };
            if injected {
                let mut f = finding(
                    41,
                    if raw.result.is_ok() {
                        Impact::High
                    } else {
                        Impact::Medium
                    },
                    Reach::ParserOnly,
                    String::from("A CR in Origin reaches the response"),
                    match &raw.result {
                        Ok(_) => String::from(
                            "The response carries the header smuggled in after the CR: a client that can set Origin (not a browser) can inject response headers.",
                        ),
                        Err(e) => format!(
                            "The answer to an Origin with a CR is not valid HTTP ({e}): the value was copied into the response unchecked."
                        ),
                    },
                );
                f.evidence = vec![raw.evidence()];
                out.add(f);
            }
        }
    }
}

// #42: the server's own origin rejected.
fn own_origin(obs: &Observations, out: &mut Out) {
    let Some(raw) = &obs.own_origin else {
        out.not_applicable(42, "the target has an opaque origin");
        return;
    };
    let baseline_ok = obs.baseline.ok().is_some_and(|r| is_ok(r.status));
    if let Some(r) = raw.ok() {
        if baseline_ok && r.status == 403 {
            let mut f = finding(
                42,
                Impact::Medium,
                Reach::Browser,
                String::from("A request carrying the server's own origin is refused (403)"),
                String::from(
                    "Browsers send Origin on same-origin POST, PUT and DELETE requests: the server's own pages are refused.",
                ),
            );
            f.evidence = vec![obs.baseline.evidence(), raw.evidence()];
            out.add(f);
        }
    }
}
