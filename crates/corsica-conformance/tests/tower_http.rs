//! tower-http's `CorsLayer` in an axum app, checked in-process against a policy: the correct
//! configuration conforms; reflecting origins with credentials, `Any` headers relied on for
//! `Authorization`, and no `Vary` each fail with the expected minimal counterexample, whose
//! scenario replays offline with the live verdict.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use corsica::scenario::{Credentials, ProfileName, ScenarioOutput};
use corsica_conformance::{Case, Config, Counterexample, Policy, Rule, Server, check_blocking};
use http::{HeaderName, Method, header};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

const PAGE: &str = "https://app.example";
const URL: &str = "https://api.example/api/data";

fn policy(credentials: bool, headers: &str) -> Policy {
    Policy::from_toml(&format!(
        r#"
        origins = ["{PAGE}"]
        methods = ["GET", "PUT", "DELETE"]
        headers = {headers}
        credentials = {credentials}
        expose = ["x-request-id"]
        max_age = 600
        "#
    ))
    .unwrap()
}

fn app(layer: CorsLayer) -> Server<corsica_conformance::InProcess<Router>> {
    let app = Router::new()
        .route(
            "/api/data",
            get(|| async { "{}" })
                .put(|| async { "{}" })
                .delete(|| async { "" }),
        )
        .layer(layer);
    Server::in_process(URL.parse().unwrap(), app)
}

fn correct() -> CorsLayer {
    CorsLayer::new()
        .allow_origin([PAGE.parse().unwrap()])
        .allow_methods([Method::GET, Method::PUT, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600))
}

fn config() -> Config {
    Config {
        cases: 300,
        seed: 7,
        ..Config::default()
    }
}

