//! Conformance checking in-process: cases per second through an axum app with tower-http's
//! `CorsLayer`, each case sent under the four profiles and judged (no network).
#![expect(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]

use std::hint::black_box;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use corsica_conformance::{Config, Policy, Server, check};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http::{Method, header};
use tower_http::cors::CorsLayer;

/// Cases per measured check.
const CASES: u32 = 100;

fn in_process_cases(c: &mut Criterion) {
    let policy = Policy::from_toml(
        r#"
        origins = ["https://app.example"]
        methods = ["GET", "PUT", "DELETE"]
        headers = ["content-type", "authorization"]
        credentials = true
        max_age = 600
        "#,
    )
    .expect("a valid policy");
    let layer = CorsLayer::new()
        .allow_origin(["https://app.example".parse().expect("an origin")])
        .allow_methods([Method::GET, Method::PUT, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600));
    let app = Router::new()
        .route("/api/data", get(|| async { "{}" }).put(|| async { "{}" }))
        .layer(layer);
    let server = Server::in_process("https://api.example/api/data".parse().expect("a URL"), app);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut seed = 0;
    let mut group = c.benchmark_group("conformance");
    group.throughput(Throughput::Elements(u64::from(CASES)));
    group.bench_function("in-process tower cases (4 profiles each)", |b| {
        b.iter(|| {
            seed += 1;
            let config = Config {
                cases: CASES,
                seed,
                ..Config::default()
            };
            let report = runtime
                .block_on(check(&server, black_box(&policy), &config))
                .expect("no network error in-process");
            assert!(report.conforms());
            report
        });
    });
    group.finish();
}

criterion_group!(benches, in_process_cases);
criterion_main!(benches);
