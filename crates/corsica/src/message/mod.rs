//! Console messages: what each browser prints when it blocks a request.
//!
//! (Placeholder: the per-browser renderers are being written.)

use alloc::string::String;

use url::Url;

use crate::error::Failure;
use crate::header::HeaderList;
use crate::profile::Profile;
use crate::request::CredentialsMode;
use crate::warning::Warning;

/// What a message or a fix needs beyond the [`Failure`] itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The profile whose browser prints the message.
    pub profile: &'a Profile,
    /// The page's serialized origin (`null` for an opaque origin).
    pub origin: &'a str,
    /// The URL the page passed to `fetch()`.
    pub initial_url: &'a Url,
    /// The request's method, as sent.
    pub method: &'a str,
    /// The request's credentials mode.
    pub credentials: CredentialsMode,
    /// The headers of the response that failed, when there was one.
    pub response_headers: Option<&'a HeaderList>,
}

/// The console line the profile's browser prints for `failure`.
pub fn console_message(failure: &Failure, _ctx: &Context<'_>) -> String {
    alloc::format!("{}", failure.kind)
}

/// The text of a warning, in the profile's voice.
pub fn warning_message(warning: &Warning, _ctx: &Context<'_>) -> String {
    alloc::format!("{}: {}", warning.kind, warning.detail)
}
