//! Thirty thousand (or `ROUNDS` × 100) in-process conformance cases (the `conformance` bench's target), for a
//! profiler: `perf record -e cpu-clock -g target/release/examples/profile_conformance [ROUNDS]`, or
//! `valgrind --tool=callgrind` for instruction counts (`CARGO_PROFILE_RELEASE_DEBUG=true cargo
//! build --release -p corsica-benches --example profile_conformance`).

use corsica_conformance::{Config, check};

fn main() {
    let (policy, server) = corsica_benches::tower_conformance_target();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let rounds: u64 = std::env::args()
        .nth(1)
        .map_or(300, |n| n.parse().expect("ROUNDS: a number"));
    let mut requests = 0;
    for seed in 1..=rounds {
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