fn case(origin: &str, headers: &[(&str, &str)]) -> Case {
    Case {
        origin: origin.into(),
        method: "GET".into(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect(),
        credentials: Credentials::SameOrigin,
        private_network: false,
    }
}

/// The counterexample's scenario, replayed offline, gives the live verdict.
fn assert_replays(counterexample: &Counterexample) {
    let ScenarioOutput::Single(output) = counterexample.scenario.evaluate().unwrap() else {
        panic!("a single-request scenario");
    };
    assert_eq!(
        output.verdict,
        counterexample.violations[0].evidence.verdict.as_str()
    );
}

#[test]
fn a_correct_layer_conforms() {
    let policy = policy(true, r#"["content-type", "authorization"]"#);
    let report = check_blocking(&app(correct()), &policy, &config()).unwrap();
    assert!(report.conforms(), "{:#?}", report.counterexample);
    assert_eq!(report.cases, 300);
    assert!(report.requests > 300);
}

#[test]
fn reflecting_with_credentials_fails_on_the_plainest_foreign_origin() {
    let layer = correct().allow_origin(AllowOrigin::mirror_request());
    let policy = policy(true, r#"["content-type", "authorization"]"#);
    let report = check_blocking(&app(layer), &policy, &config()).unwrap();
    let counterexample = report.counterexample.expect("reflection is found");
    assert_eq!(counterexample.case, case("https://attacker.example", &[]));
    let first = &counterexample.violations[0];
    assert_eq!(
        (first.profile, first.rule),
        (ProfileName::Spec, Rule::OriginNotAllowed)
    );
    assert_eq!(first.subject, "https://attacker.example");
    assert!(
        first.evidence.headers.contains(&(
            "access-control-allow-origin".into(),
            "https://attacker.example".into()
        )),
        "{:?}",
        first.evidence
    );
    // Every profile lets it through.
    let profiles: Vec<_> = counterexample
        .violations
        .iter()
        .filter(|v| v.rule == Rule::OriginNotAllowed)
        .map(|v| v.profile)
        .collect();
    assert_eq!(profiles.len(), 4, "{:?}", counterexample.violations);
    assert_replays(&counterexample);
}

#[test]
fn any_headers_relied_on_for_authorization_fails_under_the_browsers() {
    let layer = CorsLayer::new()
        .allow_origin([PAGE.parse().unwrap()])
        .allow_methods([Method::GET, Method::PUT, Method::DELETE])
        .allow_headers(Any)
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600));
    let policy = policy(false, r#"["*"]"#);
    let report = check_blocking(&app(layer), &policy, &config()).unwrap();
    let counterexample = report
        .counterexample
        .expect("Authorization through * is found");
    assert_eq!(
        counterexample.case,
        case(PAGE, &[("Authorization", "Bearer corsica")])
    );
    let profiles: Vec<_> = counterexample
        .violations
        .iter()
        .map(|v| (v.profile, v.rule))
        .collect();
    // The standard blocks it; every browser lets it through.
    assert_eq!(
        profiles,
        [
            (ProfileName::Chromium, Rule::HeaderNotAllowed),
            (ProfileName::Firefox, Rule::HeaderNotAllowed),
            (ProfileName::Webkit, Rule::HeaderNotAllowed),
        ]
    );
    assert_eq!(counterexample.violations[0].subject, "authorization");
    assert_replays(&counterexample);
}

#[test]
fn no_vary_fails_on_the_plainest_allowed_request() {
    let layer = correct().vary([]);
    let policy = policy(true, r#"["content-type", "authorization"]"#);
    let report = check_blocking(&app(layer), &policy, &config()).unwrap();
    let counterexample = report.counterexample.expect("the missing Vary is found");
    assert_eq!(counterexample.case, case(PAGE, &[]));
    let first = &counterexample.violations[0];
    assert_eq!(
        (first.profile, first.rule),
        (ProfileName::Spec, Rule::VaryOriginMissing)
    );
    assert_eq!(
        first.subject,
        format!("Access-Control-Allow-Origin: {PAGE}")
    );
    assert_eq!(
        first.evidence.other_origin_answer.as_deref(),
        Some("(none)")
    );
    assert_replays(&counterexample);
}

#[test]
fn a_max_age_over_the_policy_keeps_the_preflight_cached_too_long() {
    let layer = correct().max_age(Duration::from_secs(86_400));
    let policy = policy(true, r#"["content-type", "authorization"]"#);
    let report = check_blocking(&app(layer), &policy, &config()).unwrap();
    let counterexample = report.counterexample.expect("the long max-age is found");
    let first = &counterexample.violations[0];
    // The plainest preflighted request the policy allows: a PUT from the page.
    assert_eq!(counterexample.case.origin, PAGE);
    assert_eq!(
        (first.profile, first.rule),
        (ProfileName::Spec, Rule::PreflightCachedTooLong)
    );
    assert_eq!(first.subject, "Access-Control-Max-Age: 86400");
    // WebKit caps max-age at 600 seconds: the same server is fine there.
    assert!(
        counterexample
            .violations
            .iter()
            .all(|v| v.profile != ProfileName::Webkit),
        "{:?}",
        counterexample.violations
    );
    // The scenario plays the request twice, 600 seconds apart: the second preflight comes from
    // the cache.
    let ScenarioOutput::Multi(output) = counterexample.scenario.evaluate().unwrap() else {
        panic!("a two-request scenario");
    };
    assert_eq!(output.results.len(), 2);
    assert!(output.results[1].exchanges[0].from_cache);
}

#[test]
fn an_unexposed_header_and_an_extra_method_are_found() {
    let hidden = correct().expose_headers([HeaderName::from_static("etag")]);
    let policy = policy(true, r#"["content-type", "authorization"]"#);
    let report = check_blocking(&app(hidden), &policy, &config()).unwrap();
    let counterexample = report.counterexample.expect("the hidden header is found");
    assert_eq!(counterexample.case, case(PAGE, &[]));
    let rules: Vec<_> = counterexample
        .violations
        .iter()
        .map(|v| (v.rule, v.subject.as_str()))
        .collect();
    assert!(
        rules.contains(&(Rule::ExposedHeaderHidden, "x-request-id")),
        "{rules:?}"
    );
    assert!(
        rules.contains(&(
            Rule::GrantsMoreThanPolicy,
            "Access-Control-Expose-Headers: etag"
        )),
        "{rules:?}"
    );

    let extra = correct().allow_methods([Method::GET, Method::PUT, Method::DELETE, Method::PATCH]);
    let report = check_blocking(&app(extra), &policy, &config()).unwrap();
    let counterexample = report.counterexample.expect("the extra method is found");
    let first = &counterexample.violations[0];
    assert_eq!(first.rule, Rule::GrantsMoreThanPolicy);
    assert_eq!(first.subject, "Access-Control-Allow-Methods: PATCH");
}

/// CORS written by hand, as in many nginx configurations: `Vary: Origin` is added with the grant,
/// so the refusal of a foreign origin (no `Access-Control-Allow-Origin`) says no `Vary` either,
/// and a cache can serve it to the allowed page.
#[test]
fn vary_only_on_grants_fails_on_the_plainest_refusal() {
    use axum::extract::Request;
    use axum::middleware::{Next, from_fn};
    use axum::response::IntoResponse;

    async fn cors(request: Request, next: Next) -> axum::response::Response {
        let granted = request
            .headers()
            .get(header::ORIGIN)
            .is_some_and(|o| o == PAGE);
        let preflight = request.method() == Method::OPTIONS;
        let mut response = if preflight {
            http::StatusCode::NO_CONTENT.into_response()
        } else {
            next.run(request).await
        };
        if granted {
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, PAGE.parse().unwrap());
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                "true".parse().unwrap(),
            );
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                "x-request-id".parse().unwrap(),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "GET, PUT, DELETE".parse().unwrap(),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "content-type, authorization".parse().unwrap(),
            );
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, "600".parse().unwrap());
            headers.insert(header::VARY, "Origin".parse().unwrap());
        }
        response
    }

    let app = Router::new()
        .route(
            "/api/data",
            get(|| async { "{}" })
                .put(|| async { "{}" })
                .delete(|| async { "" }),
        )
        .layer(from_fn(cors));
    let server = Server::in_process(URL.parse().unwrap(), app);
    let policy = policy(true, r#"["content-type", "authorization"]"#);
    let report = check_blocking(&server, &policy, &config()).unwrap();
    let counterexample = report.counterexample.expect("the missing Vary is found");
    // The plainest request a foreign page makes; the page itself gets `Vary: Origin`.
    assert_eq!(counterexample.case, case("https://attacker.example", &[]));
    let first = &counterexample.violations[0];
    assert_eq!(
        (first.profile, first.rule),
        (ProfileName::Spec, Rule::VaryOriginMissing)
    );
    assert_eq!(first.subject, "Access-Control-Allow-Origin: (none)");
    assert_eq!(first.evidence.other_origin.as_deref(), Some(PAGE));
    assert_eq!(first.evidence.other_origin_answer.as_deref(), Some(PAGE));
    assert_eq!(
        first.to_string(),
        "[spec] hygiene: the answer depends on Origin without Vary: Origin (Access-Control-Allow-Origin: (none)); fetch() rejects with MissingAllowOriginHeader; https://app.example gets Access-Control-Allow-Origin: https://app.example"
    );
}

/// One case in ten asks for private-network access in its preflights: a policy that allows it
/// needs `Access-Control-Allow-Private-Network: true`, one that does not must not get it.
#[test]
fn private_network_preflights_refused_or_granted_against_the_policy() {
    let policy_without = policy(true, r#"["content-type", "authorization"]"#);
    let mut policy_with = policy_without.clone();
    policy_with.private_network = true;

    let report = check_blocking(&app(correct()), &policy_with, &config()).unwrap();
    let counterexample = report.counterexample.expect("the refusal is found");
    // The plainest preflighted request the policy allows (a GET, made preflighted by a header
    // the policy lists), asking for the private network.
    assert_eq!(
        counterexample.case,
        Case {
            private_network: true,
            ..case(PAGE, &[("content-type", "corsica")])
        }
    );
    let first = &counterexample.violations[0];
    assert_eq!(
        (first.profile, first.rule, first.subject.as_str()),
        (
            ProfileName::Spec,
            Rule::PrivateNetworkRefused,
            "access-control-allow-private-network"
        )
    );

    let granting = app(correct().allow_private_network(true));
    assert!(
        check_blocking(&granting, &policy_with, &config())
            .unwrap()
            .conforms()
    );
    let report = check_blocking(&granting, &policy_without, &config()).unwrap();
    let counterexample = report.counterexample.expect("the grant is found");
    assert!(counterexample.case.private_network);
    assert_eq!(
        (
            counterexample.violations[0].rule,
            counterexample.violations[0].subject.as_str()
        ),
        (
            Rule::GrantsMoreThanPolicy,
            "Access-Control-Allow-Private-Network: true"
        )
    );
}
