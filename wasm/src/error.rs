//! `CorsicaInputError`: bad input crosses the boundary as an instance of a real `Error` subclass
//! (defined in `js/error.js`, re-exported by the package), with the field's path and the problem.

use corsica::scenario::InputError;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// The class of `js/error.js`.
    type CorsicaInputError;

    /// The same class, exported by the package as it is (its declaration is in `types.rs`).
    #[wasm_bindgen(reexport = "CorsicaInputError", skip_typescript, js_name = CorsicaInputError)]
    fn input_error_class();

    #[wasm_bindgen(constructor)]
    fn new(path: &str, problem: &str) -> CorsicaInputError;
}

/// A `CorsicaInputError` for `problem` at `path`.
pub(crate) fn input_error(path: &str, problem: &str) -> JsValue {
    CorsicaInputError::new(path, problem).into()
}

/// The engine's input error, its path under `prefix`.
pub(crate) fn from_engine(error: &InputError, prefix: &str) -> JsValue {
    input_error(&join(prefix, &error.path), without_position(&error.problem))
}

/// `problem` without its position in the JSON text (` at line 1 column 57`), which points into
/// text the caller never saw (`JSON.stringify`'s).
pub(crate) fn without_position(problem: &str) -> &str {
    // Read from the end (suffix by suffix, no substring search): digits, ` column `, digits,
    // ` at line `.
    fn without_number(text: &str) -> Option<&str> {
        let rest = text.trim_end_matches(|c: char| c.is_ascii_digit());
        (rest.len() < text.len()).then_some(rest)
    }
    without_number(problem)
        .and_then(|rest| rest.strip_suffix(" column "))
        .and_then(without_number)
        .and_then(|rest| rest.strip_suffix(" at line "))
        .unwrap_or(problem)
}

/// `prefix` and `path` joined as a field path: `request` + `headers[1]` → `request.headers[1]`,
/// `[3]` + `request` → `[3].request`, `request` + `[0]` → `request[0]`.
pub(crate) fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_owned()
    } else if path.is_empty() {
        prefix.to_owned()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::{join, without_position};

    #[test]
    fn positions_are_left_out() {
        assert_eq!(
            without_position("invalid type: integer `1`, expected a string at line 1 column 22"),
            "invalid type: integer `1`, expected a string"
        );
        assert_eq!(
            without_position("must be from 100 to 999"),
            "must be from 100 to 999"
        );
        assert_eq!(without_position("a URL at line one"), "a URL at line one");
        assert_eq!(
            without_position("x at line 12 column "),
            "x at line 12 column "
        );
        assert_eq!(without_position("x at line column 3"), "x at line column 3");
        assert_eq!(
            without_position("x at line 1 column 2 y"),
            "x at line 1 column 2 y"
        );
    }

    #[test]
    fn paths_join() {
        assert_eq!(join("", "request.url"), "request.url");
        assert_eq!(join("[3]", "request.url"), "[3].request.url");
        assert_eq!(join("request", "[0]"), "request[0]");
        assert_eq!(join("options", ""), "options");
    }
}
