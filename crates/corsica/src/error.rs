//! Why a fetch failed: one typed kind per failing step.
//!
//! The kinds are named after Chromium's `network::mojom::CorsError` (without its leading `k`)
//! wherever Chromium has one, because it is the finest-grained classification any engine has and
//! because DevTools reports it (`Audits.issueAdded`, `corsErrorStatus.corsError`). Failures that
//! Chromium reports outside `CorsError` (a `TypeError` thrown by `fetch()`, a `net::ERR_*`) get a
//! name in the same style.

use alloc::string::String;
use core::fmt;

use crate::url::Url;

use crate::response::NetworkError;

macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident => $stage:ident,)*) => {
        /// The step that failed.
        ///
        /// `name()` is the variant's name, as the scenario format's `error.kind` spells it.
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorKind {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The kind's name: Chromium's `CorsError` name without the leading `k`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant),)*
                }
            }

            /// The stage at which this kind is usually reported.
            ///
            /// The CORS-check kinds (`MissingAllowOriginHeader`, …) can also fail at the
            /// `redirect` stage; [`Failure::stage`] is the authority.
            pub const fn default_stage(self) -> Stage {
                match self {
                    $(Self::$variant => Stage::$stage,)*
                }
            }
        }
    };
}

error_kinds! {
    /// A cross-origin URL in `same-origin` mode, or a redirect that leaves the origin in that mode.
    DisallowedByMode => Request,
    /// The preflight failed with a network error that is not a CORS error (DevTools only).
    InvalidResponse => Preflight,
    /// [CORS check](https://fetch.spec.whatwg.org/#concept-cors-check) step 3/4:
    /// `Access-Control-Allow-Origin: *` with credentials mode "include".
    WildcardOriginNotAllowed => Response,
    /// CORS check step 2: no `Access-Control-Allow-Origin`.
    MissingAllowOriginHeader => Response,
    /// CORS check step 4: the (joined) `Access-Control-Allow-Origin` holds several values.
    MultipleAllowOriginValues => Response,
    /// CORS check step 4: the `Access-Control-Allow-Origin` value is not an origin.
    InvalidAllowOriginValue => Response,
    /// CORS check step 4: the value is not the request's serialized origin.
    AllowOriginMismatch => Response,
    /// CORS check step 7: `Access-Control-Allow-Credentials` is not exactly `true`.
    InvalidAllowCredentials => Response,
    /// [Main fetch](https://fetch.spec.whatwg.org/#concept-main-fetch): a cors-mode request to a
    /// scheme other than http(s).
    CorsDisabledScheme => Request,
    /// [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0) step 7:
    /// the preflight's status is not an ok status.
    PreflightInvalidStatus => Preflight,
    /// The preflight was answered with a redirect, which is never followed.
    PreflightDisallowedRedirect => Preflight,
    /// The preflight's CORS check: `*` with credentials.
    PreflightWildcardOriginNotAllowed => Preflight,
    /// The preflight's CORS check: no `Access-Control-Allow-Origin`.
    PreflightMissingAllowOriginHeader => Preflight,
    /// The preflight's CORS check: several `Access-Control-Allow-Origin` values.
    PreflightMultipleAllowOriginValues => Preflight,
    /// The preflight's CORS check: an `Access-Control-Allow-Origin` that is not an origin.
    PreflightInvalidAllowOriginValue => Preflight,
    /// The preflight's CORS check: a different origin.
    PreflightAllowOriginMismatch => Preflight,
    /// The preflight's CORS check: `Access-Control-Allow-Credentials` is not exactly `true`.
    PreflightInvalidAllowCredentials => Preflight,
    /// CORS-preflight fetch step 7.3: `Access-Control-Allow-Methods` does not parse.
    InvalidAllowMethodsPreflightResponse => Preflight,
    /// CORS-preflight fetch step 7.3: `Access-Control-Allow-Headers` does not parse.
    InvalidAllowHeadersPreflightResponse => Preflight,
    /// CORS-preflight fetch step 7.5: the method is not allowed.
    MethodDisallowedByPreflightResponse => Preflight,
    /// CORS-preflight fetch steps 7.6 and 7.7: a request header is not allowed.
    HeaderDisallowedByPreflightResponse => Preflight,
    /// [HTTP-redirect fetch](https://fetch.spec.whatwg.org/#concept-http-redirect-fetch)
    /// steps 7 and 8: the redirect location includes credentials.
    RedirectContainsCredentials => Redirect,
    /// Local Network Access: a non-secure context asked for a more private address space.
    InsecureLocalNetwork => Request,
    /// Local Network Access: `targetAddressSpace` does not match the resource's address space.
    InvalidLocalNetworkAccess => Request,
    /// Local Network Access: the user (or the policy) denied the permission.
    LocalNetworkAccessPermissionDenied => Request,
    /// Private Network Access (legacy): the preflight lacks
    /// `Access-Control-Allow-Private-Network`.
    PreflightMissingAllowPrivateNetwork => Preflight,
    /// Private Network Access (legacy): `Access-Control-Allow-Private-Network` is not `true`.
    PreflightInvalidAllowPrivateNetwork => Preflight,
    /// The request got no HTTP response at all (a refused connection: no server rule matched).
    RequestDidNotSucceed => Response,
    /// A redirect answered a request whose redirect mode is "error".
    RedirectDisallowedByMode => Redirect,
    /// More than 20 redirects.
    TooManyRedirects => Redirect,
    /// The `Location` header does not parse (or there are two of them).
    InvalidRedirectLocation => Redirect,
    /// A redirect to a scheme other than http(s).
    RedirectDisallowedScheme => Redirect,
    /// `fetch()` throws: `CONNECT`, `TRACE` or `TRACK`.
    ForbiddenMethod => Request,
    /// `fetch()` throws: the method is not an HTTP token.
    InvalidMethod => Request,
    /// `fetch()` throws: a header name is not an HTTP token.
    InvalidHeaderName => Request,
    /// `fetch()` throws: a header value contains NUL, CR or LF, or a code point above U+00FF.
    InvalidHeaderValue => Request,
    /// `fetch()` throws: the URL includes a username or password.
    UrlContainsCredentials => Request,
    /// `fetch()` throws: a `GET` or `HEAD` request with a body.
    BodyWithGetOrHead => Request,
    /// `fetch()` throws: a no-cors request with a method that is not CORS-safelisted.
    NoCorsMethodNotSafelisted => Request,
    /// Main fetch: a no-cors request whose redirect mode is not "follow".
    NoCorsRedirectModeNotFollow => Request,
    /// Mixed content: a secure page asked for an insecure URL.
    MixedContent => Request,
    /// Main fetch: the port is a [bad port](https://fetch.spec.whatwg.org/#bad-port).
    BadPort => Request,
}

