//! # corsica-wasm: the `corsica` npm package
//!
//! wasm-bindgen glue over the [`corsica`] engine, and nothing else: DTOs and conversions. Values
//! cross the boundary as the scenario format's JSON (one `JSON.stringify` in, one `JSON.parse`
//! out per call, however large a batch), and the TypeScript declarations of that format are
//! generated from the engine's serde types by `tsify`. Bad input throws a `CorsicaInputError`
//! naming the field.
//!
//! Built into `wasm/pkg/` by `cargo xtask wasm`; see `wasm/README.md` for the JavaScript API.

mod browser;
mod error;
mod json;
mod types;

use corsica::json::FromJson;
use corsica::scenario::{
    Credentials, ProfileName, RequestInput, Scenario, ScenarioOutput, SentOutput,
};
use corsica::step::{
    CheckOptions, CheckOutput, ResponseInput, check_response_output, classify_input,
    explain_scenario, exposed_headers_output, preflight_output,
};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

pub use browser::Browser;

/// The allocator: Talc, which grows the WebAssembly memory as it needs, instead of the standard
/// library's dlmalloc (smaller code; the module is single-threaded, as Talc's WebAssembly
/// allocator requires).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use crate::error::from_engine;
use crate::json::{from_js, scenario_from_js, to_js};

/// Reads an optional argument (`undefined` or `null` → the default).
fn optional<T: FromJson + Default>(value: Option<&JsValue>, path: &str) -> Result<T, JsValue> {
    match value {
        Some(value) if !value.is_undefined() && !value.is_null() => from_js(value, path),
        _ => Ok(T::default()),
    }
}

/// Reads a `Ts<T>` argument.
fn arg<T: Tsify + FromJson>(value: &Ts<T>, path: &str) -> Result<T, JsValue>
where
    T::JsType: JsCast,
{
    from_js(&value.js_value(), path)
}

/// Evaluates a scenario: what the browser sends, whether `fetch()` resolves, what the page can
/// read, the console line and the fix. A scenario with `requests` gives `{id, profile, results}`.
///
/// @throws {CorsicaInputError} when the scenario does not fit the format.
#[wasm_bindgen]
pub fn evaluate(scenario: Ts<Scenario>) -> Result<Ts<ScenarioOutput>, JsValue> {
    let scenario = scenario_from_js(&scenario.js_value())?;
    let mut json = String::new();
    scenario
        .evaluate_json(&mut json)
        .map_err(|e| from_engine(&e, ""))?;
    Ok(Ts::new_unchecked(js_sys::JSON::parse(&json)?))
}

/// Evaluates many scenarios in one call (one crossing of the JS/WASM boundary for the batch).
///
/// @throws {CorsicaInputError} for the first scenario that does not fit the format; its `path`
/// starts with the scenario's index (`[3].request.url`).
#[wasm_bindgen(
    js_name = evaluateMany,
    unchecked_return_type = "ScenarioOutput[]"
)]
pub fn evaluate_many(
    #[wasm_bindgen(unchecked_param_type = "Scenario[]")] scenarios: &JsValue,
) -> Result<JsValue, JsValue> {
    let scenarios: Vec<Scenario> = from_js(scenarios, "")?;
    // The outputs' JSON array written as each is evaluated, straight from the engine's outcome
    // (as `corsica eval` writes them): no output objects built only to be written.
    let mut json = String::from("[");
    for (i, scenario) in scenarios.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        scenario
            .evaluate_json(&mut json)
            .map_err(|e| from_engine(&e, &format!("[{i}]")))?;
    }
    json.push(']');
    js_sys::JSON::parse(&json)
}

/// The scenario explained in plain words, as `corsica explain` prints it: the verdict, the
/// exchanges as a network panel shows them, the console line, the steps that decided (with links
/// to the Fetch Standard) and the fix.
///
/// @throws {CorsicaInputError} when the scenario does not fit the format.
#[wasm_bindgen]
pub fn explain(scenario: Ts<Scenario>) -> Result<String, JsValue> {
    let scenario = scenario_from_js(&scenario.js_value())?;
    explain_scenario(&scenario).map_err(|e| from_engine(&e, ""))
}

