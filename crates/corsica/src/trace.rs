//! The step trace: which step of which algorithm decided, with the spec anchor.

use alloc::string::String;

/// One step that mattered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceStep {
    /// The algorithm, e.g. "CORS check".
    pub algorithm: &'static str,
    /// The spec anchor of the algorithm's definition.
    pub anchor: &'static str,
    /// What happened, in a sentence.
    pub note: String,
}

/// Spec anchors of the algorithms the trace names.
pub mod anchors {
    /// Main fetch.
    pub const MAIN_FETCH: &str = "https://fetch.spec.whatwg.org/#concept-main-fetch";
    /// HTTP fetch.
    pub const HTTP_FETCH: &str = "https://fetch.spec.whatwg.org/#concept-http-fetch";
    /// CORS-preflight fetch.
    pub const CORS_PREFLIGHT_FETCH: &str = "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0";
    /// CORS check.
    pub const CORS_CHECK: &str = "https://fetch.spec.whatwg.org/#concept-cors-check";
    /// CORS-preflight cache.
    pub const CACHE: &str = "https://fetch.spec.whatwg.org/#concept-cache-match";
    /// HTTP-redirect fetch.
    pub const REDIRECT: &str = "https://fetch.spec.whatwg.org/#concept-http-redirect-fetch";
    /// The Request constructor.
    pub const REQUEST: &str = "https://fetch.spec.whatwg.org/#dom-request";
    /// CORS-exposed header-name list.
    pub const EXPOSE: &str =
        "https://fetch.spec.whatwg.org/#concept-response-cors-exposed-header-name-list";
    /// Local Network Access.
    pub const LNA: &str = "https://wicg.github.io/local-network-access/#fetching";
}
