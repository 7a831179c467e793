//! Warnings: things that pass today but are fragile, or that the browser does silently.

use alloc::string::String;
use core::fmt;

/// What a warning is about: the scenario format's `warnings[].kind`.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WarningKind {
    /// A browser profile lets `Access-Control-Allow-Headers: *` cover `Authorization`, which the
    /// standard forbids ([CORS non-wildcard request-header name](https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name)).
    AuthorizationCoveredByWildcard,
    /// The page set a [forbidden request-header](https://fetch.spec.whatwg.org/#forbidden-request-header);
    /// the browser drops it silently.
    ForbiddenHeaderDropped,
    /// In `no-cors` mode a header that is not no-CORS-safelisted was dropped silently.
    NoCorsHeaderDropped,
    /// The server's `Access-Control-Max-Age` is above the profile's limit.
    MaxAgeCapped,
    /// The server's `Access-Control-Max-Age` did not parse; the default (5 s) applies.
    MaxAgeInvalid,
    /// A `no-cors` fetch resolves, but the page can read nothing of the response.
    OpaqueResponse,
    /// The request reaches a more private IP address space (Local Network Access).
    LocalNetworkAccess,
    /// The browser drops a request header the page set, although the standard lets scripts set
    /// it (Chromium and `User-Agent`).
    HeaderDroppedByBrowser,
    /// A browser profile allows what the Fetch Standard blocks, for a reason no other warning
    /// names; the detail is the kind of error the `spec` profile reports.
    SpecWouldBlock,
}

impl WarningKind {
    /// The kind's name, as the scenario format spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::AuthorizationCoveredByWildcard => "AuthorizationCoveredByWildcard",
            Self::ForbiddenHeaderDropped => "ForbiddenHeaderDropped",
            Self::NoCorsHeaderDropped => "NoCorsHeaderDropped",
            Self::MaxAgeCapped => "MaxAgeCapped",
            Self::MaxAgeInvalid => "MaxAgeInvalid",
            Self::OpaqueResponse => "OpaqueResponse",
            Self::LocalNetworkAccess => "LocalNetworkAccess",
            Self::HeaderDroppedByBrowser => "HeaderDroppedByBrowser",
            Self::SpecWouldBlock => "SpecWouldBlock",
        }
    }
}

impl WarningKind {
    /// Whether this warning already says why a browser allows what the standard blocks.
    pub const fn explains_a_deviation(self) -> bool {
        matches!(
            self,
            Self::AuthorizationCoveredByWildcard
                | Self::HeaderDroppedByBrowser
                | Self::SpecWouldBlock
        )
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A warning, with the detail its message needs (a header name, a max-age value, an address
/// space).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// The header name, value or address space concerned.
    pub detail: String,
}

impl Warning {
    /// A warning of `kind` about `detail`.
    pub fn new(kind: WarningKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }
}
