//! The [scenario format](https://github.com/corsica-rs/corsica/blob/main/spec-tests/README.md):
//! one JSON shape for `corsica eval`, the npm `evaluate()`, the conformance vectors and the
//! browser recordings.
//!
//! [`Scenario`] deserializes the input (unknown fields are refused); [`Scenario::evaluate`]
//! validates it, naming the field of any problem, runs it, and returns an [`Output`] that
//! serializes to the output object.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use crate::url::Url;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::lna::AddressSpace;
use crate::origin::Origin;
use crate::profile::{Engine, Profile};
use crate::request::{
    CredentialsMode, LocalNetworkPermission, RedirectMode, Request, RequestInit, RequestMode,
};

mod browser;
mod output;
mod server;

pub use browser::Browser;
pub use output::{
    ErrorOutput, ExchangeOutput, MultiOutput, Output, ReceivedOutput, ResponseOutput,
    ScenarioOutput, SentOutput, TraceOutput, WarningOutput, render,
};
pub use server::Server;

/// Bounds on input sizes, so memory stays bounded whatever a scenario holds.
pub mod limits {
    /// The most headers in one request or server rule.
    pub const MAX_HEADERS: usize = 1024;
    /// The most bytes in one header name or value.
    pub const MAX_HEADER_BYTES: usize = 64 * 1024;
    /// The most bytes in all the header names and values of one request or server rule, so that
    /// the work of one exchange stays bounded whatever the headers' number and length.
    pub const MAX_HEADER_LIST_BYTES: usize = 256 * 1024;
    /// The most server rules.
    pub const MAX_RULES: usize = 1024;
    /// The most requests in a `requests` scenario.
    pub const MAX_REQUESTS: usize = 1024;
    /// The most bytes in a URL or origin.
    pub const MAX_URL_BYTES: usize = 8 * 1024;
}

/// A profile name in the scenario format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub enum ProfileName {
    /// `spec`.
    #[default]
    Spec,
    /// `chromium`.
    Chromium,
    /// `firefox`.
    Firefox,
    /// `webkit`.
    Webkit,
}

impl ProfileName {
    /// Every profile name.
    pub const ALL: &'static [Self] = &[Self::Spec, Self::Chromium, Self::Firefox, Self::Webkit];

    /// The scenario format's spelling.
    pub const fn as_str(self) -> &'static str {
        Engine::as_str(match self {
            Self::Spec => Engine::Spec,
            Self::Chromium => Engine::Chromium,
            Self::Firefox => Engine::Firefox,
            Self::Webkit => Engine::Webkit,
        })
    }
}

impl From<ProfileName> for Engine {
    fn from(name: ProfileName) -> Self {
        match name {
            ProfileName::Spec => Self::Spec,
            ProfileName::Chromium => Self::Chromium,
            ProfileName::Firefox => Self::Firefox,
            ProfileName::Webkit => Self::Webkit,
        }
    }
}

macro_rules! dto_enum {
    ($(#[$doc:meta])* $name:ident => $target:ty { $($variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
        pub enum $name {
            $(
                #[doc = concat!("`", $text, "`.")]
                #[serde(rename = $text)]
                $variant,
            )*
        }

        impl $name {
            /// Every keyword.
            pub const ALL: &'static [Self] = &[$($name::$variant),*];

            /// The scenario format's spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Keyword;
                impl serde::de::Visitor<'_> for Keyword {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("one of ")?;
                        for (i, name) in [$($text),*].iter().enumerate() {
                            write!(f, "{}\"{name}\"", if i == 0 { "" } else { ", " })?;
                        }
                        Ok(())
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        match value {
                            $($text => Ok($name::$variant),)*
                            _ => Err(E::invalid_value(serde::de::Unexpected::Str(value), &self)),
                        }
                    }
                }
                deserializer.deserialize_str(Keyword)
            }
        }

        impl From<$name> for $target {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant,)*
                }
            }
        }
    };
}

dto_enum!(
    /// `request.mode`.
    Mode => RequestMode { Cors = "cors", NoCors = "no-cors", SameOrigin = "same-origin", Navigate = "navigate", }
);
dto_enum!(
    /// `request.credentials`.
    Credentials => CredentialsMode { Omit = "omit", SameOrigin = "same-origin", Include = "include", }
);
dto_enum!(
    /// `request.redirect`.
    Redirect => RedirectMode { Follow = "follow", Error = "error", Manual = "manual", }
);
dto_enum!(
    /// An IP address space.
    Space => AddressSpace { Public = "public", Local = "local", Loopback = "loopback", }
);
dto_enum!(
    /// `request.local_network_permission`.
    Permission => LocalNetworkPermission { Prompt = "prompt", Granted = "granted", Denied = "denied", }
);

