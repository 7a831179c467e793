//! [URLs](https://url.spec.whatwg.org/#urls) as the engine needs them: the
//! [URL parser](https://url.spec.whatwg.org/#concept-url-parser) (with a base URL, as for a
//! redirect's `Location`), the [URL serializer](https://url.spec.whatwg.org/#concept-url-serializer)
//! (the URL is kept serialized, with offsets of its parts), the parts' getters, the few setters
//! the engine calls, and the [origin](https://url.spec.whatwg.org/#concept-url-origin).
//!
//! Its answers are those of the `url` crate 2.5 (method names included), which passes WPT's
//! `urltestdata.json`; the differential tests in `tests/url.rs` hold the two together. Unicode
//! domains go through `idna`'s UTS 46 exactly as the `url` crate calls it.

mod host;
mod origin;
mod parser;
mod percent_encode;
#[cfg(test)]
mod tests;

use alloc::string::String;
use core::fmt;
use core::hash;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::ops::Range;

pub use host::Host;
pub use origin::{OpaqueOrigin, Origin};
pub(crate) use parser::plain_http_authority;

use percent_encode::{FRAGMENT, USERINFO, percent_encode};

/// A URL that [cannot have a username, password or port](https://url.spec.whatwg.org/#cannot-have-a-username-password-port)
/// was given a username or password: it has no host (or an empty one), or it is a `file:` URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CannotHaveCredentials;

impl fmt::Display for CannotHaveCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("this URL cannot have a username or password (no host, or a file: URL)")
    }
}

impl core::error::Error for CannotHaveCredentials {}

/// A parsed [URL](https://url.spec.whatwg.org/#concept-url), kept as its
/// [serialization](https://url.spec.whatwg.org/#concept-url-serializer) with the offsets of its
/// parts:
///
/// ```text
/// https://user:pass@host:8080/path?query#fragment
///      |  |   |    |    |    |    |     |
///      |  |   |    |    |    |    |     fragment_start
///      |  |   |    |    |    |    query_start
///      |  |   |    |    |    path_start
///      |  |   |    |    host_end (then the port)
///      |  |   |    host_start
///      |  |   username_end (then the password)
///      |  scheme_end + 3
///      scheme_end
/// ```
#[derive(Clone)]
pub struct Url {
    serialization: String,
    scheme_end: u32,
    username_end: u32,
    host_start: u32,
    host_end: u32,
    host: HostInternal,
    port: Option<u16>,
    path_start: u32,
    query_start: Option<u32>,
    fragment_start: Option<u32>,
}

/// The host's kind; a domain's text is in the serialization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HostInternal {
    None,
    Domain,
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl HostInternal {
    /// The kind of a parsed host (an empty domain is no host).
    fn of<S: AsRef<str>>(host: &Host<S>) -> Self {
        match host {
            Host::Domain(domain) if domain.as_ref().is_empty() => Self::None,
            Host::Domain(_) => Self::Domain,
            Host::Ipv4(address) => Self::Ipv4(*address),
            Host::Ipv6(address) => Self::Ipv6(*address),
        }
    }
}

/// Why the URL parser returned failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// A special URL without a host, or userinfo or a port without one.
    EmptyHost,
    /// [Domain to ASCII](https://url.spec.whatwg.org/#concept-domain-to-ascii) failed.
    IdnaError,
    /// A port that is not digits, or past 65535.
    InvalidPort,
    /// A host that ends in a number but is no IPv4 address.
    InvalidIpv4Address,
    /// A bracketed host that is no IPv6 address.
    InvalidIpv6Address,
    /// A [forbidden host code point](https://url.spec.whatwg.org/#forbidden-host-code-point)
    /// in an opaque host.
    InvalidDomainCharacter,
    /// No scheme, and no base URL.
    RelativeUrlWithoutBase,
    /// No scheme, and a base URL with an opaque path.
    RelativeUrlWithCannotBeABaseBase,
    /// A URL past 4 GB.
    Overflow,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmptyHost => "empty host",
            Self::IdnaError => "invalid international domain name",
            Self::InvalidPort => "invalid port number",
            Self::InvalidIpv4Address => "invalid IPv4 address",
            Self::InvalidIpv6Address => "invalid IPv6 address",
            Self::InvalidDomainCharacter => "invalid domain character",
            Self::RelativeUrlWithoutBase => "relative URL without a base",
            Self::RelativeUrlWithCannotBeABaseBase => "relative URL with a cannot-be-a-base base",
            Self::Overflow => "URLs more than 4 GB are not supported",
        })
    }
}

impl core::error::Error for ParseError {}

/// `text` with the bytes in `range` replaced by `with`: what `String::replace_range` does, with
/// less code in the `.wasm` (its splicing machinery is most of a kilobyte), for the few
/// serializations that change in the middle (credentials set, a Windows drive letter, `/.`).
pub(crate) fn replace(text: &mut String, range: Range<usize>, with: &str) {
    let tail = text.split_off(range.end);
    text.truncate(range.start);
    text.push_str(with);
    text.push_str(&tail);
}

