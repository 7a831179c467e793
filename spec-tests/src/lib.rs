//! The conformance vector runner: loads `vectors/*.json`, evaluates each scenario, and checks the
//! output against the vector's `expected` subset (see `README.md`).

pub mod fidelity;
pub mod recorded;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use corsica::scenario::Scenario;
use serde_json::Value;

/// One vector: a scenario and what its output must contain.
#[derive(Debug)]
pub struct Vector {
    /// The unique id.
    pub id: String,
    /// The file it comes from.
    pub file: PathBuf,
    /// The scenario as written (with `source` and `expected`).
    pub raw: Value,
    /// The subset the output must match.
    pub expected: Value,
}

/// The folder of this crate.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every vector in `dir/*.json`, in file and array order.
pub fn load_vectors(dir: &Path) -> Result<Vec<Vector>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut vectors = Vec::new();
    let mut seen = BTreeMap::new();
    for file in files {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let items: Vec<Value> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        for item in items {
            if item.is_string() {
                continue; // a comment
            }
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{}: a vector without an id", file.display()))?
                .to_owned();
            if let Some(other) = seen.insert(id.clone(), file.clone()) {
                return Err(format!(
                    "duplicate id {id} in {} and {}",
                    other.display(),
                    file.display()
                ));
            }
            let expected = item.get("expected").cloned().unwrap_or(Value::Null);
            vectors.push(Vector {
                id,
                file: file.clone(),
                raw: item,
                expected,
            });
        }
    }
    Ok(vectors)
}

/// The engine's output for `raw`, as JSON.
pub fn evaluate(raw: &Value) -> Result<Value, String> {
    let scenario = Scenario::from_json(&raw.to_string()).map_err(|e| e.to_string())?;
    let output = scenario.evaluate().map_err(|e| e.to_string())?;
    serde_json::to_value(output).map_err(|e| e.to_string())
}

/// Checks that `actual` contains `expected` (objects: every expected key; arrays: same length,
/// element by element; scalars: equal). Returns every mismatch, with its path.
pub fn subset_mismatches(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(expected, actual, "$", &mut out);
    out
}

fn compare(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(actual) => compare(value, actual, &format!("{path}.{key}"), out),
                    None => out.push(format!(
                        "{path}.{key}: missing from the output (expected {value})"
                    )),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                compare(e, a, &format!("{path}[{i}]"), out);
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: expected {e}, got {a}")),
    }
}

/// The outcome of one vector.
pub fn check(vector: &Vector) -> Result<(), String> {
    let actual = evaluate(&vector.raw)?;
    let mismatches = subset_mismatches(&vector.expected, &actual);
    if mismatches.is_empty() {
        return Ok(());
    }
    let mut report = mismatches.join("\n    ");
    let _ = write!(report, "\n    output: {actual}");
    Err(report)
}

/// A listing of `fields… # reason` lines, the reason mandatory (`#` lines and blank lines are
/// comments): `expected-failures.txt` (one field, the id) and `expected-differences.txt` (id,
/// browser, check). A missing file is an empty listing.
pub fn load_listing(path: &Path, fields: &[&str]) -> Result<BTreeMap<Vec<String>, String>, String> {
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(BTreeMap::new());
    };
    let form = format!("{}  # reason", fields.join(" "));
    let mut map = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("{}:{}: `{line}`: write `{form}`", path.display(), n + 1);
        let (key, reason) = line
            .split_once('#')
            .map(|(key, reason)| (key.trim(), reason.trim()))
            .filter(|(_, reason)| !reason.is_empty())
            .ok_or_else(bad)?;
        let key: Vec<String> = key.split_whitespace().map(str::to_owned).collect();
        if key.len() != fields.len() {
            return Err(bad());
        }
        map.insert(key, reason.to_owned());
    }
    Ok(map)
}

/// `expected-failures.txt`: `id  # reason`.
pub fn load_expected_failures(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let listing = load_listing(path, &["id"])?;
    Ok(listing
        .into_iter()
        .map(|(mut key, reason)| (key.remove(0), reason))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subset_matching() {
        let actual = json!({"a": 1, "b": [{"x": 1, "y": 2}], "c": null});
        assert!(subset_mismatches(&json!({"a": 1}), &actual).is_empty());
        assert!(subset_mismatches(&json!({"b": [{"y": 2}]}), &actual).is_empty());
        assert!(subset_mismatches(&json!({"c": null}), &actual).is_empty());
        assert_eq!(subset_mismatches(&json!({"a": 2}), &actual).len(), 1);
        assert_eq!(subset_mismatches(&json!({"b": []}), &actual).len(), 1);
        assert_eq!(subset_mismatches(&json!({"d": 1}), &actual).len(), 1);
    }
}
