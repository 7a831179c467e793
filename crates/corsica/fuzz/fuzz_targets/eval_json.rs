//! `corsica eval`'s input: arbitrary bytes as a scenario file. Never a panic; bad input is an
//! `InputError` naming the field; the output written straight from the outcome
//! (`evaluate_json`, what `eval --jsonl` and the npm package write) is the output object's JSON.
#![no_main]

use corsica::scenario::{Scenario, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    match Scenario::from_json(text) {
        Ok(scenario) => {
            let mut written = String::new();
            match scenario.evaluate() {
                Ok(output) => {
                    scenario.evaluate_json(&mut written).expect("evaluate answered");
                    assert_eq!(written, to_json(&output));
                }
                Err(_) => assert!(scenario.evaluate_json(&mut written).is_err() && written.is_empty()),
            }
        }
        Err(error) => assert!(!error.problem.is_empty()),
    }
});
