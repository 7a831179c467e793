//! Reading scenarios from files and standard input.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use corsica::scenario::{InputError, Scenario};

/// The most bytes a scenario file may have.
pub(crate) const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// Reads `path` (or standard input for `None` or `-`) as text.
pub(crate) fn read_text(path: Option<&Path>) -> Result<String, String> {
    let mut text = String::new();
    match path {
        Some(path) if path != Path::new("-") => {
            let file = fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            file.take(MAX_SCENARIO_BYTES + 1)
                .read_to_string(&mut text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        _ => {
            io::stdin()
                .take(MAX_SCENARIO_BYTES + 1)
                .read_to_string(&mut text)
                .map_err(|e| format!("standard input: {e}"))?;
        }
    }
    if text.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(format!(
            "the scenario is larger than {MAX_SCENARIO_BYTES} bytes"
        ));
    }
    Ok(text)
}

/// Describes an input error for a person.
pub(crate) fn describe(error: &InputError) -> String {
    if error.path.is_empty() {
        format!("invalid scenario: {}", error.problem)
    } else {
        format!("invalid scenario: {}: {}", error.path, error.problem)
    }
}

/// Parses a scenario from `path`.
pub(crate) fn load(path: Option<&Path>) -> Result<Scenario, String> {
    let text = read_text(path)?;
    Scenario::from_json(&text).map_err(|e| describe(&e))
}
