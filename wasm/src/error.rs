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
    input_error(&join(prefix, &error.path), &error.problem)
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
