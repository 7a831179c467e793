//! Ten thousand full verdicts in a loop, for a profiler: instruction counts are stable under
//! `valgrind --tool=callgrind target/release/examples/profile_verdict` whatever else the machine
//! does (`CARGO_PROFILE_RELEASE_DEBUG=true cargo build --release -p corsica-benches --example
//! profile_verdict`).

use core::time::Duration;
use corsica::{ExchangeKind, PreflightCache, Profile, evaluate};
fn main() {
    let request = corsica_benches::put_with_three_headers();
    let (p, a) = (
        corsica_benches::preflight_answer(),
        corsica_benches::actual_answer(),
    );
    let mut n = 0;
    for _ in 0..10000 {
        let mut cache = PreflightCache::new(&Profile::CHROMIUM);
        let o = evaluate(
            &request,
            &Profile::CHROMIUM,
            &mut cache,
            Duration::ZERO,
            |s| {
                Ok(if s.kind == ExchangeKind::Preflight {
                    p.clone()
                } else {
                    a.clone()
                })
            },
        );
        n += o.exchanges.len();
    }
    println!("{n}");
}
