//! The live driver against axum servers on 127.0.0.1: a reflecting one fails with the plainest
//! foreign origin, a correct one conforms; and thousands of in-process cases in one unit test.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use corsica::Url;
use corsica::scenario::ProfileName;
use corsica_conformance::{Config, Policy, Rule, Server, check};
use corsica_probe::ClientConfig;
use http::{Method, header};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};

const PAGE: &str = "http://localhost:5173";

fn policy() -> Policy {
    Policy::from_json(&format!(
        r#"{{"origins": ["{PAGE}"], "methods": ["GET", "PUT"], "headers": ["content-type"],
            "credentials": true, "max_age": 600}}"#
    ))
    .unwrap()
}

fn layer(origin: AllowOrigin) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(origin)
        .allow_methods([Method::GET, Method::PUT])
        .allow_headers([header::CONTENT_TYPE])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

fn router(layer: CorsLayer) -> Router {
    Router::new()
        .route("/api/data", get(|| async { "{}" }).put(|| async { "{}" }))
        .layer(layer)
}

/// Serves `layer` on 127.0.0.1; the server stops when the task is aborted.
async fn serve(layer: CorsLayer) -> (Url, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = router(layer);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (
        Url::parse(&format!("http://{address}/api/data")).unwrap(),
        task,
    )
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        seed: 1,
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reflecting_server_on_loopback_fails() {
    let (url, task) = serve(layer(AllowOrigin::mirror_request())).await;
    let server = Server::live(url, ClientConfig::default()).unwrap();
    let report = check(&server, &policy(), &config(100)).await.unwrap();
    task.abort();
    let counterexample = report.counterexample.expect("reflection is found");
    assert_eq!(counterexample.case.origin, "https://attacker.example");
    assert_eq!(counterexample.case.method, "GET");
    assert!(counterexample.case.headers.is_empty());
    let first = &counterexample.violations[0];
    assert_eq!(
        (first.profile, first.rule),
        (ProfileName::Spec, Rule::OriginNotAllowed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correct_server_on_loopback_conforms() {
    let (url, task) = serve(layer(AllowOrigin::list([PAGE.parse().unwrap()]))).await;
    let server = Server::live(url, ClientConfig::default()).unwrap();
    let report = check(&server, &policy(), &config(100)).await.unwrap();
    task.abort();
    assert!(report.conforms(), "{:#?}", report.counterexample);
    assert_eq!(report.cases, 100);
}

/// Thousands of cases, each under four profiles, with no network. (How fast is measured by the
/// `conformance` benchmark, not asserted here.)
#[test]
fn thousands_of_in_process_cases() {
    let app = router(layer(AllowOrigin::list([PAGE.parse().unwrap()])));
    let server = Server::in_process("http://api.localhost/api/data".parse().unwrap(), app);
    let started = std::time::Instant::now();
    let report = corsica_conformance::check_blocking(&server, &policy(), &config(3000)).unwrap();
    let elapsed = started.elapsed();
    assert!(report.conforms(), "{:#?}", report.counterexample);
    assert_eq!(report.cases, 3000);
    eprintln!(
        "{} in-process cases ({} requests) in {elapsed:?}: {:.0} cases/s",
        report.cases,
        report.requests,
        f64::from(report.cases) / elapsed.as_secs_f64()
    );
}
