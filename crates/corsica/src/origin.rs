//! [Origins](https://html.spec.whatwg.org/#concept-origin) and the request's origin as Fetch
//! serializes it.

use alloc::string::String;
use core::fmt;

use crate::url::{Host, Url, plain_http_authority};

use crate::lna::{AddressSpace, address_space_of_host, is_localhost};

/// An [origin](https://html.spec.whatwg.org/#concept-origin): opaque, or a (scheme, host, port)
/// tuple. Two opaque origins given to corsica are never the same origin as a URL's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// An opaque origin (a sandboxed iframe, a `data:` or `file:` page): serialized as `null`.
    Opaque,
    /// A tuple origin, kept with its [serialization](https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin).
    Tuple {
        /// The origin.
        origin: crate::url::Origin,
        /// Its ASCII serialization, e.g. `https://app.example:8443`.
        serialization: String,
    },
}

/// Why a string is not a serialized origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginParseError {
    /// It does not parse as a URL.
    NotAUrl,
    /// Its scheme has an opaque origin (not http, https, ws, wss or ftp).
    OpaqueScheme,
    /// It parses, but it is not the origin's serialization (a path, a trailing slash, a default
    /// port, uppercase, userinfo …).
    NotSerialized,
}

impl fmt::Display for OriginParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAUrl => "not a URL",
            Self::OpaqueScheme => "the scheme has no tuple origin (use \"null\" for an opaque origin)",
            Self::NotSerialized => {
                "not a serialized origin: write scheme://host[:port] with no path, no trailing slash and no default port"
            }
        })
    }
}

impl core::error::Error for OriginParseError {}

impl Origin {
    /// Parses a serialized origin: `null`, or exactly `scheme://host[:port]`.
    pub fn parse(serialized: &str) -> Result<Self, OriginParseError> {
        if serialized == "null" {
            return Ok(Self::Opaque);
        }
        if let Some(origin) = Self::parse_plain_http(serialized) {
            return Ok(origin);
        }
        Self::parse_as_url(serialized)
    }

    /// The common case without the URL parser: a text that is all a
    /// [plain authority](plain_http_authority) (`http(s)://`, a plain domain or IPv4 address, a
    /// port as the serializer writes it) is its own serialization; anything else (`None`) goes
    /// through the URL parser (the tests hold the two together).
    fn parse_plain_http(serialized: &str) -> Option<Self> {
        let authority = plain_http_authority(serialized).filter(|a| a.end == serialized.len())?;
        let port = authority
            .port
            .or_else(|| crate::url::default_port(authority.scheme))?;
        Some(Self::Tuple {
            origin: crate::url::Origin::Tuple(
                authority.scheme.into(),
                authority
                    .ipv4
                    .map_or_else(|| Host::Domain(authority.host.into()), Host::Ipv4),
                port,
            ),
            serialization: serialized.into(),
        })
    }

    /// A serialized origin read through the URL parser.
    fn parse_as_url(serialized: &str) -> Result<Self, OriginParseError> {
        let url = Url::parse(serialized).map_err(|_| OriginParseError::NotAUrl)?;
        let origin = Self::of_url(&url);
        match &origin {
            Self::Opaque => Err(OriginParseError::OpaqueScheme),
            Self::Tuple { serialization, .. } if serialization == serialized => Ok(origin),
            Self::Tuple { .. } => Err(OriginParseError::NotSerialized),
        }
    }

    /// The [origin of a URL](https://url.spec.whatwg.org/#concept-url-origin).
    pub fn of_url(url: &Url) -> Self {
        match url.origin() {
            origin @ crate::url::Origin::Tuple(..) => {
                let serialization = origin.ascii_serialization();
                Self::Tuple {
                    origin,
                    serialization,
                }
            }
            crate::url::Origin::Opaque(_) => Self::Opaque,
        }
    }

