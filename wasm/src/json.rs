//! Values cross the boundary as JSON text: one `JSON.stringify` in, one `JSON.parse` out, however
//! large the value (a batch of scenarios crosses once).
//!
//! Reading is the engine's: a scenario goes through [`Scenario::from_json`], as in the CLI, and
//! the other arguments through serde_json the same way. The engine is built without
//! `serde_path_to_error` (its `json-positions` feature), so the field of a problem is located from
//! where serde_json stopped (`field.rs`); the tests check that it is the field the CLI names.

use corsica::scenario::Scenario;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wasm_bindgen::{JsCast as _, JsValue};

use crate::error::{from_engine_parse, input_error, located};

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
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue, path: &str) -> Result<T, JsValue> {
    from_text(&stringify(value, path)?, path)
}

/// Parses `text` as a `T`, naming the field of any problem (under `path`).
pub(crate) fn from_text<'a, T: Deserialize<'a>>(text: &'a str, path: &str) -> Result<T, JsValue> {
    serde_json::from_str(text).map_err(|error| located(text, path, &error.to_string()))
}

/// Reads `value` as a scenario, as the CLI reads one.
pub(crate) fn scenario_from_js(value: &JsValue) -> Result<Scenario, JsValue> {
    let text = stringify(value, "")?;
    Scenario::from_json(&text).map_err(|e| from_engine_parse(&e, &text, ""))
}

/// Reads `value` as a list of scenarios; errors are named under the scenario's index (`[3]`).
pub(crate) fn scenarios_from_js(value: &JsValue) -> Result<Vec<Scenario>, JsValue> {
    let text = stringify(value, "")?;
    let items: Vec<&RawValue> = from_text(&text, "")?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            Scenario::from_json(item.get())
                .map_err(|e| from_engine_parse(&e, item.get(), &format!("[{i}]")))
        })
        .collect()
}

/// `value` as a JS value, through its JSON text.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&text)
}
