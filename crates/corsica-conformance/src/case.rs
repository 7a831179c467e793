//! A case: one request a page could make with `fetch()`, which the checker sends to the server
//! as each browser profile would.

use corsica::Url;
use corsica::scenario::{Credentials, Mode, Permission, Redirect, RequestInput, Space};
use serde::Serialize;

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
        RequestInput {
            origin: self.origin.clone(),
            page: None,
            url: String::from(url.as_str()),
            method: self.method.clone(),
            headers: self.headers.clone(),
            mode: Mode::Cors,
            credentials: self.credentials,
            redirect: Redirect::Follow,
            use_cors_preflight: false,
            address_space: Some(Space::Loopback),
            target_address_space: None,
            local_network_permission: Permission::Prompt,
            at: None,
            body: None,
            server: None,
        }
    }

    /// Whether the page asks for credentials to be sent cross-origin.
    pub fn includes_credentials(&self) -> bool {
        self.credentials == Credentials::Include
    }
}
