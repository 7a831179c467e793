//! The output object written straight from the engine's [`Outcome`], through the same parts as
//! an owned [`Output`](crate::scenario::Output) (`write.rs`): the header lists, URLs and notes
//! are written where they are, nothing is copied only to be written.

use alloc::string::String;

use super::ToJson;
use super::write::{
    ErrorParts, ExchangeParts, OutputParts, ReceivedParts, ResponseParts, SentParts, WarningParts,
    write_list,
};
use crate::error::Failure;
use crate::fetch::{Exchange, Outcome, SentRequest};
use crate::fix::fix;
use crate::header::HeaderList;
use crate::message::{Context, console_message, warning_message};
use crate::response::{Response, VisibleResponse};
use crate::scenario::ProfileName;
use crate::warning::Warning;

/// The output object of `outcome`: what [`render`](crate::scenario::render) builds, written.
pub(crate) struct OutcomeJson<'a> {
    /// The scenario's `id`.
    pub id: Option<&'a str>,
    /// The profile used.
    pub profile: ProfileName,
    /// What the browser did.
    pub outcome: &'a Outcome,
    /// What the console line, the fix and the warnings are worded with.
    pub context: &'a Context<'a>,
}

impl ToJson for OutcomeJson<'_> {
    fn write_json(&self, out: &mut String) {
        let (outcome, context) = (self.outcome, self.context);
        OutputParts {
            id: self.id,
            profile: self.profile,
            verdict: outcome.verdict.as_str(),
            classification: outcome.classification.as_str(),
            exchanges: &outcome.exchanges,
            error: &outcome
                .failure
                .as_ref()
                .map(|failure| Blocked { failure, context }),
            warnings: &Warned {
                warnings: &outcome.warnings,
                context,
            },
            response: &outcome.response,
            trace: (!outcome.trace.is_empty()).then_some(&outcome.trace),
        }
        .write_json(out);
    }
}

/// A header list as the scenario format writes it: `[["name","value"],…]`.
impl ToJson for HeaderList {
    fn write_json(&self, out: &mut String) {
        write_list(self.as_slice(), out, |header, out| {
            (header.name.as_str(), header.value.as_str()).write_json(out);
        });
    }
}

impl ToJson for Exchange {
    fn write_json(&self, out: &mut String) {
        ExchangeParts {
            kind: self.request.kind.as_str(),
            request: &self.request,
            response: (!self.from_cache).then_some(&self.response as &dyn ToJson),
            from_cache: self.from_cache,
        }
        .write_json(out);
    }
}

impl ToJson for SentRequest {
    fn write_json(&self, out: &mut String) {
        SentParts {
            method: &self.method,
            url: self.url.as_str(),
            headers: &self.headers,
            credentials: self.credentials,
        }
        .write_json(out);
    }
}

impl ToJson for Response {
    fn write_json(&self, out: &mut String) {
        ReceivedParts {
            status: self.status,
            headers: &self.headers,
        }
        .write_json(out);
    }
}

impl ToJson for VisibleResponse {
    fn write_json(&self, out: &mut String) {
        ResponseParts {
            type_: self.type_.as_str(),
            status: self.status,
            headers: &self.headers,
            url: &self.url,
            redirected: self.redirected,
        }
        .write_json(out);
    }
}

/// `error`: why the request was blocked, with its console line and fix.
struct Blocked<'a> {
    failure: &'a Failure,
    context: &'a Context<'a>,
}

impl ToJson for Blocked<'_> {
    fn write_json(&self, out: &mut String) {
        let failure = self.failure;
        ErrorParts {
            kind: failure.kind.name(),
            stage: failure.stage.as_str(),
            message: &console_message(failure, self.context),
            fix: &fix(failure, self.context),
            failed_parameter: failure.failed_parameter.as_deref(),
        }
        .write_json(out);
    }
}

/// `warnings`, each with what it means.
struct Warned<'a> {
    warnings: &'a [Warning],
    context: &'a Context<'a>,
}

impl ToJson for Warned<'_> {
    fn write_json(&self, out: &mut String) {
        write_list(self.warnings, out, |warning, out| {
            WarningParts {
                kind: warning.kind.name(),
                message: &warning_message(warning, self.context),
            }
            .write_json(out);
        });
    }
}