impl ErrorKind {
    /// Looks a kind up by its [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.name() == name)
    }

    /// Whether Chromium puts "Response to preflight request doesn't pass access control check: "
    /// in front of the reason (`IsPreflightError` in `cors_error_string.cc`).
    pub const fn is_chromium_preflight_error(self) -> bool {
        matches!(
            self,
            Self::PreflightWildcardOriginNotAllowed
                | Self::PreflightMissingAllowOriginHeader
                | Self::PreflightMultipleAllowOriginValues
                | Self::PreflightInvalidAllowOriginValue
                | Self::PreflightAllowOriginMismatch
                | Self::PreflightInvalidAllowCredentials
                | Self::PreflightInvalidStatus
                | Self::PreflightDisallowedRedirect
                | Self::PreflightMissingAllowPrivateNetwork
                | Self::PreflightInvalidAllowPrivateNetwork
        )
    }

    /// Whether this failure is thrown by `fetch()` itself (a `TypeError` before anything is sent).
    pub const fn is_type_error(self) -> bool {
        matches!(
            self,
            Self::ForbiddenMethod
                | Self::InvalidMethod
                | Self::InvalidHeaderName
                | Self::InvalidHeaderValue
                | Self::UrlContainsCredentials
                | Self::BodyWithGetOrHead
                | Self::NoCorsMethodNotSafelisted
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where in the fetch a failure happened: the scenario format's `error.stage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Before anything was sent (the `fetch()` call, main fetch's early checks).
    Request,
    /// The CORS-preflight fetch.
    Preflight,
    /// The final response (the actual request's CORS check).
    Response,
    /// A redirect of the actual request.
    Redirect,
}

impl Stage {
    /// The scenario format's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Preflight => "preflight",
            Self::Response => "response",
            Self::Redirect => "redirect",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed fetch: the kind, where it happened, and what the console message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What failed.
    pub kind: ErrorKind,
    /// Where.
    pub stage: Stage,
    /// Chromium's `failed_parameter`: the header value, method or header name at fault.
    pub failed_parameter: Option<String>,
    /// The header name at fault exactly as the page wrote it (WebKit prints this form).
    pub header_as_written: Option<String>,
    /// The status of the response that failed, when there was one.
    pub status: Option<u16>,
    /// The URL of the request whose answer failed (the "last URL").
    pub url: Url,
    /// The number of `Access-Control-Allow-Origin` header lines (Firefox counts lines).
    pub allow_origin_lines: usize,
    /// The request's serialized origin when it failed (`null` once a redirect tainted it), where
    /// it differs from the page's.
    pub request_origin: Option<String>,
    /// Which network error, when the failure is one.
    pub network_error: Option<NetworkError>,
}

impl Failure {
    /// A failure of `kind` at `stage` for `url`, with no further detail.
    pub fn new(kind: ErrorKind, stage: Stage, url: &Url) -> Self {
        Self {
            kind,
            stage,
            failed_parameter: None,
            header_as_written: None,
            status: None,
            url: url.clone(),
            allow_origin_lines: 0,
            request_origin: None,
            network_error: None,
        }
    }

    /// Sets Chromium's failed parameter.
    #[must_use]
    pub fn with_parameter(mut self, parameter: impl Into<String>) -> Self {
        self.failed_parameter = Some(parameter.into());
        self
    }

    /// Sets the status of the failing response.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at the {} stage ({})",
            self.kind, self.stage, self.url
        )
    }
}

impl core::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(ErrorKind::from_name("kMissingAllowOriginHeader"), None);
    }

    #[test]
    fn preflight_prefix_only_for_chromium_preflight_errors() {
        assert!(ErrorKind::PreflightInvalidStatus.is_chromium_preflight_error());
        assert!(!ErrorKind::MethodDisallowedByPreflightResponse.is_chromium_preflight_error());
        assert!(!ErrorKind::HeaderDisallowedByPreflightResponse.is_chromium_preflight_error());
    }
}
