//! Values cross the boundary as JSON text: one `JSON.stringify` in, one `JSON.parse` out, however
//! large the value (a batch of scenarios crosses once).
//!
//! Reading is the engine's: a scenario goes through [`Scenario::from_json`], as in the CLI, and
//! the other arguments the same way (parsed at full speed; only bad input pays for a second parse
//! with `serde_path_to_error`, which names the field), so errors name the same fields.

use corsica::scenario::Scenario;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wasm_bindgen::{JsCast as _, JsValue};

use crate::error::{from_engine, input_error, join, without_position};

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
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let failure = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => match deserializer.end() {
            Ok(()) => return Err(input_error(path, "cannot be read")),
            Err(error) => return Err(input_error(path, without_position(&error.to_string()))),
        },
        Err(failure) => failure,
    };
    let at = failure.path().to_string();
    let at = if at == "." { "" } else { at.as_str() };
    Err(input_error(
        &join(path, at),
        without_position(&failure.inner().to_string()),
    ))
}

/// Reads `value` as a scenario, as the CLI reads one.
pub(crate) fn scenario_from_js(value: &JsValue) -> Result<Scenario, JsValue> {
    Scenario::from_json(&stringify(value, "")?).map_err(|e| from_engine(&e, ""))
}

/// Reads `value` as a list of scenarios; errors are named under the scenario's index (`[3]`).
pub(crate) fn scenarios_from_js(value: &JsValue) -> Result<Vec<Scenario>, JsValue> {
    let text = stringify(value, "")?;
    let items: Vec<&RawValue> = from_text(&text, "")?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            Scenario::from_json(item.get()).map_err(|e| from_engine(&e, &format!("[{i}]")))
        })
        .collect()
}

/// `value` as a JS value, through its JSON text.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&text)
}
