//! The declared CORS policy a server is checked against, read from TOML or JSON.
//!
//! ```toml
//! origins = ["https://app.example", "https://*.example.com"]
//! methods = ["GET", "PUT", "DELETE"]
//! headers = ["content-type", "authorization"]
//! credentials = true
//! expose = ["x-request-id"]   # optional
//! max_age = 600               # optional, seconds
//! private_network = false     # optional
//! ```
//!
//! The keys are fixed; an unknown key, a missing one or a bad value is a [`PolicyError`] naming
//! the key (`origins[1]`, `max_age`, …).
//!
//! ## Origins
//!
//! Each entry of `origins` is one of:
//!
//! - a serialized origin, `scheme://host[:port]`, exactly as a browser writes it in `Origin`:
//!   lowercase, no path, no trailing slash, no default port (`https://app.example:443` is
//!   refused: browsers send `https://app.example`). It matches that origin byte for byte.
//! - a pattern `scheme://*.domain[:port]`: `*` stands for **one or more whole DNS labels** in
//!   front of `.domain`. `https://*.example.com` matches `https://a.example.com` and
//!   `https://a.b.example.com`; it does not match `https://example.com` (no label),
//!   `https://evilexample.com` (not a whole label), `http://a.example.com` (another scheme),
//!   `https://a.example.com:8443` (another port: the pattern's port, or the scheme's default
//!   when it has none, must be the origin's), nor `https://a.example.com.evil.net`.
//! - `null`: the opaque origin (sandboxed iframes, `data:` and `file:` pages).
//! - `*`: every origin, `null` included; refused together with `credentials = true`.
//!
//! ## Methods and headers
//!
//! `methods` lists the methods a page may use besides the CORS-safelisted `GET`, `HEAD` and
//! `POST`, which browsers never ask about (so a policy cannot forbid them to an allowed origin).
//! Methods compare as browsers compare them: `delete`, `get`, `head`, `options`, `post` and
//! `put` are uppercased by `fetch()`, every other method is case-sensitive (`patch` is not
//! `PATCH`). `*` allows every method, only without credentials (as `Access-Control-Allow-Methods: *`
//! does).
//!
//! `headers` lists the request-header names (case-insensitive) a page may set beyond the
//! CORS-safelisted ones. `*` allows every name **except `Authorization`**, only without
//! credentials, as the Fetch Standard says of `Access-Control-Allow-Headers: *`; list
//! `authorization` to allow it.
//!
//! `credentials` says whether pages may send cookies (`credentials: "include"`), `expose` which
//! response headers scripts may read, `max_age` the longest a browser may cache a preflight, and
//! `private_network` whether the server answers private-network preflights
//! (`Access-Control-Request-Private-Network`).

use std::fmt;
use std::path::Path;

use corsica::Url;
use corsica::method::{
    is_cors_safelisted_method, is_forbidden_method, is_method, normalize_method,
};
use corsica::origin::Origin;
use serde::Deserialize;

/// The policy file as written (keys fixed, unknown keys refused).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    origins: Vec<String>,
    methods: Vec<String>,
    headers: Vec<String>,
    credentials: bool,
    #[serde(default)]
    expose: Vec<String>,
    #[serde(default)]
    max_age: Option<u64>,
    #[serde(default)]
    private_network: bool,
}

/// One entry of `origins`, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginPattern {
    /// `*`: every origin.
    Any,
    /// `null`: the opaque origin.
    Null,
    /// A serialized origin, matched byte for byte.
    Exact(String),
    /// `scheme://*.domain[:port]`: one or more labels in front of `.domain`.
    Subdomains {
        /// The scheme.
        scheme: String,
        /// The domain after `*.`, lowercase.
        domain: String,
        /// The port (the scheme's default when the pattern has none).
        port: Option<u16>,
    },
}

