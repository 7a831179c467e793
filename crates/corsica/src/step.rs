//! Single steps of a fetch, one at a time: what the bindings' `classify`, `preflightRequest`,
//! `checkResponse` and `exposedHeaders` call.
//!
//! [`check_response`] drives the same [`Fetch`] machine as [`evaluate`](crate::evaluate), so a
//! step reaches the verdict, the error kind and the warnings a whole fetch would; with the
//! `serde` feature, the functions taking scenario-format DTOs ([`RequestInput`](crate::scenario::RequestInput),
//! [`ResponseInput`]) validate them, naming the field of any problem, and answer with the output
//! DTOs of the scenario format.

use core::time::Duration;

use crate::cache::{CacheRequest, PreflightCache};
use crate::fetch::{ExchangeKind, Fetch, Outcome, Poll, Verdict};
use crate::origin::serialize_request_origin;
use crate::profile::Profile;
use crate::request::{CredentialsMode, Request};
use crate::response::{NetworkError, Response};

/// One response checked the way the fetch of `request` checks it, with an empty preflight cache
/// at time zero:
///
/// - `preflight`: as the answer to the [CORS-preflight request](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0)
///   (the CORS check, the ok status, the methods, the headers, max-age);
/// - otherwise: as the answer to the request itself, any preflight having passed (the
///   [CORS check](https://fetch.spec.whatwg.org/#concept-cors-check) when the response tainting
///   is "cors"; nothing for a same-origin or `no-cors` request).
///
/// The outcome stops at that check: [`Verdict::Allowed`] means the response passes it, and the
/// exchanges end with the one checked. A request that `fetch()` refuses before sending anything
/// gives that refusal. `None` when `preflight` is asked for and the browser sends no preflight
/// for `request`.
pub fn check_response(
    request: &Request,
    profile: &Profile,
    response: &Response,
    preflight: bool,
) -> Option<Outcome> {
    let mut cache = PreflightCache::new(profile);
    if !preflight {
        // Grant the request's method and every header name it sends, so that the fetch goes
        // straight to the request itself (the preflight "answered from the cache").
        let include = request.credentials == CredentialsMode::Include;
        let origin = serialize_request_origin(&request.origin, core::slice::from_ref(&request.url));
        let cache_request = CacheRequest {
            origin,
            url: request.url.as_str(),
            credentials: include,
        };
        cache.store(
            &cache_request,
            [request.method.as_str()],
            request.headers.iter().map(|h| h.name.as_str()),
            1,
            Duration::ZERO,
        );
    }
    let mut fetch = Fetch::new(request, profile, &mut cache, Duration::ZERO);
    let sent = match fetch.poll() {
        Poll::Send(sent) => sent.kind,
        // Refused before anything was sent.
        Poll::Done => return Some(fetch.into_outcome()),
    };
    if preflight && sent != ExchangeKind::Preflight {
        return None;
    }
    fetch.respond(Ok(response.clone()));
    let passed = matches!(fetch.poll(), Poll::Send(_));
    if passed {
        // The fetch goes on (to the request itself, or to a redirect's target): end it with a
        // network error and keep what the check left.
        fetch.respond(Err(NetworkError::ConnectionRefused));
    }
    let mut outcome = fetch.into_outcome();
    if passed {
        outcome.exchanges.pop();
        outcome.verdict = Verdict::Allowed;
        outcome.failure = None;
        outcome.response = None;
    }
    if !preflight {
        outcome.exchanges.retain(|e| !e.from_cache);
    }
    Some(outcome)
}

#[cfg(feature = "serde")]
pub use dto::*;

#[cfg(feature = "serde")]
mod dto {
    use alloc::format;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    use serde::{Deserialize, Serialize};

    use crate::explain::explain_text;
    use crate::expose::cors_filtered_headers;
    use crate::fetch::{Classification, classify, preflight_request};
    use crate::header::name::is_header_name;
    use crate::profile::Profile;
    use crate::response::Response;
    use crate::scenario::{
        Browser, Credentials, ErrorOutput, HeaderPair, InputError, Output, ProfileName,
        RequestInput, Scenario, ScenarioOutput, SentOutput, Server, WarningOutput, check_headers,
        render,
    };