/// How a request is classed before anything is sent: `same-origin`, `simple`, `preflight`,
/// `no-cors`, `navigate`, or `disallowed` (refused before sending).
///
/// @throws {CorsicaInputError} when the request does not fit the format.
#[wasm_bindgen(unchecked_return_type = "Classification")]
pub fn classify(
    request: Ts<RequestInput>,
    #[wasm_bindgen(unchecked_optional_param_type = "ProfileName")] profile: Option<JsValue>,
) -> Result<String, JsValue> {
    let profile: ProfileName = optional(profile.as_ref(), "profile")?;
    let request: RequestInput = arg(&request, "request")?;
    classify_input(&request, "request", profile)
        .map(str::to_owned)
        .map_err(|e| from_engine(&e, ""))
}

/// The preflight the browser sends first for a request (with an empty preflight cache), exactly
/// as it writes it; `null` when it sends none.
///
/// @throws {CorsicaInputError} when the request does not fit the format.
#[wasm_bindgen(js_name = preflightRequest, unchecked_return_type = "SentOutput | null")]
pub fn preflight_request(
    request: Ts<RequestInput>,
    #[wasm_bindgen(unchecked_optional_param_type = "ProfileName")] profile: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let profile: ProfileName = optional(profile.as_ref(), "profile")?;
    let request: RequestInput = arg(&request, "request")?;
    let sent: Option<SentOutput> =
        preflight_output(&request, "request", profile).map_err(|e| from_engine(&e, ""))?;
    match sent {
        Some(sent) => to_js(&sent),
        None => Ok(JsValue::NULL),
    }
}

/// Checks one response the way the browser checks it for `request`: as the answer to the
/// preflight (`{preflight: true}`: the CORS check, the ok status, the allowed methods and headers)
/// or to the request itself (the CORS check). `verdict` is `allowed` when the response passes.
///
/// @throws {CorsicaInputError} when an argument does not fit the format, or when a preflight is
/// asked for and the browser sends none for this request.
#[wasm_bindgen(js_name = checkResponse)]
pub fn check_response(
    request: Ts<RequestInput>,
    response: Ts<ResponseInput>,
    options: Option<Ts<CheckOptions>>,
) -> Result<Ts<CheckOutput>, JsValue> {
    let options: CheckOptions = optional(options.as_ref().map(Ts::js_value).as_ref(), "options")?;
    let request: RequestInput = arg(&request, "request")?;
    let response: ResponseInput = arg(&response, "response")?;
    let output = check_response_output(
        &request,
        "request",
        &response,
        "response",
        options.preflight,
        options.profile,
    )
    .map_err(|e| from_engine(&e, ""))?;
    Ok(Ts::new_unchecked(to_js(&output)?))
}

/// The headers the page's script can read from a CORS response (`response.headers`): the
/// CORS-safelisted response headers and those `Access-Control-Expose-Headers` names (`*` names
/// every header unless `credentials` is `include`); never `Set-Cookie`.
///
/// @throws {CorsicaInputError} when the response does not fit the format.
#[wasm_bindgen(js_name = exposedHeaders, unchecked_return_type = "HeaderPair[]")]
pub fn exposed_headers(
    response: Ts<ResponseInput>,
    #[wasm_bindgen(unchecked_optional_param_type = "Credentials")] credentials: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let credentials = match credentials {
        Some(value) if !value.is_undefined() && !value.is_null() => {
            from_js::<Credentials>(&value, "credentials")?
        }
        _ => Credentials::SameOrigin,
    };
    let response: ResponseInput = arg(&response, "response")?;
    let headers = exposed_headers_output(&response, "response", credentials)
        .map_err(|e| from_engine(&e, ""))?;
    to_js(&headers)
}
