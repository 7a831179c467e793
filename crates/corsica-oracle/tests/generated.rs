//! The live smoke recording's second half: three dozen generated scenarios (a fixed seed) played
//! in Chromium and Firefox ESR, then the engine run over the recording with each browser's
//! profile, as the full fidelity comparison does. A change in the oracle (the page, the scripted
//! server, the rewrite of placeholders) or in the engine that makes them part shows here, in CI,
//! without the full recording. Takes about 30 s.

use corsica_oracle::generate::generate;
use corsica_oracle::install::BrowserKind;
use corsica_oracle::record::Input;
use spec_tests::fidelity::compare_all;

mod support;

/// Scenarios played: "a few dozen".
const SCENARIOS: usize = 36;
/// The seed: fixed, so a failure is reproducible with `corsica-oracle generate --seed`.
const SEED: u64 = 20_261_126;

#[test]
fn generated_scenarios_agree_with_the_engine() {
    let inputs: Vec<Input> = generate(SEED, SCENARIOS)
        .into_iter()
        .map(Input::Scenario)
        .collect();
    let records = support::record_in(&inputs, &[BrowserKind::Chromium, BrowserKind::Firefox]);
    assert_eq!(
        records.len(),
        2 * SCENARIOS,
        "one line per scenario and browser"
    );

    let report = compare_all(&records);
    eprint!("{}", report.to_text());
    for browser in ["chromium", "firefox"] {
        let tally = &report.tallies[browser];
        assert!(
            tally.requests >= SCENARIOS,
            "{browser}: only {} requests compared",
            tally.requests
        );
        assert_eq!(tally.verdicts, tally.requests, "{browser}: verdicts differ");
    }
    let disagreements: Vec<_> = report
        .differences
        .iter()
        .filter(|d| {
            matches!(
                d.check,
                "false-allow" | "false-block" | "preflight-sent" | "acrh" | "origin"
            )
        })
        .collect();
    assert!(
        disagreements.is_empty(),
        "the engine and the browsers part: {disagreements:#?}"
    );
}
