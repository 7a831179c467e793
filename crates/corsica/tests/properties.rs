//! Properties the Fetch Standard implies, checked over generated requests and server answers
//! (a preflight answer, an optional redirect of the actual request, and the final answer).
//!
//! - Nothing the `spec` profile blocks is allowed under a browser profile unless a listed
//!   deviation explains it (browsers.md §5: `Authorization` under `*`, row 5; Chromium's client
//!   hints, row 15; observed by the oracle: Chromium drops `User-Agent`, Firefox has no 1024-byte
//!   total, Firefox's preflight after a tainting redirect carries the page's origin, not `null`).
//! - What passes with `credentials: "include"` also passes with `"omit"` against the same answers.
//! - The case of header names (the page's and the server's) never changes a verdict.
//! - Evaluation is deterministic.

use core::time::Duration;

use corsica::{
    CredentialsMode, ExchangeKind, Outcome, PreflightCache, Profile, Request, RequestInit,
    Response, Verdict, WarningKind, evaluate,
};
use proptest::prelude::*;

const PAGE: &str = "https://app.example";

/// What the page asks for.
#[derive(Clone, Debug)]
struct Ask {
    url: &'static str,
    method: &'static str,
    headers: Vec<(String, String)>,
    credentials: CredentialsMode,
}

/// A status and headers.
type Answer = (u16, Vec<(String, String)>);

/// How the server answers: every preflight, the first actual request when it redirects (a
/// status, a `Location` and CORS headers), and every other request.
#[derive(Clone, Debug)]
struct Answers {
    preflight: Answer,
    redirect: Option<Answer>,
    actual: Answer,
}

fn ask() -> impl Strategy<Value = Ask> {
    let url = prop::sample::select(vec![
        "https://api.example/v1/items",
        "https://app.example/same",
        "https://app.example:8443/port",
        "http://api.example/plain",
    ]);
    let method = prop::sample::select(vec![
        "GET", "HEAD", "POST", "PUT", "patch", "DELETE", "OPTIONS",
    ]);
    let header = prop::sample::select(vec![
        ("Content-Type", "text/plain"),
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer t"),
        ("X-Custom", "1"),
        ("Accept", "application/json"),
        ("Range", "bytes=0-"),
        ("Range", "bytes=-5"),
        ("DPR", "2"),
        ("Accept-Language", "en_US"),
        ("User-Agent", "corsica"),
        ("Accept", "application/vnd.example+json;v=11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"),
    ])
    .prop_map(|(n, v)| (n.to_owned(), v.to_owned()));
    let credentials = prop::sample::select(vec![
        CredentialsMode::Omit,
        CredentialsMode::SameOrigin,
        CredentialsMode::Include,
    ]);
    (
        url,
        method,
        prop::collection::vec(header, 0..12),
        credentials,
    )
        .prop_map(|(url, method, headers, credentials)| Ask {
            url,
            method,
            headers,
            credentials,
        })
}

fn cors_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let acao = prop::sample::select(vec![
        None,
        Some(PAGE),
        Some("*"),
        Some("null"),
        Some("https://app.example/"),
        Some("https://evil.example"),
    ]);
    let acac = prop::sample::select(vec![None, Some("true"), Some("TRUE")]);
    let acam = prop::sample::select(vec![
        None,
        Some("PUT"),
        Some("PUT, patch, DELETE, OPTIONS"),
        Some("*"),
        Some("GET POST"),
    ]);
    let acah = prop::sample::select(vec![
        None,
        Some("x-custom"),
        Some("*"),
        Some("authorization, content-type, x-custom, range, dpr, accept-language"),
        Some("*, authorization"),
    ]);
    let aceh = prop::sample::select(vec![None, Some("x-a"), Some("*")]);
    (acao, acac, acam, acah, aceh).prop_map(|(acao, acac, acam, acah, aceh)| {
        let named = [
            ("Access-Control-Allow-Origin", acao),
            ("Access-Control-Allow-Credentials", acac),
            ("Access-Control-Allow-Methods", acam),
            ("Access-Control-Allow-Headers", acah),
            ("Access-Control-Expose-Headers", aceh),
        ];
        let mut headers: Vec<(String, String)> = named
            .into_iter()
            .filter_map(|(n, v)| v.map(|v| (n.to_owned(), v.to_owned())))
            .collect();
        headers.push(("X-A".to_owned(), "1".to_owned()));
        headers
    })
}

fn redirect() -> impl Strategy<Value = Option<Answer>> {
    let status = prop::sample::select(vec![301u16, 302, 303, 307, 308]);
    let location = prop::sample::select(vec![
        "https://api.example/next",
        "https://app.example/back",
        "http://api.example/down",
        "https://u:p@api.example/userinfo",
        "/relative",
    ]);
    prop::option::of((status, location, cors_headers()).prop_map(
        |(status, location, mut headers)| {
            headers.push(("Location".to_owned(), location.to_owned()));
            (status, headers)
        },
    ))
}

