//! The [origin](https://url.spec.whatwg.org/#concept-url-origin) of a URL.

use alloc::format;
use alloc::string::String;
use core::sync::atomic::{AtomicUsize, Ordering};

use super::{Host, Url, default_port};

/// An [origin](https://html.spec.whatwg.org/multipage/browsers.html#concept-origin): opaque, or a
/// (scheme, host, port) tuple.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// An [opaque origin](https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-opaque),
    /// equal only to itself (and its clones).
    Opaque(OpaqueOrigin),
    /// A [tuple origin](https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-tuple):
    /// scheme, host, port.
    Tuple(String, Host, u16),
}

/// The identity of an opaque origin: each new one differs from all the others, as in the `url`
/// crate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OpaqueOrigin(usize);

impl Origin {
    /// A new opaque origin, equal to no other.
    pub fn new_opaque() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        Self::Opaque(OpaqueOrigin(COUNTER.fetch_add(1, Ordering::Relaxed)))
    }

    /// The [ASCII serialization](https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin):
    /// `null` for an opaque origin, and no default port.
    pub fn ascii_serialization(&self) -> String {
        match self {
            Self::Opaque(_) => String::from("null"),
            Self::Tuple(scheme, host, port) if default_port(scheme) == Some(*port) => {
                format!("{scheme}://{host}")
            }
            Self::Tuple(scheme, host, port) => format!("{scheme}://{host}:{port}"),
        }
    }
}

/// The [origin](https://url.spec.whatwg.org/#concept-url-origin) of `url`.
pub(super) fn url_origin(url: &Url) -> Origin {
    match url.scheme() {
        // "blob": the origin of the URL its path parses as, if it is http(s) (Note: as the
        // `url` crate, any scheme's origin, without the `http`/`https` check).
        "blob" => {
            Url::parse(url.path()).map_or_else(|_| Origin::new_opaque(), |inner| url_origin(&inner))
        }
        // "ftp", "http", "https", "ws", "wss": the tuple (url's scheme, url's host, url's port).
        scheme @ ("ftp" | "http" | "https" | "ws" | "wss") => {
            match (url.host(), url.port_or_known_default()) {
                (Some(host), Some(port)) => Origin::Tuple(scheme.into(), host.to_owned(), port),
                _ => Origin::new_opaque(),
            }
        }
        // "file" and otherwise: a new opaque origin.
        _ => Origin::new_opaque(),
    }
}