impl OriginPattern {
    /// Whether the serialized origin `origin` (as a browser sends it in `Origin`) matches.
    pub fn matches(&self, origin: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Null => origin == "null",
            Self::Exact(exact) => exact == origin,
            Self::Subdomains {
                scheme,
                domain,
                port,
            } => {
                let Ok(url) = Url::parse(origin) else {
                    return false;
                };
                let Some(corsica::url::Host::Domain(host)) = url.host() else {
                    return false;
                };
                let labels = host
                    .strip_suffix(domain.as_str())
                    .and_then(|front| front.strip_suffix('.'));
                url.scheme() == scheme
                    && url.port_or_known_default() == *port
                    && labels.is_some_and(|front| {
                        !front.is_empty() && front.split('.').all(|l| !l.is_empty())
                    })
            }
        }
    }

    /// An origin this entry matches (for patterns, a subdomain of the domain), used to generate
    /// requests near it.
    pub fn instance(&self) -> String {
        match self {
            Self::Any => String::from("https://anyone.example"),
            Self::Null => String::from("null"),
            Self::Exact(exact) => exact.clone(),
            Self::Subdomains {
                scheme,
                domain,
                port,
            } => with_port(scheme, &format!("app.{domain}"), *port),
        }
    }
}

/// `scheme://host`, with `:port` unless it is the scheme's default.
pub(crate) fn with_port(scheme: &str, host: &str, port: Option<u16>) -> String {
    let default = match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    };
    match port {
        Some(port) if Some(port) != default => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    }
}

/// A validated CORS policy (see the [module docs](self) for the file format and matching).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `origins`.
    pub origins: Vec<OriginPattern>,
    /// `methods`, normalized as `fetch()` normalizes them (`*` for any).
    pub methods: Vec<String>,
    /// `headers`, lowercase (`*` for any but `authorization`).
    pub headers: Vec<String>,
    /// `credentials`.
    pub credentials: bool,
    /// `expose`, lowercase.
    pub expose: Vec<String>,
    /// `max_age`, in seconds.
    pub max_age: Option<u64>,
    /// `private_network`.
    pub private_network: bool,
}

/// What is wrong with a policy.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyProblem {
    /// The file is not TOML or JSON, a key is unknown or missing, or a value has the wrong type
    /// (the parser's message).
    Syntax(String),
    /// Not a serialized origin, a pattern, `null` or `*`.
    NotAnOrigin(String),
    /// A `*` that is not the whole leftmost label of a pattern's host.
    BadPattern(String),
    /// Not a method (an HTTP token).
    NotAMethod(String),
    /// `CONNECT`, `TRACE` or `TRACK`: `fetch()` refuses them.
    ForbiddenMethod(String),
    /// Not a header name (an HTTP token).
    NotAHeaderName(String),
    /// A wildcard (`*` origin, method or header) together with `credentials = true`: browsers
    /// never honour `*` on credentialed requests.
    WildcardWithCredentials,
    /// The file could not be read.
    Unreadable(String),
}

/// A policy that cannot be used: the key at fault (`origins[1]`, `max_age`; empty for the
/// whole file) and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// The key's path, e.g. `origins[1]`.
    pub key: String,
    /// The problem.
    pub problem: PolicyProblem,
}

impl PolicyError {
    fn new(key: impl Into<String>, problem: PolicyProblem) -> Self {
        Self {
            key: key.into(),
            problem,
        }
    }
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(message) | Self::Unreadable(message) => f.write_str(message),
            Self::NotAnOrigin(value) => write!(
                f,
                "{value:?} is not an origin: write scheme://host[:port] as browsers send it (lowercase, no path, no trailing slash, no default port), a pattern https://*.example.com, \"null\" or \"*\""
            ),
            Self::BadPattern(value) => write!(
                f,
                "{value:?}: a pattern's `*` must be the whole leftmost label of the host, as in https://*.example.com"
            ),
            Self::NotAMethod(value) => write!(f, "{value:?} is not a method (an HTTP token)"),
            Self::ForbiddenMethod(value) => {
                write!(f, "{value:?} is a forbidden method: fetch() refuses it")
            }
            Self::NotAHeaderName(value) => {
                write!(f, "{value:?} is not a header name (an HTTP token)")
            }
            Self::WildcardWithCredentials => f.write_str(
                "`*` cannot be combined with credentials = true: browsers never honour a wildcard on credentialed requests; list what is allowed",
            ),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "policy: {}", self.problem)
        } else {
            write!(f, "policy key `{}`: {}", self.key, self.problem)
        }
    }
}

