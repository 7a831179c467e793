//! Conformance checking in-process: cases per second through an axum app with tower-http's
//! `CorsLayer`, each case sent under the four profiles and judged (no network).
#![expect(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]

use std::hint::black_box;

use corsica_conformance::{Config, check};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Cases per measured check.
const CASES: u32 = 100;

fn in_process_cases(c: &mut Criterion) {
    let (policy, server) = corsica_benches::tower_conformance_target();
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