/// A header as the scenario format writes it: `[name, value]`.
#[cfg_attr(feature = "tsify", tsify::declare)]
pub type HeaderPair = (String, String);

/// `request` (and each item of `requests`): what the page passes to `fetch()`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct RequestInput {
    /// The page's serialized origin, or `null`.
    pub origin: String,
    /// The URL of the document that calls `fetch()` (default: its origin followed by `/`).
    /// Browsers name it in a few console lines; its origin must be `origin` (any URL for an
    /// opaque origin, e.g. `about:srcdoc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The URL.
    pub url: String,
    /// The method (default `GET`).
    #[serde(default = "default_method")]
    pub method: String,
    /// The headers.
    #[serde(default)]
    pub headers: Vec<HeaderPair>,
    /// The mode (default `cors`).
    #[serde(default = "default_mode")]
    pub mode: Mode,
    /// The credentials mode (default `same-origin`).
    #[serde(default = "default_credentials")]
    pub credentials: Credentials,
    /// The redirect mode (default `follow`).
    #[serde(default = "default_redirect")]
    pub redirect: Redirect,
    /// The use-CORS-preflight flag (an XHR upload listener, a streaming body).
    #[serde(default)]
    pub use_cors_preflight: bool,
    /// The page's IP address space, when its origin's host does not say it.
    #[serde(default)]
    pub address_space: Option<Space>,
    /// `fetch(url, {targetAddressSpace})`.
    #[serde(default)]
    pub target_address_space: Option<Space>,
    /// The answer to the Local Network Access prompt (default `prompt`).
    #[serde(default = "default_permission")]
    pub local_network_permission: Permission,
    /// For an item of `requests`: seconds since the first request.
    #[serde(default)]
    pub at: Option<f64>,
    /// A string body: `fetch()` adds `Content-Type: text/plain;charset=UTF-8` when the page
    /// sets none, and refuses a body on `GET` and `HEAD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// For an item of `requests`: the server's rules while this request plays (instead of the
    /// scenario's), e.g. a failing preflight that shows whether the cache answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<Vec<ServerRule>>,
}

/// A request of the format with every field at its default, `origin` and `url` empty.
#[cfg(feature = "json")]
pub(crate) fn default_request() -> RequestInput {
    RequestInput {
        origin: String::new(),
        page: None,
        url: String::new(),
        method: default_method(),
        headers: Vec::new(),
        mode: default_mode(),
        credentials: default_credentials(),
        redirect: default_redirect(),
        use_cors_preflight: false,
        address_space: None,
        target_address_space: None,
        local_network_permission: default_permission(),
        at: None,
        body: None,
        server: None,
    }
}

fn default_method() -> String {
    String::from("GET")
}
const fn default_mode() -> Mode {
    Mode::Cors
}
const fn default_credentials() -> Credentials {
    Credentials::SameOrigin
}
const fn default_redirect() -> Redirect {
    Redirect::Follow
}
const fn default_permission() -> Permission {
    Permission::Prompt
}

/// An item of `server`: a rule the scripted server answers with.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ServerRule {
    /// Matches this method exactly, as sent; absent matches any.
    #[serde(default)]
    pub method: Option<String>,
    /// Matches this URL exactly (serialized, without fragment); absent matches any.
    #[serde(default)]
    pub url: Option<String>,
    /// Matches only CORS-preflight requests (`OPTIONS` with `Access-Control-Request-Method`)
    /// when true, only other requests when false; absent matches both.
    #[serde(default)]
    pub preflight: Option<bool>,
    /// The status.
    pub status: u16,
    /// The headers, in order, duplicates kept.
    #[serde(default)]
    pub headers: Vec<HeaderPair>,
    /// The address space the server's IP is in, for hosts that are names.
    #[serde(default)]
    pub address_space: Option<Space>,
    /// The response body (recorded for replay; CORS never reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Seconds the server waits before answering (the browser oracle plays it; the engine has no
    /// timeouts, so it only records it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<f64>,
    /// The reason phrase (recorded; CORS never reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A scenario: what a page asks for and how the server answers.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Scenario {
    /// Echoed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Whose behaviour to model (default `spec`).
    #[serde(default)]
    pub profile: ProfileName,
    /// One request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestInput>,
    /// Several requests through one browser and one preflight cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<RequestInput>>,
    /// The server's rules; first match wins.
    #[serde(default)]
    pub server: Vec<ServerRule>,
    /// Labels (the oracle's generator marks what a scenario exercises); ignored by evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Include the step trace in the output.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub trace: bool,
    /// Where a vector comes from (ignored by evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A vector's expected output (ignored by evaluation).
    #[serde(default, skip_serializing)]
    pub expected: Option<IgnoredAny>,
}

/// Bad input: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The field's path, e.g. `request.headers[2][0]`.
    pub path: String,
    /// The problem.
    pub problem: String,
}

