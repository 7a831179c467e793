//! [Requests](https://fetch.spec.whatwg.org/#requests): what a page asks `fetch()` for.
//!
//! [`RequestInit`] is what the page passes; [`Request::new`] runs the API layer of
//! [`new Request()`](https://fetch.spec.whatwg.org/#dom-request) on it: it normalizes the method,
//! validates and filters the headers, and reports what `fetch()` would throw.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use crate::url::Url;

use crate::error::ErrorKind;
use crate::header::name::is_forbidden_request_header;
use crate::header::safelist::is_no_cors_safelisted_request_header;
use crate::header::{HeaderList, is_header_value, normalize_value};
use crate::lna::AddressSpace;
use crate::method::{is_cors_safelisted_method, is_forbidden_method, is_method, normalize_method};
use crate::origin::Origin;
use crate::warning::{Warning, WarningKind};

macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value's spelling, for error messages.
            pub const NAMES: &'static [&'static str] = &[$($text,)*];

            /// The spec's spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl FromStr for $name {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, ()> {
                match s {
                    $($text => Ok(Self::$variant),)*
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum! {
    /// A [request mode](https://fetch.spec.whatwg.org/#concept-request-mode).
    RequestMode {
        /// "cors": the default for `fetch()`.
        Cors = "cors",
        /// "no-cors": an opaque response.
        NoCors = "no-cors",
        /// "same-origin": cross-origin URLs are a network error.
        SameOrigin = "same-origin",
        /// "navigate": a navigation (never checked by CORS).
        Navigate = "navigate",
    }
}

keyword_enum! {
    /// A [credentials mode](https://fetch.spec.whatwg.org/#concept-request-credentials-mode).
    CredentialsMode {
        /// "omit": never send cookies.
        Omit = "omit",
        /// "same-origin": the default; cookies only while the response tainting is "basic".
        SameOrigin = "same-origin",
        /// "include": always send cookies; the server must answer ACAC `true`.
        Include = "include",
    }
}

keyword_enum! {
    /// A [redirect mode](https://fetch.spec.whatwg.org/#concept-request-redirect-mode).
    RedirectMode {
        /// "follow": the default.
        Follow = "follow",
        /// "error": a redirect is a network error.
        Error = "error",
        /// "manual": an opaque-redirect response.
        Manual = "manual",
    }
}

keyword_enum! {
    /// The user's answer to the Local Network Access permission prompt.
    LocalNetworkPermission {
        /// The prompt would be shown; the request proceeds only if the user allows it.
        Prompt = "prompt",
        /// Allowed.
        Granted = "granted",
        /// Refused.
        Denied = "denied",
    }
}

/// [Response tainting](https://fetch.spec.whatwg.org/#concept-request-response-tainting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseTainting {
    /// "basic".
    Basic,
    /// "cors".
    Cors,
    /// "opaque".
    Opaque,
}

/// What a page passes to `fetch(url, init)`, before the API layer has looked at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestInit {
    /// The page's origin (the request's client origin).
    pub origin: Origin,
    /// The URL.
    pub url: Url,
    /// The method, as the page wrote it.
    pub method: String,
    /// The headers, as the page wrote them.
    pub headers: Vec<(String, String)>,
    /// The mode.
    pub mode: RequestMode,
    /// The credentials mode.
    pub credentials: CredentialsMode,
    /// The redirect mode.
    pub redirect: RedirectMode,
    /// The [use-CORS-preflight flag](https://fetch.spec.whatwg.org/#use-cors-preflight-flag)
    /// (an upload listener on XHR, a streaming body).
    pub use_cors_preflight: bool,
    /// The page's IP address space, when its origin's host does not say it.
    pub client_address_space: Option<AddressSpace>,
    /// `fetch(url, {targetAddressSpace})`.
    pub target_address_space: Option<AddressSpace>,
    /// The answer to the Local Network Access prompt.
    pub local_network_permission: LocalNetworkPermission,
    /// A string body (`fetch(url, {body: "…"})`).
    pub body: Option<String>,
}

impl RequestInit {
    /// `fetch(url)` from `origin`, with every option at its default.
    pub fn new(origin: Origin, url: Url) -> Self {
        Self {
            origin,
            url,
            method: String::from("GET"),
            headers: Vec::new(),
            mode: RequestMode::Cors,
            credentials: CredentialsMode::SameOrigin,
            redirect: RedirectMode::Follow,
            use_cors_preflight: false,
            client_address_space: None,
            target_address_space: None,
            local_network_permission: LocalNetworkPermission::Prompt,
            body: None,
        }
    }
}

/// What `fetch()` throws (a `TypeError`) before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Why.
    pub kind: ErrorKind,
    /// The method, header name or value at fault.
    pub parameter: String,
}

