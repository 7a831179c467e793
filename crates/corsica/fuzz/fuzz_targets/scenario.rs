//! Whole scenarios, built structurally: never a panic, deterministic, and a browser profile allows
//! what the spec blocks only through a listed deviation.
#![no_main]

use core::time::Duration;

use arbitrary::Arbitrary;
use corsica::{
    CredentialsMode, ExchangeKind, Origin, PreflightCache, Profile, RedirectMode, Request, RequestInit, RequestMode,
    NetworkError, Response, Verdict, WarningKind, evaluate,
};
use corsica::header::safelist::{MAX_SAFELISTED_TOTAL_LENGTH, is_cors_safelisted_request_header};
use libfuzzer_sys::fuzz_target;

const URLS: [&str; 6] = [
    "https://api.example/a",
    "https://app.example/b",
    "http://api.example/c",
    "https://api.example:8443/d",
    "https://u:p@api.example/e",
    "http://192.168.1.2/f",
];
const NAMES: [&str; 10] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Location",
    "Set-Cookie",
    "X-A",
    "Content-Type",
];

#[derive(Debug, Arbitrary)]
struct Answer {
    status: u16,
    headers: Vec<(u8, String)>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    opaque_page: bool,
    url: u8,
    method: String,
    headers: Vec<(String, String)>,
    mode: u8,
    credentials: u8,
    redirect: u8,
    answers: Vec<Answer>,
}

fn response(answer: &Answer) -> Response {
    let headers = answer.headers.iter().map(|(n, v)| (NAMES[usize::from(*n) % NAMES.len()], v.as_str()));
    Response::with_headers(100 + answer.status % 900, headers)
}

/// The bytes of the request's CORS-safelisted header values (the standard's safelistValueSize).
fn safelisted_total(request: &Request) -> usize {
    request
        .headers
        .iter()
        .filter(|h| is_cors_safelisted_request_header(&h.name, &h.value, &Profile::SPEC))
        .map(|h| h.value.len())
        .sum()
}

/// Whether a preflight went out with `Origin: null` (after a tainting redirect): Firefox sends
/// the page's origin there instead.
fn sent_tainted_preflight(outcome: &corsica::Outcome) -> bool {
    outcome.exchanges.iter().any(|e| {
        e.request.kind == ExchangeKind::Preflight && e.request.headers.get("origin").as_deref() == Some("null")
    })
}

fn run(request: &Request, input: &Input, profile: &Profile) -> corsica::Outcome {
    let mut cache = PreflightCache::new(profile);
    let mut n = 0;
    evaluate(request, profile, &mut cache, Duration::ZERO, |sent| {
        // Bounded: at most 64 answers, then network errors (the engine stops redirects at 20).
        n += 1;
        let _ = sent.kind == ExchangeKind::Preflight;
        match input.answers.get(n % input.answers.len().max(1)) {
            Some(answer) if n < 64 => Ok(response(answer)),
            _ => Err(NetworkError::ConnectionRefused),
        }
    })
}

fuzz_target!(|input: Input| {
    let page = if input.opaque_page { Origin::Opaque } else { Origin::parse("https://app.example").unwrap() };
    let mut init = RequestInit::new(page, URLS[usize::from(input.url) % URLS.len()].parse().unwrap());
    init.method.clone_from(&input.method);
    init.headers.clone_from(&input.headers);
    init.mode = [RequestMode::Cors, RequestMode::NoCors, RequestMode::SameOrigin, RequestMode::Navigate][usize::from(input.mode % 4)];
    init.credentials = [CredentialsMode::Omit, CredentialsMode::SameOrigin, CredentialsMode::Include][usize::from(input.credentials % 3)];
    init.redirect = [RedirectMode::Follow, RedirectMode::Error, RedirectMode::Manual][usize::from(input.redirect % 3)];
    let Ok(request) = Request::new(init) else { return };
    let spec = run(&request, &input, &Profile::SPEC);
    assert_eq!(spec, run(&request, &input, &Profile::SPEC), "deterministic");
    for profile in [Profile::CHROMIUM, Profile::FIREFOX, Profile::WEBKIT] {
        let browser = run(&request, &input, &profile);
        if spec.verdict == Verdict::Blocked && browser.verdict == Verdict::Allowed {
            let explained = browser.warnings.iter().any(|w| {
                matches!(w.kind, WarningKind::AuthorizationCoveredByWildcard | WarningKind::HeaderDroppedByBrowser)
            }) || (profile.safelisted_total_limit.is_none() && safelisted_total(&request) > MAX_SAFELISTED_TOTAL_LENGTH)
                || (profile.client_hints_safelisted && request.headers.iter().any(|h| h.name.eq_ignore_ascii_case("dpr")))
                || spec.failure.as_ref().is_some_and(|f| f.kind == corsica::ErrorKind::LocalNetworkAccessPermissionDenied)
                || (profile.preflight_origin_untainted && sent_tainted_preflight(&spec));
            assert!(explained, "{} allows what spec blocks: {:?}", profile.name(), spec.failure);
        }
    }
});