fn answers() -> impl Strategy<Value = Answers> {
    let status = prop::sample::select(vec![200u16, 204, 299, 404, 500]);
    (
        status.clone(),
        cors_headers(),
        redirect(),
        status,
        cors_headers(),
    )
        .prop_map(|(ps, ph, redirect, as_, ah)| Answers {
            preflight: (ps, ph),
            redirect,
            actual: (as_, ah),
        })
}

fn request(ask: &Ask) -> Option<Request> {
    let mut init = RequestInit::new(
        corsica::Origin::parse(PAGE).unwrap(),
        ask.url.parse().unwrap(),
    );
    init.method = ask.method.to_owned();
    init.headers.clone_from(&ask.headers);
    init.credentials = ask.credentials;
    Request::new(init).ok()
}

fn run(request: &Request, answers: &Answers, profile: &Profile) -> Outcome {
    let mut cache = PreflightCache::new(profile);
    let mut redirect = answers.redirect.as_ref();
    evaluate(request, profile, &mut cache, Duration::ZERO, |sent| {
        let (status, headers) = if sent.kind == ExchangeKind::Preflight {
            &answers.preflight
        } else {
            redirect.take().unwrap_or(&answers.actual)
        };
        Ok(Response::with_headers(
            *status,
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        ))
    })
}

/// The bytes of the request's CORS-safelisted header values (rules §2.3's safelistValueSize).
fn safelisted_total(request: &Request) -> usize {
    request
        .headers
        .iter()
        .filter(|h| {
            corsica::header::safelist::is_cors_safelisted_request_header(
                &h.name,
                &h.value,
                &Profile::SPEC,
            )
        })
        .map(|h| h.value.len())
        .sum()
}

/// Whether a preflight went out with `Origin: null` (after a tainting redirect): Firefox sends
/// the page's origin there instead.
fn sent_tainted_preflight(outcome: &Outcome) -> bool {
    outcome.exchanges.iter().any(|e| {
        e.request.kind == ExchangeKind::Preflight
            && e.request.headers.get("origin").as_deref() == Some("null")
    })
}

fn flip_case(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn browsers_allow_only_what_a_listed_deviation_explains(ask in ask(), answers in answers()) {
        let Some(request) = request(&ask) else { return Ok(()) };
        let spec = run(&request, &answers, &Profile::SPEC);
        for profile in [Profile::CHROMIUM, Profile::FIREFOX, Profile::WEBKIT] {
            let browser = run(&request, &answers, &profile);
            if spec.verdict == Verdict::Blocked && browser.verdict == Verdict::Allowed {
                let authorization = browser.warnings.iter().any(|w| w.kind == WarningKind::AuthorizationCoveredByWildcard);
                let client_hint = profile.client_hints_safelisted && ask.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("dpr"));
                let dropped = browser.warnings.iter().any(|w| w.kind == WarningKind::HeaderDroppedByBrowser);
                let no_total = profile.safelisted_total_limit.is_none() && safelisted_total(&request) > 1024;
                let untainted_preflight = profile.preflight_origin_untainted && sent_tainted_preflight(&spec);
                prop_assert!(authorization || client_hint || dropped || no_total || untainted_preflight, "{} allows what spec blocks ({:?}) without a listed deviation", profile.name(), spec.failure.as_ref().map(|f| f.kind));
            }
        }
    }

    #[test]
    fn what_passes_with_credentials_passes_without(ask in ask(), answers in answers()) {
        let included = Ask { credentials: CredentialsMode::Include, ..ask.clone() };
        let omitted = Ask { credentials: CredentialsMode::Omit, ..ask };
        let (Some(included), Some(omitted)) = (request(&included), request(&omitted)) else { return Ok(()) };
        for profile in Profile::ALL {
            if run(&included, &answers, &profile).verdict == Verdict::Allowed {
                prop_assert_eq!(run(&omitted, &answers, &profile).verdict, Verdict::Allowed, "{}", profile.name());
            }
        }
    }

    #[test]
    fn header_name_case_never_changes_a_verdict(ask in ask(), answers in answers()) {
        let flipped_ask = Ask { headers: ask.headers.iter().map(|(n, v)| (flip_case(n), v.clone())).collect(), ..ask.clone() };
        let flip = |(status, headers): &Answer| (*status, headers.iter().map(|(n, v)| (flip_case(n), v.clone())).collect());
        let flipped_answers = Answers { preflight: flip(&answers.preflight), redirect: answers.redirect.as_ref().map(flip), actual: flip(&answers.actual) };
        let (Some(request), Some(flipped)) = (request(&ask), request(&flipped_ask)) else { return Ok(()) };
        for profile in Profile::ALL {
            let a = run(&request, &answers, &profile);
            let b = run(&flipped, &flipped_answers, &profile);
            prop_assert_eq!(a.verdict, b.verdict, "{}", profile.name());
            prop_assert_eq!(a.failure.map(|f| f.kind), b.failure.map(|f| f.kind));
        }
    }

    #[test]
    fn evaluation_is_deterministic(ask in ask(), answers in answers()) {
        let Some(request) = request(&ask) else { return Ok(()) };
        for profile in Profile::ALL {
            prop_assert_eq!(run(&request, &answers, &profile), run(&request, &answers, &profile));
        }
    }
}
