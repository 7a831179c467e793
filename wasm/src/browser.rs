//! `Browser`: one browser tab (a profile, a preflight cache and a clock) through which a test
//! harness replays requests in order.

use core::time::Duration;

use corsica::scenario::{self, Output, ProfileName, RequestInput, Server, ServerRule};
use corsica::step::BrowserOptions;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::error::{from_engine, input_error};
use crate::json::from_js;
use crate::optional;

/// The latest time the clock reaches, in seconds (as for a scenario's `at`).
const MAX_SECONDS: f64 = 1e12;

/// A browser tab: a profile, a preflight cache and a clock that only the caller moves. Each
/// `fetch` runs one request the way that tab would, answered from the preflight cache while its
/// entries live.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Browser {
    inner: scenario::Browser,
    name: ProfileName,
}

#[wasm_bindgen]
impl Browser {
    /// A browser of `profile` (default `spec`) at time 0 with an empty preflight cache;
    /// `options.trace` records the step trace in each output.
    ///
    /// @throws {CorsicaInputError} when an argument does not fit.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ProfileName")] profile: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "BrowserOptions")] options: Option<JsValue>,
    ) -> Result<Self, JsValue> {
        let name: ProfileName = optional(profile.as_ref(), "profile")?;
        let options: BrowserOptions = optional(options.as_ref(), "options")?;
        Ok(Self {
            inner: scenario::Browser::new(name).with_trace(options.trace),
            name,
        })
    }

    /// The profile.
    #[wasm_bindgen(getter, unchecked_return_type = "ProfileName")]
    pub fn profile(&self) -> String {
        self.name.as_str().to_owned()
    }

    /// The clock: seconds since the browser started.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> f64 {
        self.inner.now().as_secs_f64()
    }

    /// Moves the clock forward by `seconds`.
    ///
    /// @throws {CorsicaInputError} when `seconds` is negative or not finite.
    pub fn advance(&mut self, seconds: f64) -> Result<(), JsValue> {
        let by = seconds_of(seconds, "seconds")?;
        self.inner.advance(by);
        Ok(())
    }

    /// Sets the clock to `seconds` since the browser started (it never goes back).
    ///
    /// @throws {CorsicaInputError} when `seconds` is negative or not finite.
    #[wasm_bindgen(js_name = setTime)]
    pub fn set_time(&mut self, seconds: f64) -> Result<(), JsValue> {
        let at = seconds_of(seconds, "seconds")?;
        self.inner.set_time(at);
        Ok(())
    }

    /// Runs `request` against `server` (the scenario format's rules, first match wins) at the
    /// current time, through this browser's preflight cache.
    ///
    /// @throws {CorsicaInputError} when the request or a rule does not fit the format.
    pub fn fetch(
        &mut self,
        request: Ts<RequestInput>,
        #[wasm_bindgen(unchecked_param_type = "ServerRule[]")] server: &JsValue,
    ) -> Result<Ts<Output>, JsValue> {
        let request: RequestInput = from_js(&request.js_value(), "request")?;
        let rules: Vec<ServerRule> = from_js(server, "server")?;
        let server = Server::new(&rules).map_err(|e| from_engine(&e, ""))?;
        let mut json = String::new();
        self.inner
            .fetch_json(&request, "request", &server, None, &mut json)
            .map_err(|e| from_engine(&e, ""))?;
        Ok(Ts::new_unchecked(js_sys::JSON::parse(&json)?))
    }
}

fn seconds_of(seconds: f64, path: &str) -> Result<Duration, JsValue> {
    if seconds.is_finite() && (0.0..=MAX_SECONDS).contains(&seconds) {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(input_error(
            path,
            "must be a number of seconds from 0 to 1e12",
        ))
    }
}
