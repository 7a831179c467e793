//! The engine's own JSON writer ([`ToJson`]) against `serde_json`: every output of the conformance
//! vectors, `CheckOutput`s and arbitrary strings are written byte for byte as
//! `serde_json::to_string` writes their `Serialize` form; `Scenario::evaluate_json` writes them
//! as the outputs `Scenario::evaluate` builds are written.

mod support;

use corsica::json::ToJson;
use corsica::scenario::{HeaderPair, ProfileName, RequestInput, Scenario, WarningOutput};
use corsica::step::{ResponseInput, check_response_output};
use proptest::prelude::*;

/// Every scenario of the conformance vectors, with its id.
fn vector_scenarios() -> Vec<(String, Scenario)> {
    support::vector_texts()
        .into_iter()
        .map(|(id, text)| {
            let scenario =
                Scenario::from_json(&text).unwrap_or_else(|e| panic!("{id} does not parse: {e}"));
            (id, scenario)
        })
        .collect()
}

#[test]
fn every_vector_output_is_written_as_serde_json_writes_it() {
    let profiles = [
        ProfileName::Spec,
        ProfileName::Chromium,
        ProfileName::Firefox,
        ProfileName::Webkit,
    ];
    let mut compared = 0;
    let mut all_output = String::new();
    for (id, scenario) in vector_scenarios() {
        for profile in profiles {
            for trace in [false, true] {
                let scenario = Scenario {
                    profile,
                    trace,
                    ..scenario.clone()
                };
                // Written straight from the outcome: the same bytes, or the same error and
                // nothing written.
                let mut direct = String::from("before");
                let evaluated = scenario.evaluate_json(&mut direct);
                // Vectors of bad input expect an input error: there is no output to write.
                let output = match scenario.evaluate() {
                    Ok(output) => output,
                    Err(error) => {
                        assert_eq!(evaluated, Err(error), "{id}");
                        assert_eq!(direct, "before", "{id}");
                        continue;
                    }
                };
                let json = output.to_json();
                assert_eq!(
                    json,
                    serde_json::to_string(&output).unwrap(),
                    "{id} ({profile:?}, trace: {trace})"
                );
                assert_eq!(evaluated, Ok(()), "{id}");
                assert_eq!(
                    direct,
                    format!("before{json}"),
                    "{id} ({profile:?}, trace: {trace})"
                );
                all_output.push_str(&json);
                compared += 1;
            }
        }
    }
    assert!(compared > 8 * 1000, "only {compared} outputs compared");
    // The fields serde writes conditionally, in each of their forms.
    for written in [
        r#"{"id":"#,
        r#"{"profile":"#,
        r#""results":["#,
        r#""trace":[{"algorithm":"#,
        r#""response":null,"from_cache":false"#,
        r#"},"from_cache":true"#,
        r#""failed_parameter":"#,
        r#""error":null"#,
        r#""response":{"type":"#,
        r#"\""#,
    ] {
        assert!(all_output.contains(written), "no output writes {written}");
    }
}

/// `check_response_output` for a request and a response given as JSON, written by [`ToJson`]
/// (checked against `serde_json`).
fn check_json(request: &str, response: &str, preflight: bool, profile: ProfileName) -> String {
    let request: RequestInput = serde_json::from_str(request).unwrap();
    let response: ResponseInput = serde_json::from_str(response).unwrap();
    let output = check_response_output(
        &request, "request", &response, "response", preflight, profile,
    )
    .unwrap();
    let json = output.to_json();
    assert_eq!(
        json,
        serde_json::to_string(&output).unwrap(),
        "{request:?} answered by {response:?}"
    );
    json
}

#[test]
fn check_outputs_are_written_as_serde_json_writes_them() {
    let put =
        r#"{"origin": "https://app.example", "url": "https://api.example/x", "method": "PUT"}"#;
    let allowed = check_json(
        put,
        r#"{"status": 204, "headers": [["Access-Control-Allow-Origin", "https://app.example"], ["Access-Control-Allow-Methods", "PUT"]]}"#,
        true,
        ProfileName::Spec,
    );
    assert_eq!(
        allowed,
        r#"{"verdict":"allowed","error":null,"warnings":[]}"#
    );

    let blocked = check_json(
        put,
        r#"{"status": 204, "headers": [["Access-Control-Allow-Origin", "https://app.example"]]}"#,
        true,
        ProfileName::Chromium,
    );
    assert!(blocked.starts_with(r#"{"verdict":"blocked","error":{"kind":"#));

    // A wildcard with credentials, a `fetch()` that throws, and the request itself answered.
    let credentialed = r#"{"origin": "https://app.example", "url": "https://api.example/x", "credentials": "include"}"#;
    check_json(
        credentialed,
        r#"{"status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]}"#,
        false,
        ProfileName::Firefox,
    );
    check_json(
        r#"{"origin": "https://app.example", "url": "https://api.example/x", "method": "CONNECT"}"#,
        r#"{"status": 200}"#,
        false,
        ProfileName::Webkit,
    );
    check_json(
        put,
        r#"{"status": 200, "headers": [["Access-Control-Allow-Origin", "https://app.example"]]}"#,
        false,
        ProfileName::Spec,
    );
}

/// Strings rich in what JSON escapes: control characters, quotes, backslashes, DEL, non-ASCII
/// (U+2028 and U+2029 among them, which `serde_json` leaves as they are).
fn tricky_string() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        prop::char::range('\0', '\x7f'),
        Just('"'),
        Just('\\'),
        Just('\u{2028}'),
        Just('\u{2029}'),
        any::<char>(),
    ];
    prop::collection::vec(character, 0..48).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(
        name in tricky_string(),
        value in tricky_string(),
    ) {
        let pair: HeaderPair = (name, value);
        prop_assert_eq!(pair.to_json(), serde_json::to_string(&pair).unwrap());
        let warning = WarningOutput { kind: "SpecWouldBlock", message: pair.1 };
        prop_assert_eq!(warning.to_json(), serde_json::to_string(&warning).unwrap());
    }
}
