//! The public strategies: every generated case is a request `fetch()` accepts, every generated
//! scenario is valid input for the engine, and the candidates sit on the policy's boundaries.

use corsica::scenario::ScenarioOutput;
use corsica_conformance::Policy;
use corsica_conformance::strategy::{
    ATTACKER, cases, header_candidates, method_candidates, origin_candidates, scenarios,
};
use proptest::prelude::*;

fn policy() -> Policy {
    Policy::from_toml(
        r#"
        origins = ["https://app.example.com", "https://*.example.org", "null"]
        methods = ["PUT", "PATCH"]
        headers = ["x-requested-with"]
        credentials = true
        "#,
    )
    .unwrap()
}

#[test]
fn candidates_start_plain_and_sit_next_to_the_allowlist() {
    let policy = policy();
    let origins = origin_candidates(&policy);
    assert_eq!(
        origins[..4],
        [
            "https://app.example.com",
            "https://app.example.org",
            ATTACKER,
            "null"
        ]
    );
    for near in [
        "http://app.example.com",
        "https://app.example.com:444",
        "https://app.example.com.attacker.example",
        "https://evilapp.example.com",
        "https://sub.app.example.com",
        "https://app.example.com.",
        "https://example.com",
    ] {
        assert!(origins.iter().any(|o| o == near), "{near} in {origins:?}");
    }
    let methods = method_candidates(&policy);
    assert_eq!(methods[..3], ["GET", "POST", "HEAD"]);
    for odd in ["put", "Put", "patch", "Patch", "DELETE"] {
        assert!(methods.iter().any(|m| m == odd), "{odd} in {methods:?}");
    }
    let headers = header_candidates(&policy);
    assert_eq!(headers[0], ("Accept".to_owned(), "*/*".to_owned()));
    assert!(headers.contains(&("X-REQUESTED-WITH".to_owned(), "corsica".to_owned())));
    assert!(headers.contains(&("Authorization".to_owned(), "Bearer corsica".to_owned())));
}

proptest! {
    #[test]
    fn every_case_is_a_request_fetch_accepts(case in cases(&policy())) {
        let url = "https://api.example/data".parse().unwrap();
        prop_assert!(matches!(case.request_input(&url).to_request("request"), Ok(Ok(_))));
    }

    #[test]
    fn every_scenario_evaluates(scenario in scenarios(&policy(), &"https://api.example/data".parse().unwrap())) {
        let output = scenario.evaluate();
        prop_assert!(matches!(output, Ok(ScenarioOutput::Single(_))), "{output:?}");
    }
}