impl InputError {
    fn new(path: impl Into<String>, problem: impl fmt::Display) -> Self {
        Self {
            path: path.into(),
            problem: problem.to_string(),
        }
    }
}

impl InputError {
    /// The same error, for a field inside `parent` (`server[0].status` → `requests[1].server[0].status`).
    fn within(self, parent: &str) -> Self {
        Self {
            path: alloc::format!("{parent}.{}", self.path),
            ..self
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl core::error::Error for InputError {}

/// Refuses a URL or origin longer than [`limits::MAX_URL_BYTES`].
fn within_url_limit(input: &str, path: impl Fn() -> String) -> Result<(), InputError> {
    if input.len() > limits::MAX_URL_BYTES {
        return Err(InputError::new(
            path(),
            alloc::format!("longer than {} bytes", limits::MAX_URL_BYTES),
        ));
    }
    Ok(())
}

fn parse_url(input: &str, path: impl Fn() -> String) -> Result<Url, InputError> {
    within_url_limit(input, &path)?;
    Url::parse(input).map_err(|e| InputError::new(path(), alloc::format!("not a URL ({e})")))
}

/// Checks the scenario format's limits on a header list.
pub(crate) fn check_headers(
    pairs: &[HeaderPair],
    path: impl Fn() -> String,
) -> Result<(), InputError> {
    if pairs.len() > limits::MAX_HEADERS {
        return Err(InputError::new(
            path(),
            alloc::format!("at most {} headers", limits::MAX_HEADERS),
        ));
    }
    for (i, (name, value)) in pairs.iter().enumerate() {
        if name.len() > limits::MAX_HEADER_BYTES || value.len() > limits::MAX_HEADER_BYTES {
            return Err(InputError::new(
                alloc::format!("{}[{i}]", path()),
                alloc::format!("longer than {} bytes", limits::MAX_HEADER_BYTES),
            ));
        }
    }
    let total: usize = pairs.iter().map(|(n, v)| n.len() + v.len()).sum();
    if total > limits::MAX_HEADER_LIST_BYTES {
        return Err(InputError::new(
            path(),
            alloc::format!(
                "names and values longer than {} bytes in all",
                limits::MAX_HEADER_LIST_BYTES
            ),
        ));
    }
    Ok(())
}

impl RequestInput {
    /// Validates the request and runs the `fetch()` API layer: `Ok(Err(_))` is a `fetch()` that
    /// throws (a verdict), `Err(_)` is bad input.
    pub fn to_request(
        &self,
        path: &str,
    ) -> Result<Result<Request, (crate::request::Rejection, Url)>, InputError> {
        self.to_request_parsed(path, None)
    }

    /// [`RequestInput::to_request`], `url` given when already parsed (by a server rule of the
    /// same text).
    fn to_request_parsed(
        &self,
        path: &str,
        url: Option<&Url>,
    ) -> Result<Result<Request, (crate::request::Rejection, Url)>, InputError> {
        within_url_limit(&self.origin, || alloc::format!("{path}.origin"))?;
        let origin = Origin::parse(&self.origin)
            .map_err(|e| InputError::new(alloc::format!("{path}.origin"), e))?;
        let url = match url {
            Some(url) => url.clone(),
            None => parse_url(&self.url, || alloc::format!("{path}.url"))?,
        };
        check_headers(&self.headers, || alloc::format!("{path}.headers"))?;
        let mut init = RequestInit::new(origin, url.clone());
        init.method.clone_from(&self.method);
        init.headers.clone_from(&self.headers);
        init.mode = self.mode.into();
        init.credentials = self.credentials.into();
        init.redirect = self.redirect.into();
        init.use_cors_preflight = self.use_cors_preflight;
        init.client_address_space = self.address_space.map(Into::into);
        init.target_address_space = self.target_address_space.map(Into::into);
        init.local_network_permission = self.local_network_permission.into();
        init.body.clone_from(&self.body);
        Ok(Request::new(init).map_err(|rejection| (rejection, url)))
    }

    /// The `page` URL, checked against `origin` (an opaque origin may have any page).
    fn page_url(&self, path: &str) -> Result<Option<Url>, InputError> {
        let Some(page) = &self.page else {
            return Ok(None);
        };
        let field = || alloc::format!("{path}.page");
        let url = parse_url(page, field)?;
        if self.origin != "null" && url.origin().ascii_serialization() != self.origin {
            return Err(InputError::new(
                field(),
                alloc::format!("the page's origin must be request.origin ({})", self.origin),
            ));
        }
        Ok(Some(url))
    }
}

#[cfg(feature = "json")]
impl Scenario {
    /// Parses a scenario from JSON, naming the field of any problem (`request.headers[1]: …`).
    pub fn from_json(json: &str) -> Result<Self, InputError> {
        if !json.trim_start().starts_with('{') {
            return Err(InputError::new(
                "",
                "a scenario is a JSON object: {\"request\": …, \"server\": […]}",
            ));
        }
        crate::json::FromJson::from_json(json)
    }
}

/// The output as compact JSON.
#[cfg(feature = "json")]
pub fn to_json(output: &ScenarioOutput) -> String {
    crate::json::ToJson::to_json(output)
}

impl Scenario {
    /// The profile the scenario names.
    pub fn profile(&self) -> Profile {
        Profile::of(self.profile.into())
    }

    /// Validates and runs the scenario.
    pub fn evaluate(&self) -> Result<ScenarioOutput, InputError> {
        let ran = self.run(|browser, request, path, server, id| {
            browser.fetch(request, path, server, id.map(String::from))
        })?;
        Ok(match ran {
            Ran::Single(output) => ScenarioOutput::Single(output),
            Ran::Multi(results) => ScenarioOutput::Multi(MultiOutput {
                id: self.id.clone(),
                profile: self.profile,
                results,
            }),
        })
    }

    /// [`Scenario::evaluate`], the output appended to `out` as compact JSON (what
    /// [`to_json`] writes for it) rather than built; on an error, `out` is left as it was.
    #[cfg(feature = "json")]
    pub fn evaluate_json(&self, out: &mut String) -> Result<(), InputError> {
        let start = out.len();
        let ran = if matches!((&self.request, &self.requests), (None, Some(_))) {
            crate::json::write_multi(self.id.as_deref(), self.profile, out, |out| {
                out.push('[');
                let mut first = true;
                let ran = self.run(|browser, request, path, server, id| {
                    if !core::mem::take(&mut first) {
                        out.push(',');
                    }
                    browser.fetch_json(request, path, server, id, out)
                });
                out.push(']');
                ran
            })
        } else {
            self.run(|browser, request, path, server, id| {
                browser.fetch_json(request, path, server, id, out)
            })
        };
        ran.map(drop).inspect_err(|_| out.truncate(start))
    }

    /// Validates the scenario and runs its requests one after another through one browser,
    /// handing each to `fetch` with the `id` its output carries (the scenario's for `request`,
    /// none for an item of `requests`).
    fn run<T>(
        &self,
        mut fetch: impl FnMut(
            &mut Browser,
            &RequestInput,
            &str,
            &Server<'_>,
            Option<&str>,
        ) -> Result<T, InputError>,
    ) -> Result<Ran<T>, InputError> {
        let server = Server::new(&self.server)?;
        match (&self.request, &self.requests) {
            (Some(request), None) => {
                if request.at.is_some() {
                    return Err(InputError::new(
                        "request.at",
                        "only items of requests have a time",
                    ));
                }
                if request.server.is_some() {
                    return Err(InputError::new(
                        "request.server",
                        "only items of requests have rules of their own; give the scenario's server",
                    ));
                }
                let mut browser = Browser::for_one_request(self.profile).with_trace(self.trace);
                fetch(
                    &mut browser,
                    request,
                    "request",
                    &server,
                    self.id.as_deref(),
                )
                .map(Ran::Single)
            }
            (None, Some(requests)) => {
                if requests.is_empty() || requests.len() > limits::MAX_REQUESTS {
                    return Err(InputError::new(
                        "requests",
                        alloc::format!("needs 1 to {} requests", limits::MAX_REQUESTS),
                    ));
                }
                let mut browser = Browser::new(self.profile).with_trace(self.trace);
                let mut results = Vec::with_capacity(requests.len());
                let mut last = 0.0;
                for (i, request) in requests.iter().enumerate() {
                    let path = alloc::format!("requests[{i}]");
                    let at = request.at.unwrap_or(last);
                    if !at.is_finite() || at < last || at > 1e12 {
                        return Err(InputError::new(
                            alloc::format!("{path}.at"),
                            "must be a number of seconds, no earlier than the request before it",
                        ));
                    }
                    last = at;
                    browser.set_time(Duration::from_secs_f64(at));
                    let own = match &request.server {
                        Some(rules) => Some(Server::new(rules).map_err(|e| e.within(&path))?),
                        None => None,
                    };
                    results.push(fetch(
                        &mut browser,
                        request,
                        &path,
                        own.as_ref().unwrap_or(&server),
                        None,
                    )?);
                }
                Ok(Ran::Multi(results))
            }
            (Some(_), Some(_)) => Err(InputError::new(
                "requests",
                "give either request or requests, not both",
            )),
            (None, None) => Err(InputError::new(
                "request",
                "missing: give request (or requests)",
            )),
        }
    }
}

/// What [`Scenario::run`] gives: the output of its one `request`, or of each of its `requests`.
enum Ran<T> {
    Single(T),
    Multi(Vec<T>),
}
