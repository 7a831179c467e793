//! Criterion benchmarks of the engine, one group per concern.
#![expect(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]

use core::time::Duration;

use corsica::header::safelist::{
    cors_unsafe_request_header_names, is_cors_safelisted_request_header,
};
use corsica::preflight::{PreflightInput, check_preflight_response, preflight_headers};
use corsica::{ExchangeKind, PreflightCache, Profile, classify, evaluate};
use corsica_benches::{ORIGIN, actual_answer, preflight_answer, put_with_three_headers};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn full_verdict(c: &mut Criterion) {
    let request = put_with_three_headers();
    let (preflight, actual) = (preflight_answer(), actual_answer());
    let mut group = c.benchmark_group("verdict");
    group.throughput(Throughput::Elements(1));
    group.bench_function("preflighted PUT, 3 headers, credentials", |b| {
        b.iter(|| {
            let mut cache = PreflightCache::new(&Profile::CHROMIUM);
            evaluate(
                black_box(&request),
                &Profile::CHROMIUM,
                &mut cache,
                Duration::ZERO,
                |sent| {
                    Ok(if sent.kind == ExchangeKind::Preflight {
                        preflight.clone()
                    } else {
                        actual.clone()
                    })
                },
            )
        });
    });
    group.finish();
}

fn steps(c: &mut Criterion) {
    let request = put_with_three_headers();
    let preflight = preflight_answer();
    let mut group = c.benchmark_group("steps");
    group.throughput(Throughput::Elements(1));
    group.bench_function("classify", |b| {
        b.iter(|| classify(black_box(&request), &Profile::SPEC))
    });
    group.bench_function("safelist one header", |b| {
        b.iter(|| {
            is_cors_safelisted_request_header(
                black_box("Content-Type"),
                black_box("text/plain;charset=utf-8"),
                &Profile::SPEC,
            )
        });
    });
    group.bench_function("CORS-unsafe names", |b| {
        b.iter(|| cors_unsafe_request_header_names(black_box(&request.headers), &Profile::SPEC))
    });
    let names = cors_unsafe_request_header_names(&request.headers, &Profile::SPEC);
    group.bench_function("build preflight", |b| {
        b.iter(|| preflight_headers(black_box(ORIGIN), black_box("PUT"), black_box(&names)))
    });
    let input = PreflightInput {
        origin: ORIGIN,
        method: "PUT",
        headers: &request.headers,
        unsafe_names: &names,
        credentials: true,
        use_cors_preflight: false,
    };
    group.bench_function("preflight check", |b| {
        b.iter(|| check_preflight_response(black_box(&preflight), &input, &Profile::SPEC))
    });
    group.bench_function("CORS check", |b| {
        b.iter(|| {
            corsica::check::cors_check(black_box(&preflight.headers), ORIGIN, true, &Profile::SPEC)
        });
    });
    let actual = actual_answer();
    group.bench_function("exposure filter", |b| {
        b.iter(|| corsica::expose::cors_filtered_headers(black_box(&actual.headers), true))
    });
    group.finish();
}

fn cache(c: &mut Criterion) {
    use corsica::cache::CacheRequest;
    let mut group = c.benchmark_group("cache");
    group.throughput(Throughput::Elements(1));
    let mut cache = PreflightCache::new(&Profile::SPEC);
    let urls: Vec<String> = (0..1000)
        .map(|i| format!("https://api.example/items/{i}"))
        .collect();
    for url in &urls {
        cache.store(
            &CacheRequest {
                origin: ORIGIN,
                url,
                credentials: false,
            },
            ["PUT"],
            ["x-a"],
            600,
            Duration::ZERO,
        );
    }
    let hit = CacheRequest {
        origin: ORIGIN,
        url: &urls[500],
        credentials: false,
    };
    group.bench_function("method lookup (1000 entries)", |b| {
        b.iter(|| cache.matches_method(black_box(&hit), "PUT", Duration::from_secs(1)))
    });
    let mut i = 0usize;
    group.bench_function("insert (bounded, evicting)", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let url = &urls[i % urls.len()];
            cache.store(
                &CacheRequest {
                    origin: ORIGIN,
                    url,
                    credentials: true,
                },
                ["PUT"],
                ["x-a"],
                600,
                Duration::ZERO,
            );
        });
    });
    group.finish();
}

fn scenario_json(c: &mut Criterion) {
    let line = r#"{"id":"b","profile":"chromium","request":{"origin":"https://app.example","url":"https://api.example/v1/items/7","method":"PUT","credentials":"include","headers":[["Content-Type","application/json"],["Authorization","Bearer t"],["X-Request-Id","7f3a"]]},"server":[{"preflight":true,"status":204,"headers":[["Access-Control-Allow-Origin","https://app.example"],["Access-Control-Allow-Credentials","true"],["Access-Control-Allow-Methods","PUT"],["Access-Control-Allow-Headers","authorization, content-type, x-request-id"]]},{"status":200,"headers":[["Access-Control-Allow-Origin","https://app.example"],["Access-Control-Allow-Credentials","true"]]}]}"#;
    let mut group = c.benchmark_group("scenario");
    group.throughput(Throughput::Elements(1));
    group.bench_function("JSON in, evaluate, JSON out", |b| {
        b.iter(|| {
            let scenario = corsica::scenario::Scenario::from_json(black_box(line)).expect("valid");
            let output = scenario.evaluate().expect("evaluates");
            corsica::scenario::to_json(&output)
        });
    });
    group.finish();
}

criterion_group!(benches, full_verdict, steps, cache, scenario_json);
criterion_main!(benches);
