//! A case: one request a page could make with `fetch()`, which the checker sends to the server
//! as each browser profile would.

use corsica::lna::AddressSpace;
use corsica::scenario::{Credentials, RequestInput};
use serde::Serialize;
use url::Url;

/// One request a page could make: `fetch(url, {method, headers, credentials})` from `origin`,
/// in `cors` mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The page's serialized origin, or `null`.
    pub origin: String,
    /// The method, as the page writes it (`fetch()` normalizes it).
    pub method: String,
    /// The headers the page sets.
    pub headers: Vec<(String, String)>,
    /// The credentials mode.
    pub credentials: Credentials,
    /// The preflight also carries `Access-Control-Request-Private-Network: true`, as Chrome's
    /// Private Network Access sent it to a more private address space.
    pub private_network: bool,
}

impl Case {
    /// The request in the scenario format, to `url`.
    ///
    /// The page is placed in the `loopback` address space, so Local Network Access (a browser
    /// permission, not the server's CORS policy) never decides a case; `private_network` is
    /// checked on the preflight's headers instead.
    pub fn request_input(&self, url: &Url) -> RequestInput {
        // Built through JSON, so that fields the format adds later keep their defaults.
        serde_json::from_value(serde_json::json!({
            "origin": self.origin,
            "url": url.as_str(),
            "method": self.method,
            "headers": self.headers,
            "mode": "cors",
            "credentials": self.credentials,
            "address_space": AddressSpace::Loopback.as_str(),
        }))
        .expect("a case is a valid request")
    }

    /// Whether the page asks for credentials to be sent cross-origin.
    pub fn includes_credentials(&self) -> bool {
        self.credentials == Credentials::Include
    }
}