    /// The [ASCII serialization](https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin):
    /// `null` for an opaque origin.
    pub fn serialization(&self) -> &str {
        match self {
            Self::Opaque => "null",
            Self::Tuple { serialization, .. } => serialization,
        }
    }

    /// Whether this is the [same origin](https://html.spec.whatwg.org/#same-origin) as `url`'s.
    pub fn is_same_origin_with(&self, url: &Url) -> bool {
        match self {
            Self::Tuple {
                origin: crate::url::Origin::Tuple(scheme, host, port),
                ..
            } => {
                // The URL's origin is this tuple when scheme, host and port agree; comparing the
                // parts avoids building the URL's origin (which allocates).
                scheme == url.scheme()
                    && url.host().is_some_and(|h| same_host(host, &h))
                    && Some(*port) == url.port_or_known_default()
                    && has_tuple_origin(url)
            }
            _ => false,
        }
    }

    /// The origin's host, for a tuple origin.
    pub fn host(&self) -> Option<&Host<String>> {
        match self {
            Self::Tuple {
                origin: crate::url::Origin::Tuple(_, host, _),
                ..
            } => Some(host),
            _ => None,
        }
    }

    /// The origin's scheme, for a tuple origin.
    pub fn scheme(&self) -> Option<&str> {
        match self {
            Self::Tuple {
                origin: crate::url::Origin::Tuple(scheme, ..),
                ..
            } => Some(scheme),
            _ => None,
        }
    }

    /// The IP address space the origin's host names by itself: an IP literal, or `localhost`.
    pub fn address_space(&self) -> Option<AddressSpace> {
        self.host().and_then(address_space_of_host)
    }

    /// Whether the origin is [potentially trustworthy](https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy):
    /// a page with this origin is a secure context.
    pub fn is_potentially_trustworthy(&self) -> bool {
        match self.scheme() {
            None => false,
            Some("https" | "wss") => true,
            Some(_) => self.host().is_some_and(is_loopback_host),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.serialization())
    }
}

/// A host that [is potentially trustworthy](https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy)
/// by itself: `127.0.0.0/8`, `::1`, `localhost` and `*.localhost`.
fn is_loopback_host<S: AsRef<str>>(host: &Host<S>) -> bool {
    match host {
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
        Host::Domain(d) => is_localhost(d.as_ref()),
    }
}

/// Whether two hosts are equal, whatever their storage.
fn same_host(a: &Host<String>, b: &Host<&str>) -> bool {
    match (a, b) {
        (Host::Domain(a), Host::Domain(b)) => a == b,
        (Host::Ipv4(a), Host::Ipv4(b)) => a == b,
        (Host::Ipv6(a), Host::Ipv6(b)) => a == b,
        _ => false,
    }
}

/// Whether `url` is [potentially trustworthy](https://w3c.github.io/webappsec-secure-contexts/#is-url-trustworthy)
/// (for mixed content).
pub fn is_url_potentially_trustworthy(url: &Url) -> bool {
    match url.scheme() {
        "https" | "wss" | "data" | "blob" | "about" => true,
        "http" | "ws" => url.host().as_ref().is_some_and(is_loopback_host),
        _ => false,
    }
}

/// The [redirect-taint](https://fetch.spec.whatwg.org/#concept-request-tainted-origin) of a
/// request, reduced to what the `Origin` header needs: whether it is "same-origin".
///
/// Called with the URL list so far, it says whether
/// [serializing a request origin](https://fetch.spec.whatwg.org/#serializing-a-request-origin)
/// gives `null`. (Telling "same-site" from "cross-site" needs the public suffix list; both
/// serialize as `null`.)
pub fn is_redirect_tainted(origin: &Origin, url_list: &[Url]) -> bool {
    // Step 2. For each url of request's URL list: if lastURL is null, set it and continue; if
    // url's origin is not same origin with lastURL's origin and request's origin is not same
    // origin with lastURL's origin, the taint is at least "same-site".
    url_list.windows(2).any(|pair| {
        let (last, url) = (&pair[0], &pair[1]);
        !origin.is_same_origin_with(last) && !same_origin_urls(url, last)
    })
}

