//! The output objects: what a scenario's evaluation gives, as the format writes it.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::{HeaderPair, ProfileName};
use crate::fetch::Outcome;
use crate::fix::fix;
use crate::message::{Context, console_message, warning_message};

/// The output for one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Output {
    /// The scenario's `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The profile used.
    pub profile: ProfileName,
    #[cfg_attr(feature = "tsify", tsify(type = "\"allowed\" | \"blocked\""))]
    /// `allowed` or `blocked`.
    pub verdict: &'static str,
    #[cfg_attr(feature = "tsify", tsify(type = "Classification"))]
    /// How the request was classed.
    pub classification: &'static str,
    /// What was sent.
    pub exchanges: Vec<ExchangeOutput>,
    /// Why it was blocked.
    pub error: Option<ErrorOutput>,
    /// Fragile things.
    pub warnings: Vec<WarningOutput>,
    /// What the script sees.
    pub response: Option<ResponseOutput>,
    /// The step trace, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub trace: Vec<TraceOutput>,
}

/// The output of a `requests` scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct MultiOutput {
    /// The scenario's `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The profile used.
    pub profile: ProfileName,
    /// One output per request.
    pub results: Vec<Output>,
}

/// Either output shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
// `allow`, not `expect`: with 32-bit pointers (wasm32) the variants are close enough in size.
#[allow(
    clippy::large_enum_variant,
    reason = "built once per scenario, then serialized"
)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub enum ScenarioOutput {
    /// For `request`.
    Single(Output),
    /// For `requests`.
    Multi(MultiOutput),
}

/// `exchanges[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ExchangeOutput {
    #[cfg_attr(feature = "tsify", tsify(type = "\"preflight\" | \"request\""))]
    /// `preflight` or `request`.
    pub kind: &'static str,
    /// The request as sent.
    pub request: SentOutput,
    /// The response; absent for a preflight answered from the cache, `null` for a network error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Option<ReceivedOutput>>,
    /// Answered from the preflight cache.
    pub from_cache: bool,
}

/// `exchanges[].request`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct SentOutput {
    /// The method.
    pub method: String,
    /// The URL.
    pub url: String,
    /// The headers that matter to CORS.
    pub headers: Vec<HeaderPair>,
    /// Cookies and HTTP authentication attached.
    pub credentials: bool,
}

/// `exchanges[].response`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ReceivedOutput {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: Vec<HeaderPair>,
}

/// `error`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ErrorOutput {
    #[cfg_attr(feature = "tsify", tsify(type = "ErrorKind"))]
    /// The [`ErrorKind`](crate::ErrorKind) name.
    pub kind: &'static str,
    #[cfg_attr(feature = "tsify", tsify(type = "Stage"))]
    /// `request`, `preflight`, `response` or `redirect`.
    pub stage: &'static str,
    /// The console line.
    pub message: String,
    /// What to change on the server.
    pub fix: String,
    /// Chromium's hint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_parameter: Option<String>,
}

/// `warnings[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct WarningOutput {
    #[cfg_attr(feature = "tsify", tsify(type = "WarningKind"))]
    /// The [`WarningKind`](crate::warning::WarningKind) name.
    pub kind: &'static str,
    /// What it means.
    pub message: String,
}

/// `response`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ResponseOutput {
    /// `basic`, `cors`, `opaque` or `opaqueredirect`.
    #[cfg_attr(feature = "tsify", tsify(type = "ResponseType"))]
    #[serde(rename = "type")]
    pub type_: &'static str,
    /// The status (0 for opaque types).
    pub status: u16,
    /// What `response.headers` shows.
    pub headers: Vec<HeaderPair>,
    /// `response.url`.
    pub url: String,
    /// `response.redirected`.
    pub redirected: bool,
}

/// `trace[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct TraceOutput {
    /// The algorithm.
    pub algorithm: &'static str,
    /// Its anchor.
    pub anchor: &'static str,
    /// What happened.
    pub note: String,
}

/// The output object for `outcome`.
pub fn render(
    id: Option<String>,
    name: ProfileName,
    outcome: &Outcome,
    context: &Context<'_>,
) -> Output {
    Output {
        id,
        profile: name,
        verdict: outcome.verdict.as_str(),
        classification: outcome.classification.as_str(),
        exchanges: outcome
            .exchanges
            .iter()
            .map(|e| ExchangeOutput {
                kind: e.request.kind.as_str(),
                request: SentOutput {
                    method: e.request.method.as_str().into(),
                    url: e.request.url.to_string(),
                    headers: e.request.headers.to_pairs(),
                    credentials: e.request.credentials,
                },
                response: if e.from_cache {
                    None
                } else {
                    Some(e.response.as_ref().map(|r| ReceivedOutput {
                        status: r.status,
                        headers: r.headers.to_pairs(),
                    }))
                },
                from_cache: e.from_cache,
            })
            .collect(),
        error: outcome.failure.as_ref().map(|f| ErrorOutput {
            kind: f.kind.name(),
            stage: f.stage.as_str(),
            message: console_message(f, context),
            fix: fix(f, context),
            failed_parameter: f.failed_parameter.clone(),
        }),
        warnings: outcome
            .warnings
            .iter()
            .map(|w| WarningOutput {
                kind: w.kind.name(),
                message: warning_message(w, context),
            })
            .collect(),
        response: outcome.response.as_ref().map(|r| ResponseOutput {
            type_: r.type_.as_str(),
            status: r.status,
            headers: r.headers.to_pairs(),
            url: r.url.clone(),
            redirected: r.redirected,
        }),
        trace: outcome
            .trace
            .iter()
            .map(|t| TraceOutput {
                algorithm: t.algorithm,
                anchor: t.anchor,
                note: t.note.clone(),
            })
            .collect(),
    }
}
