//! Values cross the boundary as JSON text: one `JSON.stringify` in, one `JSON.parse` out, however
//! large the value (a batch of scenarios crosses once).
//!
//! Reading and writing are the engine's own ([`corsica::json`]), as in the CLI: the same problems,
//! naming the same fields.

use corsica::json::{FromJson, ToJson};
use corsica::scenario::Scenario;
use wasm_bindgen::{JsCast as _, JsValue};

use crate::error::{from_engine, input_error};

/// What `value` is, for a message ("undefined", "a function", …).
fn describe(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_function() {
        "a function"
    } else if value.is_symbol() {
        "a symbol"
    } else {
        "a value JSON cannot hold"
    }
}

/// The JSON text of `value` (at `path`), through `JSON.stringify`.
pub(crate) fn stringify(value: &JsValue, path: &str) -> Result<String, JsValue> {
    match js_sys::JSON::stringify(value) {
        Ok(text) => text.as_string().ok_or_else(|| {
            input_error(
                path,
                &format!("expected JSON data, got {}", describe(value)),
            )
        }),
        // A BigInt, a cycle, a throwing toJSON: say what JSON.stringify said.
        Err(error) => {
            let reason: String = match error.dyn_into::<js_sys::Error>() {
                Ok(error) => error.message().into(),
                Err(thrown) => thrown.as_string().unwrap_or_default(),
            };
            Err(input_error(
                path,
                &format!("cannot be written as JSON ({reason})"),
            ))
        }
    }
}

/// Reads `value` (at `path`) as a `T`, through its JSON text.
pub(crate) fn from_js<T: FromJson>(value: &JsValue, path: &str) -> Result<T, JsValue> {
    T::from_json(&stringify(value, path)?).map_err(|e| from_engine(&e, path))
}

/// Reads `value` as a scenario, as the CLI reads one.
pub(crate) fn scenario_from_js(value: &JsValue) -> Result<Scenario, JsValue> {
    Scenario::from_json(&stringify(value, "")?).map_err(|e| from_engine(&e, ""))
}

/// `value` as a JS value, through its JSON text.
pub(crate) fn to_js<T: ToJson + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.to_json())
}