/// A request after the API layer: what the fetch algorithm works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The request's origin.
    pub origin: Origin,
    /// The URL the page asked for.
    pub url: Url,
    /// The [normalized](https://fetch.spec.whatwg.org/#concept-method-normalize) method.
    pub method: String,
    /// The header list after the Headers guard.
    pub headers: HeaderList,
    /// The mode.
    pub mode: RequestMode,
    /// The credentials mode.
    pub credentials: CredentialsMode,
    /// The redirect mode.
    pub redirect: RedirectMode,
    /// The use-CORS-preflight flag.
    pub use_cors_preflight: bool,
    /// The page's IP address space.
    pub client_address_space: AddressSpace,
    /// `targetAddressSpace`.
    pub target_address_space: Option<AddressSpace>,
    /// The answer to the Local Network Access prompt.
    pub local_network_permission: LocalNetworkPermission,
    /// The body, if any.
    pub body: Option<String>,
    /// What the API layer dropped silently.
    pub warnings: Vec<Warning>,
}

impl Request {
    /// Runs the API layer of [`new Request(input, init)`](https://fetch.spec.whatwg.org/#dom-request)
    /// and `fetch()`: the steps that can throw, method normalization, and the Headers guard.
    pub fn new(init: RequestInit) -> Result<Self, Rejection> {
        let reject = |kind, parameter: &str| {
            Err(Rejection {
                kind,
                parameter: String::from(parameter),
            })
        };

        // Step: "If parsedURL includes credentials, then throw a TypeError."
        if init.url.username() != "" || init.url.password().is_some() {
            return reject(ErrorKind::UrlContainsCredentials, init.url.as_str());
        }

        // Step: "If method is not a method or method is a forbidden method, throw a TypeError.
        // Normalize method."
        if !is_method(&init.method) {
            return reject(ErrorKind::InvalidMethod, &init.method);
        }
        if is_forbidden_method(&init.method) {
            return reject(ErrorKind::ForbiddenMethod, &init.method);
        }
        let method = String::from(normalize_method(&init.method));

        // Step: "If this's request's mode is "no-cors": if this's request's method is not a
        // CORS-safelisted method, then throw a TypeError."
        if init.mode == RequestMode::NoCors && !is_cors_safelisted_method(&method) {
            return reject(ErrorKind::NoCorsMethodNotSafelisted, &method);
        }

        // Headers "fill": validate and append each header through the guard.
        let mut warnings = Vec::new();
        let mut headers = HeaderList::with_capacity(init.headers.len());
        for (name, value) in &init.headers {
            let value = normalize_value(value);
            if !crate::header::name::is_header_name(name) {
                return reject(ErrorKind::InvalidHeaderName, name);
            }
            if !is_header_value(value) {
                return reject(ErrorKind::InvalidHeaderValue, name);
            }
            // Guard "request": a forbidden request-header is ignored.
            if is_forbidden_request_header(name, value) {
                warnings.push(Warning::new(
                    WarningKind::ForbiddenHeaderDropped,
                    name.as_str(),
                ));
                continue;
            }
            if init.mode == RequestMode::NoCors {
                // Guard "request-no-cors" (rules 3.2): the combined value must stay
                // no-CORS-safelisted.
                let combined = match headers.get(name) {
                    Some(existing) => alloc::format!("{existing}, {value}"),
                    None => String::from(value),
                };
                if !is_no_cors_safelisted_request_header(name, &combined) {
                    warnings.push(Warning::new(
                        WarningKind::NoCorsHeaderDropped,
                        name.as_str(),
                    ));
                    continue;
                }
            }
            headers.append(name.as_str(), value);
        }

        // Step: "If either init["body"] exists and is non-null or inputBody is non-null, and
        // request's method is `GET` or `HEAD`, then throw a TypeError."
        if init.body.is_some() && matches!(method.as_str(), "GET" | "HEAD") {
            return reject(ErrorKind::BodyWithGetOrHead, &method);
        }
        // Step: "If contentType is non-null and this's headers's header list does not contain
        // `Content-Type`, then append (`Content-Type`, contentType) to this's headers." A string
        // body's type is `text/plain;charset=UTF-8` (safelisted, so no-cors keeps it too).
        if init.body.is_some() && !headers.contains("content-type") {
            headers.append("Content-Type", "text/plain;charset=UTF-8");
        }

        let client_address_space = init
            .client_address_space
            .or_else(|| init.origin.address_space())
            .unwrap_or(AddressSpace::Public);

        Ok(Self {
            origin: init.origin,
            url: init.url,
            method,
            headers,
            mode: init.mode,
            credentials: init.credentials,
            redirect: init.redirect,
            use_cors_preflight: init.use_cors_preflight,
            client_address_space,
            target_address_space: init.target_address_space,
            local_network_permission: init.local_network_permission,
            body: init.body,
            warnings,
        })
    }
}