/// Whether two URLs' origins are [same origin](https://html.spec.whatwg.org/#same-origin).
/// For HTTP(S), WS(S) and FTP URLs, whose origins are the tuples of their scheme, host and port,
/// the parts are compared without building the origins (which allocates).
fn same_origin_urls(a: &Url, b: &Url) -> bool {
    if has_tuple_origin(a) && has_tuple_origin(b) {
        a.scheme() == b.scheme()
            && a.host() == b.host()
            && a.port_or_known_default() == b.port_or_known_default()
    } else {
        a.origin() == b.origin()
    }
}

/// Whether `url`'s origin is the tuple of its scheme, host and port: the schemes whose origin
/// the URL Standard builds from the URL itself (`blob:` takes its inner URL's, the rest are
/// opaque).
fn has_tuple_origin(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "ws" | "wss" | "ftp")
}

/// [Serializing a request origin](https://fetch.spec.whatwg.org/#serializing-a-request-origin):
/// `null` when redirect-tainted, otherwise the origin's serialization.
pub fn serialize_request_origin<'a>(origin: &'a Origin, url_list: &[Url]) -> &'a str {
    if is_redirect_tainted(origin, url_list) {
        "null"
    } else {
        origin.serialization()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn urls(list: &[&str]) -> Vec<Url> {
        list.iter().map(|u| Url::parse(u).unwrap()).collect()
    }

    /// The parse without the URL parser gives the URL parser's origin wherever it answers, and
    /// answers for the common origins.
    #[test]
    fn plain_http_origins_are_the_url_parsers() {
        use proptest::prelude::*;
        let regex = |r| proptest::string::string_regex(r).unwrap();
        let texts = prop_oneof![
            // Near the common shape.
            regex("https?://([a-z0-9-]{1,5}\\.){0,3}(xn--)?[a-z0-9-]{1,6}(:[0-9]{1,5})?"),
            // Anything around it.
            regex(
                "(https?|HTTP|ws|ftp)://[a-z0-9.A-Z_\\-]{0,6}(xn--)?[a-z0-9.\\-]{0,12}(:[0-9]{0,6})?/?"
            ),
        ];
        let answered = core::sync::atomic::AtomicUsize::new(0);
        proptest!(ProptestConfig::with_cases(20_000), |(text in texts)| {
            if let Some(fast) = Origin::parse_plain_http(&text) {
                answered.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
                prop_assert_eq!(Ok(fast), Origin::parse_as_url(&text), "{}", text);
            }
        });
        // Enough of the texts take the path under test.
        let answered = answered.into_inner();
        assert!(answered > 2_000, "{answered}");
        for common in [
            "https://app.example",
            "http://localhost:8080",
            "https://a-b.c-d.example:8443",
            "http://127.0.0.1.example",
            "http://127.0.0.1",
            "http://1.2.3.4:8080",
        ] {
            assert_eq!(
                Origin::parse_plain_http(common),
                Some(Origin::parse_as_url(common).unwrap()),
                "{common}"
            );
        }
        for other in [
            "https://APP.example",
            "https://app.example:443",
            "http://app.example:080",
            "http://127.0.0.01",
            "http://0x7f.1",
            "https://xn--53h.example",
            "https://a..example",
            "https://app.example.",
            "https://app.example/",
            "http://[::1]",
            "http://app.example:",
            "http://app.example:99999",
            "http://user@app.example",
            "http://app_x.example",
        ] {
            assert_eq!(Origin::parse_plain_http(other), None, "{other}");
        }
    }

    #[test]
    fn parse_serialized_origins_only() {
        assert_eq!(
            Origin::parse("https://a.example").unwrap().serialization(),
            "https://a.example"
        );
        assert_eq!(Origin::parse("null").unwrap(), Origin::Opaque);
        assert_eq!(
            Origin::parse("https://a.example/"),
            Err(OriginParseError::NotSerialized)
        );
        assert_eq!(
            Origin::parse("https://a.example:443"),
            Err(OriginParseError::NotSerialized)
        );
        assert_eq!(
            Origin::parse("https://A.example"),
            Err(OriginParseError::NotSerialized)
        );
        assert_eq!(Origin::parse("a.example"), Err(OriginParseError::NotAUrl));
        assert_eq!(
            Origin::parse("data:text/plain,x"),
            Err(OriginParseError::OpaqueScheme)
        );
        assert_eq!(
            Origin::parse("http://[::1]:8080").unwrap().serialization(),
            "http://[::1]:8080"
        );
    }

    #[test]
    fn redirect_taint() {
        let a = Origin::parse("https://a.example").unwrap();
        assert!(!is_redirect_tainted(&a, &urls(&["https://b.example/"])));
        assert!(!is_redirect_tainted(
            &a,
            &urls(&["https://a.example/1", "https://b.example/"])
        ));
        assert!(is_redirect_tainted(
            &a,
            &urls(&["https://b.example/", "https://c.example/"])
        ));
        assert!(is_redirect_tainted(
            &a,
            &urls(&["https://b.example/", "https://a.example/"])
        ));
        assert!(!is_redirect_tainted(
            &a,
            &urls(&["https://b.example/1", "https://b.example/2"])
        ));
    }

    #[test]
    fn same_origin_urls_agree_with_their_origins() {
        let list = [
            "https://a.example/x",
            "https://a.example:443/y?z",
            "https://A.EXAMPLE/",
            "http://a.example/",
            "https://a.example:8443/",
            "https://b.a.example/",
            "wss://a.example/",
            "http://127.0.0.1:80/",
            "http://127.0.0.1/",
            "http://[::1]/",
            "blob:https://a.example/0b9c",
            "data:text/plain,x",
            "file:///tmp/x",
        ];
        for a in urls(&list) {
            for b in urls(&list) {
                assert_eq!(
                    same_origin_urls(&a, &b),
                    a.origin() == b.origin(),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn same_origin_without_building_the_urls_origin() {
        let a = Origin::parse("https://a.example").unwrap();
        let url = |u: &str| Url::parse(u).unwrap();
        assert!(a.is_same_origin_with(&url("https://a.example:443/x?y#z")));
        assert!(!a.is_same_origin_with(&url("http://a.example/")));
        assert!(!a.is_same_origin_with(&url("https://a.example:8443/")));
        assert!(!a.is_same_origin_with(&url("https://b.a.example/")));
        let ip = Origin::parse("http://127.0.0.1:8801").unwrap();
        assert!(ip.is_same_origin_with(&url("http://127.0.0.1:8801/p")));
        assert!(!ip.is_same_origin_with(&url("http://localhost:8801/p")));
        assert!(!Origin::Opaque.is_same_origin_with(&url("https://a.example/")));
        assert!(is_url_potentially_trustworthy(&url("http://127.0.0.2/")));
        assert!(!is_url_potentially_trustworthy(&url("http://198.18.0.1/")));
    }

    #[test]
    fn trustworthy() {
        assert!(
            Origin::parse("https://a.example")
                .unwrap()
                .is_potentially_trustworthy()
        );
        assert!(
            Origin::parse("http://localhost:3000")
                .unwrap()
                .is_potentially_trustworthy()
        );
        assert!(
            Origin::parse("http://127.0.0.1:8801")
                .unwrap()
                .is_potentially_trustworthy()
        );
        assert!(
            !Origin::parse("http://a.example")
                .unwrap()
                .is_potentially_trustworthy()
        );
        assert!(!Origin::Opaque.is_potentially_trustworthy());
    }
}
