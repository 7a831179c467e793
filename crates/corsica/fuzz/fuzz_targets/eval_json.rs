//! `corsica eval`'s input: arbitrary bytes as a scenario file. Never a panic; bad input is an
//! `InputError` naming the field.
#![no_main]

use corsica::scenario::{Scenario, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    match Scenario::from_json(text) {
        Ok(scenario) => {
            if let Ok(output) = scenario.evaluate() {
                let _ = to_json(&output);
            }
        }
        Err(error) => assert!(!error.problem.is_empty()),
    }
});