/// The [default port](https://url.spec.whatwg.org/#default-port) of a special scheme (`file`
/// has none).
pub(crate) fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

impl Url {
    /// The [URL parser](https://url.spec.whatwg.org/#concept-url-parser) without a base.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        parser::parse(input, None)
    }

    /// The [URL parser](https://url.spec.whatwg.org/#concept-url-parser) with this URL as the
    /// base (a relative reference resolved against it).
    pub fn join(&self, input: &str) -> Result<Self, ParseError> {
        parser::parse(input, Some(self))
    }

    /// The [serialization](https://url.spec.whatwg.org/#concept-url-serializer).
    pub fn as_str(&self) -> &str {
        &self.serialization
    }

    fn slice(&self, range: Range<u32>) -> &str {
        &self.serialization[range.start as usize..range.end as usize]
    }

    fn end(&self) -> u32 {
        self.serialization.len() as u32
    }

    /// The [scheme](https://url.spec.whatwg.org/#concept-url-scheme), lowercase.
    pub fn scheme(&self) -> &str {
        self.slice(0..self.scheme_end)
    }

    /// Whether the URL has an [opaque path](https://url.spec.whatwg.org/#url-opaque-path)
    /// (`data:`, `mailto:` …).
    pub fn cannot_be_a_base(&self) -> bool {
        !self.serialization[self.scheme_end as usize + 1..].starts_with('/')
    }

    /// Whether the serialization has `//` after the scheme.
    fn has_authority(&self) -> bool {
        self.serialization[self.scheme_end as usize..].starts_with("://")
    }

    /// The [username](https://url.spec.whatwg.org/#concept-url-username), percent-encoded.
    pub fn username(&self) -> &str {
        let start = self.scheme_end + 3;
        if self.has_authority() && self.username_end > start {
            self.slice(start..self.username_end)
        } else {
            ""
        }
    }

    /// The [password](https://url.spec.whatwg.org/#concept-url-password), percent-encoded;
    /// `None` when empty.
    pub fn password(&self) -> Option<&str> {
        let has = self.has_authority()
            && self.username_end != self.end()
            && self.serialization.as_bytes()[self.username_end as usize] == b':';
        has.then(|| self.slice(self.username_end + 1..self.host_start - 1))
    }

    /// Whether the URL has a [host](https://url.spec.whatwg.org/#concept-url-host) (not the
    /// empty one).
    pub fn has_host(&self) -> bool {
        self.host != HostInternal::None
    }

    /// The [host serialization](https://url.spec.whatwg.org/#concept-host-serializer), IPv6
    /// addresses in brackets.
    pub fn host_str(&self) -> Option<&str> {
        self.has_host()
            .then(|| self.slice(self.host_start..self.host_end))
    }

    /// The [host](https://url.spec.whatwg.org/#concept-url-host).
    pub fn host(&self) -> Option<Host<&str>> {
        match self.host {
            HostInternal::None => None,
            HostInternal::Domain => Some(Host::Domain(self.slice(self.host_start..self.host_end))),
            HostInternal::Ipv4(address) => Some(Host::Ipv4(address)),
            HostInternal::Ipv6(address) => Some(Host::Ipv6(address)),
        }
    }

    /// The [port](https://url.spec.whatwg.org/#concept-url-port): `None` when absent or the
    /// scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The port, or the [default port](https://url.spec.whatwg.org/#default-port) of a special
    /// scheme other than `file`.
    pub fn port_or_known_default(&self) -> Option<u16> {
        self.port.or_else(|| default_port(self.scheme()))
    }

    /// The [path](https://url.spec.whatwg.org/#concept-url-path), serialized.
    pub fn path(&self) -> &str {
        let end = self
            .query_start
            .or(self.fragment_start)
            .unwrap_or(self.end());
        self.slice(self.path_start..end)
    }

    /// The [query](https://url.spec.whatwg.org/#concept-url-query), without `?`.
    pub fn query(&self) -> Option<&str> {
        let start = self.query_start?;
        Some(self.slice(start + 1..self.fragment_start.unwrap_or(self.end())))
    }

    /// The [fragment](https://url.spec.whatwg.org/#concept-url-fragment), without `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment_start
            .map(|start| self.slice(start + 1..self.end()))
    }

    /// The serialization without its fragment (and without the `#`): the URL as a request for
    /// it names it, and as `Response.url` shows it.
    pub fn without_fragment(&self) -> &str {
        self.slice(0..self.fragment_start.unwrap_or(self.end()))
    }

    /// The serialization up to the query (or the fragment).
    fn before_query(&self) -> &str {
        let end = self
            .query_start
            .or(self.fragment_start)
            .unwrap_or(self.end());
        self.slice(0..end)
    }

    /// A URL without username, password, host or port, whose path starts at `path_start`.
    fn without_authority(serialization: String, scheme_end: u32, path_start: u32) -> Self {
        Self {
            serialization,
            scheme_end,
            username_end: path_start,
            host_start: path_start,
            host_end: path_start,
            host: HostInternal::None,
            port: None,
            path_start,
            query_start: None,
            fragment_start: None,
        }
    }

    /// This URL's offsets up to its path, without query or fragment.
    fn offsets_up_to_path(&self, serialization: String) -> Self {
        Self {
            serialization,
            query_start: None,
            fragment_start: None,
            ..*self
        }
    }

    /// Sets (or removes) the [fragment](https://url.spec.whatwg.org/#dom-url-hash), as the
    /// `url` crate does.
    pub fn set_fragment(&mut self, fragment: Option<&str>) {
        if let Some(start) = self.fragment_start.take() {
            self.serialization.truncate(start as usize);
        }
        match fragment {
            Some(fragment) => {
                self.fragment_start = Some(self.end());
                self.serialization.push('#');
                let (fragment, _) = parser::remove_tab_and_newline(fragment);
                percent_encode(&mut self.serialization, &fragment, FRAGMENT);
            }
            // [Potentially strip trailing spaces from an opaque path](https://url.spec.whatwg.org/#potentially-strip-trailing-spaces-from-an-opaque-path).
            None if self.cannot_be_a_base() && self.query_start.is_none() => {
                let kept = self.serialization.trim_end_matches(' ').len();
                self.serialization.truncate(kept);
            }
            None => {}
        }
    }

    /// Whether the [username and password can be set](https://url.spec.whatwg.org/#cannot-have-a-username-password-port).
    fn can_have_credentials(&self) -> bool {
        self.host != HostInternal::None && self.scheme() != "file"
    }

    /// Sets the [username](https://url.spec.whatwg.org/#set-the-username), percent-encoded.
    pub fn set_username(&mut self, username: &str) -> Result<(), CannotHaveCredentials> {
        if !self.can_have_credentials() {
            return Err(CannotHaveCredentials);
        }
        let mut userinfo = String::new();
        percent_encode(&mut userinfo, username, USERINFO);
        let password = self.password().map(String::from);
        self.replace_userinfo(&userinfo, password.as_deref().unwrap_or_default());
        Ok(())
    }

    /// Sets the [password](https://url.spec.whatwg.org/#set-the-password), percent-encoded
    /// (`None` is the empty one).
    pub fn set_password(&mut self, password: Option<&str>) -> Result<(), CannotHaveCredentials> {
        if !self.can_have_credentials() {
            return Err(CannotHaveCredentials);
        }
        let mut encoded = String::new();
        percent_encode(&mut encoded, password.unwrap_or_default(), USERINFO);
        let username = String::from(self.username());
        self.replace_userinfo(&username, &encoded);
        Ok(())
    }

    /// Writes `username:password@` (without the empty parts) between `//` and the host, and
    /// moves the offsets after it.
    fn replace_userinfo(&mut self, username: &str, password: &str) {
        let start = self.scheme_end as usize + 3;
        let mut userinfo = String::from(username);
        if !password.is_empty() {
            userinfo.push(':');
            userinfo.push_str(password);
        }
        if !userinfo.is_empty() {
            userinfo.push('@');
        }
        replace(
            &mut self.serialization,
            start..self.host_start as usize,
            &userinfo,
        );
        self.username_end = (start + username.len()) as u32;
        let new_host_start = (start + userinfo.len()) as u32;
        let moved = |offset: u32| offset - self.host_start + new_host_start;
        self.host_end = moved(self.host_end);
        self.path_start = moved(self.path_start);
        self.query_start = self.query_start.map(moved);
        self.fragment_start = self.fragment_start.map(moved);
        self.host_start = new_host_start;
    }

    /// The [origin](https://url.spec.whatwg.org/#concept-url-origin).
    pub fn origin(&self) -> Origin {
        origin::url_origin(self)
    }
}

/// URLs compare as their serializations.
impl PartialEq for Url {
    fn eq(&self, other: &Self) -> bool {
        self.serialization == other.serialization
    }
}

impl Eq for Url {}

impl PartialOrd for Url {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Url {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.serialization.cmp(&other.serialization)
    }
}

impl hash::Hash for Url {
    fn hash<H: hash::Hasher>(&self, state: &mut H) {
        self.serialization.hash(state);
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialization)
    }
}

/// The parts, as the `url` crate shows them.
impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Url")
            .field("scheme", &self.scheme())
            .field("cannot_be_a_base", &self.cannot_be_a_base())
            .field("username", &self.username())
            .field("password", &self.password())
            .field("host", &self.host())
            .field("port", &self.port())
            .field("path", &self.path())
            .field("query", &self.query())
            .field("fragment", &self.fragment())
            .finish()
    }
}

impl core::str::FromStr for Url {
    type Err = ParseError;

    fn from_str(input: &str) -> Result<Self, ParseError> {
        Self::parse(input)
    }
}

impl AsRef<str> for Url {
    fn as_ref(&self) -> &str {
        &self.serialization
    }
}