    /// A response given to a single step: a status and headers.
    #[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    pub struct ResponseInput {
        /// The status (100 to 999).
        pub status: u16,
        /// The headers, in order, duplicates kept.
        #[serde(default)]
        pub headers: Vec<HeaderPair>,
    }

    impl ResponseInput {
        /// Validates the response, naming `path` in errors; values are trimmed of leading and
        /// trailing HTTP whitespace as an HTTP parser leaves them.
        pub fn to_response(&self, path: &str) -> Result<Response, InputError> {
            if !(100..=999).contains(&self.status) {
                return Err(problem(format!("{path}.status"), "must be from 100 to 999"));
            }
            check_headers(&self.headers, || format!("{path}.headers"))?;
            if let Some(i) = self
                .headers
                .iter()
                .position(|(name, _)| !is_header_name(name))
            {
                return Err(problem(
                    format!("{path}.headers[{i}][0]"),
                    "not a header name (an HTTP token)",
                ));
            }
            Ok(Response::with_headers(
                self.status,
                self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            ))
        }
    }

    /// The options of a single check (`checkResponse` of the npm package).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    pub struct CheckOptions {
        /// Check the response as the answer to the CORS preflight (default: as the answer to
        /// the request itself).
        #[serde(default)]
        pub preflight: bool,
        /// Whose behaviour to model (default `spec`).
        #[serde(default)]
        pub profile: ProfileName,
    }

    /// The options of a [`Browser`] made for a sequence of requests (`new Browser(profile,
    /// options)` of the npm package).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    pub struct BrowserOptions {
        /// Record the step trace in each output.
        #[serde(default)]
        pub trace: bool,
    }

    /// What [`check_response_output`] answers: whether the response passes the check, and why
    /// not.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    pub struct CheckOutput {
        /// `allowed` when the response passes the check, `blocked` when it fails it.
        #[cfg_attr(feature = "tsify", tsify(type = "\"allowed\" | \"blocked\""))]
        pub verdict: &'static str,
        /// Why it fails (the scenario format's `error`).
        pub error: Option<ErrorOutput>,
        /// Fragile things (the scenario format's `warnings`).
        pub warnings: Vec<WarningOutput>,
    }

    fn problem(path: String, problem: impl ToString) -> InputError {
        InputError {
            path,
            problem: problem.to_string(),
        }
    }

    /// How `input` is classed before anything is sent (the scenario format's `classification`):
    /// `disallowed` when `fetch()` would throw.
    pub fn classify_input(
        input: &RequestInput,
        path: &str,
        profile: ProfileName,
    ) -> Result<&'static str, InputError> {
        let classification = match input.to_request(path)? {
            Ok(request) => classify(&request, &Profile::of(profile.into())),
            Err(_) => Classification::Disallowed,
        };
        Ok(classification.as_str())
    }

    /// The preflight the browser sends first for `input`, with an empty preflight cache, as the
    /// scenario format's `exchanges[].request`; `None` when it sends none.
    pub fn preflight_output(
        input: &RequestInput,
        path: &str,
        profile: ProfileName,
    ) -> Result<Option<SentOutput>, InputError> {
        let Ok(request) = input.to_request(path)? else {
            return Ok(None);
        };
        Ok(
            preflight_request(&request, &Profile::of(profile.into())).map(|sent| SentOutput {
                method: sent.method.into(),
                url: sent.url.to_string(),
                headers: sent.headers.to_pairs(),
                credentials: sent.credentials,
            }),
        )
    }

    /// [`check_response`](super::check_response) on scenario-format DTOs: `response` (validated
    /// at `response_path`) as the answer to `input`'s preflight (`preflight`) or to `input`
    /// itself. An input error at `response_path` when a preflight is asked for and the browser
    /// sends none.
    pub fn check_response_output(
        input: &RequestInput,
        path: &str,
        response: &ResponseInput,
        response_path: &str,
        preflight: bool,
        profile: ProfileName,
    ) -> Result<CheckOutput, InputError> {
        let request = input.to_request(path)?;
        let response = response.to_response(response_path)?;
        let engine = Profile::of(profile.into());
        let output = match request {
            Ok(request) => {
                let outcome = super::check_response(&request, &engine, &response, preflight)
                    .ok_or_else(|| {
                        problem(
                            String::from(response_path),
                            "the browser sends no preflight for this request",
                        )
                    })?;
                render(None, profile, &outcome, &outcome.context(&request, &engine))
            }
            // `fetch()` throws before anything is sent: the same output as a whole fetch.
            Err(_) => Browser::new(profile).fetch(input, path, &Server::new(&[])?, None)?,
        };
        Ok(CheckOutput {
            verdict: output.verdict,
            error: output.error,
            warnings: output.warnings,
        })
    }

    /// The headers script can read from a CORS response with `response`'s headers (the
    /// safelisted ones and those `Access-Control-Expose-Headers` names; `*` only without
    /// credentials), validated at `path`.
    pub fn exposed_headers_output(
        response: &ResponseInput,
        path: &str,
        credentials: Credentials,
    ) -> Result<Vec<HeaderPair>, InputError> {
        let response = response.to_response(path)?;
        let include = credentials == Credentials::Include;
        Ok(cors_filtered_headers(&response.headers, include).to_pairs())
    }

    /// The scenario explained in plain words, as `corsica explain` prints it: the scenario runs
    /// with its step trace, and each request's [`explain_text`] follows the one before it.
    pub fn explain_scenario(scenario: &Scenario) -> Result<String, InputError> {
        let mut scenario = scenario.clone();
        scenario.trace = true;
        let output = scenario.evaluate()?;
        let outputs: Vec<&Output> = match &output {
            ScenarioOutput::Single(one) => alloc::vec![one],
            ScenarioOutput::Multi(many) => many.results.iter().collect(),
        };
        let requests = scenario
            .request
            .iter()
            .chain(scenario.requests.iter().flatten());
        let mut text = String::new();
        for (output, request) in outputs.into_iter().zip(requests) {
            text.push_str(&explain_text(output, request));
            text.push('\n');
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::origin::Origin;
    use crate::request::RequestInit;

    fn request(method: &str) -> Request {
        let page = Origin::parse("https://app.example").unwrap();
        let mut init = RequestInit::new(page, "https://api.example/x".parse().unwrap());
        init.method = method.into();
        Request::new(init).unwrap()
    }

    fn response(status: u16, headers: &[(&str, &str)]) -> Response {
        Response::with_headers(status, headers.iter().copied())
    }

    #[test]
    fn a_preflight_answer_passes_or_fails_alone() {
        let put = request("PUT");
        let acao = ("Access-Control-Allow-Origin", "https://app.example");
        let granted = response(204, &[acao, ("Access-Control-Allow-Methods", "PUT")]);
        let outcome = check_response(&put, &Profile::SPEC, &granted, true).unwrap();
        assert_eq!(outcome.verdict, Verdict::Allowed);
        assert_eq!(outcome.exchanges.len(), 1);
        assert_eq!(outcome.exchanges[0].request.kind, ExchangeKind::Preflight);

        let refused = response(204, &[acao]);
        let outcome = check_response(&put, &Profile::SPEC, &refused, true).unwrap();
        assert_eq!(outcome.verdict, Verdict::Blocked);
        assert_eq!(
            outcome.failure.map(|f| f.kind),
            Some(ErrorKind::MethodDisallowedByPreflightResponse)
        );
    }

    #[test]
    fn the_answer_to_the_request_itself_skips_the_preflight() {
        let put = request("PUT");
        let outcome = check_response(&put, &Profile::SPEC, &response(200, &[]), false).unwrap();
        assert_eq!(outcome.verdict, Verdict::Blocked);
        assert_eq!(outcome.exchanges.len(), 1);
        assert_eq!(outcome.exchanges[0].request.kind, ExchangeKind::Request);
        assert_eq!(
            outcome.failure.map(|f| f.kind),
            Some(ErrorKind::MissingAllowOriginHeader)
        );
    }

    #[test]
    fn no_preflight_to_check_for_a_simple_request() {
        let get = request("GET");
        assert!(check_response(&get, &Profile::SPEC, &response(204, &[]), true).is_none());
    }
}
