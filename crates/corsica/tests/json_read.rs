//! The engine's JSON reader against serde's: every conformance vector reads to the same value,
//! and every cut-short or retyped vector is refused with the same problem at the same field.

mod support;

use corsica::json::FromJson;
use corsica::scenario::Scenario;
use serde_json::Value;

/// Every scenario of the conformance vectors, as JSON text.
fn vectors() -> Vec<String> {
    support::vector_texts()
        .into_iter()
        .map(|(_, text)| text)
        .collect()
}

/// serde's reading: the value, or the path and problem (without serde_json's position).
fn serde_read(text: &str) -> Result<Scenario, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result: Result<Scenario, _> = serde_path_to_error::deserialize(&mut de);
    let value = result.map_err(|e| {
        let path = e.path().to_string();
        let path = path.trim_end_matches(".?").trim_end_matches('?');
        let path = if path == "." { "" } else { path }.to_owned();
        (path, strip(&e.inner().to_string()))
    })?;
    de.end()
        .map_err(|e| (String::new(), strip(&e.to_string())))?;
    Ok(value)
}

/// Whether the two answers agree. Three differences are by design:
///
/// - serde also reads a struct from an array of its fields in order (`"request":
///   ["https://a.example", null, "https://b.example/"]`), which the format does not allow: where
///   the engine refuses an array for an object, serde's answer about the array is not compared;
/// - serde reads an enum also from an object (`"profile": {"spec": null}`) and says `expected
///   value` for anything else that is not a string; the engine wants a profile's name and says
///   what it got instead;
/// - a number with a fraction or an exponent is quoted as written (`floating point `2e2``), not
///   as Rust prints the `f64` (`200.0`): the engine carries no float printing.
fn agree(
    ours: &Result<Scenario, (String, String)>,
    serde: &Result<Scenario, (String, String)>,
) -> bool {
    match (ours, serde) {
        (Err((path, problem)), serde)
            if problem.starts_with("invalid type: sequence, expected struct ") =>
        {
            match serde {
                Ok(_) => true,
                Err((serde_path, _)) => {
                    serde_path == path || serde_path.starts_with(&format!("{path}["))
                }
            }
        }
        (Err((path, _)), Err((serde_path, _))) if path == "profile" && serde_path == "profile" => {
            true
        }
        (Err((path, problem)), Err((serde_path, serde_problem))) => {
            path == serde_path && without_float(problem) == without_float(serde_problem)
        }
        _ => ours == serde,
    }
}

/// `problem` with the number of `floating point `…`` left out.
fn without_float(problem: &str) -> String {
    match problem.split_once("floating point `") {
        Some((before, after)) => {
            format!(
                "{before}floating point `…{}",
                &after[after.find('`').unwrap_or(0)..]
            )
        }
        None => problem.to_owned(),
    }
}

fn strip(problem: &str) -> String {
    match problem.rsplit_once(" at line ") {
        Some((before, _)) => before.to_owned(),
        None => problem.to_owned(),
    }
}

/// The engine's reader (without `Scenario::from_json`'s friendlier word for a text that is no
/// object at all).
fn ours(text: &str) -> Result<Scenario, (String, String)> {
    <Scenario as FromJson>::from_json(text).map_err(|e| (e.path, strip(&e.problem)))
}

#[test]
fn every_vector_reads_as_serde_reads_it() {
    let vectors = vectors();
    assert!(vectors.len() > 1000, "{}", vectors.len());
    for text in &vectors {
        assert_eq!(ours(text), serde_read(text), "{text}");
    }
}

/// Compares the engine's and serde's answers on every text (at least `at_least` of them), and
/// fails with the first ten that differ.
fn assert_all_agree(texts: impl IntoIterator<Item = String>, at_least: usize) {
    let mut differences = Vec::new();
    let mut compared = 0;
    for text in texts {
        compared += 1;
        let (a, b) = (ours(&text), serde_read(&text));
        if !agree(&a, &b) {
            differences.push(format!("{text}\n  ours:  {a:?}\n  serde: {b:?}"));
        }
    }
    assert!(compared >= at_least, "{compared}");
    assert!(
        differences.is_empty(),
        "{} of {compared}:\n{}",
        differences.len(),
        differences[..differences.len().min(10)].join("\n")
    );
}

#[test]
fn every_cut_is_refused_as_serde_refuses_it() {
    let cuts = vectors().into_iter().step_by(37).flat_map(|text| {
        (1..text.len())
            .filter(|&i| text.is_char_boundary(i))
            .map(|i| text[..i].to_owned())
            .collect::<Vec<_>>()
    });
    assert_all_agree(cuts, 30_000);
}

/// Every value of `value` (and `value` itself), by its JSON pointer.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                pointers(item, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

#[test]
fn every_retyped_value_is_refused_as_serde_refuses_it() {
    const REPLACEMENTS: &[&str] = &[
        "1",
        "-1",
        "1.5",
        "70000",
        "1e400",
        "18446744073709551616",
        "true",
        "null",
        "\"x\"",
        "\"cors\"",
        "\"spec\"",
        "[]",
        "{}",
        "[1]",
        "{\"a\":1}",
        "[\"a\"]",
        "[\"a\",\"b\",\"c\"]",
        "[[\"a\",\"b\"]]",
        "[[\"a\"]]",
        "[{}]",
        "{\"status\":200}",
        "[{\"status\":-1}]",
        "\"\\ud800\"",
        "\"a\\u00e9\\n\"",
    ];
    let retyped = vectors().into_iter().step_by(23).flat_map(|text| {
        let value: Value = serde_json::from_str(&text).unwrap();
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        all.into_iter()
            .filter(|pointer| !pointer.is_empty())
            .flat_map(|pointer| {
                let mut changed = value.clone();
                *changed.pointer_mut(&pointer).unwrap() = Value::from("\u{1}here");
                let changed = changed.to_string();
                REPLACEMENTS
                    .iter()
                    .map(move |replacement| changed.replace("\"\\u0001here\"", replacement))
            })
            .collect::<Vec<_>>()
    });
    assert_all_agree(retyped, 10_000);
}

#[test]
fn every_mangled_byte_is_refused_as_serde_refuses_it() {
    const BYTES: &[&str] = &[
        ",", "]", "}", ":", "\"", "x", "\\", " ", "[", "{", "0", "-", "\u{1}", "é",
    ];
    let mangled = vectors().into_iter().step_by(97).flat_map(|text| {
        (0..text.len())
            .filter(|&at| text.is_char_boundary(at))
            .flat_map(|at| BYTES.iter().map(move |byte| (at, byte)))
            .map(|(at, byte)| format!("{}{byte}{}", &text[..at], &text[at..]))
            .collect::<Vec<_>>()
    });
    assert_all_agree(mangled, 10_000);
}
