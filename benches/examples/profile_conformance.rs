//! Thirty thousand in-process conformance cases (the `conformance` bench's target), for a
//! profiler: `perf record -e cpu-clock -g target/release/examples/profile_conformance`, or
//! `valgrind --tool=callgrind` for instruction counts (`CARGO_PROFILE_RELEASE_DEBUG=true cargo
//! build --release -p corsica-benches --example profile_conformance`).

use corsica_conformance::{Config, check};

fn main() {
    let (policy, server) = corsica_benches::tower_conformance_target();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut requests = 0;
    for seed in 1..=300 {
        let config = Config {
            cases: 100,
            seed,
            ..Config::default()
        };
        let report = runtime
            .block_on(check(&server, &policy, &config))
            .expect("no network error in-process");
        assert!(report.conforms());
        requests += report.requests;
    }
    println!("{requests} requests");
}
