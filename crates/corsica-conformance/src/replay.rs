//! Counterexamples as scenarios: the case's request and the server's recorded answers, which
//! `corsica eval` replays offline with the verdict the live run had.

use corsica::scenario::{ProfileName, RequestInput, Scenario};
use corsica_probe::record::{scenario, server_rules};
use corsica_probe::session::Hop;

/// Where counterexample scenarios say they come from.
const SOURCE: &str = "corsica conform: minimal counterexample";

fn rules(hops: &[Hop]) -> Vec<corsica::scenario::ServerRule> {
    server_rules(hops.iter().map(Hop::recorded))
}

/// The request once, against the answers it got.
pub(crate) fn single_scenario(
    profile: ProfileName,
    input: &RequestInput,
    hops: &[Hop],
) -> Scenario {
    scenario("counterexample", profile, input, rules(hops), false, SOURCE)
}

/// The request twice through one browser, `max_age` seconds apart: the second shows whether
/// the preflight cache answered (`from_cache`) when it should have expired.
pub(crate) fn replay_scenario(
    profile: ProfileName,
    input: &RequestInput,
    hops: &[Hop],
    max_age: u64,
) -> Scenario {
    let mut later = serde_json::to_value(input).expect("requests serialize");
    later["at"] = serde_json::json!(max_age);
    serde_json::from_value(serde_json::json!({
        "id": "counterexample",
        "profile": profile,
        "requests": [input, later],
        "server": rules(hops),
        "source": SOURCE,
    }))
    .expect("a valid scenario")
}
