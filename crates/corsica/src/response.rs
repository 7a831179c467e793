//! [Responses](https://fetch.spec.whatwg.org/#responses) as the server sends them, and as the
//! page's script sees them.

use alloc::string::String;

use smol_str::SmolStr;

use crate::header::{HeaderList, normalize_value};
use crate::lna::AddressSpace;

/// Why the network gave a [network error](https://fetch.spec.whatwg.org/#concept-network-error)
/// instead of a response: the standard does not tell them apart, browsers' messages do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NetworkError {
    /// Nothing answered (the connection was refused).
    ConnectionRefused,
    /// What came back is not an HTTP response: browsers' HTTP parsers refuse, for one, a NUL
    /// byte in a header value (observed in Chromium, Firefox and WebKit).
    InvalidResponse,
}

/// A response as the network delivers it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The status (0 to 999).
    pub status: u16,
    /// The header list.
    pub headers: HeaderList,
    /// The IP address space the response came from, when the URL's host does not say it.
    pub address_space: Option<AddressSpace>,
}

impl Response {
    /// A response with `status` and no headers.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: HeaderList::new(),
            address_space: None,
        }
    }

    /// A response with `status` and the header list `headers`, whose values are trimmed of leading
    /// and trailing HTTP whitespace as an HTTP parser leaves them (the list's strings are kept,
    /// not copied, where they need no trimming).
    pub fn with_header_list(status: u16, mut headers: HeaderList) -> Self {
        for header in headers.iter_mut() {
            let trimmed = normalize_value(&header.value);
            if trimmed.len() != header.value.len() {
                header.value = SmolStr::from(trimmed);
            }
        }
        Self {
            status,
            headers,
            address_space: None,
        }
    }

    /// A response with `status` and `headers`, whose values are trimmed of leading and trailing
    /// HTTP whitespace as an HTTP parser leaves them.
    pub fn with_headers<N: Into<SmolStr>, V: AsRef<str>>(
        status: u16,
        headers: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let headers = headers
            .into_iter()
            .map(|(n, v)| (n, SmolStr::from(normalize_value(v.as_ref()))))
            .collect();
        Self {
            status,
            headers,
            address_space: None,
        }
    }
}

/// An [ok status](https://fetch.spec.whatwg.org/#ok-status): 200 to 299.
pub const fn is_ok_status(status: u16) -> bool {
    matches!(status, 200..=299)
}

/// A [redirect status](https://fetch.spec.whatwg.org/#redirect-status): 301, 302, 303, 307, 308.
pub const fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// A [response type](https://fetch.spec.whatwg.org/#concept-response-type), as script sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseType {
    /// Same-origin: every header but `Set-Cookie`.
    Basic,
    /// Cross-origin through CORS: safelisted and exposed headers.
    Cors,
    /// A no-cors cross-origin response: nothing readable, status 0.
    Opaque,
    /// A manual redirect: nothing readable, status 0.
    OpaqueRedirect,
}

impl ResponseType {
    /// The spec's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Cors => "cors",
            Self::Opaque => "opaque",
            Self::OpaqueRedirect => "opaqueredirect",
        }
    }
}

/// What the page's script can read of the response
/// ([filtered response](https://fetch.spec.whatwg.org/#concept-filtered-response)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisibleResponse {
    /// `response.type`.
    pub type_: ResponseType,
    /// `response.status` (0 for opaque types).
    pub status: u16,
    /// What `response.headers` shows.
    pub headers: HeaderList,
    /// `response.url` (empty for opaque).
    pub url: String,
    /// `response.redirected`.
    pub redirected: bool,
}
