//! The preflight cache's memory under a stream of distinct URLs: one preflight grant per URL,
//! a million URLs, the live heap measured by a counting allocator at each power of ten. The
//! cache holds at most the profile's capacity of (origin, URL) groups, so the figure must stop
//! growing once the capacity is reached (`cargo xtask bench` prints it;
//! `cargo run --release -p corsica-benches --example cache_memory`).

use core::time::Duration;
use std::alloc::System;

use corsica::cache::CacheRequest;
use corsica::{PreflightCache, Profile};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Where the live heap is reported.
const CHECKPOINTS: [u32; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn main() {
    for (name, profile) in [
        ("spec", Profile::SPEC),
        ("chromium", Profile::CHROMIUM),
        ("firefox", Profile::FIREFOX),
        ("webkit", Profile::WEBKIT),
    ] {
        let region = Region::new(GLOBAL);
        let mut cache = PreflightCache::new(&profile);
        let mut line = format!("{name:<9} capacity {:>5}:", profile.cache_capacity);
        for i in 1..=CHECKPOINTS[CHECKPOINTS.len() - 1] {
            let url = format!("https://api.example/items/{i}");
            let request = CacheRequest {
                origin: "https://app.example",
                url: &url,
                credentials: false,
            };
            cache.store(&request, ["PUT"], ["x-request-id"], 600, Duration::ZERO);
            drop(url);
            if CHECKPOINTS.contains(&i) {
                let stats = region.change();
                let live = (stats.bytes_allocated + stats.bytes_reallocated.max(0) as usize)
                    .saturating_sub(stats.bytes_deallocated);
                line.push_str(&format!(
                    " {i:>9} URLs → {:>4} groups, {:>5} KiB;",
                    cache.len(),
                    live / 1024
                ));
            }
        }
        println!("{line}");
    }
}