impl std::error::Error for PolicyError {}

impl Policy {
    /// Reads a policy file: JSON when its name ends in `.json`, TOML otherwise.
    pub fn from_file(path: &Path) -> Result<Self, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            PolicyError::new(
                "",
                PolicyProblem::Unreadable(format!("cannot read {}: {e}", path.display())),
            )
        })?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Self::from_json(&text)
        } else {
            Self::from_toml(&text)
        }
    }

    /// Parses a TOML policy.
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        let deserializer = toml::Deserializer::parse(text)
            .map_err(|e| PolicyError::new("", PolicyProblem::Syntax(e.message().to_owned())))?;
        let file: PolicyFile = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let message = e.inner().message().to_owned();
            PolicyError::new(key_of(&e, &message), PolicyProblem::Syntax(message))
        })?;
        Self::validate(file)
    }

    /// Parses a JSON policy.
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file: PolicyFile =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let message = e.inner().to_string();
                PolicyError::new(key_of(&e, &message), PolicyProblem::Syntax(message))
            })?;
        deserializer
            .end()
            .map_err(|e| PolicyError::new("", PolicyProblem::Syntax(e.to_string())))?;
        Self::validate(file)
    }

    fn validate(file: PolicyFile) -> Result<Self, PolicyError> {
        let origins = file
            .origins
            .iter()
            .enumerate()
            .map(|(i, o)| {
                origin_pattern(o).map_err(|p| PolicyError::new(format!("origins[{i}]"), p))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut methods = Vec::with_capacity(file.methods.len());
        for (i, method) in file.methods.iter().enumerate() {
            let key = || format!("methods[{i}]");
            if !is_method(method) {
                return Err(PolicyError::new(
                    key(),
                    PolicyProblem::NotAMethod(method.clone()),
                ));
            }
            if is_forbidden_method(method) {
                return Err(PolicyError::new(
                    key(),
                    PolicyProblem::ForbiddenMethod(method.clone()),
                ));
            }
            methods.push(normalize_method(method).to_owned());
        }
        let names = |key: &str, list: &[String]| {
            list.iter()
                .enumerate()
                .map(|(i, name)| {
                    if corsica::header::name::is_header_name(name) {
                        Ok(name.to_ascii_lowercase())
                    } else {
                        Err(PolicyError::new(
                            format!("{key}[{i}]"),
                            PolicyProblem::NotAHeaderName(name.clone()),
                        ))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let headers = names("headers", &file.headers)?;
        let expose = names("expose", &file.expose)?;
        if file.credentials {
            let wildcard = [
                (
                    "origins",
                    origins.iter().position(|o| *o == OriginPattern::Any),
                ),
                ("methods", methods.iter().position(|m| m == "*")),
                ("headers", headers.iter().position(|h| h == "*")),
            ];
            if let Some((key, Some(i))) = wildcard.into_iter().find(|(_, at)| at.is_some()) {
                return Err(PolicyError::new(
                    format!("{key}[{i}]"),
                    PolicyProblem::WildcardWithCredentials,
                ));
            }
        }
        Ok(Self {
            origins,
            methods,
            headers,
            credentials: file.credentials,
            expose,
            max_age: file.max_age,
            private_network: file.private_network,
        })
    }

    /// Whether the policy allows the serialized origin `origin`.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o.matches(origin))
    }

    /// Whether the policy allows the (normalized) method `method`.
    pub fn allows_method(&self, method: &str) -> bool {
        is_cors_safelisted_method(method) || self.methods.iter().any(|m| m == method || m == "*")
    }

    /// Whether the policy allows pages to set the request header `name`.
    pub fn allows_header(&self, name: &str) -> bool {
        self.headers.iter().any(|h| {
            h.eq_ignore_ascii_case(name)
                || (h == "*" && !name.eq_ignore_ascii_case("authorization"))
        })
    }

    /// Whether the policy lets scripts read the response header `name`.
    pub fn exposes(&self, name: &str) -> bool {
        self.expose
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name) || h == "*")
    }
}

/// The key path of a deserialization error (`origins[1]`; for a missing key, the key), empty
/// for the whole file.
fn key_of<E>(error: &serde_path_to_error::Error<E>, message: &str) -> String {
    let path = error.path().to_string();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(key, _)| key.to_owned());
    match (path.as_str(), missing) {
        (".", Some(key)) => key,
        (".", None) => String::new(),
        (_, Some(key)) => format!("{path}.{key}"),
        (_, None) => path,
    }
}

/// Parses one entry of `origins`.
fn origin_pattern(entry: &str) -> Result<OriginPattern, PolicyProblem> {
    match entry {
        "*" => return Ok(OriginPattern::Any),
        "null" => return Ok(OriginPattern::Null),
        _ => {}
    }
    if !entry.contains('*') {
        return match Origin::parse(entry) {
            Ok(_) => Ok(OriginPattern::Exact(entry.to_owned())),
            Err(_) => Err(PolicyProblem::NotAnOrigin(entry.to_owned())),
        };
    }
    // A pattern: replace the wildcard label by a placeholder, and check the rest is an origin.
    let bad = || PolicyProblem::BadPattern(entry.to_owned());
    let (scheme, rest) = entry.split_once("://").ok_or_else(bad)?;
    let domain_and_port = rest.strip_prefix("*.").ok_or_else(bad)?;
    if domain_and_port.contains('*') {
        return Err(bad());
    }
    let probe = format!("{scheme}://wildcard.{domain_and_port}");
    let origin = Origin::parse(&probe).map_err(|_| PolicyProblem::NotAnOrigin(entry.to_owned()))?;
    let url = Url::parse(&probe).map_err(|_| bad())?;
    let Some(corsica::url::Host::Domain(host)) = url.host() else {
        return Err(bad());
    };
    debug_assert_eq!(origin.serialization(), probe);
    let domain = host.strip_prefix("wildcard.").ok_or_else(bad)?.to_owned();
    Ok(OriginPattern::Subdomains {
        scheme: scheme.to_owned(),
        domain,
        port: url.port_or_known_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(p: &str) -> OriginPattern {
        origin_pattern(p).unwrap()
    }

    #[test]
    fn patterns_match_whole_labels_scheme_and_port() {
        let p = pattern("https://*.example.com");
        assert!(p.matches("https://a.example.com"));
        assert!(p.matches("https://a.b.example.com"));
        assert!(!p.matches("https://example.com"));
        assert!(!p.matches("https://evilexample.com"));
        assert!(!p.matches("http://a.example.com"));
        assert!(!p.matches("https://a.example.com:8443"));
        assert!(!p.matches("https://a.example.com.evil.net"));
        assert!(!p.matches("null"));
        let p = pattern("http://*.localhost:5173");
        assert!(p.matches("http://app.localhost:5173"));
        assert!(!p.matches("http://app.localhost"));
        assert_eq!(p.instance(), "http://app.localhost:5173");
        assert!(matches!(
            origin_pattern("https://*.example.com:443"),
            Err(PolicyProblem::NotAnOrigin(_))
        ));
    }

    #[test]
    fn exact_origins_are_serialized_origins() {
        assert!(pattern("https://app.example").matches("https://app.example"));
        assert!(!pattern("https://app.example").matches("https://app.example:444"));
        for bad in [
            "https://app.example/",
            "https://APP.example",
            "https://app.example:443",
            "app.example",
        ] {
            assert_eq!(
                origin_pattern(bad),
                Err(PolicyProblem::NotAnOrigin(bad.into())),
                "{bad}"
            );
        }
        for bad in [
            "https://a*.example.com",
            "https://*.*.example.com",
            "*.example.com",
            "https://app.*.com",
        ] {
            assert!(
                matches!(origin_pattern(bad), Err(PolicyProblem::BadPattern(_))),
                "{bad}"
            );
        }
    }
}
